"""Issue 8, open data, end to end in the all-in-one process: what is public is what is downloaded.

capture → validate → public: the snapshot gains the profile's row, each file is served with its
sha256 as ETag (304 on If-None-Match) and the manifest's signature verifies; a verifier's
takedown regenerates the snapshot without the disabled text.
"""

import base64
import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import openpyxl
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import PROPUESTA, PUEBLO_MARCADO, capturar_y_enviar
from .conftest import esperar

pytestmark = pytest.mark.asyncio(loop_scope="module")

PARTIDO = "AY-15007-PM-CC-FYCEM-P"
API_VALIDACION = "/api/validacion/v1"
PUBLICA = "/api/publicacion/v1"
DATOS = f"{PUBLICA}/datos-abiertos"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin", "verificador")
TOMA = {
    "objetivo": "propuesta_1",
    "motivo": "propaganda",
    "observacion": "La propuesta 1 incluye un llamado expreso al voto.",
}

datos = proceso.datos_demo(
    "datos_abiertos",
    CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05",
    CONOCELES_PUBLICACION_DATOS_ABIERTOS_INTERVALO_S="0.1",
)
app, espia, cliente = proceso.todo_en_uno(Servicio.PUBLICACION)
h = proceso.tokens(CUENTAS)


async def indice(cliente: httpx.AsyncClient) -> dict[str, Any]:
    """The current snapshot as the API describes it (waits for the first one)."""

    async def hay() -> bool:
        return (await cliente.get(DATOS)).status_code == 200

    await esperar(hay)
    respuesta: dict[str, Any] = (await cliente.get(DATOS)).json()
    return respuesta


def archivo(snapshot: dict[str, Any], nombre: str) -> dict[str, Any]:
    (encontrado,) = [a for a in snapshot["archivos"] if a["nombre"] == nombre]
    return encontrado  # type: ignore[no-any-return]


async def filas_csv(cliente: httpx.AsyncClient, nombre: str) -> list[dict[str, str]]:
    respuesta = await cliente.get(f"{DATOS}/{nombre}")
    assert respuesta.status_code == 200, respuesta.text
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"), newline="")))


