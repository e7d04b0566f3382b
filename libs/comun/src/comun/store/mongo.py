"""Document store on MongoDB through PyMongo's async API (`AsyncMongoClient`).

Each store is one MongoDB database; services never share one. Filters are validated with the
embedded store's rules (`comun.store.filtros`) and then sent unchanged: MongoDB's semantics are
the reference the contract suite encodes. Every command stays inside FerretDB 1.24's supported
set (CRUD, `$set $unset $push`, unique and compound indexes, no transactions), so the same code
runs on FerretDB in CI and on MongoDB in production.

FerretDB 1.x applies an update as "read the matching document, then write it back by `_id`",
not atomically, so two concurrent conditional updates of one document can both succeed; and
its SQLite backend fails concurrent writes to one database now and then with SQLITE_BUSY.
When the server is FerretDB the store therefore runs its writes one at a time (per database,
within this process); on MongoDB the server alone guarantees atomicity. With FerretDB, only
one process may write to a database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import pymongo
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import (
    ConfigurationError,
    ConnectionFailure,
    OperationFailure,
    PyMongoError,
)
from pymongo.errors import DuplicateKeyError as MongoDuplicateKeyError

from comun.store.filtros import (
    check_filter,
    check_index_keys,
    check_partial_filter,
    check_sort,
    check_window,
    index_name,
    split_path,
)
from comun.store.port import (
    Document,
    DuplicateKeyError,
    Filter,
    SortSpec,
    StoreUnavailableError,
)

__all__ = ["MongoCollection", "MongoStore", "open_mongo", "public_url"]

logger = logging.getLogger(__name__)

# FerretDB's rule, stricter than MongoDB's: a name valid here is valid on both.
_DATABASE_NAME = re.compile(r"[A-Za-z0-9_-]{1,63}")
_COLLECTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,119}")
_RESERVED_PREFIXES = ("system.", "_ferretdb_")
_DUPLICATE_KEY_CODES = frozenset({11000, 11001, 12582})
_AUTH_CODES = frozenset({13, 18})
_INDEX_CONFLICT_CODES = frozenset({85, 86})
_INDEX_NAME = re.compile(r"index:? '?([^'\s]+)")
# FerretDB's SQLite backend reports a unique-index violation on update (and when building a
# unique index over duplicates) as an InternalError carrying SQLite's message, not code 11000.
_FERRETDB_UNIQUE = "UNIQUE constraint failed"


def public_url(url: str) -> str:
    """Return the scheme and hosts of a MongoDB URL: no credentials, database or options."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "(dirección no válida)"
    authority = rest.partition("?")[0].rpartition("@")[2]
    return f"{scheme}://{authority.partition('/')[0]}"


def _require_id(doc: Document) -> str:
    """Return a document's `_id`, which must be a string."""
    doc_id = doc.get("_id") if isinstance(doc, dict) else None
    if not isinstance(doc_id, str):
        raise ValueError(f"A document needs a string '_id', got {doc_id!r}.")
    return doc_id


def _id_in(value: Any, ids: frozenset[str]) -> bool:
    """Return whether an element's `id` is one of ids."""
    return isinstance(value, str) and value in ids


def _reached(doc: Document | None, segments: Sequence[str]) -> Any:
    """Return the value at a path of plain sub-documents, or None."""
    value: Any = doc
    for segment in segments:
        value = value.get(segment) if isinstance(value, dict) else None
    return value


def _duplicate_key(exc: OperationFailure, collection: str) -> DuplicateKeyError:
    """Return the port's error for a duplicate key, naming the index when the server does."""
    details = exc.details or {}
    pattern = details.get("keyPattern")
    if isinstance(pattern, dict) and pattern:
        index = "_".join(f"{path}_{direction}" for path, direction in pattern.items())
    else:
        found = _INDEX_NAME.search(str(details.get("errmsg", "")))
        index = found.group(1) if found else ""
    where = f" (index {index})" if index else ""
    return DuplicateKeyError(f"Duplicate key in collection {collection!r}{where}.")


