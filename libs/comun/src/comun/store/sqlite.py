"""Embedded document store: one SQLite file per service database, Mongo query semantics.

Each collection is a table `(_id TEXT PRIMARY KEY, doc TEXT)` holding JSON. Filters compile to
SQL over two expressions per path: a type *bracket* (Mongo's type ordering) and the value, so
that equality, ranges and sorts never match across types and can use expression indexes.

Mongo traverses arrays implicitly (`{"tags": "x"}` matches `tags: ["x", "y"]`), which a plain
`json_extract` cannot express. The store therefore records, per collection, every path where a
written document ever held an array; predicates on those paths are evaluated by the Python
matcher below (registered as the SQL function `mongo_match`), all others in pure SQL, as is
the hot `{"<array>.<i>": {"$exists": …}}` test of an array's length.

All blocking work runs on one dedicated thread per database, which serializes writes (making
read-modify-write operations such as `pull` atomic) and keeps the event loop free. The file is
opened in SQLite's exclusive locking mode: one Conóceles process owns it at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import operator
import os
import pathlib
import queue
import re
import sqlite3
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from comun.store.filtros import (
    LOGICAL,
    logical_clauses,
    require_filter,
    unsupported_top_level,
)
from comun.store.filtros import check_direction as _check_direction
from comun.store.filtros import check_partial_filter as _check_partial_filter
from comun.store.filtros import check_window as _check_window
from comun.store.filtros import index_name as _index_name
from comun.store.filtros import path_operators as _operators
from comun.store.filtros import split_path as _split_path
from comun.store.port import (
    Document,
    DuplicateKeyError,
    Filter,
    SortSpec,
    StoreUnavailableError,
)

__all__ = ["SqliteCollection", "SqliteStore", "open_sqlite"]

P = ParamSpec("P")
T = TypeVar("T")

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_COLLECTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,119}")
_RESERVED_PREFIXES = ("__store", "sqlite_")
_COMPARISONS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "$gt": (">", operator.gt),
    "$gte": (">=", operator.ge),
    "$lt": ("<", operator.lt),
    "$lte": ("<=", operator.le),
}

# Mongo's sort order of types; an empty array sorts before null (EMPTY_ARRAY).
EMPTY_ARRAY, NULL, NUMBER, STRING, OBJECT, ARRAY, BOOLEAN = -1, 0, 1, 2, 3, 4, 5


class _Missing:
    """The value of a path that a document does not have."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING = _Missing()
_EMPTY = _Missing()


# ---------------------------------------------------------------- Spanish error messages


_LOCKED = (
    "está bloqueado por otro proceso; detenga la otra instancia de Conóceles que lo usa y "
    "vuelva a intentarlo."
)
_DAMAGED = (
    "está dañado o no es una base SQLite; restáurelo desde el respaldo o muévalo a otro lugar "
    "para empezar de cero."
)
_MESSAGES = {
    sqlite3.SQLITE_BUSY: _LOCKED,
    sqlite3.SQLITE_LOCKED: _LOCKED,
    sqlite3.SQLITE_CORRUPT: _DAMAGED,
    sqlite3.SQLITE_NOTADB: _DAMAGED,
    sqlite3.SQLITE_CANTOPEN: "no se puede abrir; revise que la carpeta exista y que Conóceles "
    "tenga permiso para escribir en ella.",
    sqlite3.SQLITE_READONLY: "es de solo lectura; dé permiso de escritura a Conóceles sobre el "
    "archivo y su carpeta.",
    sqlite3.SQLITE_FULL: "no se puede ampliar porque el disco está lleno; libere espacio y "
    "vuelva a intentarlo.",
    sqlite3.SQLITE_IOERR: "no se pudo leer o escribir; revise el disco y vuelva a intentarlo.",
}


def _unavailable(path: pathlib.Path, code: int) -> StoreUnavailableError:
    """Return the one-sentence Spanish error for an SQLite primary result code in _MESSAGES."""
    return StoreUnavailableError(f"El archivo de datos {path} {_MESSAGES[code]}")


def _closed_error(path: pathlib.Path) -> StoreUnavailableError:
    """Return the error for a call on a closed store."""
    return StoreUnavailableError(
        f"El archivo de datos {path} ya está cerrado en este proceso; reinicie el servicio."
    )


