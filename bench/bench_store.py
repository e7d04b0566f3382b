"""Benchmark of a document store (SQLite or MongoDB): inserts, indexed finds and gets by id.

Run: `uv run python bench/bench_store.py [--docs 100000] [--concurrency 64]`, or against a
MongoDB-wire server with `--store mongodb [--url mongodb://127.0.0.1:27017]` (a fresh database,
dropped afterwards). Single client process, pinned to one CPU core where the OS allows it; a
fixed seed makes runs comparable.
"""

import argparse
import asyncio
import os
import pathlib
import platform
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from pymongo import AsyncMongoClient

from comun.store import Collection, Store
from comun.store.mongo import open_mongo
from comun.store.sqlite import open_sqlite

Step = Callable[[int], Awaitable[None]]


def _document(i: int) -> dict[str, object]:
    """Return a candidate-like document of about 300 bytes."""
    return {
        "_id": f"cand-{i:07d}",
        "k": f"clave-{i:07d}",
        "eleccion_id": f"eleccion-{i % 20}",
        "partido": f"partido-{i % 12}",
        "estado": ("borrador", "enviado", "validado", "publicado")[i % 4],
        "nombre": f"Persona Candidata Número {i}",
        "respuestas": {"escolaridad": "licenciatura", "edad": 25 + i % 50},
        "version": 1,
    }


async def _run(step: Step, count: int, concurrency: int) -> float:
    """Run step(i) for i in range(count), `concurrency` at a time; return elapsed seconds."""
    started = time.perf_counter()
    if concurrency == 1:
        for i in range(count):
            await step(i)
    else:
        for start in range(0, count, concurrency):
            stop = min(start + concurrency, count)
            await asyncio.gather(*(step(i) for i in range(start, stop)))
    return time.perf_counter() - started


def _steps(docs: Collection, order: Sequence[int]) -> dict[str, Step]:
    """Return the measured operations, each taking a document number."""

    async def insert(i: int) -> None:
        await docs.insert(_document(i))

    async def find_indexed(i: int) -> None:
        found = await docs.find({"k": f"clave-{order[i]:07d}"})
        assert len(found) == 1

    async def get_by_id(i: int) -> None:
        assert await docs.get(f"cand-{order[i]:07d}") is not None

    return {"insert": insert, "find {k: …} (indexed)": find_indexed, "get by _id": get_by_id}


def _pin_to_one_core() -> str:
    """Pin this process to one CPU where supported; return a description."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned (unsupported on this OS)"


@asynccontextmanager
async def _fresh_store(kind: str, url: str) -> AsyncIterator[Store]:
    """Yield an empty store of the given kind; remove its data afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            store: Store = await open_sqlite(pathlib.Path(folder) / "bench.db")
            try:
                yield store
            finally:
                await store.close()
        return
    database = f"bench_{uuid.uuid4().hex[:12]}"
    store = await open_mongo(url, database)
    try:
        await store.ping()
        yield store
    finally:
        await store.close()
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(url)
        try:
            await client.drop_database(database)
        finally:
            await client.close()


async def _bench(kind: str, url: str, count: int, concurrency: int) -> list[tuple[str, float]]:
    """Fill a fresh store and time each step; return (name, seconds) rows."""
    async with _fresh_store(kind, url) as store:
        docs = store.collection("candidaturas")
        await docs.create_index([("k", 1)], unique=True)
        order = list(range(count))
        random.Random(20240602).shuffle(order)
        return [
            (name, await _run(step, count, concurrency))
            for name, step in _steps(docs, order).items()
        ]


async def _server_version(url: str) -> str:
    """Return the MongoDB-wire server's name and version, e.g. `FerretDB v1.24.2`."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(url)
    try:
        info = await client.admin.command("buildInfo")
    finally:
        await client.close()
    if "ferretdbVersion" in info:
        version = info["ferretdbVersion"]
        shown = "version not reported" if version == "unknown" else version
        return f"FerretDB ({shown}; MongoDB {info['version']} wire)"
    return f"MongoDB {info['version']}"


def main() -> None:
    """Parse arguments, run both modes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--store", choices=("sqlite", "mongodb"), default="sqlite")
    parser.add_argument("--url", default="mongodb://127.0.0.1:27017", help="MongoDB server")
    args = parser.parse_args()
    pinning = _pin_to_one_core()
    if args.store == "sqlite":
        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        engine = asyncio.run(_server_version(args.url))
    print(
        f"Python {platform.python_version()}, {engine}, "
        f"{platform.machine()}, client {pinning}; {args.docs:,} documents"
    )
    print(f"{'operation':<26} {'in flight':>9} {'ops':>9} {'elapsed s':>10} {'ops/s':>9}")
    for concurrency in (1, args.concurrency):
        rows = asyncio.run(_bench(args.store, args.url, args.docs, concurrency))
        for name, elapsed in rows:
            rate = args.docs / elapsed
            print(f"{name:<26} {concurrency:>9} {args.docs:>9,} {elapsed:>10.2f} {rate:>9,.0f}")


if __name__ == "__main__":
    main()
