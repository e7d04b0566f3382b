"""Registry files through the API: background import, report, hostile files, list and template."""

import csv
import io
import zipfile
from typing import Any

import httpx
import openpyxl

from captura.domain import NOMBRES_COLUMNAS

from .conftest import DEMO_CANDIDATURAS, esperar, nuevas, token

URL = "/api/captura/v1/registro/importaciones"
LISTA = "/api/captura/v1/candidaturas"


def como_csv(filas: list[dict[str, Any]]) -> bytes:
    salida = io.StringIO()
    escritor = csv.writer(salida)
    escritor.writerow(NOMBRES_COLUMNAS)
    escritor.writerows([[f.get(c.lower()) for c in NOMBRES_COLUMNAS] for f in filas])
    return salida.getvalue().encode("utf-8")


async def subir(cliente: httpx.AsyncClient, nombre: str, contenido: bytes) -> httpx.Response:
    cabecera = await token(cliente, "admin")
    return await cliente.post(URL, files={"archivo": (nombre, contenido)}, headers=cabecera)


async def terminada(cliente: httpx.AsyncClient, importacion_id: str) -> dict[str, Any]:
    cabecera = await token(cliente, "admin")
    estado: dict[str, Any] = {}

    async def lista() -> bool:
        estado.update((await cliente.get(f"{URL}/{importacion_id}", headers=cabecera)).json())
        return estado["estado"] != "en_proceso"

    await esperar(lista)
    return estado


async def total(cliente: httpx.AsyncClient) -> int:
    cabecera = await token(cliente, "admin")
    return int((await cliente.get(LISTA, headers=cabecera)).json()["total"])


async def test_un_archivo_se_importa_en_segundo_plano_con_su_reporte(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await subir(cliente, "registro.csv", como_csv(nuevas(6)))
    assert respuesta.status_code == 202, respuesta.text
    estado = await terminada(cliente, respuesta.json()["id"])
    assert (estado["estado"], estado["reporte"]["resumen"]["nuevas"]) == ("terminada", 6)
    assert await total(cliente) == DEMO_CANDIDATURAS + 6


async def test_el_reporte_xlsx_neutraliza_formulas_en_las_celdas(
    cliente: httpx.AsyncClient,
) -> None:
    filas = nuevas(2)
    filas[0]["folio"] = '=HYPERLINK("http://evil","x")'
    respuesta = await subir(cliente, "registro.csv", como_csv(filas))
    importacion_id = respuesta.json()["id"]
    await terminada(cliente, importacion_id)
    cabecera = await token(cliente, "admin")
    descarga = await cliente.get(f"{URL}/{importacion_id}/reporte.xlsx", headers=cabecera)
    assert descarga.status_code == 200
    libro = openpyxl.load_workbook(io.BytesIO(descarga.content))
    folios = [fila[1] for fila in libro["RECHAZADAS"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil","x")' in folios
    assert all(not str(f).startswith("=") for f in folios)


async def test_un_pdf_se_rechaza_con_400_y_no_importa_nada(cliente: httpx.AsyncClient) -> None:
    antes = await total(cliente)
    respuesta = await subir(cliente, "registro.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 ...")
    assert respuesta.status_code == 400
    assert "no es una hoja de cálculo" in respuesta.json()["detail"]
    assert await total(cliente) == antes


async def test_una_bomba_zip_se_rechaza_antes_de_abrirla(cliente: httpx.AsyncClient) -> None:
    contenido = io.BytesIO()
    with zipfile.ZipFile(contenido, "w", zipfile.ZIP_DEFLATED) as zip_:
        zip_.writestr("[Content_Types].xml", "<Types/>")
        zip_.writestr("xl/workbook.xml", "<workbook/>")
        with zip_.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as hoja:
            for _ in range(210):
                hoja.write(b"\0" * 1024 * 1024)
    respuesta = await subir(cliente, "bomba.xlsx", contenido.getvalue())
    assert respuesta.status_code == 400
    assert respuesta.headers["content-type"].startswith("application/problem+json")


async def test_un_archivo_mayor_que_el_limite_es_413(cliente: httpx.AsyncClient) -> None:
    respuesta = await subir(cliente, "enorme.csv", b"x" * (11 * 1024 * 1024))
    assert respuesta.status_code == 413


async def test_columnas_incorrectas_dicen_cuales_se_esperaban(cliente: httpx.AsyncClient) -> None:
    respuesta = await subir(cliente, "registro.csv", b"FOLIO;NOMBRE\nA;B\n")
    assert respuesta.status_code == 422
    detalle = respuesta.json()["detail"]
    assert "Faltan: ESTATUS" in detalle and "Se encontraron: FOLIO, NOMBRE" in detalle


async def test_la_plantilla_trae_las_columnas_y_sus_instrucciones(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "admin")
    respuesta = await cliente.get("/api/captura/v1/registro/plantilla.xlsx", headers=cabecera)
    libro = openpyxl.load_workbook(io.BytesIO(respuesta.content))
    assert [c.value for c in libro["REGISTRO"][1]] == list(NOMBRES_COLUMNAS)
    assert libro["INSTRUCCIONES"].max_row == len(NOMBRES_COLUMNAS) + 1


async def test_un_partido_no_puede_subir_archivos(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "captura.pri")
    respuesta = await cliente.post(
        URL, files={"archivo": ("r.csv", como_csv(nuevas(2)))}, headers=cabecera
    )
    assert respuesta.status_code == 403


async def test_la_lista_pagina_y_filtra(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    pagina = (
        await cliente.get(LISTA, params={"por_pagina": 7, "pagina": 2}, headers=cabecera)
    ).json()
    assert (pagina["total"], pagina["pagina"], len(pagina["resultados"])) == (
        DEMO_CANDIDATURAS,
        2,
        7,
    )
    filtrada = (
        await cliente.get(LISTA, params={"cargo": "regiduria", "por_pagina": 500}, headers=cabecera)
    ).json()
    assert filtrada["total"] > 0
    assert {c["cargo"] for c in filtrada["resultados"]} == {"regiduria"}


async def test_un_partido_que_filtra_por_otro_partido_no_ve_nada(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "captura.pri")
    ajenas = (await cliente.get(LISTA, params={"partido": "MORENA"}, headers=cabecera)).json()
    assert (ajenas["total"], ajenas["resultados"]) == (0, [])


async def test_un_filtro_invalido_se_explica_en_espanol(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    respuesta = await cliente.get(LISTA, params={"cargo": "senaduria"}, headers=cabecera)
    assert respuesta.status_code == 422
    assert respuesta.headers["content-type"].startswith("application/problem+json")
