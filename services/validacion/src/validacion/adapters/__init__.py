"""Repositories of validacion on the document-store port, each document with its outbox."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from comun.app import AvisoRelay
from comun.bus import outbox
from comun.bus.idempotencia import CAMPO_VERSION_ORIGEN
from comun.eventos import Evento
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, Filter, Store
from validacion.domain import EstadoRevision, Revision

COLECCION = "revisiones"
COLECCION_CONFIGURACION = "configuracion"
ID_PUBLICACION = "inicio_publicacion"


def _sin_aviso(doc_id: str | None = None) -> None:
    """Consumers that write no events need not wake the relay."""


class ConflictoVersion(Exception):
    """Someone else saved the document first; reload and try again."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(
            f"«{doc_id}» se guardó desde otra sesión al mismo tiempo; vuelva a intentarlo."
        )


@dataclass(frozen=True, slots=True)
class Filtros:
    """What the review queue may be narrowed by."""

    cargo: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    estado: EstadoRevision | None = None
    con_observaciones: bool | None = None

    def como_filtro(self) -> list[Filter]:
        """Store conditions of the filters that are set."""
        condiciones: list[Filter] = []
        for campo in ("cargo", "distrito", "municipio"):
            valor = getattr(self, campo)
            if valor is not None:
                condiciones.append({campo: valor})
        if self.estado is not None:
            condiciones.append({"estado": self.estado.value})
        if self.con_observaciones is True:
            condiciones.append({"hallazgos": {"$gt": 0}})
        elif self.con_observaciones is False:
            condiciones.append({"hallazgos": 0})
        return condiciones


@dataclass(frozen=True, slots=True)
class Pagina:
    """One page of the queue, the total matching and the counts per state."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[Revision]
    conteos: dict[EstadoRevision, int]


class RevisionRepository:
    """One document per candidacy, carrying its pending events."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay = _sin_aviso) -> None:
        self._coleccion: Collection = store.collection(COLECCION)
        self._avisar = avisar_relay
        self._cargadas: dict[str, Document] = {}

    async def preparar(self) -> None:
        """Indexes for the per-party queue, its filters and the publication sweep."""
        await self._coleccion.create_index([("partido", 1), ("_id", 1)])
        await self._coleccion.create_index([("estado", 1), ("publicable", 1)])
        await self._coleccion.create_index([("cargo", 1), ("distrito", 1), ("municipio", 1)])

    async def obtener(self, candidatura_id: str) -> Revision | None:
        """Load a candidacy's review, remembering the stored document for the next save."""
        doc = await self._coleccion.get(candidatura_id)
        if doc is None:
            return None
        self._cargadas[candidatura_id] = doc
        return _a_revision(doc)

    async def guardar(self, revision: Revision, eventos: Sequence[Evento] = ()) -> None:
        """Write the review and its events in one atomic write, then wake the relay."""
        previo = self._cargadas.pop(revision.candidatura_id, None)
        ok = await outbox.guardar(
            self._coleccion,
            _a_documento(revision),
            topic=topic(Servicio.VALIDACION),
            eventos=eventos,
            previo=previo,
        )
        if not ok:
            raise ConflictoVersion(revision.candidatura_id)
        if eventos:
            self._avisar(revision.candidatura_id)

    async def buscar(
        self, *, alcance: Filter | None, filtros: Filtros, pagina: int = 1, por_pagina: int = 50
    ) -> Pagina:
        """Candidacies in force in scope matching the filters: one page and counts per state."""
        base: list[Filter] = [{"vigente": {"$ne": False}}]
        if alcance is not None:
            base.append(alcance)
        sin_estado = Filtros(
            cargo=filtros.cargo,
            distrito=filtros.distrito,
            municipio=filtros.municipio,
            con_observaciones=filtros.con_observaciones,
        )
        conteos = {
            estado: await self._coleccion.count(
                {"$and": [*base, *sin_estado.como_filtro(), {"estado": estado.value}]}
            )
            for estado in EstadoRevision
        }
        filtro: Filter = {"$and": [*base, *filtros.como_filtro()]}
        total = await self._coleccion.count(filtro)
        docs = await self._coleccion.find(
            filtro, sort=[("_id", 1)], skip=(pagina - 1) * por_pagina, limit=por_pagina
        )
        resultados = [_a_revision(d) for d in docs]
        return Pagina(total, pagina, por_pagina, resultados, conteos)

    async def en_alcance(self, alcance: Filter | None) -> list[Revision]:
        """Candidacies in force matching a scope filter (None: all of them)."""
        filtro: Filter = {"vigente": {"$ne": False}}
        if alcance is not None:
            filtro = {"$and": [filtro, alcance]}
        docs = await self._coleccion.find(filtro, sort=[("_id", 1)])
        return [_a_revision(d) for d in docs]

    async def por_publicar(self, limite: int = 500) -> list[str]:
        """Ids of validated candidacies in force not yet made publishable."""
        filtro: Filter = {
            "$and": [
                {"estado": EstadoRevision.VALIDADA.value},
                {"publicable": False},
                {"vigente": {"$ne": False}},
            ]
        }
        docs = await self._coleccion.find(filtro, sort=[("_id", 1)], limit=limite)
        return [str(d["_id"]) for d in docs]


