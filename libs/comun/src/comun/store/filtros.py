"""Validation of filters, sorts and paths shared by every document-store adapter.

Each adapter accepts exactly the same queries and rejects the rest with the same ValueError,
so code that runs on the embedded store runs unchanged on MongoDB and the reverse.
"""

import functools
from typing import Any

from comun.store.port import Filter, SortSpec

__all__ = [
    "COMPARISONS",
    "LOGICAL",
    "OPERATORS",
    "SUPPORTED",
    "check_direction",
    "check_filter",
    "check_index_keys",
    "check_operator",
    "check_partial_filter",
    "check_sort",
    "check_value",
    "check_window",
    "index_name",
    "logical_clauses",
    "path_operators",
    "require_filter",
    "split_path",
    "unsupported_top_level",
]

COMPARISONS = frozenset({"$gt", "$gte", "$lt", "$lte"})
OPERATORS = frozenset({"$eq", "$ne", "$in", "$nin", "$exists", *COMPARISONS})
LOGICAL = frozenset({"$and", "$or"})
SUPPORTED = "$eq $ne $in $nin $gt $gte $lt $lte $exists (and $and $or at the top level)"


@functools.lru_cache(maxsize=1024)
def split_path(path: str) -> tuple[str, ...]:
    """Split a dotted path, rejecting segments SQLite JSON paths cannot address."""
    if not isinstance(path, str):
        raise TypeError(f"Field paths must be strings, got {path!r}.")
    segments = tuple(path.split("."))
    for segment in segments:
        if not segment or segment.startswith("$") or '"' in segment or "\0" in segment:
            raise ValueError(
                f"Invalid field path {path!r}: segments must be non-empty, must not start "
                "with '$' and must not contain '\"'."
            )
    return segments


def check_value(value: Any) -> None:
    """Raise ValueError unless a filter value is JSON: None, bool, number, str, dict or list."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return
    raise ValueError(f"Unsupported value in filter: {value!r} ({type(value).__name__}).")


def path_operators(path: str, condition: Any) -> dict[str, Any]:
    """Return a path condition as validated operators (implicit equality becomes $eq)."""
    if not (isinstance(condition, dict) and any(str(k).startswith("$") for k in condition)):
        check_value(condition)
        return {"$eq": condition}
    for op, operand in condition.items():
        check_operator(path, op, operand)
    return dict(condition)


def check_operator(path: str, op: str, operand: Any) -> None:
    """Raise ValueError for unknown operators and operands they cannot take."""
    if not op.startswith("$"):
        raise ValueError(f"Filter on {path!r} mixes operators and field names ({op!r}).")
    if op not in OPERATORS:
        raise ValueError(f"Unsupported query operator {op!r} on {path!r}; use {SUPPORTED}.")
    if op in ("$in", "$nin"):
        if not isinstance(operand, list):
            raise ValueError(f"{op} on {path!r} needs a list, got {operand!r}.")
        for item in operand:
            check_value(item)
    elif op == "$exists":
        if not isinstance(operand, bool):
            raise ValueError(f"$exists on {path!r} needs True or False, got {operand!r}.")
    else:
        check_value(operand)
        if op in COMPARISONS and isinstance(operand, dict | list):
            raise ValueError(f"{op} on {path!r} compares only numbers, strings, booleans or None.")


def require_filter(flt: Any) -> Filter:
    """Return flt if it is a filter (a dict), else raise ValueError."""
    if not isinstance(flt, dict):
        raise ValueError(f"A filter must be a dict, got {flt!r}.")
    return flt


def logical_clauses(key: str, condition: Any) -> list[Any]:
    """Return the sub-filters of $and / $or, which must be a non-empty list."""
    if not isinstance(condition, list) or not condition:
        raise ValueError(f"{key} needs a non-empty list of filters.")
    return condition


def unsupported_top_level(key: str) -> ValueError:
    """Return the error for a top-level operator other than $and / $or."""
    return ValueError(f"Unsupported top-level operator {key!r}; use {SUPPORTED}.")


def check_filter(flt: Any) -> Filter:
    """Validate a whole filter the way the embedded store compiles it; return it."""
    checked = require_filter(flt)
    for key, condition in checked.items():
        if key in LOGICAL:
            for sub in logical_clauses(key, condition):
                check_filter(sub)
        elif key.startswith("$"):
            raise unsupported_top_level(key)
        else:
            split_path(key)
            path_operators(key, condition)
    return checked


def check_direction(path: str, direction: Any) -> None:
    """Raise ValueError unless a sort or index direction is 1 or -1."""
    if isinstance(direction, bool) or direction not in (1, -1):
        raise ValueError(f"Direction of {path!r} must be 1 or -1, got {direction!r}.")


def check_sort(sort: SortSpec) -> None:
    """Validate the (path, direction) pairs of a sort."""
    for path, direction in sort:
        check_direction(path, direction)
        split_path(path)


def check_index_keys(keys: SortSpec) -> None:
    """Validate the (path, direction) keys of an index: at least one, each well formed."""
    if not keys:
        raise ValueError("An index needs at least one (path, direction) key.")
    for path, direction in keys:
        check_direction(path, direction)
    for path, _ in keys:
        split_path(path)


def check_partial_filter(partial: Any, *, unique: bool) -> Filter:
    """Validate the condition of a partial index: `{path: {"$exists": True}, ...}`; return it."""
    checked = require_filter(partial)
    if not checked:
        raise ValueError("A partial index needs at least one {path: {'$exists': True}} condition.")
    if unique:
        # FerretDB has no partial indexes: it could not enforce such a uniqueness.
        raise ValueError("A partial index cannot be unique.")
    for path, condition in checked.items():
        if not (isinstance(condition, dict) and condition.keys() == {"$exists"}) or (
            condition["$exists"] is not True
        ):
            raise ValueError(
                f"A partial index admits only {{path: {{'$exists': True}}}} conditions; "
                f"got {path!r}: {condition!r}."
            )
        split_path(path)
    return checked


def index_name(keys: SortSpec, partial: Filter | None = None) -> str:
    """Return an index's name: its paths and directions, then the paths a partial one requires."""
    name = "_".join(f"{path}_{direction}" for path, direction in keys)
    return name + "".join(f"_where_{path}" for path in partial or {})


def check_window(skip: int, limit: int) -> None:
    """Raise ValueError for a negative skip or limit."""
    if skip < 0 or limit < 0:
        raise ValueError(f"skip and limit must be >= 0, got skip={skip}, limit={limit}.")
