"""Post-publication change requests on the document-store port, each with its outbox."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from comun.app import AvisoRelay
from comun.bus import outbox
from comun.eventos import Evento
from comun.eventos.vocabulario import CampoCurricular
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, Filter, Store
from validacion.adapters import ConflictoVersion
from validacion.domain.solicitudes import Cambio, EstadoSolicitud, SolicitudCambio

COLECCION_SOLICITUDES = "solicitudes_cambio"
PREFIJO = "SC-"


def _sin_aviso(doc_id: str | None = None) -> None:
    """No relay to wake (tests, or before the relay starts)."""


def id_de_solicitud(candidatura_id: str) -> str:
    """A readable id that is also the one-per-candidacy guard (a second insert collides)."""
    return f"{PREFIJO}{candidatura_id}"


@dataclass
class Expediente:
    """A change request with what the queue shows about its candidacy."""

    solicitud: SolicitudCambio
    nombre: str
    cargo: str
    partido: str | None
    version: int = 0


class SolicitudRepository:
    """One document per candidacy's change request, carrying its pending events."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay = _sin_aviso) -> None:
        self._coleccion: Collection = store.collection(COLECCION_SOLICITUDES)
        self._avisar = avisar_relay
        self._cargados: dict[str, Document] = {}

    async def preparar(self) -> None:
        """Indexes for the administrator's queue and the per-party lists."""
        await self._coleccion.create_index([("estado", 1), ("vence", 1)])
        await self._coleccion.create_index([("partido", 1), ("estado", 1)])
        await self._coleccion.create_index([("candidatura_id", 1)])

    async def obtener(self, solicitud_id: str) -> Expediente | None:
        """Load a request, remembering the stored document for the next save."""
        doc = await self._coleccion.get(solicitud_id)
        if doc is None:
            return None
        self._cargados[solicitud_id] = doc
        return _a_expediente(doc)

    async def de_candidatura(self, candidatura_id: str) -> Expediente | None:
        """The candidacy's request, if it filed one."""
        return await self.obtener(id_de_solicitud(candidatura_id))

    async def agregar(self, expediente: Expediente, eventos: Sequence[Evento]) -> None:
        """Insert a new request with its events; DuplicateKeyError if the candidacy has one."""
        await outbox.guardar(
            self._coleccion,
            {**_a_documento(expediente), "version": 1},
            topic=topic(Servicio.VALIDACION),
            eventos=eventos,
            previo=None,
        )
        expediente.version = 1
        self._avisar(expediente.solicitud.id)

    async def guardar(self, expediente: Expediente, eventos: Sequence[Evento]) -> None:
        """Write a loaded request and its events in one write; ConflictoVersion if it moved."""
        solicitud_id = expediente.solicitud.id
        previo = self._cargados.pop(solicitud_id, None)
        if previo is None:
            raise ConflictoVersion(solicitud_id)
        ok = await outbox.guardar(
            self._coleccion,
            _a_documento(expediente),
            topic=topic(Servicio.VALIDACION),
            eventos=eventos,
            previo=previo,
        )
        if not ok:
            raise ConflictoVersion(solicitud_id)
        expediente.version = int(previo["version"]) + 1
        if eventos:
            self._avisar(solicitud_id)

    async def buscar(
        self,
        *,
        alcance: Filter | None,
        estado: EstadoSolicitud | None = None,
        partido: str | None = None,
    ) -> list[Expediente]:
        """Requests in scope, by state and party (unsorted: the handler orders them)."""
        condiciones: list[Filter] = [] if alcance is None else [alcance]
        if estado is not None:
            condiciones.append({"estado": estado.value})
        if partido is not None:
            condiciones.append({"partido": partido})
        filtro: Filter = {"$and": condiciones} if condiciones else {}
        docs = await self._coleccion.find(filtro, sort=[("vence", 1), ("_id", 1)])
        return [_a_expediente(d) for d in docs]


def _fecha(valor: Any) -> datetime | None:
    """A stored ISO timestamp, or None."""
    return datetime.fromisoformat(str(valor)) if valor else None


def _a_documento(e: Expediente) -> Document:
    """Aggregate → document (top-level fields are what the queue filters on)."""
    s = e.solicitud
    return {
        "_id": s.id,
        "candidatura_id": s.candidatura_id,
        "nombre": e.nombre,
        "cargo": e.cargo,
        "partido": e.partido,
        "cambios": [{"campo": c.campo.value, "texto": c.texto} for c in s.cambios],
        "presentada_por": s.presentada_por,
        "presentada_en": s.presentada_en.isoformat(),
        # Stored with its own offset (central Mexico): the due day is a local day.
        "vence": s.vence.isoformat(),
        "estado": s.estado.value,
        "resuelta_por": s.resuelta_por,
        "resuelta_en": s.resuelta_en.isoformat() if s.resuelta_en else None,
        "motivo_rechazo": s.motivo_rechazo,
        "anteriores": [{"campo": c.value, "texto": t} for c, t in s.anteriores.items()],
        "version": e.version,
    }


def _a_expediente(d: Document) -> Expediente:
    """Document → aggregate."""
    solicitud = SolicitudCambio(
        id=d["_id"],
        candidatura_id=d["candidatura_id"],
        cambios=tuple(Cambio(CampoCurricular(c["campo"]), c["texto"]) for c in d["cambios"]),
        presentada_por=d["presentada_por"],
        presentada_en=datetime.fromisoformat(d["presentada_en"]),
        vence=datetime.fromisoformat(d["vence"]),
        estado=EstadoSolicitud(d["estado"]),
        resuelta_por=d.get("resuelta_por"),
        resuelta_en=_fecha(d.get("resuelta_en")),
        motivo_rechazo=d.get("motivo_rechazo"),
        anteriores={CampoCurricular(a["campo"]): a.get("texto") for a in d.get("anteriores") or ()},
    )
    return Expediente(
        solicitud=solicitud,
        nombre=d["nombre"],
        cargo=d["cargo"],
        partido=d.get("partido"),
        version=int(d["version"]),
    )