class MongoCollection:
    """A collection of one MongoDB database."""

    def __init__(self, store: MongoStore, name: str) -> None:
        self._store = store
        self.name = name

    @property
    def _collection(self) -> AsyncCollection[Document]:
        return self._store._database()[self.name]

    async def insert(self, doc: Document) -> None:
        """Insert a new document; raise DuplicateKeyError on a taken `_id` or unique key."""
        _require_id(doc)
        async with self._store._writing(self.name):
            await self._collection.insert_one(doc)

    async def get(self, doc_id: str) -> Document | None:
        """Return the document with this `_id`, or None."""
        with self._store._translated(self.name):
            return await self._collection.find_one({"_id": doc_id})

    async def find(
        self,
        filter: Filter | None = None,
        *,
        sort: SortSpec = (),
        skip: int = 0,
        limit: int = 0,
    ) -> list[Document]:
        """Return matching documents, sorted, skipped and limited (0 = no limit)."""
        check_window(skip, limit)
        flt = check_filter(filter or {})
        order = list(sort)
        check_sort(order)
        with self._store._translated(self.name):
            cursor = self._collection.find(flt, sort=order or None, skip=skip, limit=limit)
            return await cursor.to_list()

    async def count(self, filter: Filter | None = None) -> int:
        """Count matching documents."""
        flt = check_filter(filter or {})
        with self._store._translated(self.name):
            return await self._collection.count_documents(flt)

    async def update_if_version(
        self,
        doc: Document,
        *,
        expected_version: int,
        push: Mapping[str, Sequence[Any]] | None = None,
    ) -> bool:
        """Replace the document if its stored `version` equals expected_version."""
        doc_id = _require_id(doc)
        new_version = expected_version + 1
        guard = {"_id": doc_id, "version": expected_version}
        async with self._store._writing(self.name):
            if push:
                update = await self._pushing_update(doc, doc_id, expected_version, push)
                if update is None:
                    return False
                result = await self._collection.update_one(guard, update)
            else:
                replacement = {**doc, "version": new_version}
                result = await self._collection.replace_one(guard, replacement)
        if result.matched_count != 1:
            return False
        doc["version"] = new_version
        return True

    async def _pushing_update(
        self,
        doc: Document,
        doc_id: str,
        expected_version: int,
        push: Mapping[str, Sequence[Any]],
    ) -> dict[str, Any] | None:
        """Return the `$set/$unset/$push` update that replaces doc but appends to push's arrays.

        Reading the stored keys first is safe: the update is guarded by the version, so it
        fails if anything but a concurrent `pull` (which never adds or removes keys) ran since.
        """
        stored = await self._collection.find_one({"_id": doc_id})
        if stored is None or stored.get("version") != expected_version:
            return None
        sets = {k: v for k, v in doc.items() if k not in push and k != "_id"}
        sets["version"] = expected_version + 1
        unsets = {k: "" for k in stored if k not in sets and k not in push and k != "_id"}
        pushes: dict[str, Any] = {}
        for field, items in push.items():
            current = stored.get(field)
            if isinstance(current, list) or field not in stored:
                pushes[field] = {"$each": list(items)}
            elif not current:
                # The embedded store treats a null or empty stored value as an empty array.
                sets[field] = list(items)
            else:
                raise ValueError(f"Cannot push to {field!r} of {doc_id!r}: it is not an array.")
        update: dict[str, Any] = {"$set": sets}
        if unsets:
            update["$unset"] = unsets
        if pushes:
            update["$push"] = pushes
        return update

    async def pull(self, doc_id: str, field: str, *, ids: Sequence[str]) -> None:
        """Atomically remove from the array `field` the elements whose `id` is in ids."""
        segments = split_path(field)
        wanted = frozenset(ids)
        # FerretDB 1.24's $pull only removes elements equal to a value (no query conditions
        # such as {id: {$in: ids}}), so this is a compare-and-set on the whole array instead:
        # the guard fails, and the loop reads again, whenever another writer changed it.
        async with self._store._writing(self.name):
            while True:
                array = _reached(await self._collection.find_one({"_id": doc_id}), segments)
                if array is None:
                    return
                if not isinstance(array, list):
                    raise ValueError(
                        f"Cannot pull from {field!r} of {doc_id!r}: it is not an array."
                    )
                kept = [
                    e for e in array if not (isinstance(e, dict) and _id_in(e.get("id"), wanted))
                ]
                if len(kept) == len(array):
                    return
                result = await self._collection.update_one(
                    {"_id": doc_id, field: {"$eq": array}}, {"$set": {field: kept}}
                )
                if result.matched_count == 1:
                    return

    async def delete(self, doc_id: str) -> bool:
        """Delete a document; return whether it existed."""
        async with self._store._writing(self.name):
            result = await self._collection.delete_one({"_id": doc_id})
        return result.deleted_count == 1

    async def create_index(
        self, keys: SortSpec, *, unique: bool = False, partial: Filter | None = None
    ) -> None:
        """Create (idempotently) an index on one or more dotted paths, maybe partial."""
        keys = tuple(keys)
        check_index_keys(keys)
        options: dict[str, Any] = {}
        if partial is not None:
            options["partialFilterExpression"] = check_partial_filter(partial, unique=unique)
        index = index_name(keys, partial)
        async with self._store._writing(self.name):
            if partial is not None and await self._store._is_ferretdb():
                # FerretDB 1.24 has no partial indexes, and it scans the collection for every
                # query but an `_id` lookup anyway (ADR 0007): the index would serve nothing.
                return
            existing = await self._uniqueness(index)
            if existing is None:
                try:
                    await self._collection.create_index(
                        list(keys), name=index, unique=unique, **options
                    )
                    return
                except OperationFailure as exc:
                    if exc.code not in _INDEX_CONFLICT_CODES:
                        raise
                    existing = await self._uniqueness(index)
        if existing is not None and existing != unique:
            shown = f"{self.name}.{index}"
            raise ValueError(f"Index {shown!r} already exists with unique={existing}.")

    async def _uniqueness(self, index: str) -> bool | None:
        """Return whether the named index is unique, or None when it does not exist."""
        info = await self._collection.index_information()
        return bool(info[index].get("unique", False)) if index in info else None


