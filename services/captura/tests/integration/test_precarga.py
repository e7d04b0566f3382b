"""The questionnaire pre-load through the API and the pages of the all-in-one demo app."""

import io
import re
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from conoceles.todo_en_uno import create_app

CLAVE = "clave-demo-de-pruebas"
API = "/api/captura/v1/precarga"
pytestmark = pytest.mark.asyncio


@pytest.fixture
async def cliente(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_DEMO", "true")
    monkeypatch.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
    monkeypatch.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", "40")
    monkeypatch.setenv("CONOCELES_CAPTURA_MAX_ARCHIVO_MB", "1")
    aplicacion: FastAPI = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30):
        transporte = httpx.ASGITransport(app=aplicacion)
        async with httpx.AsyncClient(transport=transporte, base_url="http://testserver") as c:
            yield c


async def cabecera(cliente: httpx.AsyncClient, usuario: str = "captura.prd") -> dict[str, str]:
    datos = {"username": usuario, "password": CLAVE}
    respuesta = await cliente.post("/api/identidad/v1/token", data=datos)
    return {"Authorization": f"Bearer {respuesta.json()['access_token']}"}


async def plantilla(cliente: httpx.AsyncClient, h: dict[str, str]) -> openpyxl.Workbook:
    respuesta = await cliente.get(f"{API}/plantilla.xlsx", headers=h)
    assert respuesta.status_code == 200, respuesta.text
    return openpyxl.load_workbook(io.BytesIO(respuesta.content))


def como_bytes(libro: openpyxl.Workbook) -> bytes:
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def poner(libro: openpyxl.Workbook, fila: int, columna: str, valor: Any) -> None:
    hoja = libro["CUESTIONARIOS"]
    encabezados = [c.value for c in hoja[1]]
    hoja.cell(fila, encabezados.index(columna) + 1, valor)


async def subir_y_esperar(
    cliente: httpx.AsyncClient, h: dict[str, str], contenido: bytes
) -> dict[str, Any]:
    subida = await cliente.post(API, files={"archivo": ("p.xlsx", contenido)}, headers=h)
    assert subida.status_code == 202, subida.text
    url = f"{API}/{subida.json()['id']}"
    for _ in range(500):
        estado = (await cliente.get(url, headers=h)).json()
        if estado["estado"] != "en_proceso":
            return dict(estado)
        await cliente.get("/health/live")  # yields to the background job
    raise AssertionError("la precarga no terminó")


async def test_la_plantilla_trae_las_candidaturas_del_partido_y_ninguna_identidad(
    cliente: httpx.AsyncClient,
) -> None:
    libro = await plantilla(cliente, await cabecera(cliente))
    assert libro["CATALOGOS"].sheet_state == "hidden"
    assert libro["CONTROL"].sheet_state == "hidden"
    hoja = libro["CUESTIONARIOS"]
    assert hoja.max_row > 1
    assert hoja.data_validations.dataValidation
    encabezados = [c.value for c in hoja[1]]
    primera_pregunta = encabezados.index(next(e for e in encabezados if e.startswith("1. ")))
    for fila in hoja.iter_rows(min_row=2, values_only=True):
        assert all(v is None for v in fila[primera_pregunta:])


async def test_precargar_guarda_borradores_y_volver_a_cargar_no_cambia_nada(
    cliente: httpx.AsyncClient,
) -> None:
    h = await cabecera(cliente)
    libro = await plantilla(cliente, h)
    poner(libro, 2, "TELEFONO", "5512345678")
    poner(libro, 2, "ESCOLARIDAD", "Licenciatura")
    poner(libro, 3, "TELEFONO", "123")
    poner(libro, 3, "ESCOLARIDAD", "Licenciatura")
    contenido = como_bytes(libro)
    primera = await subir_y_esperar(cliente, h, contenido)
    assert primera["reporte"]["resumen"]["aceptadas"] == 1
    assert primera["reporte"]["resumen"]["rechazadas"] == 1
    [rechazo] = primera["reporte"]["rechazadas"]
    assert (rechazo["fila"], rechazo["columna"]) == (3, "TELEFONO")
    segunda = await subir_y_esperar(cliente, h, contenido)
    assert segunda["reporte"]["resumen"]["aceptadas"] == 0
    reporte = await cliente.get(f"{API}/{segunda['id']}/reporte.xlsx", headers=h)
    assert reporte.status_code == 200


