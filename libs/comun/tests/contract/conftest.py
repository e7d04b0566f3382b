"""Fixtures of the document-store contract suite: one param per adapter.

To run the suite against another adapter, write one async context manager that yields an
"open the same database again" function and cleans up afterwards, and add it to ADAPTERS.
"""

import pathlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from comun.store import Collection, Store
from comun.store.sqlite import open_sqlite

OpenStore = Callable[[], Awaitable[Store]]
Adapter = Callable[[pathlib.Path], AbstractAsyncContextManager[OpenStore]]


@asynccontextmanager
async def sqlite_adapter(tmp_path: pathlib.Path) -> AsyncIterator[OpenStore]:
    """Yield an opener of one SQLite file under the test's temporary folder."""

    async def open_store() -> Store:
        return await open_sqlite(tmp_path / "contract" / "store.db")

    yield open_store


ADAPTERS: dict[str, Adapter] = {"sqlite": sqlite_adapter}


@pytest.fixture(params=sorted(ADAPTERS))
async def open_store(
    request: pytest.FixtureRequest, tmp_path: pathlib.Path
) -> AsyncIterator[OpenStore]:
    """Return a function that opens (again) this test's database; closes what it opened."""
    opened: list[Store] = []
    async with ADAPTERS[request.param](tmp_path) as open_fresh:

        async def open_tracked() -> Store:
            store = await open_fresh()
            opened.append(store)
            return store

        yield open_tracked
        for store in opened:
            await store.close()


@pytest.fixture
async def store(open_store: OpenStore) -> Store:
    """Return an open, empty database."""
    return await open_store()


@pytest.fixture
def docs(store: Store) -> Collection:
    """Return an empty collection named `docs`."""
    return store.collection("docs")
