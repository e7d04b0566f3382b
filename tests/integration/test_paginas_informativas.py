"""The public informative pages in the all-in-one process: privacy notices, accessibility, data.

Anyone reads them without an account; each has one h1 and its key content, answers HEAD, and an
anonymous answer sets no cookie, so the gateway can cache it.
"""

import html
import re
from datetime import date

import httpx
import pytest

from comun.eventos.vocabulario import ETIQUETAS, MotivoContenido
from comun.servicios import Servicio
from publicacion.territorio import territorio

from . import proceso

pytestmark = pytest.mark.asyncio(loop_scope="module")

PAGINAS = ("/privacidad", "/privacidad/simplificado", "/accesibilidad", "/acerca-de-los-datos")
NAVEGADOR = {"Accept": "text/html"}
CORREO = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
TELEFONO = re.compile(r"\(?\b\d{2,3}\)?[ .-]?\d{3,4}[ .-]?\d{4}\b")

datos = proceso.datos_demo("informativas")
app, espia, cliente = proceso.todo_en_uno(Servicio.PUBLICACION)


async def texto_de(cliente: httpx.AsyncClient, ruta: str) -> str:
    """The page's HTML, asserting it answered 200."""
    respuesta = await cliente.get(ruta, headers=NAVEGADOR)
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.text


@pytest.mark.parametrize("ruta", PAGINAS)
async def test_la_pagina_responde_sin_cuenta_con_un_solo_h1(
    cliente: httpx.AsyncClient, ruta: str
) -> None:
    respuesta = await cliente.get(ruta, headers=NAVEGADOR)
    assert respuesta.status_code == 200
    assert respuesta.headers["content-type"].startswith("text/html")
    assert len(re.findall(r"<h1[\s>]", respuesta.text)) == 1


@pytest.mark.parametrize("ruta", PAGINAS)
async def test_head_responde_200_sin_cuerpo(cliente: httpx.AsyncClient, ruta: str) -> None:
    respuesta = await cliente.head(ruta, headers=NAVEGADOR)
    assert respuesta.status_code == 200
    assert respuesta.content == b""


@pytest.mark.parametrize("ruta", PAGINAS)
async def test_la_pagina_anonima_no_pone_cookies_y_puede_guardarse_en_cache(
    cliente: httpx.AsyncClient, ruta: str
) -> None:
    respuesta = await cliente.get(ruta, headers=NAVEGADOR)
    assert "set-cookie" not in respuesta.headers


@pytest.mark.parametrize("ruta", ["/privacidad", "/privacidad/simplificado"])
async def test_los_avisos_nombran_al_responsable_con_su_domicilio(
    cliente: httpx.AsyncClient, ruta: str
) -> None:
    texto = await texto_de(cliente, ruta)
    assert "Instituto Electoral del Estado de México" in texto
    assert "Paseo Tollocan 944" in texto
    assert "C.P. 50160" in texto


async def test_el_aviso_integral_explica_los_derechos_arco_y_como_ejercerlos(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/privacidad")
    assert "Derechos ARCO" in texto
    assert "Unidad de Transparencia" in texto
    assert "SARCOEM" in texto
    assert "Plataforma Nacional de Transparencia" in texto
    assert 'href="https://www.ieem.org.mx"' in texto


async def test_el_aviso_integral_pide_tres_autorizaciones_separadas(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/privacidad")
    for autorizacion in ("Tratamiento", "Publicación", "Uso estadístico"):
        assert f"<strong>{autorizacion}</strong>" in texto
    assert "acción afirmativa" in texto


async def test_el_aviso_integral_cubre_sensibles_transferencias_portabilidad_y_supresion(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/privacidad")
    for tema in (
        "datos personales sensibles",
        "Transferencias",
        "Portabilidad",
        "sustituida",
        "suprimen",
        "Lineamientos para el uso del sistema",
        "Fecha de última actualización",
    ):
        assert tema in texto


@pytest.mark.parametrize("ruta", PAGINAS)
async def test_la_pagina_no_inventa_correos_ni_telefonos(
    cliente: httpx.AsyncClient, ruta: str
) -> None:
    principal = (await texto_de(cliente, ruta)).split('<main id="contenido"', 1)[1]
    assert not CORREO.search(principal)
    assert not TELEFONO.search(principal)


async def test_los_datos_por_confirmar_llevan_una_nota_visible(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/privacidad")
    assert "Por confirmar por el área jurídica del IEEM:" in texto


async def test_el_aviso_simplificado_enlaza_al_integral(cliente: httpx.AsyncClient) -> None:
    texto = await texto_de(cliente, "/privacidad/simplificado")
    assert 'href="/privacidad"' in texto
    assert "transferimos" in texto


async def test_la_declaracion_de_accesibilidad_fija_wcag_22_aa_y_sus_limitaciones(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/accesibilidad")
    assert "WCAG) 2.2 en el nivel AA" in texto
    assert "axe-core" in texto
    assert "Limitaciones conocidas" in texto
    assert 'href="https://www.ieem.org.mx"' in texto


async def test_acerca_de_los_datos_lista_los_siete_motivos_de_deshabilitacion(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/acerca-de-los-datos")
    for motivo in MotivoContenido:
        assert f"<li>{html.escape(ETIQUETAS[motivo])}</li>" in texto


async def test_acerca_de_los_datos_muestra_la_fecha_de_inicio_de_publicacion(
    cliente: httpx.AsyncClient,
) -> None:
    inicio = date.fromisoformat(territorio().eleccion["fechas"]["inicio_publicacion"])
    texto = await texto_de(cliente, "/acerca-de-los-datos")
    assert f"<strong>{inicio:%d/%m/%Y}</strong>" in texto


async def test_acerca_de_los_datos_explica_marcas_cambios_y_datos_abiertos(
    cliente: httpx.AsyncClient,
) -> None:
    texto = await texto_de(cliente, "/acerca-de-los-datos")
    assert "No proporcionó" in texto
    assert "un solo cambio" in texto
    for enlace in (
        "/datos-abiertos",
        "/api/publicacion/v1/candidaturas",
        "/api/publicacion/openapi.json",
    ):
        assert f'href="{enlace}"' in texto
