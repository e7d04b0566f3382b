"""Repositories of captura on the document-store port, and the catalog directory reader."""

import csv
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from captura.adapters.serializacion import cuestionarios_a_dict, cuestionarios_de_dict
from captura.domain import Candidatura, EstadoCandidatura, Registro
from comun.app import AvisoRelay
from comun.bus import outbox
from comun.eventos import Evento
from comun.servicios import Servicio, topic
from comun.store import Collection, Document, Filter, Store

COLECCION = "candidaturas"
COLECCION_ELECCIONES = "elecciones"
COLECCION_ENTREGAS = "entregas"
ARCHIVOS_CATALOGO = {
    "distritos": "distritos.csv",
    "municipios": "municipios.csv",
    "partidos": "partidos.csv",
    "siglado": "siglado.csv",
    "independientes": "independientes.csv",
}


class ConflictoVersion(Exception):
    """Someone else saved the candidacy first; reload and try again."""

    def __init__(self, candidatura_id: str) -> None:
        super().__init__(
            f"La candidatura «{candidatura_id}» se guardó desde otra sesión al mismo tiempo; "
            "vuelva a intentarlo."
        )


class CandidaturaRepository:
    """Candidacies, each document carrying its pending events."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay) -> None:
        self._coleccion: Collection = store.collection(COLECCION)
        self._entregas: Collection = store.collection(COLECCION_ENTREGAS)
        self._avisar = avisar_relay
        self._cargadas: dict[str, Document] = {}

    async def preparar(self) -> None:
        """Create the indexes the queries use."""
        await self._coleccion.create_index([("registro.partido", 1), ("_id", 1)])
        await self._coleccion.create_index([("registro.eleccion", 1), ("_id", 1)])
        await self._coleccion.create_index([("estado", 1)])
        await self._coleccion.create_index([("cuestionarios.fotografia.archivo_id", 1)])

    async def obtener(self, candidatura_id: str) -> Candidatura | None:
        """Load a candidacy, remembering the stored version for the next save."""
        doc = await self._coleccion.get(candidatura_id)
        if doc is None:
            return None
        self._cargadas[candidatura_id] = doc
        return _a_candidatura(doc)

    async def de_eleccion(
        self, eleccion: str, *, alcance: Sequence[Filter] | None = None
    ) -> dict[str, Candidatura]:
        """Candidacies of an election (all, or those matching any `alcance` filter) by id."""
        filtro: Filter = {"registro.eleccion": eleccion}
        if alcance is not None:
            filtro = {"$and": [filtro, {"$or": list(alcance)}]}
        docs = await self._coleccion.find(filtro)
        self._cargadas.update({doc["_id"]: doc for doc in docs})
        return {doc["_id"]: _a_candidatura(doc) for doc in docs}

    async def hay_de_eleccion(self, eleccion: str) -> bool:
        """Whether the registry holds any candidacy of an election."""
        return bool(await self._coleccion.find({"registro.eleccion": eleccion}, limit=1))

    async def buscar(
        self, filtro: Filter, *, pagina: int = 1, por_pagina: int = 0
    ) -> tuple[int, list[Candidatura]]:
        """Total matching and one page of candidacies in id order (all when por_pagina is 0)."""
        total = await self._coleccion.count(filtro)
        docs = await self._coleccion.find(
            filtro, sort=[("_id", 1)], skip=(pagina - 1) * por_pagina, limit=por_pagina
        )
        return total, [_a_candidatura(doc) for doc in docs]

    async def listar(self, *, partido: str | None = None) -> list[Candidatura]:
        """Candidacies, optionally of one party, in id order."""
        _, candidaturas = await self.buscar(
            {} if partido is None else {"registro.partido": partido}
        )
        return candidaturas

    async def fotografia_publicada(self, archivo_id: str) -> bool:
        """Whether a published candidacy shows this photograph."""
        filtro = {"cuestionarios.fotografia.archivo_id": archivo_id, "estado": "publicada"}
        return await self._coleccion.count(filtro) > 0

    async def entregas(self) -> dict[str, datetime]:
        """When each party first received its capture accounts (PTO 14), by acronym."""
        docs = await self._entregas.find({})
        return {d["_id"]: datetime.fromisoformat(d["entregadas_en"]) for d in docs}

    async def registrar_entrega(self, partido: str, entregadas_en: datetime) -> bool:
        """Remember a party's first delivery; later ones change nothing (False)."""
        if await self._entregas.get(partido) is not None:
            return False
        doc = {"_id": partido, "entregadas_en": entregadas_en.isoformat(), "version": 1}
        await self._entregas.insert(doc)
        return True

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


