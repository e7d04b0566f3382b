"""Verifier takedowns on the document-store port: one document per candidacy with its outbox."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from comun.app import AvisoRelay
from comun.bus import outbox
from comun.eventos import Evento
from comun.eventos.vocabulario import MotivoContenido
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, DuplicateKeyError, Store
from validacion.adapters import ConflictoVersion
from validacion.domain.verificacion import Deshabilitacion, Moderacion

COLECCION_MODERACION = "moderaciones"


def _sin_aviso(doc_id: str | None = None) -> None:
    """No relay to wake (tests, or before the relay starts)."""


class ModeracionRepository:
    """What verifiers disabled, per candidacy; each save carries its events (outbox)."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay = _sin_aviso) -> None:
        self._coleccion: Collection = store.collection(COLECCION_MODERACION)
        self._avisar = avisar_relay
        self._cargadas: dict[str, Document] = {}

    async def preparar(self) -> None:
        """Index for the queue's «with takedowns» filter."""
        await self._coleccion.create_index([("deshabilitada", 1)])

    async def obtener(self, candidatura_id: str) -> Moderacion:
        """The candidacy's takedowns (none yet: an empty one), remembered for the next save."""
        doc = await self._coleccion.get(candidatura_id)
        if doc is None:
            self._cargadas.pop(candidatura_id, None)
            return Moderacion(candidatura_id)
        self._cargadas[candidatura_id] = doc
        return _a_moderacion(doc)

    async def guardar(self, moderacion: Moderacion, eventos: Sequence[Evento] = ()) -> None:
        """Write the takedowns and their events at once; ConflictoVersion if another got first."""
        previo = self._cargadas.pop(moderacion.candidatura_id, None)
        version = 1 if previo is None else int(previo["version"]) + 1
        try:
            ok = await outbox.guardar(
                self._coleccion,
                {**_a_documento(moderacion), "version": version},
                topic=topic(Servicio.VALIDACION),
                eventos=eventos,
                previo=previo,
            )
        except DuplicateKeyError as exc:
            # Another session created the document first: the same as losing the version race.
            raise ConflictoVersion(moderacion.candidatura_id) from exc
        if not ok:
            raise ConflictoVersion(moderacion.candidatura_id)
        moderacion.version = version
        if eventos:
            self._avisar(moderacion.candidatura_id)

    async def con_deshabilitados(self) -> list[str]:
        """Ids of the candidacies with something disabled now."""
        docs = await self._coleccion.find({"deshabilitada": True}, sort=[("_id", 1)])
        return [str(d["_id"]) for d in docs]

    async def de(self, candidaturas: Sequence[str]) -> dict[str, Moderacion]:
        """The takedowns of several candidacies (those with none are missing)."""
        if not candidaturas:
            return {}
        docs = await self._coleccion.find({"_id": {"$in": list(candidaturas)}})
        return {str(d["_id"]): _a_moderacion(d) for d in docs}


def _deshabilitacion_a_documento(d: Deshabilitacion) -> Document:
    return {
        "objetivo": d.objetivo,
        "motivo": d.motivo.value,
        "observacion": d.observacion,
        "por": d.por,
        "en": d.en.isoformat(),
    }


def _a_deshabilitacion(d: dict[str, Any]) -> Deshabilitacion:
    return Deshabilitacion(
        objetivo=str(d["objetivo"]),
        motivo=MotivoContenido(d["motivo"]),
        observacion=str(d["observacion"]),
        por=str(d["por"]),
        en=datetime.fromisoformat(str(d["en"])),
    )


def _a_documento(m: Moderacion) -> Document:
    """Aggregate → document; `deshabilitada` and `objetivos` are what queries filter on."""
    return {
        "_id": m.candidatura_id,
        "deshabilitada": bool(m.vigentes),
        "objetivos": sorted(m.vigentes),
        "vigentes": [_deshabilitacion_a_documento(d) for d in m.vigentes.values()],
        "historial": [
            {"accion": accion, **_deshabilitacion_a_documento(d)} for accion, d in m.historial
        ],
    }


def _a_moderacion(doc: Document) -> Moderacion:
    """Document → aggregate."""
    vigentes = [_a_deshabilitacion(d) for d in doc.get("vigentes") or ()]
    return Moderacion(
        candidatura_id=str(doc["_id"]),
        vigentes={d.objetivo: d for d in vigentes},
        historial=[(str(h["accion"]), _a_deshabilitacion(h)) for h in doc.get("historial") or ()],
        version=int(doc["version"]),
    )
