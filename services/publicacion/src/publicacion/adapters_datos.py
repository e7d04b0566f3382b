"""Where open-data snapshots live: file pieces on the file port, the current one in the store.

A file is kept as content-addressed pieces of `TAMANO_PIEZA` on the file port (a folder on one
machine, the database with several replicas), so writing and serving it need one piece of
memory at a time, and a piece that did not change between snapshots is stored once. The
collection `datos_abiertos` holds three small documents: `actual` (the current snapshot's
manifest, signature and pieces), `retiradas` (the pieces of replaced snapshots and when they
were replaced: a download that began before the change keeps reading them for `GRACIA`
seconds) and `turno` (which replica is generating, so that replicas do not all do it at once).
Any replica serves the current snapshot, whoever generated it.
"""

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from comun.archivos import ArchivoCorrupto, FileStore
from comun.store import Collection, Document, DuplicateKeyError, Store

COLECCION_DATOS = "datos_abiertos"
ACTUAL = "actual"
RETIRADAS = "retiradas"
TURNO = "turno"
# How long a replaced snapshot's pieces outlive it: a 160 MB download at 300 kB/s.
GRACIA = 600.0
TAMANO_PIEZA = 4 << 20
TIPO_PIEZA = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class ArchivoPublicado:
    """A file of the current snapshot as served."""

    nombre: str
    base: str
    formato: str
    tipo: str
    descripcion: str
    tamano: int
    sha256: str
    filas: int
    piezas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Instantanea:
    """A published snapshot: its signed manifest and its files."""

    eleccion: str
    generado_en: str
    huella: str
    revisado_hasta: float
    manifiesto: str
    firma: str
    clave_publica: str
    huella_clave: str
    archivos: tuple[ArchivoPublicado, ...]
    version: int = 0

    def archivo(self, nombre: str) -> ArchivoPublicado | None:
        """The file with this public name."""
        return next((a for a in self.archivos if a.nombre == nombre), None)

    @property
    def piezas(self) -> set[str]:
        """Every piece its files use."""
        return {p for a in self.archivos for p in a.piezas}


class InstantaneaRepository:
    """The current snapshot and the generation turn, in the collection `datos_abiertos`."""

    def __init__(self, store: Store) -> None:
        self._coleccion: Collection = store.collection(COLECCION_DATOS)

    async def actual(self) -> Instantanea | None:
        """The snapshot being served, or None before the first one."""
        doc = await self._coleccion.get(ACTUAL)
        return None if doc is None else _instantanea(doc)

    async def reemplazar(self, nueva: Instantanea, *, previa: Instantanea | None) -> bool:
        """Make `nueva` current unless another replica replaced `previa` first."""
        doc: Document = {**asdict(nueva), "_id": ACTUAL}
        if previa is None:
            try:
                await self._coleccion.insert({**doc, "version": 1})
            except DuplicateKeyError:
                return False
            return True
        return await self._coleccion.update_if_version(doc, expected_version=previa.version)

    async def marcar_revisada(self, previa: Instantanea, *, revisado_hasta: float) -> bool:
        """The read model was checked up to this moment and the content had not changed."""
        doc: Document = {**asdict(previa), "_id": ACTUAL, "revisado_hasta": revisado_hasta}
        return await self._coleccion.update_if_version(doc, expected_version=previa.version)

    async def retirar(self, previa: Instantanea, *, vigente: Instantanea, ahora: float) -> set[str]:
        """Note that `previa` was replaced; the pieces no snapshot needs any more, to delete."""
        doc = await self._coleccion.get(RETIRADAS)
        lotes = [*(doc or {}).get("lotes", ()), {"en": ahora, "piezas": sorted(previa.piezas)}]
        vencidos = [lote for lote in lotes if float(lote["en"]) < ahora - GRACIA]
        recientes = [lote for lote in lotes if float(lote["en"]) >= ahora - GRACIA]
        nuevo: Document = {"_id": RETIRADAS, "lotes": recientes}
        if doc is None:
            try:
                await self._coleccion.insert({**nuevo, "version": 1})
            except DuplicateKeyError:
                return set()
        elif not await self._coleccion.update_if_version(nuevo, expected_version=doc["version"]):
            return set()
        en_uso = vigente.piezas.union(*(lote["piezas"] for lote in recientes))
        return {p for lote in vencidos for p in lote["piezas"]} - en_uso

    async def tomar_turno(self, replica: str, *, ahora: float, duracion: float) -> bool:
        """Hold the generation turn for `duracion` seconds, unless another replica holds it."""
        doc = await self._coleccion.get(TURNO)
        nuevo: Document = {"_id": TURNO, "replica": replica, "hasta": ahora + duracion}
        if doc is None:
            try:
                await self._coleccion.insert({**nuevo, "version": 1})
            except DuplicateKeyError:
                return False
            return True
        if doc.get("replica") != replica and float(doc.get("hasta", 0)) > ahora:
            return False
        return await self._coleccion.update_if_version(nuevo, expected_version=doc["version"])

    async def soltar_turno(self, replica: str) -> None:
        """Give the turn back (only if this replica still holds it)."""
        doc = await self._coleccion.get(TURNO)
        if doc is not None and doc.get("replica") == replica:
            libre: Document = {"_id": TURNO, "replica": replica, "hasta": 0.0}
            await self._coleccion.update_if_version(libre, expected_version=doc["version"])


def _instantanea(doc: Document) -> Instantanea:
    """Stored document → snapshot (fields it does not know are left out)."""
    conocidos = {f.name for f in fields(Instantanea)}
    campos: dict[str, Any] = {k: v for k, v in doc.items() if k in conocidos}
    campos["archivos"] = tuple(
        ArchivoPublicado(**{**a, "piezas": tuple(a["piezas"])}) for a in doc["archivos"]
    )
    return Instantanea(**campos)


class AlmacenPiezas:
    """Files cut in pieces on the file port, read back one piece at a time."""

    def __init__(self, archivos: FileStore) -> None:
        self._archivos = archivos

    async def guardar(self, ruta: Path) -> tuple[str, ...]:
        """Store a file's pieces; their ids (sha256) in order."""
        ids: list[str] = []
        with ruta.open("rb") as archivo:
            while pieza := await asyncio.to_thread(archivo.read, TAMANO_PIEZA):
                ids.append((await self._archivos.guardar(pieza, tipo=TIPO_PIEZA)).id)
        return tuple(ids)

    async def leer(self, piezas: Iterable[str]) -> AsyncIterator[bytes]:
        """The file's bytes, piece by piece; ArchivoCorrupto if a piece is gone or damaged."""
        for pieza in piezas:
            leido = await self._archivos.leer(pieza)
            if leido is None:
                raise ArchivoCorrupto(f"falta la pieza {pieza} de un archivo de datos abiertos")
            yield leido[0]

    async def borrar(self, piezas: Iterable[str]) -> None:
        """Delete pieces no snapshot uses any more."""
        for pieza in piezas:
            await self._archivos.borrar(pieza)
