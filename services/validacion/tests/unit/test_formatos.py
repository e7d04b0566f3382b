"""Whole-text formats of the contact fields, shared with the personal-data check."""

import pytest

from validacion.domain.revisiones.formatos import es_correo, es_pagina_web, telefono_nacional


@pytest.mark.parametrize(
    ("texto", "digitos"),
    [
        ("7221234567", "7221234567"),
        ("722 123 4567", "7221234567"),
        ("(722) 123-4567", "7221234567"),
        ("+52 722 123 4567", "7221234567"),
        ("+52 1 722 123 4567", "7221234567"),
        ("01 722 123 4567", "7221234567"),
        ("722 123 45", None),
        ("0722123456", None),
        ("Tel. 722 123 4567", None),
        ("722 123 4567 y 722 765 4321", None),
    ],
)
def test_un_telefono_de_mexico_es_de_10_digitos(texto: str, digitos: str | None) -> None:
    assert telefono_nacional(texto) == digitos


@pytest.mark.parametrize(
    ("texto", "valido"),
    [
        ("ana.perez@ejemplo.mx", True),
        ("contacto+campana@sub.ejemplo.com.mx", True),
        ("ana.perez@ejemplo", False),
        ("ana perez@ejemplo.mx", False),
        ("escríbeme: ana@ejemplo.mx", False),
    ],
)
def test_un_correo_es_una_sola_direccion(texto: str, valido: bool) -> None:
    assert es_correo(texto) is valido


@pytest.mark.parametrize(
    ("texto", "valido"),
    [
        ("https://anaperez.mx", True),
        ("http://www.ana-perez.org.mx/propuestas?x=1", True),
        ("anaperez.mx", False),
        ("ftp://anaperez.mx", False),
        ("javascript:alert(1)", False),
        ("https://usuario:clave@anaperez.mx", False),
        ("https://localhost", False),
        ("https://ana perez.mx", False),
        ("https://anaperez.mx:99999", False),
    ],
)
def test_una_pagina_web_es_http_o_https_de_un_sitio_con_nombre(texto: str, valido: bool) -> None:
    assert es_pagina_web(texto) is valido
