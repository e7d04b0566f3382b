"""SQLite-specific behaviour of the embedded store: damaged and locked files, index use."""

import asyncio
import pathlib
import random
import sqlite3
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from comun.bus import outbox
from comun.bus.memoria import InMemoryBus
from comun.bus.relay import OutboxRelay
from comun.store import Filter, StoreUnavailableError
from comun.store.sqlite import SqliteCollection, SqliteStore, open_sqlite

HOLD_THE_FILE = """
import asyncio, pathlib, sys
from comun.store.sqlite import open_sqlite

async def main():
    store = await open_sqlite(pathlib.Path(sys.argv[1]))
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await store.close()

asyncio.run(main())
"""


@pytest.fixture
def path(tmp_path: pathlib.Path) -> pathlib.Path:
    """Return where the test's database file goes."""
    return tmp_path / "var" / "captura.db"


@pytest.fixture
async def store(path: pathlib.Path) -> AsyncIterator[SqliteStore]:
    """Return an open store on a fresh file."""
    store = await open_sqlite(path)
    yield store
    await store.close()


@pytest.fixture
def docs(store: SqliteStore) -> SqliteCollection:
    """Return the `docs` collection."""
    return store.collection("docs")


def write_garbage(path: pathlib.Path) -> None:
    """Create a file that is not an SQLite database."""
    path.parent.mkdir(parents=True)
    path.write_bytes(b"esto no es una base de datos\n" * 200)


def damage_pages(path: pathlib.Path) -> None:
    """Overwrite some pages in the middle of a database file with random bytes."""
    with path.open("r+b") as file:
        file.seek(4096 * 3)
        file.write(random.Random(7).randbytes(4096 * 16))


async def write_and_close(path: pathlib.Path, count: int = 1) -> None:
    """Create a valid database file holding count documents."""
    store = await open_sqlite(path)
    for i in range(count):
        await store.collection("docs").insert({"_id": f"d{i:05d}", "texto": "x" * 200})
    await store.close()


# ---------------------------------------------------------------- opening and closing


async def test_open_creates_the_parent_folders(path: pathlib.Path) -> None:
    store = await open_sqlite(path)
    await store.close()
    assert path.parent.is_dir()