class MongoStore:
    """One service database on a MongoDB server, with its own client."""

    def __init__(
        self, client: AsyncMongoClient[Document], database: str, url: str, timeout_s: float
    ) -> None:
        self.url = url
        self.database_name = database
        self._client: AsyncMongoClient[Document] | None = client
        self._timeout_s = timeout_s
        self._collections: dict[str, MongoCollection] = {}
        self._ferretdb: bool | None = None
        self._write_lock = asyncio.Lock()

    def collection(self, name: str) -> MongoCollection:
        """Return the named collection (created on first use)."""
        if name not in self._collections:
            if not _COLLECTION_NAME.fullmatch(name) or name.startswith(_RESERVED_PREFIXES):
                raise ValueError(
                    f"Invalid collection name {name!r}: use letters, digits, '_', '.' or '-', "
                    "not starting with 'system.' or '_ferretdb_'."
                )
            self._collections[name] = MongoCollection(self, name)
        return self._collections[name]

    async def ping(self) -> None:
        """Raise StoreUnavailableError when the database does not answer within the timeout."""
        database = self._database()
        with self._translated(""), pymongo.timeout(self._timeout_s):
            await database.command("ping")

    async def close(self) -> None:
        """Close the client and its connections (idempotent)."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()

    def _database(self) -> AsyncDatabase[Document]:
        if self._client is None:
            raise StoreUnavailableError(
                f"La conexión con el servidor MongoDB {self.url} ya está cerrada en este "
                "proceso; reinicie el servicio."
            )
        return self._client[self.database_name]

    @contextlib.asynccontextmanager
    async def _writing(self, collection: str) -> AsyncIterator[None]:
        """Translate errors; on FerretDB also write one at a time (see the module doc)."""
        with self._translated(collection):
            if await self._is_ferretdb():
                async with self._write_lock:
                    yield
            else:
                yield

    async def _is_ferretdb(self) -> bool:
        """Return whether the server is FerretDB (asked once per store)."""
        if self._ferretdb is None:
            info = await self._database().command("buildInfo")
            self._ferretdb = "ferretdbVersion" in info
            if self._ferretdb:
                logger.warning(
                    "FerretDB en %s: las escrituras en la base %s van de una en una dentro de "
                    "este proceso porque FerretDB 1.x no hace atómicas las actualizaciones; "
                    "ningún otro proceso debe escribir en ella.",
                    self.url,
                    self.database_name,
                )
        return self._ferretdb

    def _unreachable(self) -> StoreUnavailableError:
        return StoreUnavailableError(
            f"El servidor MongoDB {self.url} no responde (esperamos {self._timeout_s:g} s); "
            "revise que esté en marcha y que CONOCELES_MONGODB_URL apunte a él."
        )

    def _translate(self, exc: PyMongoError, collection: str) -> Exception:
        """Return the port error for a PyMongo error, or the error itself."""
        if isinstance(exc, ConnectionFailure) or exc.timeout:
            return self._unreachable()
        if isinstance(exc, OperationFailure):
            if (
                isinstance(exc, MongoDuplicateKeyError)
                or exc.code in _DUPLICATE_KEY_CODES
                or _FERRETDB_UNIQUE in str(exc)
            ):
                return _duplicate_key(exc, collection)
            if exc.code in _AUTH_CODES:
                return StoreUnavailableError(
                    f"El servidor MongoDB {self.url} rechazó las credenciales o los permisos "
                    f"para la base {self.database_name}; revise el usuario y la contraseña de "
                    "CONOCELES_MONGODB_URL."
                )
        return exc

    @contextlib.contextmanager
    def _translated(self, collection: str) -> Iterator[None]:
        """Turn PyMongo errors raised inside the block into the port's errors."""
        try:
            yield
        except PyMongoError as exc:
            translated = self._translate(exc, collection)
            if translated is exc:
                raise
            raise translated from exc