class PublicacionRepository:
    """The publication start date (PTO 14), one document with its outbox."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay = _sin_aviso) -> None:
        self._coleccion: Collection = store.collection(COLECCION_CONFIGURACION)
        self._avisar = avisar_relay

    async def inicio(self) -> datetime | None:
        """When validated candidacies start being public; None until the administrator sets it."""
        doc = await self._coleccion.get(ID_PUBLICACION)
        if doc is None or doc.get("fecha") is None:
            return None
        return datetime.fromisoformat(str(doc["fecha"]))

    async def fijar(self, fecha: datetime, *, por: str, eventos: Sequence[Evento]) -> None:
        """Store the start date with its event in one write."""
        previo = await self._coleccion.get(ID_PUBLICACION)
        doc = {
            "_id": ID_PUBLICACION,
            "fecha": fecha.isoformat(),
            "fijada_por": por,
            "version": 1 if previo is None else int(previo["version"]),
        }
        ok = await outbox.guardar(
            self._coleccion,
            doc,
            topic=topic(Servicio.VALIDACION),
            eventos=eventos,
            previo=previo,
        )
        if not ok:
            raise ConflictoVersion(ID_PUBLICACION)
        self._avisar(ID_PUBLICACION)


def _fecha(valor: Any) -> datetime | None:
    """A stored ISO timestamp, or None."""
    return datetime.fromisoformat(str(valor)) if valor else None


def _a_documento(r: Revision) -> Document:
    """Aggregate → document (top-level fields are what the queue filters on)."""
    return {
        "_id": r.candidatura_id,
        "nombre": r.nombre,
        "cargo": r.cargo,
        "partido": r.partido,
        "distrito": r.registro.get("distrito"),
        "municipio": r.registro.get("municipio"),
        "estado": r.estado.value,
        "registro": r.registro,
        CAMPO_VERSION_ORIGEN: r.version_captura,
        "curricular": r.curricular,
        "identidad_cifrada": r.identidad_cifrada,
        "identidad_publica": r.identidad_publica,
        "fuera_de_plazo": r.fuera_de_plazo,
        "consentimiento": r.consentimiento,
        "campos_editados": list(r.campos_editados),
        "hallazgos": r.hallazgos,
        "enviada_en": r.enviada_en.isoformat() if r.enviada_en else None,
        "validada_en": r.validada_en.isoformat() if r.validada_en else None,
        "validada_por": r.validada_por,
        "publicable": r.publicable,
        "vigente": r.vigente,
        "version": r.version,
    }


def _a_revision(d: Document) -> Revision:
    """Document → aggregate (documents of the first read model lack the newer fields)."""
    return Revision(
        candidatura_id=d["_id"],
        nombre=d["nombre"],
        cargo=d["cargo"],
        partido=d.get("partido"),
        estado=EstadoRevision(d["estado"]),
        registro=dict(d.get("registro") or {}),
        version_captura=int(d.get(CAMPO_VERSION_ORIGEN, 0)),
        curricular=d.get("curricular"),
        identidad_cifrada=d.get("identidad_cifrada"),
        identidad_publica=bool(d.get("identidad_publica", False)),
        fuera_de_plazo=bool(d.get("fuera_de_plazo", False)),
        consentimiento=d.get("consentimiento"),
        campos_editados=tuple(d.get("campos_editados") or ()),
        hallazgos=int(d.get("hallazgos", 0)),
        enviada_en=_fecha(d.get("enviada_en")),
        validada_en=_fecha(d.get("validada_en")),
        validada_por=d.get("validada_por"),
        publicable=bool(d.get("publicable", False)),
        vigente=d.get("vigente", True) is not False,
        version=int(d["version"]),
    )