async def test_the_file_uses_write_ahead_logging(path: pathlib.Path) -> None:
    await write_and_close(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_close_releases_the_file(path: pathlib.Path) -> None:
    await write_and_close(path)
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("ROLLBACK")
    conn.close()


async def test_ping_after_close_raises_store_unavailable(store: SqliteStore) -> None:
    await store.close()
    with pytest.raises(StoreUnavailableError, match="cerrado"):
        await store.ping()


async def test_invalid_collection_names_are_rejected(store: SqliteStore) -> None:
    with pytest.raises(ValueError, match="collection name"):
        store.collection('x"; DROP TABLE docs; --')


async def test_documents_need_a_string_id(docs: SqliteCollection) -> None:
    with pytest.raises(ValueError, match="_id"):
        await docs.insert({"_id": 1})


# ---------------------------------------------------------------- damaged files


async def test_open_rejects_a_file_that_is_not_sqlite(path: pathlib.Path) -> None:
    write_garbage(path)
    with pytest.raises(StoreUnavailableError) as caught:
        await open_sqlite(path)
    assert str(caught.value) == (
        f"El archivo de datos {path} está dañado o no es una base SQLite; restáurelo desde el "
        "respaldo o muévalo a otro lugar para empezar de cero."
    )


async def test_open_rejects_a_file_with_damaged_pages(path: pathlib.Path) -> None:
    await write_and_close(path, count=500)
    damage_pages(path)
    with pytest.raises(StoreUnavailableError, match=f"{path} está dañado"):
        await open_sqlite(path)


async def test_damaged_pages_found_later_raise_store_unavailable(path: pathlib.Path) -> None:
    await write_and_close(path, count=500)
    damage_pages(path)
    store = await open_sqlite(path, verify=False)
    try:
        with pytest.raises(StoreUnavailableError, match="está dañado"):
            await store.collection("docs").find({})
    finally:
        await store.close()


async def test_open_explains_a_path_that_cannot_be_created(tmp_path: pathlib.Path) -> None:
    blocker = tmp_path / "archivo"
    blocker.write_text("no soy carpeta")
    with pytest.raises(StoreUnavailableError, match="no se puede abrir; revise que la carpeta"):
        await open_sqlite(blocker / "captura.db")


# ---------------------------------------------------------------- locked files


async def test_open_rejects_a_file_held_by_another_store(store: SqliteStore) -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        await open_sqlite(store.path, busy_timeout=0.05)
    assert str(caught.value) == (
        f"El archivo de datos {store.path} está bloqueado por otro proceso; detenga la otra "
        "instancia de Conóceles que lo usa y vuelva a intentarlo."
    )


async def test_open_rejects_a_file_held_by_another_process(path: pathlib.Path) -> None:
    await write_and_close(path)
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLD_THE_FILE,
        str(path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert await holder.stdout.readline() == b"ready\n"
        with pytest.raises(StoreUnavailableError, match=f"{path} está bloqueado"):
            await open_sqlite(path, busy_timeout=0.05)
    finally:
        holder.stdin.close()
        await holder.wait()


async def test_open_succeeds_once_the_other_process_is_gone(path: pathlib.Path) -> None:
    await write_and_close(path)
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_THE_FILE, str(path), stdin=asyncio.subprocess.PIPE
    )
    assert holder.stdin is not None
    holder.stdin.close()
    await holder.wait()
    store = await open_sqlite(path, busy_timeout=0.05)
    assert await store.collection("docs").get("d00000") is not None
    await store.close()


# ---------------------------------------------------------------- index use (EXPLAIN)


def uses_index(plan: list[str], index: str) -> bool:
    """Return whether a query plan reads through the named index."""
    return any(
        f"USING INDEX {index}" in line or f"USING COVERING INDEX {index}" in line for line in plan
    )


async def test_equality_on_an_indexed_path_uses_the_index(docs: SqliteCollection) -> None:
    await docs.create_index([("k", 1)])
    assert uses_index(await docs.explain({"k": "x"}), "docs.k_1")


async def test_range_on_an_indexed_path_uses_the_index(docs: SqliteCollection) -> None:
    await docs.create_index([("k", 1)])
    plan = await docs.explain({"k": {"$gte": 3, "$lt": 9}})
    assert uses_index(plan, "docs.k_1")


async def test_in_on_an_indexed_path_uses_the_index(docs: SqliteCollection) -> None:
    await docs.create_index([("k", 1)])
    assert uses_index(await docs.explain({"k": {"$in": ["a", "b"]}}), "docs.k_1")


async def test_null_equality_on_an_indexed_path_uses_the_index(docs: SqliteCollection) -> None:
    await docs.create_index([("k", 1)])
    assert uses_index(await docs.explain({"k": None}), "docs.k_1")


async def test_dotted_indexed_path_uses_the_index(docs: SqliteCollection) -> None:
    await docs.create_index([("registro.partido", 1)])
    plan = await docs.explain({"registro.partido": "p1"})
    assert uses_index(plan, "docs.registro.partido_1")


async def test_sort_on_an_indexed_path_needs_no_sorting_step(docs: SqliteCollection) -> None:
    await docs.create_index([("k", -1)])
    plan = await docs.explain({}, sort=[("k", -1)])
    assert uses_index(plan, "docs.k_-1")
    assert not any("TEMP B-TREE" in line for line in plan)


async def test_compound_index_serves_equality_and_sort(docs: SqliteCollection) -> None:
    await docs.create_index([("usuario", 1), ("momento", -1)])
    plan = await docs.explain({"usuario": "ana"}, sort=[("usuario", 1), ("momento", -1)])
    assert uses_index(plan, "docs.usuario_1_momento_-1")
    assert not any("TEMP B-TREE" in line for line in plan)


async def test_compound_index_with_id_serves_paging_by_id(docs: SqliteCollection) -> None:
    await docs.create_index([("partido", 1), ("_id", 1)])
    plan = await docs.explain({"partido": "p1", "_id": {"$gt": "c-10"}}, sort=[("_id", 1)])
    assert uses_index(plan, "docs.partido_1__id_1")


async def test_id_filter_uses_the_primary_key(docs: SqliteCollection) -> None:
    plan = await docs.explain({"_id": "a"})
    assert any(line.startswith("SEARCH") for line in plan)


async def test_queries_without_an_index_scan_the_table(docs: SqliteCollection) -> None:
    assert await docs.explain({"k": "x"}) == ["SCAN docs"]


PENDIENTES: Filter = {"o.0": {"$exists": True}}
INDICE_PENDIENTES = "docs._id_1_o.0_1_where_o.0"


async def test_a_partial_index_serves_the_queries_that_contain_its_condition(
    docs: SqliteCollection,
) -> None:
    await docs.insert({"_id": "a", "o": [{"id": "e1"}]})
    await docs.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    first_page = await docs.explain(PENDIENTES, sort=[("_id", 1)])
    next_page = await docs.explain({"$and": [PENDIENTES, {"_id": {"$gt": "a"}}]}, sort=[("_id", 1)])
    assert first_page == [f"SCAN docs USING INDEX {INDICE_PENDIENTES}"]
    assert next_page == [f"SEARCH docs USING INDEX {INDICE_PENDIENTES} (_id>?)"]


async def test_a_partial_index_created_before_any_array_is_written_is_still_used(
    docs: SqliteCollection,
) -> None:
    await docs.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    await docs.insert({"_id": "a", "o": [{"id": "e1"}]})
    assert uses_index(await docs.explain(PENDIENTES, sort=[("_id", 1)]), INDICE_PENDIENTES)


async def test_other_conditions_do_not_read_a_partial_index(docs: SqliteCollection) -> None:
    await docs.insert({"_id": "a", "o": [{"id": "e1"}]})
    await docs.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    plan = await docs.explain({"o.0": {"$exists": False}}, sort=[("_id", 1)])
    assert not uses_index(plan, INDICE_PENDIENTES)


async def test_the_relay_full_scan_reads_only_the_pending_events_index(
    store: SqliteStore,
) -> None:
    candidaturas = store.collection("candidaturas")
    await candidaturas.insert({"_id": "c-1", "version": 1, outbox.CAMPO: []})
    await OutboxRelay(store, InMemoryBus(), ["candidaturas"]).drain()
    pagina = {"$and": [outbox.FILTRO_PENDIENTES, {"_id": {"$gt": "c-1"}}]}
    plan = await candidaturas.explain(pagina, sort=[("_id", 1)])
    assert plan == [
        "SEARCH candidaturas USING INDEX candidaturas._id_1__outbox.0.id_1_where__outbox.0 (_id>?)"
    ]


@pytest.mark.parametrize("partial", [{"o.x": {"$exists": True}}, {"o.1": {"$exists": True}}])
async def test_a_partial_index_through_an_array_is_refused(
    docs: SqliteCollection, partial: Filter
) -> None:
    await docs.insert({"_id": "a", "o": [{"id": "e1"}]})
    with pytest.raises(ValueError, match="cannot index the condition"):
        await docs.create_index([("_id", 1)], partial=partial)


# ---------------------------------------------------------------- SQL and Python agree


VALUES: list[Any] = [1, 2.5, -3, "a", "B", "", True, False, None, {"x": 1}, {"x": "b"}]
FILTERS: list[Filter] = [
    {"v": 1},
    {"v": 2.5},
    {"v": "a"},
    {"v": True},
    {"v": None},
    {"v": {"x": 1}},
    {"v": {"$ne": 1}},
    {"v": {"$ne": None}},
    {"v": {"$gt": 1}},
    {"v": {"$gte": -3, "$lt": 2.5}},
    {"v": {"$gte": "B"}},
    {"v": {"$lt": "a"}},
    {"v": {"$lte": True}},
    {"v": {"$gt": False}},
    {"v": {"$gte": None}},
    {"v": {"$lt": None}},
    {"v": {"$in": [1, "a", None, False]}},
    {"v": {"$nin": [2.5, "B"]}},
    {"v": {"$exists": True}},
    {"v": {"$exists": False}},
    {"v.x": 1},
    {"v.x": None},
    {"v.x": {"$exists": True}},
    {"$or": [{"v": 1}, {"v.x": "b"}]},
]


@pytest.fixture
async def twins(store: SqliteStore) -> tuple[SqliteCollection, SqliteCollection]:
    """Two collections with the same documents; in the second, `v` was once an array."""
    in_sql, in_python = store.collection("in_sql"), store.collection("in_python")
    for i, value in enumerate(VALUES):
        await in_sql.insert({"_id": f"d{i:02d}", "v": value})
        await in_python.insert({"_id": f"d{i:02d}", "v": value})
    await in_sql.insert({"_id": "sin_v"})
    await in_python.insert({"_id": "sin_v"})
    await in_python.insert({"_id": "arreglo", "v": ["zzz"]})
    await in_python.delete("arreglo")
    return in_sql, in_python


@pytest.mark.parametrize("query", FILTERS, ids=str)
async def test_sql_and_python_evaluation_agree(
    twins: tuple[SqliteCollection, SqliteCollection], query: Filter
) -> None:
    in_sql, in_python = twins
    assert await in_python.explain(query) == ["SCAN in_python"]
    found_in_sql = [d["_id"] for d in await in_sql.find(query, sort=[("_id", 1)])]
    found_in_python = [d["_id"] for d in await in_python.find(query, sort=[("_id", 1)])]
    assert found_in_sql == found_in_python


@pytest.mark.parametrize("direction", [1, -1])
async def test_sql_and_python_sort_agree(
    twins: tuple[SqliteCollection, SqliteCollection], direction: int
) -> None:
    in_sql, in_python = twins
    query = {"v": {"$exists": True}}
    found_in_sql = [d["_id"] for d in await in_sql.find(query, sort=[("v", direction)])]
    found_in_python = [d["_id"] for d in await in_python.find(query, sort=[("v", direction)])]
    assert found_in_sql == found_in_python


@pytest.mark.parametrize("index", ["0", "1", "2"])
@pytest.mark.parametrize("exists", [True, False])
async def test_array_index_exists_in_sql_agrees_with_python(
    docs: SqliteCollection, index: str, exists: bool
) -> None:
    arrays: list[Any] = [[], [1], [1, 2], [{"2": 0}], [None, None, None], {"1": 0}, "x", None]
    for i, value in enumerate(arrays):
        await docs.insert({"_id": f"d{i}", "o": value})
    await docs.insert({"_id": "sin"})
    in_sql = {"o." + index: {"$exists": exists}}
    in_python = {"o." + index: {"$exists": exists, "$ne": "nunca"}}
    found_in_sql = [d["_id"] for d in await docs.find(in_sql, sort=[("_id", 1)])]
    found_in_python = [d["_id"] for d in await docs.find(in_python, sort=[("_id", 1)])]
    assert found_in_sql == found_in_python


async def test_la_base_nueva_solo_la_lee_su_duenio(tmp_path: pathlib.Path) -> None:
    store = await open_sqlite(tmp_path / "privada.db")
    await store.collection("c").insert({"_id": "a"})
    await store.close()
    assert (tmp_path / "privada.db").stat().st_mode & 0o777 == 0o600
