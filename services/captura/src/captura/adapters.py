"""Repositories of captura on the document-store port."""

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from captura.domain import Candidatura, EstadoCandidatura, Registro
from comun.app import AvisoRelay
from comun.bus import outbox
from comun.eventos import Evento
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, Store

COLECCION = "candidaturas"


class ConflictoVersion(Exception):
    """Someone else saved the candidacy first; reload and try again."""


class CandidaturaRepository:
    """Candidacies, each document carrying its pending events."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay) -> None:
        self._coleccion: Collection = store.collection(COLECCION)
        self._avisar = avisar_relay
        self._cargadas: dict[str, Document] = {}

    async def preparar(self) -> None:
        """Create the indexes the queries use."""
        await self._coleccion.create_index([("registro.partido", 1), ("_id", 1)])
        await self._coleccion.create_index([("estado", 1)])

    async def obtener(self, candidatura_id: str) -> Candidatura | None:
        """Load a candidacy, remembering the stored version for the next save."""
        doc = await self._coleccion.get(candidatura_id)
        if doc is None:
            return None
        self._cargadas[candidatura_id] = doc
        return _a_candidatura(doc)

    async def listar(self, *, partido: str | None = None) -> list[Candidatura]:
        """Candidacies, optionally of one party, in id order."""
        filtro = {} if partido is None else {"registro.partido": partido}
        docs = await self._coleccion.find(filtro, sort=[("_id", 1)])
        return [_a_candidatura(doc) for doc in docs]

    async def guardar(self, candidatura: Candidatura, eventos: Sequence[Evento]) -> None:
        """Write the candidacy and its events in one atomic write, then wake the relay."""
        previo = self._cargadas.pop(candidatura.id, None)
        ok = await outbox.guardar(
            self._coleccion,
            _a_documento(candidatura),
            topic=topic(Servicio.CAPTURA),
            eventos=eventos,
            previo=previo,
        )
        if not ok:
            raise ConflictoVersion(candidatura.id)
        self._avisar(candidatura.id)


def _a_documento(candidatura: Candidatura) -> Document:
    """Aggregate → document."""
    registro: dict[str, Any] = asdict(candidatura.registro)
    registro["fecha_nacimiento"] = candidatura.registro.fecha_nacimiento.isoformat()
    return {
        "_id": candidatura.id,
        "registro": registro,
        "estado": candidatura.estado.value,
        "version": candidatura.version,
    }


def _a_candidatura(doc: Document) -> Candidatura:
    """Document → aggregate."""
    registro = Registro.desde_dict(doc["registro"])
    return Candidatura(
        id=doc["_id"],
        registro=registro,
        estado=EstadoCandidatura(doc["estado"]),
        version=int(doc["version"]),
    )