async def test_una_fila_de_otro_partido_se_rechaza_sin_revelar_si_existe(
    cliente: httpx.AsyncClient,
) -> None:
    ajena = (await plantilla(cliente, await cabecera(cliente, "captura.pan")))["CUESTIONARIOS"]
    clave_ajena = ajena.cell(2, 1).value
    h = await cabecera(cliente)
    libro = await plantilla(cliente, h)
    poner(libro, 2, "ID_CANDIDATURA", clave_ajena)
    poner(libro, 2, "TELEFONO", "5512345678")
    poner(libro, 3, "ID_CANDIDATURA", "NO-EXISTE")
    poner(libro, 3, "TELEFONO", "5512345678")
    estado = await subir_y_esperar(cliente, h, como_bytes(libro))
    motivos = {r["fila"]: r["motivo"] for r in estado["reporte"]["rechazadas"]}
    assert motivos[2] == motivos[3]


@pytest.mark.parametrize(
    ("cambio", "estado", "texto"),
    [
        ("eleccion", 422, "otra elección"),
        ("encabezado", 422, "encabezados"),
        ("zip", 400, "no es un libro de Excel"),
        # The body limit answers before the file is read.
        ("grande", 413, "supera el máximo"),
    ],
)
async def test_un_archivo_inservible_se_rechaza_con_un_mensaje_claro(
    cliente: httpx.AsyncClient, cambio: str, estado: int, texto: str
) -> None:
    h = await cabecera(cliente)
    libro = await plantilla(cliente, h)
    if cambio == "eleccion":
        libro["CONTROL"]["B2"] = "otra-eleccion-2021"
    if cambio == "encabezado":
        libro["CUESTIONARIOS"]["K1"] = "TELEFONO_CELULAR"
    contenido = como_bytes(libro)
    if cambio == "zip":
        salida = io.BytesIO()
        with zipfile.ZipFile(salida, "w") as z:
            z.writestr("hola.txt", "no soy Excel")
        contenido = salida.getvalue()
    if cambio == "grande":
        contenido = b"a" * (2 * 1024 * 1024)
    respuesta = await cliente.post(API, files={"archivo": ("p.xlsx", contenido)}, headers=h)
    assert respuesta.status_code == estado, respuesta.text
    assert texto in respuesta.text


async def test_la_pagina_de_precarga_sube_el_archivo_y_muestra_el_reporte(
    cliente: httpx.AsyncClient,
) -> None:
    h = await cabecera(cliente)
    libro = await plantilla(cliente, h)
    poner(libro, 2, "TELEFONO", "123")
    formulario = await cliente.post(
        "/identidad/login",
        data={"usuario": "captura.prd", "clave": CLAVE, "csrf_token": await _csrf(cliente)},
    )
    assert formulario.status_code == 303
    pagina = await cliente.get("/captura/precarga", headers={"Accept": "text/html"})
    assert pagina.status_code == 200 and "Descargue la plantilla" in pagina.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert token is not None
    subida = await cliente.post(
        "/captura/precarga",
        data={"csrf_token": token.group(1)},
        files={"archivo": ("p.xlsx", como_bytes(libro))},
        headers={"Accept": "text/html"},
    )
    assert subida.status_code == 303, subida.text
    destino = subida.headers["location"]
    for _ in range(500):
        vista = await cliente.get(destino, headers={"Accept": "text/html"})
        if "Reporte de la precarga" in vista.text:
            break
    assert "El teléfono debe tener 10 dígitos" in vista.text


async def _csrf(cliente: httpx.AsyncClient) -> str:
    formulario = await cliente.get("/identidad/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', formulario.text)
    assert token is not None
    return token.group(1)