async def open_mongo(url: str, database: str, *, timeout_s: float = 5.0) -> MongoStore:
    """Return a store on one database of a MongoDB server; connects lazily, never blocks.

    A server that is down is reported by `ping` (and by every call) as StoreUnavailableError,
    so a service that starts before its database becomes ready once the database answers.
    """
    if not _DATABASE_NAME.fullmatch(database) or database.startswith("_ferretdb_"):
        raise ValueError(
            f"Invalid MongoDB database name {database!r}: use 1 to 63 letters, digits, '_' or '-'."
        )
    millis = max(1, int(timeout_s * 1000))
    try:
        client: AsyncMongoClient[Document] = AsyncMongoClient(
            url,
            document_class=dict,
            serverSelectionTimeoutMS=millis,
            connectTimeoutMS=millis,
            appname="conoceles",
        )
    except (ConfigurationError, ValueError, TypeError):
        # The driver's message may quote the URL, credentials included: it is not repeated.
        raise StoreUnavailableError(
            f"La dirección de MongoDB {public_url(url)} no es válida; corrija "
            "CONOCELES_MONGODB_URL (formato: mongodb://usuario:contraseña@servidor:27017)."
        ) from None
    return MongoStore(client, database, public_url(url), timeout_s)


async def borrar_bases(url: str, prefijo: str) -> list[str]:
    """Drop every database whose name starts with `prefijo` (tests and benchmarks clean up)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, serverSelectionTimeoutMS=5_000)
    try:
        nombres = [n for n in await client.list_database_names() if n.startswith(prefijo)]
        for nombre in nombres:
            await client.drop_database(nombre)
        return nombres
    finally:
        await client.close()
