"""The in-process search index catches up with the store, whoever wrote the change."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from comun.store import Document
from comun.store.sqlite import SqliteStore, open_sqlite
from publicacion import indice as indice_modulo
from publicacion.adapters import Cargado, PerfilRepository
from publicacion.domain import Perfil
from publicacion.indice import IndicePublico


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "publicacion.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def repo(store: SqliteStore) -> PerfilRepository:
    repositorio = PerfilRepository(store)
    await repositorio.preparar()
    return repositorio


def perfil(candidatura_id: str, nombre: str, *, publico: bool = True) -> Perfil:
    registro = {
        "nombre": nombre,
        "cargo": "regiduria",
        "principio": "MR",
        "municipio": "15007",
        "postulante": "partido",
        "partido": "PRD",
        "sexo": "mujer",
    }
    return Perfil(
        candidatura_id,
        registro=registro,
        curricular={"propuesta_1": "Agua"} if publico else None,
    )


async def guardar(repo: PerfilRepository, nuevo: Perfil) -> None:
    cargado = await repo.cargar(nuevo.candidatura_id)
    await repo.guardar(Cargado(nuevo, cargado.previo, 0), version_publica=0)


async def test_el_indice_carga_solo_los_perfiles_publicos(repo: PerfilRepository) -> None:
    await guardar(repo, perfil("A", "Ana"))
    await guardar(repo, perfil("B", "Beto", publico=False))
    filas = await IndicePublico(repo, frescura=0).filas()
    assert sorted(filas) == ["A"]


async def test_el_indice_se_pone_al_dia_con_cambios_escritos_por_otro(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    indice = IndicePublico(repo, frescura=0)
    await guardar(repo, perfil("A", "Ana"))
    assert sorted(await indice.filas()) == ["A"]
    otro = PerfilRepository(store)  # another replica's writer
    await guardar(otro, perfil("B", "Beto"))
    await guardar(otro, perfil("A", "Ana", publico=False))
    assert sorted(await indice.filas()) == ["B"]


async def test_recorrer_por_lotes_no_pierde_un_documento_reescrito_a_media_lectura(
    repo: PerfilRepository,
) -> None:
    for letra in "ABCDE":
        await guardar(repo, perfil(letra, letra))
    vistos = []
    async for doc in repo.modificados_desde(0, lote=2):
        vistos.append(doc["_id"])
        if doc["_id"] == "A":
            await guardar(repo, perfil("A", "A otra vez"))
    assert set(vistos) == set("ABCDE")


async def test_un_almacen_quieto_no_se_vuelve_a_leer(
    repo: PerfilRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indice_modulo, "MARGEN_S", 0.0)
    for letra in "ABC":
        await guardar(repo, perfil(letra, letra))
    leidos: list[str] = []
    original = repo.modificados_desde

    async def contando(momento: float, *, lote: int = 1000) -> AsyncIterator[Document]:
        async for doc in original(momento, lote=lote):
            leidos.append(str(doc["_id"]))
            yield doc

    monkeypatch.setattr(repo, "modificados_desde", contando)
    indice = IndicePublico(repo, frescura=0)
    await indice.filas()
    await indice.filas()
    assert sorted(leidos) == ["A", "B", "C"]


async def test_la_tabla_se_rehace_solo_si_cambio_una_fila(repo: PerfilRepository) -> None:
    await guardar(repo, perfil("A", "Ana"))
    indice = IndicePublico(repo, frescura=0)
    primera = await indice.tabla()
    assert await indice.tabla() is primera
    await guardar(repo, perfil("B", "Beto"))
    assert [f.id for f in (await indice.tabla()).filas] == ["A", "B"]