class EleccionRepository:
    """Election catalogs, one document each, in the plain form of their files."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay) -> None:
        self._coleccion: Collection = store.collection(COLECCION_ELECCIONES)
        self._avisar = avisar_relay

    async def obtener(self, eleccion_id: str) -> tuple[int, dict[str, Any]] | None:
        """The stored version and catalog data of an election, or None."""
        doc = await self._coleccion.get(eleccion_id)
        return None if doc is None else (int(doc["version"]), doc["datos"])

    async def guardar(
        self, eleccion_id: str, datos: Mapping[str, Any], eventos: Sequence[Evento]
    ) -> bool:
        """Store or replace a catalog with its event; False when nothing changed."""
        previo = await self._coleccion.get(eleccion_id)
        limpio = json.loads(json.dumps(datos))
        if previo is not None and previo["datos"] == limpio:
            return False
        version = 1 if previo is None else int(previo["version"])
        doc = {"_id": eleccion_id, "datos": limpio, "version": version}
        ok = await outbox.guardar(
            self._coleccion, doc, topic=topic(Servicio.CAPTURA), eventos=eventos, previo=previo
        )
        if not ok:
            raise ConflictoVersion(eleccion_id)
        self._avisar(eleccion_id)
        return True


class ImportacionRepository:
    """Import jobs: progress while running and the reconciliation report when done."""

    @classmethod
    def precargas(cls, store: Store) -> "ImportacionRepository":
        """The questionnaire pre-load jobs, apart from the registry imports."""
        return cls(store, coleccion="precargas", reportes="reportes_precarga")

    def __init__(
        self,
        store: Store,
        *,
        coleccion: str = "importaciones",
        reportes: str = "reportes_importacion",
    ) -> None:
        self._coleccion: Collection = store.collection(coleccion)
        # Reports can hold 100,000 rows: apart, so listing recent imports stays light.
        self._reportes: Collection = store.collection(reportes)

    async def preparar(self) -> None:
        """Index for the most recent imports first."""
        await self._coleccion.create_index([("inicio", -1)])

    async def crear(self, doc: Document) -> None:
        """Record a new import."""
        await self._coleccion.insert({**doc, "version": 1})

    async def obtener(self, importacion_id: str) -> Document | None:
        """One import job, with its whole report once finished."""
        doc = await self._coleccion.get(importacion_id)
        reporte = await self._reportes.get(importacion_id)
        if doc is not None and reporte is not None:
            doc["reporte"] = reporte["datos"]
        return doc

    async def recientes(self, limite: int = 20, *, filtro: Filter | None = None) -> list[Document]:
        """The latest imports (those matching `filtro`), with the summary of their reports."""
        return await self._coleccion.find(filtro or {}, sort=[("inicio", -1)], limit=limite)

    async def terminar(
        self, importacion_id: str, reporte: Mapping[str, Any], **campos: Any
    ) -> None:
        """Keep the whole report apart and its summary on the job."""
        await self._reportes.insert({"_id": importacion_id, "datos": dict(reporte), "version": 1})
        claves = ("resumen", "aplicado", "todo_o_nada", "filas")
        resumen = {k: reporte[k] for k in claves if k in reporte}
        await self.actualizar(importacion_id, reporte=resumen, **campos)

    async def actualizar(self, importacion_id: str, **campos: Any) -> None:
        """Merge fields into an import job (progress, result)."""
        for _ in range(5):
            doc = await self._coleccion.get(importacion_id)
            if doc is None:
                return
            if await self._coleccion.update_if_version(
                {**doc, **campos}, expected_version=doc["version"]
            ):
                return


def leer_directorio_eleccion(directorio: Path) -> dict[str, Any]:
    """An election directory's files → the plain data `armar_eleccion` takes."""
    if not (directorio / "eleccion.json").is_file():
        raise FileNotFoundError(f"«{directorio}» no contiene eleccion.json; no es una elección.")
    datos: dict[str, Any] = {
        "eleccion": json.loads((directorio / "eleccion.json").read_text(encoding="utf-8")),
        "postulaciones": _json_opcional(directorio / "postulaciones.json"),
    }
    for parte, archivo in ARCHIVOS_CATALOGO.items():
        datos[parte] = _csv(directorio / archivo)
    return datos


def _json_opcional(ruta: Path) -> dict[str, Any]:
    """A JSON file, or an empty object when the file is absent."""
    if not ruta.is_file():
        return {}
    return json.loads(ruta.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _csv(ruta: Path) -> list[dict[str, str]]:
    """A CSV file's rows (an absent file has none)."""
    if not ruta.is_file():
        return []
    with ruta.open(encoding="utf-8-sig", newline="") as archivo:
        return list(csv.DictReader(archivo))


def _a_documento(candidatura: Candidatura) -> Document:
    """Aggregate → document."""
    return {
        "_id": candidatura.id,
        "registro": candidatura.registro.como_dict(),
        "estado": candidatura.estado.value,
        "sustituye_a": candidatura.sustituye_a,
        "sustituta_id": candidatura.sustituta_id,
        "cuestionarios": cuestionarios_a_dict(candidatura.cuestionarios),
        "version": candidatura.version,
    }


def _a_candidatura(doc: Document) -> Candidatura:
    """Document → aggregate."""
    return Candidatura(
        id=doc["_id"],
        registro=Registro.desde_dict(doc["registro"]),
        estado=EstadoCandidatura(doc["estado"]),
        version=int(doc["version"]),
        sustituye_a=doc.get("sustituye_a"),
        sustituta_id=doc.get("sustituta_id"),
        cuestionarios=cuestionarios_de_dict(doc.get("cuestionarios")),
    )
