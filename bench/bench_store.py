"""Benchmark of the embedded SQLite document store: inserts, indexed finds and gets by id.

Run: `uv run python bench/bench_store.py [--docs 100000] [--concurrency 64]`. Single process,
pinned to one CPU core where the OS allows it; a fixed seed makes runs comparable.
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
from collections.abc import Awaitable, Callable, Sequence

from comun.store.sqlite import SqliteCollection, open_sqlite

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


def _steps(docs: SqliteCollection, order: Sequence[int]) -> dict[str, Step]:
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


async def _bench(path: pathlib.Path, count: int, concurrency: int) -> list[tuple[str, float]]:
    """Fill a fresh store and time each step; return (name, seconds) rows."""
    store = await open_sqlite(path)
    try:
        docs = store.collection("candidaturas")
        await docs.create_index([("k", 1)], unique=True)
        order = list(range(count))
        random.Random(20240602).shuffle(order)
        return [
            (name, await _run(step, count, concurrency))
            for name, step in _steps(docs, order).items()
        ]
    finally:
        await store.close()


def main() -> None:
    """Parse arguments, run both modes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    pinning = _pin_to_one_core()
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.machine()}, {pinning}; {args.docs:,} documents"
    )
    print(f"{'operation':<26} {'in flight':>9} {'ops':>9} {'elapsed s':>10} {'ops/s':>9}")
    for concurrency in (1, args.concurrency):
        with tempfile.TemporaryDirectory() as folder:
            rows = asyncio.run(_bench(pathlib.Path(folder) / "bench.db", args.docs, concurrency))
        for name, elapsed in rows:
            rate = args.docs / elapsed
            print(f"{name:<26} {concurrency:>9} {args.docs:>9,} {elapsed:>10.2f} {rate:>9,.0f}")


if __name__ == "__main__":
    main()
