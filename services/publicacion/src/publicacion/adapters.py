"""Read model of publicacion on the document-store port: one document per candidacy.

Each document holds what publicacion learned (the `Perfil`), the precomputed public view
served as is, a few top-level fields for queries, and the outbox of the events it caused.
"""

import time
import unicodedata
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from comun.app import AvisoRelay
from comun.bus import outbox
from comun.eventos import Evento
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, DuplicateKeyError, Store
from publicacion.domain import CambioPublicado, EstadoPerfil, Perfil, vista_publica

COLECCION = "perfiles"


class ConflictoVersion(Exception):
    """Another writer saved the profile first; load it again and retry."""


@dataclass
class Cargado:
    """A profile as loaded, with the stored document its save must still find."""

    perfil: Perfil
    previo: Document | None
    version_publica: int


def _sin_aviso(doc_id: str | None = None) -> None:
    """No relay to wake (tests, or before the relay starts)."""


class PerfilRepository:
    """The public profiles; each save carries its events (outbox)."""

    def __init__(
        self,
        store: Store,
        *,
        avisar_relay: AvisoRelay = _sin_aviso,
        al_guardar: Callable[[], None] = lambda: None,
    ) -> None:
        self._coleccion: Collection = store.collection(COLECCION)
        self._avisar = avisar_relay
        self._al_guardar = al_guardar

    async def preparar(self) -> None:
        """Indexes for the public list and for catching up on changes."""
        await self._coleccion.create_index([("estado", 1), ("orden", 1)])
        await self._coleccion.create_index([("modificado_en", 1)])

    async def cargar(self, candidatura_id: str) -> Cargado:
        """The profile (a new empty one if unknown) and what its save must find stored."""
        doc = await self._coleccion.get(candidatura_id)
        if doc is None:
            return Cargado(Perfil(candidatura_id), None, 0)
        return Cargado(a_perfil(doc), doc, int(doc.get("version_publica", 0)))

    async def guardar(
        self, cargado: Cargado, *, version_publica: int, eventos: Sequence[Evento] = ()
    ) -> None:
        """Write the profile, its public view and its events at once; ConflictoVersion if late."""
        doc = {**a_documento(cargado.perfil), "version_publica": version_publica}
        doc["version"] = 1 if cargado.previo is None else int(cargado.previo["version"]) + 1
        try:
            ok = await outbox.guardar(
                self._coleccion,
                doc,
                topic=topic(Servicio.PUBLICACION),
                eventos=eventos,
                previo=cargado.previo,
            )
        except DuplicateKeyError as exc:
            raise ConflictoVersion(cargado.perfil.candidatura_id) from exc
        if not ok:
            raise ConflictoVersion(cargado.perfil.candidatura_id)
        self._al_guardar()
        if eventos:
            self._avisar(cargado.perfil.candidatura_id)

    async def vista(self, candidatura_id: str) -> tuple[EstadoPerfil, dict[str, Any] | None]:
        """The stored public view and the profile's state (SIN_PUBLICAR when unknown)."""
        doc = await self._coleccion.get(candidatura_id)
        if doc is None:
            return EstadoPerfil.SIN_PUBLICAR, None
        return EstadoPerfil(doc["estado"]), doc.get("vista")

    async def vistas(
        self, filtro: dict[str, Any], *, saltar: int, limite: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """One page of public views matching a store filter, in name order, and the total."""
        consulta = {"$and": [{"estado": {"$in": PUBLICOS}}, filtro]} if filtro else PUBLICOS_F
        total = await self._coleccion.count(consulta)
        docs = await self._coleccion.find(
            consulta, sort=[("orden", 1), ("_id", 1)], skip=saltar, limit=limite
        )
        return total, [d["vista"] for d in docs]

    async def recorrer_vistas(self, *, lote: int = 1000) -> AsyncIterator[dict[str, Any]]:
        """Every public view (published or disabled), in id order, read in batches."""
        # Keyset paging on `_id`, its state checked here: with the state in the filter SQLite
        # sorts every matching document again for each batch (31 s instead of 6 for 30,000),
        # and skip/limit would repeat or miss a profile published or withdrawn meanwhile.
        filtro: dict[str, Any] = {}
        while True:
            docs = await self._coleccion.find(filtro, sort=[("_id", 1)], limit=lote)
            for doc in docs:
                if doc.get("estado") in PUBLICOS:
                    yield doc["vista"]
            if len(docs) < lote:
                return
            filtro = {"_id": {"$gt": docs[-1]["_id"]}}

    async def modificados_desde(
        self, momento: float, *, lote: int = 1000
    ) -> AsyncIterator[Document]:
        """Every document changed at or after `momento` (epoch seconds), oldest first."""
        # Keyset paging: a document rewritten meanwhile moves to the end instead of shifting
        # the pages (with skip/limit a neighbour would be missed).
        filtro: dict[str, Any] = {"modificado_en": {"$gte": momento}}
        while True:
            docs = await self._coleccion.find(
                filtro, sort=[("modificado_en", 1), ("_id", 1)], limit=lote
            )
            for doc in docs:
                yield doc
            if len(docs) < lote:
                return
            ultimo = docs[-1]
            filtro = {
                "$or": [
                    {"modificado_en": {"$gt": ultimo["modificado_en"]}},
                    {"modificado_en": ultimo["modificado_en"], "_id": {"$gt": ultimo["_id"]}},
                ]
            }

    async def vistas_de(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The public views of these ids, in the order given (missing or private ones left out)."""
        docs = await self._coleccion.find({"_id": {"$in": list(ids)}})
        por_id = {str(d["_id"]): d.get("vista") for d in docs}
        return [v for i in ids if (v := por_id.get(i)) is not None]

    async def ultimo_cambio(self) -> float:
        """When any profile last changed (seconds since the epoch; 0 when there is none)."""
        docs = await self._coleccion.find({}, sort=[("modificado_en", -1)], limit=1)
        return float(docs[0]["modificado_en"]) if docs else 0.0

    async def contar(self, filtro: dict[str, Any]) -> int:
        """How many profiles match a store filter."""
        return await self._coleccion.count(filtro)


PUBLICOS = [EstadoPerfil.PUBLICADO.value, EstadoPerfil.DESHABILITADO.value]
PUBLICOS_F = {"estado": {"$in": PUBLICOS}}


def a_documento(perfil: Perfil) -> Document:
    """Profile → stored document (state, public view and query fields)."""
    registro = perfil.registro or {}
    return {
        "_id": perfil.candidatura_id,
        "versiones": dict(perfil.versiones),
        "registro": perfil.registro,
        "vigente": perfil.vigente,
        "baja": perfil.baja,
        "curricular": perfil.curricular,
        "identidad": perfil.identidad,
        "deshabilitados": dict(perfil.deshabilitados),
        "cambios": [_cambio_doc(c) for c in perfil.cambios],
        "publicado_en": perfil.publicado_en,
        "actualizado_en": perfil.actualizado_en,
        "estado": perfil.estado.value,
        "registrada": perfil.registro is not None,
        "vista": vista_publica(perfil),
        "orden": orden_alfabetico(str(registro.get("nombre") or "")),
        "cargo": registro.get("cargo"),
        "distrito": registro.get("distrito"),
        "municipio": registro.get("municipio"),
        "partido": registro.get("partido"),
        "sexo": registro.get("sexo"),
        "modificado_en": time.time(),
    }


def orden_alfabetico(nombre: str) -> str:
    """A sort key that orders names as a Spanish reader expects: accents ignored, ñ after n."""
    # Both stores compare strings by code point, so the key does the collation.
    sin_enie = nombre.casefold().replace("ñ", "n\uffff")
    descompuesto = unicodedata.normalize("NFD", sin_enie)
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def a_perfil(doc: Document) -> Perfil:
    """Stored document → profile."""
    return Perfil(
        candidatura_id=str(doc["_id"]),
        versiones={k: int(v) for k, v in doc.get("versiones", {}).items()},
        registro=doc.get("registro"),
        vigente=bool(doc.get("vigente", True)),
        baja=doc.get("baja"),
        curricular=doc.get("curricular"),
        identidad=doc.get("identidad"),
        deshabilitados=dict(doc.get("deshabilitados", {})),
        cambios=[_cambio(c) for c in doc.get("cambios", [])],
        publicado_en=doc.get("publicado_en"),
        actualizado_en=doc.get("actualizado_en"),
    )


def _cambio_doc(cambio: CambioPublicado) -> Document:
    return {
        "solicitud_id": cambio.solicitud_id,
        "fecha": cambio.fecha,
        "campos": [list(c) for c in cambio.campos],
    }


def _cambio(doc: Document) -> CambioPublicado:
    return CambioPublicado(
        solicitud_id=str(doc["solicitud_id"]),
        fecha=str(doc["fecha"]),
        campos=tuple((str(c), a, n) for c, a, n in doc["campos"]),
    )
