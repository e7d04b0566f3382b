"""Document-store port and its adapters."""

from comun.store.port import (
    Collection,
    Document,
    DuplicateKeyError,
    Filter,
    SortSpec,
    Store,
    StoreError,
    StoreUnavailableError,
)

__all__ = [
    "Collection",
    "Document",
    "DuplicateKeyError",
    "Filter",
    "SortSpec",
    "Store",
    "StoreError",
    "StoreUnavailableError",
]
