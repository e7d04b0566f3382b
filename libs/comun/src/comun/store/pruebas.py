"""Test helpers for the real store: find the test MongoDB, or fail under CI."""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from comun.pruebas import falta
from comun.store.mongo import borrar_bases, open_mongo, public_url
from comun.store.port import Store

MONGODB = os.environ.get("CONOCELES_TEST_MONGODB_URL", "mongodb://127.0.0.1:27017")
_info: dict[str, object] | None = None


async def _build_info(url: str) -> dict[str, object] | None:
    """The server's buildInfo within 3 s, or None when it does not answer."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=3_000
    )
    try:
        return dict(await client.admin.command("buildInfo"))
    except PyMongoError:
        return None
    finally:
        await client.close()


async def exigir_mongodb() -> str:
    """The test MongoDB's URL; fail under CI, else skip, when it does not answer."""
    global _info
    if _info is None:
        _info = await _build_info(MONGODB) or {}
    if not _info:
        falta(f"MongoDB no responde en {public_url(MONGODB)} (CONOCELES_TEST_MONGODB_URL)")
    return MONGODB


def es_ferretdb() -> bool:
    """Whether the test server (already required) is FerretDB rather than MongoDB."""
    return "ferretdbVersion" in (_info or {})


@asynccontextmanager
async def base_mongodb(prefijo: str = "prueba") -> AsyncIterator[Store]:
    """A fresh, uniquely named database on the test server, dropped afterwards."""
    url = await exigir_mongodb()
    nombre = f"{prefijo}_{uuid.uuid4().hex[:16]}"
    store = await open_mongo(url, nombre)
    try:
        yield store
    finally:
        await store.close()
        await borrar_bases(url, nombre)