async def celdas_ine(cliente: httpx.AsyncClient) -> list[str]:
    """Every cell of the CANDIDATOS sheet of the XLSX download, as text."""
    xlsx = (await cliente.get(f"{DATOS}/candidaturas-formato-ine.xlsx")).content
    libro = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    return [str(v) for fila in libro["CANDIDATOS"].iter_rows(values_only=True) for v in fila]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicada(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The party's candidacy captured, validated and public; the snapshot that has its row."""
    fijada = await cliente.put(
        f"{API_VALIDACION}/publicacion/inicio",
        json={"fecha": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()},
        headers=h["admin"],
    )
    assert fijada.status_code == 200, fijada.text
    await capturar_y_enviar(cliente, h["captura.PRD"], PARTIDO)

    async def por_validar() -> bool:
        ruta = f"{API_VALIDACION}/candidaturas/{PARTIDO}"
        respuesta = await cliente.get(ruta, headers=h["supervisor.PRD"])
        return respuesta.status_code == 200 and respuesta.json()["estado"] == "por_validar"

    await esperar(por_validar)
    validada = await cliente.post(
        f"{API_VALIDACION}/candidaturas/{PARTIDO}/validacion", headers=h["supervisor.PRD"]
    )
    assert validada.status_code == 200, validada.text

    async def en_los_datos() -> bool:
        return (await indice(cliente))["filas"]["curricular"] >= 1

    await esperar(en_los_datos)
    return await indice(cliente)


async def test_antes_de_publicar_hay_datos_abiertos_vacios(cliente: httpx.AsyncClient) -> None:
    vacia = await indice(cliente)
    assert vacia["filas"] == {"curricular": 0, "identidad": 0}
    assert {a["nombre"] for a in vacia["archivos"]} >= {
        "curricular.csv", "identidad.json", "candidaturas-formato-ine.xlsx", "diccionario.csv"
    }  # fmt: skip


async def test_tras_publicar_los_datos_abiertos_traen_la_fila_del_perfil(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    (fila,) = [f for f in await filas_csv(cliente, "curricular.csv") if f["id"] == PARTIDO]
    assert fila["estado"] == "publicado" and fila["propuesta_1"] == PROPUESTA
    assert fila["url"] == f"/candidaturas/{PARTIDO}"
    assert PROPUESTA in await celdas_ine(cliente)
    vista = (await cliente.get(f"{PUBLICA}/candidaturas/{PARTIDO}")).json()
    identidades = await filas_csv(cliente, "identidad.csv")
    # The identity rule is the site's: consent to publish was not given in this capture.
    assert any(f["id"] == PARTIDO for f in identidades) == (vista["identidad"] is not None)
    texto = (await cliente.get(f"{DATOS}/identidad.json")).text
    assert (PUEBLO_MARCADO in texto) == (vista["identidad"] is not None)


async def test_los_archivos_nunca_traen_datos_privados(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    for nombre in ("curricular.csv", "curricular.json", "identidad.csv", "identidad.json"):
        texto = (await cliente.get(f"{DATOS}/{nombre}")).text
        assert "aclaraciones@ejemplo.mx" not in texto and "fecha_nacimiento" not in texto
        assert "folio_registro" not in texto and "curp" not in texto.casefold()


async def test_la_descarga_trae_el_sha256_del_manifiesto(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    manifiesto = json.loads((await cliente.get(f"{DATOS}/manifiesto.json")).content)
    for listado in manifiesto["archivos"]:
        respuesta = await cliente.get(f"{DATOS}/{listado['nombre']}")
        assert respuesta.status_code == 200
        assert hashlib.sha256(respuesta.content).hexdigest() == listado["sha256"]
        assert len(respuesta.content) == listado["tamano"]
        assert respuesta.headers["etag"] == f'"{listado["sha256"]}"'
        assert respuesta.headers["content-type"].startswith(listado["tipo"].split(";")[0])
        disposicion = respuesta.headers["content-disposition"]
        assert disposicion.startswith("attachment;") and listado["nombre"] in disposicion
        assert respuesta.headers["cache-control"] == "public, max-age=300"


async def test_con_if_none_match_la_descarga_responde_304(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    xlsx = archivo(publicada, "candidaturas-formato-ine.xlsx")
    etag = f'"{xlsx["sha256"]}"'
    respuesta = await cliente.get(xlsx["url"], headers={"If-None-Match": etag})
    assert respuesta.status_code == 304 and respuesta.content == b""
    assert respuesta.headers["etag"] == etag


async def test_un_archivo_que_no_existe_es_404_en_espanol(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get(f"{DATOS}/curriculum.csv")
    assert respuesta.status_code == 404
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert (
        "No hay un archivo de datos abiertos llamado «curriculum.csv»" in respuesta.json()["detail"]
    )


async def test_la_firma_del_manifiesto_se_verifica_con_la_clave_publicada(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    manifiesto = (await cliente.get(f"{DATOS}/manifiesto.json")).content
    firma = (await cliente.get(f"{DATOS}/manifiesto.sig")).content
    clave = load_pem_public_key((await cliente.get(f"{DATOS}/clave-publica.pem")).content)
    assert isinstance(clave, Ed25519PublicKey) and len(firma) == 64
    clave.verify(firma, manifiesto)
    assert base64.b64decode(publicada["manifiesto"]["firma"]) == firma


async def test_la_pagina_de_datos_abiertos_lista_los_archivos_y_como_verificarlos(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    pagina = await cliente.get("/datos-abiertos")
    assert pagina.status_code == 200, pagina.text
    for listado in publicada["archivos"]:
        assert listado["nombre"] in pagina.text and listado["sha256"] in pagina.text
    assert "openssl pkeyutl -verify" in pagina.text and "Diccionario de datos" in pagina.text


async def test_una_baja_del_verificador_regenera_los_datos_sin_el_texto(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: dict[str, Any]
) -> None:
    ruta = f"{API_VALIDACION}/verificacion/{PARTIDO}/deshabilitar"
    baja = await cliente.post(ruta, json=TOMA, headers=h["verificador"])
    assert baja.status_code == 200, baja.text

    async def regenerada() -> bool:
        actual = await indice(cliente)
        return bool(actual["generado_en"] != publicada["generado_en"])

    await esperar(regenerada)
    (fila,) = [f for f in await filas_csv(cliente, "curricular.csv") if f["id"] == PARTIDO]
    assert fila["propuesta_1"] == "" and fila["campos_deshabilitados"] == "propuesta_1"
    assert (
        "Agua potable en cada colonia" not in (await cliente.get(f"{DATOS}/curricular.json")).text
    )
    celdas = await celdas_ine(cliente)
    assert PARTIDO in celdas and not any("Agua potable en cada colonia" in c for c in celdas)
