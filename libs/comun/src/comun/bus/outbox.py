"""Pending events carried inside the aggregate document they belong to (DESIGN §4)."""

from collections.abc import Iterable
from typing import Any, Final, Required, TypedDict

from opentelemetry import propagate

from comun.eventos import Evento
from comun.store.port import Collection, Document, Filter, SortSpec

CAMPO: Final = "_outbox"
# `<array>.0` exists only when the array has an element: the same query on SQLite and MongoDB.
FILTRO_PENDIENTES: Final[Filter] = {f"{CAMPO}.0": {"$exists": True}}
# Partial on FILTRO_PENDIENTES: it holds only documents with pending events, in `_id` order (the
# relay's paging). The second key is there because MongoDB refuses a partial index on `_id`
# alone; the first event's id keeps it small (the whole event would be indexed otherwise).
INDICE_PENDIENTES: Final[SortSpec] = (("_id", 1), (f"{CAMPO}.0.id", 1))


class Pendiente(TypedDict, total=False):
    """One event waiting in a document's outbox."""

    id: Required[str]
    topic: Required[str]
    evento: Required[dict[str, Any]]
    # W3C trace context of the action that caused it: the relay publishes inside that trace.
    traza: dict[str, str]


def adjuntar(doc: Document, topic: str, eventos: Iterable[Evento]) -> Document:
    """Return a copy of doc with the events appended to its outbox, in order."""
    traza: dict[str, str] = {}
    propagate.inject(traza)
    nuevos: list[Pendiente] = [
        {"id": e.id, "topic": topic, "evento": e.model_dump(mode="json"), "traza": traza}
        for e in eventos
    ]
    return {**doc, CAMPO: [*pendientes(doc), *nuevos]}


def pendientes(doc: Document) -> list[Pendiente]:
    """Return the events still waiting in the document's outbox, oldest first."""
    return list(doc.get(CAMPO) or [])


def evento(pendiente: Pendiente) -> Evento:
    """Rebuild the event stored in an outbox entry."""
    return Evento.model_validate(pendiente["evento"])


def sin_outbox(doc: Document) -> Document:
    """Return a copy of doc without its outbox (what repositories map to aggregates)."""
    return {k: v for k, v in doc.items() if k != CAMPO}


async def guardar(
    coleccion: Collection,
    doc: Document,
    *,
    topic: str,
    eventos: Iterable[Evento],
    previo: Document | None,
) -> bool:
    """Write the aggregate and its new events in one atomic write; False on a version conflict."""
    # `previo` is the document as loaded: its pending events must survive, and its version is
    # the one the store must still hold.
    if previo is None:
        await coleccion.insert(adjuntar(doc, topic, eventos))
        return True
    # The relay may have pulled published events since `previo` was read: append, never replace.
    nuevos = pendientes(adjuntar({}, topic, eventos))
    return await coleccion.update_if_version(
        sin_outbox(doc), expected_version=int(previo["version"]), push={CAMPO: nuevos}
    )
