"""Local files of the identity provider: signing key, kid thumbprint, demo password."""

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from identidad.adapters import (
    ClaveFirma,
    ClaveIlegible,
    LlaveroLocal,
    _huella_rfc7638,
    clave_demo,
    escribir_privado,
)

SECRETO = b"cambiar-esto"


def permisos(ruta: Path) -> int:
    return stat.S_IMODE(ruta.stat().st_mode)


def test_huella_coincide_con_el_ejemplo_del_rfc_7638() -> None:
    publica = {
        "kty": "RSA",
        "e": "AQAB",
        "n": (
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6"
            "tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v"
            "-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08"
            "qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8"
            "awapJzKnqDKgw"
        ),
    }

    assert _huella_rfc7638(publica) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_la_clave_se_crea_con_permisos_0600_y_se_reutiliza(tmp_path: Path) -> None:
    ruta = tmp_path / "identidad" / "clave-jwt.pem"

    primera = ClaveFirma.cargar_o_crear(ruta, secreto=SECRETO)
    segunda = ClaveFirma.cargar_o_crear(ruta, secreto=SECRETO)

    assert permisos(ruta) == 0o600
    assert primera.kid == segunda.kid
    assert primera.jwk()["kid"] == primera.kid


def test_una_clave_con_permisos_abiertos_se_restringe(tmp_path: Path) -> None:
    ruta = tmp_path / "clave-jwt.pem"
    ClaveFirma.cargar_o_crear(ruta, secreto=SECRETO)
    ruta.chmod(0o644)

    ClaveFirma.cargar_o_crear(ruta, secreto=SECRETO)

    assert permisos(ruta) == 0o600


async def test_el_llavero_publica_solo_la_parte_publica(tmp_path: Path) -> None:
    llavero = LlaveroLocal(tmp_path / "clave-jwt.pem", secreto=SecretStr(SECRETO.decode()))

    jwks = await llavero.obtener()

    (clave,) = jwks["keys"]
    assert set(clave) == {"kty", "n", "e", "kid", "use", "alg"}
    assert clave["alg"] == "RS256"


def test_escribir_privado_no_reemplaza_un_archivo_existente(tmp_path: Path) -> None:
    ruta = tmp_path / "archivo.txt"

    assert escribir_privado(ruta, b"primero")
    assert not escribir_privado(ruta, b"segundo")

    assert ruta.read_bytes() == b"primero"
    assert list(tmp_path.iterdir()) == [ruta]


def test_clave_demo_configurada_gana(tmp_path: Path) -> None:
    clave = clave_demo(configurada=SecretStr("la-de-la-variable"), directorio=tmp_path)

    assert clave == "la-de-la-variable"
    assert not (tmp_path / "demo-clave.txt").exists()


def test_clave_demo_generada_se_guarda_0600_y_se_reutiliza(tmp_path: Path) -> None:
    primera = clave_demo(configurada=None, directorio=tmp_path)
    segunda = clave_demo(configurada=None, directorio=tmp_path)

    assert primera == segunda
    assert len(primera) == 14
    assert permisos(tmp_path / "demo-clave.txt") == 0o600


def test_la_clave_de_firma_se_guarda_cifrada_con_el_secreto(tmp_path: Path) -> None:
    ruta = tmp_path / "clave-jwt.pem"
    ClaveFirma.cargar_o_crear(ruta, secreto=SECRETO)
    assert b"ENCRYPTED PRIVATE KEY" in ruta.read_bytes()


def test_otro_secreto_no_abre_la_clave_y_lo_dice_en_espanol(tmp_path: Path) -> None:
    ruta = tmp_path / "clave-jwt.pem"
    ClaveFirma.cargar_o_crear(ruta, secreto=SECRETO)
    with pytest.raises(ClaveIlegible, match="CONOCELES_CLAVE_SECRETA"):
        ClaveFirma.cargar_o_crear(ruta, secreto=b"otro-secreto-distinto")