# ---------------------------------------------------------------- paths and SQL expressions


def _literal(text: str) -> str:
    """Quote text as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    """Quote a name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _json_path(segments: Sequence[str]) -> str:
    """Return the SQLite JSON path (`$."a"."b"`) of dotted-path segments."""
    return "$" + "".join(f'."{segment}"' for segment in segments)


@dataclass(frozen=True)
class _Field:
    """SQL expressions for one path: its type bracket, its value and its existence."""

    bracket: str
    value: str
    exists: str

    def order(self, direction: int) -> str:
        """Return ORDER BY terms (also used verbatim as index columns)."""
        keyword = "ASC" if direction == 1 else "DESC"
        if self is _ID_FIELD:
            return f"_id {keyword}"
        return f"{self.bracket} {keyword}, {self.value} {keyword}"


_ID_FIELD = _Field(bracket=str(STRING), value="_id", exists="1")


@functools.lru_cache(maxsize=1024)
def _field(segments: tuple[str, ...]) -> _Field:
    """Return the SQL expressions of a path; queries and indexes must share them verbatim."""
    if segments == ("_id",):
        return _ID_FIELD
    path = _literal(_json_path(segments))
    bracket = (
        f"CASE json_type(doc, {path}) WHEN 'integer' THEN {NUMBER} WHEN 'real' THEN {NUMBER} "
        f"WHEN 'text' THEN {STRING} WHEN 'object' THEN {OBJECT} WHEN 'array' THEN {ARRAY} "
        f"WHEN 'true' THEN {BOOLEAN} WHEN 'false' THEN {BOOLEAN} ELSE {NULL} END"
    )
    # coalesce: null and missing become one non-NULL key, so a unique index admits only one
    # document without the field (Mongo's rule); SQLite would treat every NULL as distinct.
    value = f"coalesce(json_extract(doc, {path}), 0)"
    return _Field(bracket=bracket, value=value, exists=f"(json_type(doc, {path}) IS NOT NULL)")


def _bracket(value: Any) -> int:
    """Return Mongo's type bracket of a Python JSON value."""
    if value is None or value is _MISSING:
        return NULL
    if value is _EMPTY:
        return EMPTY_ARRAY
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, dict):
        return OBJECT
    if isinstance(value, list):
        return ARRAY
    raise ValueError(f"Unsupported value in filter: {value!r} ({type(value).__name__}).")


def _sql_operand(value: Any) -> tuple[int, Any]:
    """Return the bracket and SQL parameter that a stored value must equal."""
    bracket = _bracket(value)
    if bracket in (OBJECT, ARRAY):
        return bracket, _ENCODER.encode(value)
    if bracket == BOOLEAN:
        return bracket, int(value)
    return bracket, value


# ---------------------------------------------------------------- Mongo semantics in Python


def _values(value: Any, segments: Sequence[str], *, whole: bool) -> list[Any]:
    """Return the values a path reaches, traversing arrays the way Mongo does.

    With `whole`, a leaf array yields itself and its elements (matching); without, only its
    elements, or EMPTY for an empty array (sorting).
    """
    if not segments:
        if isinstance(value, list):
            return [value, *value] if whole else (list(value) or [_EMPTY])
        return [value]
    head, rest = segments[0], segments[1:]
    if isinstance(value, dict):
        return _values(value.get(head, _MISSING), rest, whole=whole)
    if not isinstance(value, list):
        return [_MISSING]
    found: list[Any] = []
    if _is_index(head) and int(head) < len(value):
        found += _values(value[int(head)], rest, whole=whole)
    for element in value:
        if isinstance(element, dict):
            found += _values(element.get(head, _MISSING), rest, whole=whole)
    return found


def _is_index(segment: str) -> bool:
    """Return whether a path segment can address an array element (canonical digits)."""
    return segment.isascii() and segment.isdigit() and str(int(segment)) == segment


def _equal(stored: Any, wanted: Any) -> bool:
    """Compare like Mongo: same type bracket, numbers by value, sub-documents in order."""
    if stored is _MISSING:
        return wanted is None
    bracket = _bracket(stored)
    if bracket != _bracket(wanted):
        return False
    if bracket == OBJECT:
        return list(stored) == list(wanted) and all(_equal(stored[k], wanted[k]) for k in stored)
    if bracket == ARRAY:
        return len(stored) == len(wanted) and all(map(_equal, stored, wanted))
    return bool(stored == wanted)


