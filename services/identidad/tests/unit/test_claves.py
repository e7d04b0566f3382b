"""Password policy: length, username, the common-password list shipped with the project."""

import pytest

from comun.settings import archivo_de_datos
from identidad.domain.claves import (
    ClaveNoValida,
    PoliticaClaves,
    leer_contrasenas_comunes,
    politica_de_archivo,
)

ARCHIVO = archivo_de_datos("seguridad/contrasenas-comunes.txt")


@pytest.fixture(scope="module")
def politica() -> PoliticaClaves:
    return politica_de_archivo(ARCHIVO)


def test_la_lista_del_proyecto_tiene_al_menos_diez_mil_contrasenas() -> None:
    comunes = leer_contrasenas_comunes(ARCHIVO)

    assert len(comunes) >= 10_000
    assert {"123456", "password", "qwerty", "contraseña", "méxico2024"} <= set(comunes)
    # Keycloak compares in lower case: the file must hold lower-case entries only.
    assert all(clave == clave.lower() for clave in comunes)


def test_una_frase_larga_y_propia_se_acepta(politica: PoliticaClaves) -> None:
    assert politica.problemas("girasol tranvía cuaderno", usuario="captura.pan") == []


def test_contrasena_corta_dice_cuantos_caracteres_tiene(politica: PoliticaClaves) -> None:
    with pytest.raises(ClaveNoValida) as error:
        politica.comprobar("Xq7!pL2#z", usuario="captura.pan")

    assert str(error.value) == "La contraseña debe tener al menos 12 caracteres; tiene 9."


def test_contrasena_con_el_usuario_se_rechaza_sin_importar_mayusculas(
    politica: PoliticaClaves,
) -> None:
    problemas = politica.problemas("Mi-CAPTURA.PAN-segura", usuario="captura.pan")

    assert problemas == [
        "La contraseña no debe contener su nombre de usuario («captura.pan»); elija otra."
    ]


@pytest.mark.parametrize(
    "clave",
    [
        "contraseña1234",
        "CONTRASENA1234",
        "MÉXICO2024!!!",
        "mexico2024!!!!",
        "iloveyou2024!",
        "qwertyuiop123",
        "1234567890123",
        "Conoceles2024",
    ],
)
def test_contrasenas_comunes_o_con_numeros_al_final_se_rechazan(
    politica: PoliticaClaves, clave: str
) -> None:
    problemas = politica.problemas(clave, usuario="supervisor.pan")

    assert len(problemas) == 1
    assert "de las más usadas" in problemas[0]
    assert "elija otra" in problemas[0]


def test_todos_los_problemas_se_dicen_a_la_vez(politica: PoliticaClaves) -> None:
    with pytest.raises(ClaveNoValida) as error:
        politica.comprobar("admin123", usuario="admin")

    assert len(error.value.problemas) == 3
    assert error.value.problemas[0].endswith("tiene 8.")


def test_contrasena_enorme_se_rechaza_sin_revisar_lo_demas(politica: PoliticaClaves) -> None:
    problemas = politica.problemas("a" * 2000, usuario="captura.pan")

    assert problemas == ["La contraseña debe tener como máximo 1024 caracteres; tiene 2000."]


def test_usuario_muy_corto_solo_cuenta_si_es_toda_la_contrasena() -> None:
    politica = PoliticaClaves([])

    assert politica.problemas("ab-girasol-tranvia", usuario="ab") == []
    assert politica.problemas("ab", usuario="ab")[1].startswith("La contraseña no debe contener")


def test_una_palabra_comun_dentro_de_una_frase_no_basta_para_rechazarla() -> None:
    politica = PoliticaClaves(["dragon"])

    assert politica.problemas("dragon verde de mi barrio", usuario="captura.pan") == []
    assert politica.es_comun("DRAGON2024")
