"""The registry import against both store adapters: SQLite (embedded) and MongoDB (real)."""

import pathlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from captura import handlers
from captura.adapters import CandidaturaRepository, EleccionRepository, leer_directorio_eleccion
from captura.domain import Eleccion, EstadoCandidatura
from captura.generador import generar
from comun.bus import outbox
from comun.eventos import SISTEMA
from comun.settings import archivo_de_datos
from comun.store import Store
from comun.store.pruebas import base_mongodb
from comun.store.sqlite import open_sqlite


def _nada(doc_id: str | None = None) -> None:
    """No relay in these tests: the outbox is inspected directly."""


@pytest.fixture(params=["sqlite", "mongodb"])
async def store(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        almacen = await open_sqlite(tmp_path / "captura.db")
        yield almacen
        await almacen.close()
    else:
        async with base_mongodb("captura") as almacen:
            yield almacen


@pytest.fixture
async def eleccion(store: Store) -> Eleccion:
    datos = leer_directorio_eleccion(archivo_de_datos("elecciones/simulacro-2025"))
    repo = EleccionRepository(store, avisar_relay=_nada)
    cargada, _ = await handlers.cargar_eleccion(repo=repo, datos=datos, actor=SISTEMA)
    return cargada


async def importar(
    store: Store, eleccion: Eleccion, filas: list[dict[str, Any]]
) -> handlers.Resultado:
    repo = CandidaturaRepository(store, avisar_relay=_nada)
    await repo.preparar()
    return await handlers.importar_registro(
        repo=repo, eleccion=eleccion, filas=list(enumerate(filas, start=2)), actor=SISTEMA
    )


async def tipos_pendientes(store: Store, folio: str) -> list[str]:
    doc = await store.collection("candidaturas").get(folio)
    assert doc is not None
    return [outbox.evento(p).type.split(".")[3] for p in outbox.pendientes(doc)]


async def test_importar_registra_todo_y_reimportar_no_cambia_nada(
    store: Store, eleccion: Eleccion
) -> None:
    filas = generar(eleccion, candidaturas=60, semilla=7)
    primera = await importar(store, eleccion, filas)
    assert primera.plan.resumen()["nuevas"] == 60 and primera.plan.rechazadas == []
    segunda = await importar(store, eleccion, filas)
    assert segunda.plan.resumen()["nuevas"] == 0 and segunda.plan.sin_cambios == 60
    assert await store.collection("candidaturas").count({"registro.eleccion": eleccion.id}) == 60


async def test_sustitucion_y_cancelacion_quedan_con_sus_eventos(
    store: Store, eleccion: Eleccion
) -> None:
    filas = generar(eleccion, candidaturas=4, semilla=7)
    await importar(store, eleccion, filas)
    anterior, suplente = filas[0]["FOLIO"], filas[3]["FOLIO"]
    sustituta = {**filas[0], "FOLIO": f"{anterior}2", "SUSTITUYE_A": anterior}
    baja = {**filas[3], "ESTATUS": "Cancelada"}
    resultado = await importar(store, eleccion, [sustituta, baja])
    assert resultado.plan.resumen() == {
        "nuevas": 1, "modificadas": 0, "sustituidas": 1, "canceladas": 1, "rechazadas": 0,
    }  # fmt: skip
    repo = CandidaturaRepository(store, avisar_relay=_nada)
    vieja, cancelada = await repo.obtener(anterior), await repo.obtener(suplente)
    assert vieja is not None and cancelada is not None
    assert (vieja.estado, vieja.sustituta_id) == (EstadoCandidatura.SUSTITUIDA, f"{anterior}2")
    assert cancelada.estado is EstadoCandidatura.CANCELADA
    assert await tipos_pendientes(store, anterior) == [
        "candidatura_registrada",
        "candidatura_sustituida",
    ]
    assert await tipos_pendientes(store, f"{anterior}2") == ["candidatura_registrada"]
    assert await tipos_pendientes(store, suplente) == [
        "candidatura_registrada",
        "candidatura_cancelada",
    ]


async def test_todo_o_nada_con_un_error_no_aplica_ninguna_fila(
    store: Store, eleccion: Eleccion
) -> None:
    filas = generar(eleccion, candidaturas=10, semilla=7)
    filas[3] = {**filas[3], "CURP": "MAL"}
    repo = CandidaturaRepository(store, avisar_relay=_nada)
    resultado = await handlers.importar_registro(
        repo=repo, eleccion=eleccion, filas=list(enumerate(filas, start=2)), actor=SISTEMA,
        todo_o_nada=True,
    )  # fmt: skip
    assert not resultado.aplicado
    assert await store.collection("candidaturas").count({}) == 0


async def test_cargar_la_misma_eleccion_otra_vez_no_cambia_nada(
    store: Store, eleccion: Eleccion
) -> None:
    datos = leer_directorio_eleccion(archivo_de_datos("elecciones/simulacro-2025"))
    repo = EleccionRepository(store, avisar_relay=_nada)
    _, cambio = await handlers.cargar_eleccion(repo=repo, datos=datos, actor=SISTEMA)
    assert not cambio
    assert (
        await handlers.eleccion_cargada(repo=repo, eleccion_id="simulacro-2025")
    ).id == eleccion.id


async def test_un_archivo_grande_lee_todo_el_registro_una_vez_y_concilia_igual(
    store: Store,
) -> None:
    datos = leer_directorio_eleccion(archivo_de_datos("elecciones/edomex-2024"))
    repo = EleccionRepository(store, avisar_relay=_nada)
    edomex, _ = await handlers.cargar_eleccion(repo=repo, datos=datos, actor=SISTEMA)
    filas = generar(edomex, candidaturas=handlers.registro.FILAS_PARA_LEER_EL_REGISTRO)
    assert (await importar(store, edomex, filas)).plan.resumen()["nuevas"] == len(filas)
    otra_vez = await importar(store, edomex, filas)
    assert otra_vez.plan.sin_cambios == len(filas) and otra_vez.plan.rechazadas == []