def _satisfies(candidates: list[Any], op: str, operand: Any) -> bool:
    """Return whether the values reached by a path satisfy one operator."""
    if op == "$eq":
        return any(_equal(c, operand) for c in candidates)
    if op == "$ne":
        return not _satisfies(candidates, "$eq", operand)
    if op == "$in":
        return any(_equal(c, x) for c in candidates for x in operand)
    if op == "$nin":
        return not _satisfies(candidates, "$in", operand)
    if op == "$exists":
        return any(c is not _MISSING for c in candidates) is operand
    if operand is None:
        return op in ("$gte", "$lte") and _satisfies(candidates, "$eq", None)
    bracket, compare = _bracket(operand), _COMPARISONS[op][1]
    return any(_bracket(c) == bracket and compare(c, operand) for c in candidates)


@functools.lru_cache(maxsize=256)
def _load_spec(spec: str) -> tuple[list[str], dict[str, Any]]:
    """Decode (and cache) the path rest and operators passed to `mongo_match`."""
    rest, operators = json.loads(spec)
    return rest, operators


def _mongo_match(value: str | None, spec: str) -> int:
    """SQL function: does a top-level field's JSON satisfy a path condition?"""
    rest, operators = _load_spec(spec)
    reached = _values(_MISSING if value is None else json.loads(value), rest, whole=True)
    return int(all(_satisfies(reached, op, operand) for op, operand in operators.items()))


def _sort_key(doc: Document, segments: Sequence[str], descending: bool) -> tuple[int, Any]:
    """Return Mongo's sort key: the smallest (ascending) or largest (descending) value."""
    keys = [_order_key(v) for v in _values(doc, segments, whole=False)] or [(NULL, 0)]
    return max(keys) if descending else min(keys)


def _order_key(value: Any) -> tuple[int, Any]:
    """Return a key that orders values by bracket, then within it."""
    bracket = _bracket(value)
    if bracket in (NULL, EMPTY_ARRAY):
        return bracket, 0
    if bracket in (OBJECT, ARRAY):
        return bracket, _ENCODER.encode(value)
    return bracket, value


def _sort_documents(docs: list[Document], sort: SortSpec) -> None:
    """Sort documents in place by several keys (stable sorts, last key first)."""
    for path, direction in reversed(sort):
        segments, descending = _split_path(path), direction == -1
        docs.sort(key=lambda d: _sort_key(d, segments, descending), reverse=descending)


