"""The history on the document-store port: append-only, one document per event."""

from datetime import UTC, datetime

from auditoria.domain import Entrada
from comun.bus.idempotencia import aplicar_una_vez
from comun.store import Document, Store

COLECCION = "historial"


class HistorialRepository:
    """Entries keyed by event id, so a redelivered event is never recorded twice."""

    def __init__(self, store: Store) -> None:
        self._coleccion = store.collection(COLECCION)

    async def preparar(self) -> None:
        """Indexes for the history views."""
        await self._coleccion.create_index([("momento", -1)])
        await self._coleccion.create_index([("usuario", 1), ("momento", -1)])

    async def anotar(self, entrada: Entrada) -> bool:
        """Append an entry; False if this event was already recorded."""
        return await aplicar_una_vez(
            self._coleccion, _a_documento(entrada), evento_id=entrada.evento_id
        )

    async def recientes(self, *, limite: int, saltar: int = 0) -> list[Entrada]:
        """Newest entries first."""
        docs = await self._coleccion.find(
            {}, sort=[("momento", -1), ("_id", -1)], skip=saltar, limit=limite
        )
        return [_a_entrada(doc) for doc in docs]

    async def total(self) -> int:
        """How many entries the history holds."""
        return await self._coleccion.count({})


def _a_documento(e: Entrada) -> Document:
    """Entry → document (the `_id` is the event id)."""
    return {
        "momento": e.momento.astimezone(UTC).isoformat(),
        "usuario": e.usuario,
        "rol": e.rol,
        "partido": e.partido,
        "modulo": e.modulo,
        "accion": e.accion,
        "tipo": e.tipo,
        "sujeto": e.sujeto,
    }


def _a_entrada(doc: Document) -> Entrada:
    """Document → entry."""
    return Entrada(
        evento_id=doc["_id"],
        momento=datetime.fromisoformat(doc["momento"]),
        usuario=doc["usuario"],
        rol=doc["rol"],
        partido=doc.get("partido"),
        modulo=doc["modulo"],
        accion=doc["accion"],
        tipo=doc["tipo"],
        sujeto=doc["sujeto"],
    )
