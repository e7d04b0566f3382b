"""The document-store port: small and Mongo-shaped (DESIGN §3)."""

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

Document = dict[str, Any]
Filter = dict[str, Any]
SortSpec = Sequence[tuple[str, int]]


class StoreError(Exception):
    """Base error of the document store."""


class DuplicateKeyError(StoreError):
    """An insert or update violated a unique index (or `_id`)."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached or opened."""


class Collection(Protocol):
    """A collection of JSON documents keyed by `_id` (a string)."""

    async def insert(self, doc: Document) -> None:
        """Insert a new document; raise DuplicateKeyError on a taken `_id` or unique key."""
        ...

    async def get(self, doc_id: str) -> Document | None:
        """Return the document with this `_id`, or None."""
        ...

    async def find(
        self,
        filter: Filter | None = None,
        *,
        sort: SortSpec = (),
        skip: int = 0,
        limit: int = 0,
    ) -> list[Document]:
        """Matching documents; operators $eq $ne $in $nin $gt $gte $lt $lte $exists $and $or."""
        ...

    async def count(self, filter: Filter | None = None) -> int:
        """Count matching documents."""
        ...

    async def update_if_version(
        self,
        doc: Document,
        *,
        expected_version: int,
        push: Mapping[str, Sequence[Any]] | None = None,
    ) -> bool:
        """Replace the document if its stored `version` equals expected_version.

        The stored document gets `version = expected_version + 1` (also set on `doc`).
        Top-level fields named in `push` are not replaced: their items are appended to the
        stored arrays (Mongo's `$push`), so a concurrent `pull` is never undone.
        Return False when the document is missing or its version differs.
        """
        ...

    async def pull(self, doc_id: str, field: str, *, ids: Sequence[str]) -> None:
        """Atomically remove from the array `field` the elements whose `id` is in ids."""
        ...

    async def delete(self, doc_id: str) -> bool:
        """Delete a document; return whether it existed."""
        ...

    async def create_index(
        self, keys: SortSpec, *, unique: bool = False, partial: Filter | None = None
    ) -> None:
        """Create (idempotently) an index on one or more dotted paths.

        With `partial` (MongoDB's partialFilterExpression, limited to `{path: {"$exists":
        True}}` conditions and non-unique indexes) only the matching documents are indexed,
        and only queries that contain that same condition use the index.
        """
        ...


class Store(Protocol):
    """One database: a set of named collections."""

    def collection(self, name: str) -> Collection:
        """Return the named collection (created on first use)."""
        ...

    async def ping(self) -> None:
        """Raise StoreUnavailableError when the database does not answer."""
        ...

    async def close(self) -> None:
        """Release connections and files."""
        ...