def _array_paths(doc: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Return the dotted paths where a document holds arrays (not looking inside them)."""
    found: set[str] = set()
    for key, value in doc.items():
        if isinstance(value, list):
            found.add(prefix + key)
        elif isinstance(value, dict):
            found |= _array_paths(value, f"{prefix}{key}.")
    return found


# ---------------------------------------------------------------- filter compilation


class _Query:
    """Compiles a filter and a sort into SQL for one collection."""

    def __init__(self, arrays: set[str]) -> None:
        self.params: list[Any] = []
        # Whether the SQL may serve as a partial index's condition (no Python, no subquery).
        self.indexable = True
        self._arrays = arrays
        self._fixed: set[tuple[str, ...]] = set()

    def where(self, flt: Filter, *, top: bool = True) -> str:
        """Return the WHERE expression of a filter."""
        clauses = [
            self._entry(key, condition, top) for key, condition in require_filter(flt).items()
        ]
        return " AND ".join(clauses) or "1"

    def order_by(self, sort: SortSpec) -> str | None:
        """Return an ORDER BY clause, or None when some key needs Mongo's array ordering."""
        terms = []
        for path, direction in sort:
            _check_direction(path, direction)
            segments = _split_path(path)
            if self._through_array(segments):
                return None
            if segments in self._fixed:
                # Constant under the filter's equality; left in, it makes SQLite sort again
                # instead of reading an expression index in order.
                continue
            terms.append(_field(segments).order(direction))
        return f" ORDER BY {', '.join(terms)}" if terms else ""

    def _entry(self, key: str, condition: Any, top: bool) -> str:
        if key in LOGICAL:
            subs = logical_clauses(key, condition)
            joiner = " AND " if key == "$and" else " OR "
            return "(" + joiner.join(f"({self.where(sub, top=False)})" for sub in subs) + ")"
        if key.startswith("$"):
            raise unsupported_top_level(key)
        segments = _split_path(key)
        operators = _operators(key, condition)
        array_index_exists = self._array_index_exists(segments, operators)
        if array_index_exists:
            return array_index_exists
        if self._through_array(segments):
            return self._in_python(segments, operators)
        if top and "$eq" in operators:
            self._fixed.add(segments)
        field = _field(segments)
        return " AND ".join(self._leaf(field, op, operand) for op, operand in operators.items())

    def _through_array(self, segments: Sequence[str]) -> bool:
        return any(".".join(segments[:n]) in self._arrays for n in range(1, len(segments) + 1))

    def _in_python(self, segments: tuple[str, ...], operators: dict[str, Any]) -> str:
        self.indexable = False
        self.params.append(_ENCODER.encode([segments[1:], operators]))
        return f"mongo_match(doc -> {_literal(_json_path(segments[:1]))}, ?)"

    def _array_index_exists(self, segments: tuple[str, ...], operators: dict[str, Any]) -> str:
        """Return SQL for `{"<array>.<i>": {"$exists": …}}`, or "" for other conditions."""
        # Mongo's idiom for "the array has more than i elements", which the outbox relay's
        # full scan runs. The SQL is the same whether or not the path ever held an array
        # (it is right either way), so that a partial index built on it before the first
        # array was written still matches the queries verbatim, as SQLite requires.
        *array, index = segments
        if list(operators) != ["$exists"] or not array or not _is_index(index):
            return ""
        if self._through_array(array[:-1]):
            return ""
        path = _json_path(array)
        tests = [
            f"json_type(doc, {_literal(f'{path}[{index}]')}) IS NOT NULL",
            f"json_type(doc, {_literal(_json_path(segments))}) IS NOT NULL",
        ]
        if index != "0":  # element 0 exists whenever any element does
            self.indexable = False  # SQLite refuses subqueries in an index
            tests.append(
                f"(json_type(doc, {_literal(path)}) = 'array' AND EXISTS (SELECT 1 FROM "  # noqa: S608
                f"json_each(doc, {_literal(path)}) WHERE type = 'object' "
                f"AND json_type(value, {_literal(_json_path([index]))}) IS NOT NULL))"
            )
        clause = "(" + " OR ".join(tests) + ")"
        return clause if operators["$exists"] else f"NOT {clause}"

    def _leaf(self, field: _Field, op: str, operand: Any) -> str:
        if op == "$eq":
            return self._eq(field, operand)
        if op == "$ne":
            return f"NOT {self._eq(field, operand)}"
        if op == "$in":
            return self._in(field, operand)
        if op == "$nin":
            return f"NOT {self._in(field, operand)}"
        if op == "$exists":
            return field.exists if operand else f"NOT {field.exists}"
        return self._compare(field, _COMPARISONS[op][0], operand, inclusive=op.endswith("e"))

    def _eq(self, field: _Field, operand: Any) -> str:
        if operand is None:
            return f"({field.bracket} = {NULL})"
        bracket, param = _sql_operand(operand)
        self.params.append(param)
        return f"({field.bracket} = {bracket} AND {field.value} = ?)"

    def _in(self, field: _Field, operands: list[Any]) -> str:
        groups: dict[int, list[Any]] = {}
        for operand in operands:
            bracket, param = (NULL, None) if operand is None else _sql_operand(operand)
            groups.setdefault(bracket, []).append(param)
        clauses = []
        for bracket, params in groups.items():
            if bracket == NULL:
                clauses.append(f"{field.bracket} = {NULL}")
                continue
            self.params.extend(params)
            marks = ", ".join("?" * len(params))
            clauses.append(f"({field.bracket} = {bracket} AND {field.value} IN ({marks}))")
        return "(" + (" OR ".join(clauses) or "0") + ")"

    def _compare(self, field: _Field, sql_op: str, operand: Any, *, inclusive: bool) -> str:
        if operand is None:
            return f"({field.bracket} = {NULL})" if inclusive else "0"
        bracket, param = _sql_operand(operand)
        self.params.append(param)
        return f"({field.bracket} = {bracket} AND {field.value} {sql_op} ?)"


# ---------------------------------------------------------------- the worker thread


_Job = tuple[
    Callable[..., Any],
    tuple[Any, ...],
    dict[str, Any],
    "asyncio.Future[Any]",
    asyncio.AbstractEventLoop,
]


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    """Resolve a future on its loop unless its awaiter gave up."""
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


class _Worker:
    """A dedicated thread that runs one database's blocking calls in order."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run fn on the worker thread and return its result."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((fn, args, kwargs, future, loop))
        return await future

    def stop(self) -> None:
        """Let the thread finish once the queued calls are done."""
        self._jobs.put(None)

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, args, kwargs, future, loop = job
            result, error = None, None
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                error = exc
            # A closed loop means the awaiter is gone: nobody is left to tell.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, result, error)


# ---------------------------------------------------------------- blocking side


@dataclass(frozen=True)
class _TableSql:
    """The fixed statements of one collection's table."""

    table: str
    insert: str
    get: str
    replace: str
    replace_if_version: str
    delete: str

    @classmethod
    def of(cls, name: str) -> _TableSql:
        """Build the statements; the name is validated and quoted, values are parameters."""
        t = _identifier(name)
        version = _literal(_json_path(["version"]))
        return cls(
            table=t,
            insert=f"INSERT INTO {t} (_id, doc) VALUES (?, ?)",  # noqa: S608
            get=f"SELECT doc FROM {t} WHERE _id = ?",  # noqa: S608
            replace=f"UPDATE {t} SET doc = ? WHERE _id = ?",  # noqa: S608
            replace_if_version=(
                f"UPDATE {t} SET doc = ? WHERE _id = ? "  # noqa: S608
                f"AND json_type(doc, {version}) IN ('integer', 'real') "
                f"AND json_extract(doc, {version}) = ?"
            ),
            delete=f"DELETE FROM {t} WHERE _id = ?",  # noqa: S608
        )

    def select(self, what: str, where: str, order: str = "") -> str:
        """Return a SELECT over compiled (parameterized) WHERE and ORDER BY clauses."""
        return f"SELECT {what} FROM {self.table} WHERE {where}{order}"  # noqa: S608


class _Database:
    """One SQLite connection and the per-collection state; used only on the worker thread."""

    def __init__(self, path: pathlib.Path, busy_timeout: float, verify: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Owner-only from birth; SQLite gives its -wal and -shm files the same mode.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, cached_statements=512
        )
        try:
            self._arrays = _prepare(conn)
            if verify and conn.execute("PRAGMA quick_check(1)").fetchall() != [("ok",)]:
                raise _unavailable(path, sqlite3.SQLITE_CORRUPT)
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            existing = {name for (name,) in rows}
        except BaseException:
            conn.close()
            raise
        conn.create_function("mongo_match", 2, _mongo_match, deterministic=True)
        self._conn = conn
        self._tables = {name: _TableSql.of(name) for name in existing}

    def insert(self, name: str, doc_id: str, text: str, arrays: set[str]) -> None:
        """Insert a serialized document."""
        sql = self._sql(name)
        self._remember(name, arrays)
        self._conn.execute(sql.insert, (doc_id, text))

    def get(self, name: str, doc_id: str) -> Document | None:
        """Return one document by `_id`."""
        row = self._conn.execute(self._sql(name).get, (doc_id,)).fetchone()
        return None if row is None else _decode(row[0])

    def find(self, name: str, flt: Filter, sort: SortSpec, skip: int, limit: int) -> list[Document]:
        """Return matching documents, sorted and sliced."""
        sql, query = self._sql(name), self._query(name)
        where, order = query.where(flt), query.order_by(sort)
        if order is None:
            rows = self._conn.execute(sql.select("doc", where), query.params)
            docs = [_decode(text) for (text,) in rows]
            _sort_documents(docs, sort)
            return docs[skip : skip + limit if limit else None]
        statement = sql.select("doc", where, f"{order} LIMIT ? OFFSET ?")
        rows = self._conn.execute(statement, [*query.params, limit or -1, skip])
        return [_decode(text) for (text,) in rows]

    def count(self, name: str, flt: Filter) -> int:
        """Count matching documents."""
        sql, query = self._sql(name), self._query(name)
        statement = sql.select("count(*)", query.where(flt))
        return int(self._conn.execute(statement, query.params).fetchone()[0])

    def explain(self, name: str, flt: Filter, sort: SortSpec) -> list[str]:
        """Return SQLite's query plan for a find."""
        sql, query = self._sql(name), self._query(name)
        where, order = query.where(flt), query.order_by(sort)
        statement = "EXPLAIN QUERY PLAN " + sql.select("doc", where, order or "")
        return [str(row[3]) for row in self._conn.execute(statement, query.params)]

    def replace_if_version(
        self, name: str, doc_id: str, text: str, arrays: set[str], expected: int
    ) -> bool:
        """Replace a document whose stored `version` equals expected."""
        sql = self._sql(name)
        self._remember(name, arrays)
        cursor = self._conn.execute(sql.replace_if_version, (text, doc_id, expected))
        return cursor.rowcount == 1

    def replace_pushing(
        self, name: str, doc: Document, expected: int, push: dict[str, list[Any]]
    ) -> bool:
        """Replace a document at the expected version, appending to its stored arrays."""
        stored = self.get(name, doc["_id"])
        if stored is None or stored.get("version") != expected:
            return False
        for field, items in push.items():
            current = stored.get(field) or []
            if not isinstance(current, list):
                raise ValueError(f"Cannot push to {field!r} of {doc['_id']!r}: it is not an array.")
            doc[field] = [*current, *items]
        doc_id, text, arrays = _encode(doc)
        return self.replace_if_version(name, doc_id, text, arrays, expected)

    def pull(self, name: str, doc_id: str, field: str, ids: frozenset[str]) -> None:
        """Remove from an array the elements whose `id` is in ids."""
        doc = self.get(name, doc_id)
        *parents, last = _split_path(field)
        parent: Any = doc
        for segment in parents:
            parent = parent.get(segment) if isinstance(parent, dict) else None
        array = parent.get(last) if isinstance(parent, dict) else None
        if array is None:
            return
        if not isinstance(array, list):
            raise ValueError(f"Cannot pull from {field!r} of {doc_id!r}: it is not an array.")
        kept = [e for e in array if not (isinstance(e, dict) and _id_in(e.get("id"), ids))]
        if len(kept) < len(array):
            parent[last] = kept
            self._conn.execute(self._sql(name).replace, (_ENCODER.encode(doc), doc_id))

    def delete(self, name: str, doc_id: str) -> bool:
        """Delete a document by `_id`."""
        return self._conn.execute(self._sql(name).delete, (doc_id,)).rowcount == 1

    def create_index(self, name: str, keys: SortSpec, unique: bool, partial: Filter | None) -> None:
        """Create an expression index over the bracket and value of each path."""
        sql = self._sql(name)
        if not keys:
            raise ValueError("An index needs at least one (path, direction) key.")
        for path, direction in keys:
            _check_direction(path, direction)
        if partial is not None:
            _check_partial_filter(partial, unique=unique)
        index = f"{name}.{_index_name(keys, partial)}"
        existing = self._index_uniqueness(name, index)
        if existing is not None and existing != unique:
            raise ValueError(f"Index {index!r} already exists with unique={existing}.")
        columns = ", ".join(_field(_split_path(path)).order(d) for path, d in keys)
        kind = "UNIQUE INDEX" if unique else "INDEX"
        where = ""
        if partial is not None:
            # Compiled like a query's filter: SQLite uses a partial index only for queries
            # that contain its condition verbatim.
            query = self._query(name)
            where = f" WHERE {query.where(partial)}"
            if not query.indexable:
                raise ValueError(
                    f"The embedded store cannot index the condition {partial!r}: of an "
                    "array it indexes only `<array>.0`, not later elements or paths inside."
                )
        self._conn.execute(
            f"CREATE {kind} IF NOT EXISTS {_identifier(index)} ON {sql.table} ({columns}){where}"
        )

    def ping(self) -> None:
        """Read the schema to prove the file answers."""
        self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()

    def close(self) -> None:
        """Close the connection, releasing the file and its lock."""
        self._conn.close()

    def _sql(self, name: str) -> _TableSql:
        sql = self._tables.get(name)
        if sql is None:
            sql = _TableSql.of(name)
            columns = "_id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL"
            self._conn.execute(f"CREATE TABLE IF NOT EXISTS {sql.table} ({columns})")
            self._tables[name] = sql
        return sql

    def _query(self, name: str) -> _Query:
        return _Query(self._arrays.setdefault(name, set()))

    def _remember(self, name: str, arrays: set[str]) -> None:
        # Recording before the write is safe: an extra path only slows queries, never
        # changes their results, while a missing one would.
        known = self._arrays.setdefault(name, set())
        fresh = arrays - known
        if fresh:
            self._conn.executemany(
                "INSERT OR IGNORE INTO __store_arrays (collection, path) VALUES (?, ?)",
                [(name, path) for path in sorted(fresh)],
            )
            known |= fresh

    def _index_uniqueness(self, name: str, index: str) -> bool | None:
        for row in self._conn.execute(f"PRAGMA index_list({_identifier(name)})"):
            if row[1] == index:
                return bool(row[2])
        return None


def _prepare(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Configure a new connection, take the file's lock and load the array registry."""
    # Exclusive locking mode: the lock taken below is kept until close, so a second
    # Conóceles process fails at open instead of corrupting the array registry later.
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -32768")
    conn.execute("PRAGMA journal_size_limit = 67108864")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS __store_arrays (collection TEXT NOT NULL, "
        "path TEXT NOT NULL, PRIMARY KEY (collection, path)) WITHOUT ROWID"
    )
    conn.execute("COMMIT")
    arrays: dict[str, set[str]] = {}
    for collection, path in conn.execute("SELECT collection, path FROM __store_arrays"):
        arrays.setdefault(collection, set()).add(path)
    return arrays


def _id_in(value: Any, ids: frozenset[str]) -> bool:
    """Return whether an element's `id` is one of ids."""
    return isinstance(value, str) and value in ids


def _decode(text: str) -> Document:
    """Parse a stored document."""
    doc: Document = json.loads(text)
    return doc


def _encode(doc: Document) -> tuple[str, str, set[str]]:
    """Return a document's `_id`, its JSON text and its array paths."""
    doc_id = doc.get("_id") if isinstance(doc, dict) else None
    if not isinstance(doc_id, str):
        raise ValueError(f"A document needs a string '_id', got {doc_id!r}.")
    return doc_id, _ENCODER.encode(doc), _array_paths(doc)


# ---------------------------------------------------------------- async side


class SqliteCollection:
    """A collection stored as one SQLite table of JSON documents."""

    def __init__(self, store: SqliteStore, name: str) -> None:
        self._store = store
        self.name = name

    async def insert(self, doc: Document) -> None:
        """Insert a new document; raise DuplicateKeyError on a taken `_id` or unique key."""
        doc_id, text, arrays = _encode(doc)
        await self._store._call(self.name, _Database.insert, self.name, doc_id, text, arrays)

    async def get(self, doc_id: str) -> Document | None:
        """Return the document with this `_id`, or None."""
        return await self._store._call(self.name, _Database.get, self.name, doc_id)

    async def find(
        self,
        filter: Filter | None = None,
        *,
        sort: SortSpec = (),
        skip: int = 0,
        limit: int = 0,
    ) -> list[Document]:
        """Return matching documents, sorted, skipped and limited (0 = no limit)."""
        _check_window(skip, limit)
        return await self._store._call(
            self.name, _Database.find, self.name, filter or {}, tuple(sort), skip, limit
        )

    async def count(self, filter: Filter | None = None) -> int:
        """Count matching documents."""
        return await self._store._call(self.name, _Database.count, self.name, filter or {})

    async def update_if_version(
        self,
        doc: Document,
        *,
        expected_version: int,
        push: Mapping[str, Sequence[Any]] | None = None,
    ) -> bool:
        """Replace the document if its stored `version` equals expected_version."""
        new_version = expected_version + 1
        if push:
            nuevo = {k: v for k, v in doc.items() if k not in push} | {"version": new_version}
            replaced = await self._store._call(
                self.name,
                _Database.replace_pushing,
                self.name,
                nuevo,
                expected_version,
                {field: list(items) for field, items in push.items()},
            )
            if replaced:
                doc["version"] = new_version
            return bool(replaced)
        doc_id, text, arrays = _encode({**doc, "version": new_version})
        replaced = await self._store._call(
            self.name,
            _Database.replace_if_version,
            self.name,
            doc_id,
            text,
            arrays,
            expected_version,
        )
        if replaced:
            doc["version"] = new_version
        return replaced

    async def pull(self, doc_id: str, field: str, *, ids: Sequence[str]) -> None:
        """Atomically remove from the array `field` the elements whose `id` is in ids."""
        wanted = frozenset(ids)
        await self._store._call(self.name, _Database.pull, self.name, doc_id, field, wanted)

    async def delete(self, doc_id: str) -> bool:
        """Delete a document; return whether it existed."""
        return await self._store._call(self.name, _Database.delete, self.name, doc_id)

    async def create_index(
        self, keys: SortSpec, *, unique: bool = False, partial: Filter | None = None
    ) -> None:
        """Create (idempotently) an index on one or more dotted paths, maybe partial."""
        keys = tuple(keys)
        await self._store._call(self.name, _Database.create_index, self.name, keys, unique, partial)

    async def explain(self, filter: Filter | None = None, *, sort: SortSpec = ()) -> list[str]:
        """Return SQLite's query plan for a find (to check index use)."""
        return await self._store._call(
            self.name, _Database.explain, self.name, filter or {}, tuple(sort)
        )


class SqliteStore:
    """One service database in one SQLite file."""

    def __init__(self, path: pathlib.Path, worker: _Worker, database: _Database) -> None:
        self.path = path
        self._worker = worker
        self._database: _Database | None = database
        self._collections: dict[str, SqliteCollection] = {}
        weakref.finalize(self, worker.stop)

    def collection(self, name: str) -> SqliteCollection:
        """Return the named collection (created on first use)."""
        if name not in self._collections:
            if not _COLLECTION_NAME.fullmatch(name) or name.startswith(_RESERVED_PREFIXES):
                raise ValueError(
                    f"Invalid collection name {name!r}: use letters, digits, '_', '.' or '-', "
                    "not starting with '__store' or 'sqlite_'."
                )
            self._collections[name] = SqliteCollection(self, name)
        return self._collections[name]

    async def ping(self) -> None:
        """Raise StoreUnavailableError when the database does not answer."""
        await self._call("", _Database.ping)

    async def close(self) -> None:
        """Release the connection, the file and its lock (idempotent)."""
        if self._database is None:
            return
        try:
            await self._worker.run(self._database.close)
        finally:
            self._database = None
            self._worker.stop()

    async def _call(
        self,
        collection: str,
        method: Callable[..., T],
        *args: Any,
    ) -> T:
        """Run a _Database method on the worker, translating SQLite errors."""
        if self._database is None:
            raise _closed_error(self.path)
        try:
            return await self._worker.run(method, self._database, *args)
        except sqlite3.IntegrityError as exc:
            raise DuplicateKeyError(f"Duplicate key in collection {collection!r}: {exc}") from exc
        except sqlite3.Error as exc:
            unavailable = _translated(self.path, exc)
            if unavailable is None:
                raise
            raise unavailable from exc


def _translated(path: pathlib.Path, exc: sqlite3.Error | OSError) -> StoreUnavailableError | None:
    """Return the StoreUnavailableError for an SQLite or OS error about the file, if it is one."""
    if isinstance(exc, OSError):
        return _unavailable(path, sqlite3.SQLITE_CANTOPEN)
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return _unavailable(path, code) if code in _MESSAGES else None


async def open_sqlite(
    path: pathlib.Path, *, busy_timeout: float = 5.0, verify: bool = True
) -> SqliteStore:
    """Open (creating if needed) the SQLite file of one service database.

    busy_timeout is how long to wait for another process to release the file; verify runs
    SQLite's quick_check (about 1 s per GB) so that damage is reported now, not mid-request.
    """
    worker = _Worker(f"sqlite:{path.name}")
    try:
        database = await worker.run(_Database, path, busy_timeout, verify)
    except (sqlite3.Error, OSError) as exc:
        worker.stop()
        unavailable = _translated(path, exc)
        if unavailable is None:
            raise
        raise unavailable from exc
    except BaseException:
        worker.stop()
        raise
    return SqliteStore(path, worker, database)
