"""Use cases of the open-data downloads: regenerate the snapshot, read the current one."""

import asyncio
import base64
import logging
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publicacion.adapters import PerfilRepository
from publicacion.adapters_datos import (
    AlmacenPiezas,
    ArchivoPublicado,
    Instantanea,
    InstantaneaRepository,
)
from publicacion.domain import datos_abiertos as da
from publicacion.domain.formato_ine import ContextoEleccion
from publicacion.firma import Firmante

if TYPE_CHECKING:
    from publicacion.escritura_datos import Escrito, EscritorInstantanea

log = logging.getLogger(__name__)

LOTE = 500
# Longer than a generation of 30,000 profiles takes; a replica that dies holding the turn
# only delays the next snapshot by this much.
DURACION_TURNO = 600.0


@dataclass(frozen=True)
class Resultado:
    """What a regeneration did: a new snapshot, or the same content checked again."""

    nueva: bool
    huella: str
    filas: dict[str, int]
    tiempos: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)


def _ahora() -> datetime:
    return datetime.now(UTC)


async def actualizar_datos_abiertos(
    *,
    perfiles: PerfilRepository,
    instantaneas: InstantaneaRepository,
    almacen: AlmacenPiezas,
    firmante: Firmante,
    eleccion: ContextoEleccion,
    replica: str,
    forzar: bool = False,
    ahora: Callable[[], datetime] = _ahora,
) -> Resultado | None:
    """A new snapshot when the read model changed since the last one; None if nothing to do.

    Identical content makes no new snapshot: the current one is only marked as checked.
    """
    actual = await instantaneas.actual()
    cambio = await perfiles.ultimo_cambio()
    al_dia = (
        actual is not None
        and actual.huella_clave == firmante.huella
        and cambio <= actual.revisado_hasta
    )
    if al_dia and not forzar:
        return None
    if not await instantaneas.tomar_turno(replica, ahora=time.time(), duracion=DURACION_TURNO):
        return None
    try:
        return await _generar(
            perfiles=perfiles, instantaneas=instantaneas, almacen=almacen, firmante=firmante,
            eleccion=eleccion, cambio=cambio, generado_en=ahora(),
        )  # fmt: skip
    finally:
        await instantaneas.soltar_turno(replica)


async def _generar(
    *,
    perfiles: PerfilRepository,
    instantaneas: InstantaneaRepository,
    almacen: AlmacenPiezas,
    firmante: Firmante,
    eleccion: ContextoEleccion,
    cambio: float,
    generado_en: datetime,
) -> Resultado | None:
    """Write every file, then publish them unless their content is the current one's."""
    # Imported here: openpyxl costs a quarter of a second at start-up.
    from publicacion.escritura_datos import EscritorInstantanea

    # Read after taking the turn: another replica may have published meanwhile.
    actual = await instantaneas.actual()
    # A cancelled generation leaves its worker thread writing: never fail on the clean-up.
    with tempfile.TemporaryDirectory(
        prefix="conoceles-datos-abiertos-", ignore_cleanup_errors=True
    ) as carpeta:
        escritor = EscritorInstantanea(Path(carpeta), eleccion=eleccion, generado_en=generado_en)
        bases = await _escribir_bases(perfiles, escritor)
        tiempos = escritor.tiempos
        huella = da.huella_contenido(e.generado for e in bases)
        filas = {e.archivo.base: e.generado.filas for e in bases if e.archivo.formato == "csv"}
        filas = {b: filas[b] for b in (da.CURRICULAR, da.IDENTIDAD)}
        if actual is not None and (actual.huella, actual.huella_clave) == (huella, firmante.huella):
            await instantaneas.marcar_revisada(actual, revisado_hasta=cambio)
            return Resultado(False, huella, filas, tiempos.segundos, tiempos.cpu)
        escritos, publicados = await _guardar_con_libro(escritor, bases, almacen)
    manifiesto = da.manifiesto(
        eleccion=eleccion.eleccion, generado_en=generado_en.isoformat(),
        archivos=[e.generado for e in escritos], filas=filas, huella_clave=firmante.huella,
    )  # fmt: skip
    nueva = Instantanea(
        eleccion=eleccion.eleccion,
        generado_en=generado_en.isoformat(),
        huella=huella,
        revisado_hasta=cambio,
        manifiesto=manifiesto.decode(),
        firma=base64.b64encode(firmante.firmar(manifiesto)).decode("ascii"),
        clave_publica=firmante.clave_publica_pem,
        huella_clave=firmante.huella,
        archivos=tuple(publicados),
    )
    if not await instantaneas.reemplazar(nueva, previa=actual):
        log.info("Otra réplica publicó los datos abiertos primero; se conserva la suya")
        return None
    if actual is not None:
        await almacen.borrar(await instantaneas.retirar(actual, vigente=nueva, ahora=time.time()))
    log.info("Datos abiertos publicados: %s perfiles, %s con identidad", *filas.values())
    return Resultado(True, huella, filas, tiempos.segundos, tiempos.cpu)


async def _escribir_bases(
    perfiles: PerfilRepository, escritor: "EscritorInstantanea"
) -> list["Escrito"]:
    """Both bases and the dictionary; each batch is read while the previous one is written."""
    escribiendo: asyncio.Future[None] | None = None
    try:
        async for lote in _lotes(perfiles.recorrer_vistas(), LOTE, escritor):
            if escribiendo is not None:
                await escribiendo
            escribiendo = asyncio.ensure_future(asyncio.to_thread(escritor.agregar, lote))
        if escribiendo is not None:
            await escribiendo
        return await asyncio.to_thread(escritor.cerrar)
    except BaseException:
        if escribiendo is not None:
            # Its thread cannot be stopped: let it finish before its files are closed.
            await asyncio.wait([escribiendo])
        escritor.descartar()
        raise


async def _guardar_con_libro(
    escritor: "EscritorInstantanea", bases: list["Escrito"], almacen: AlmacenPiezas
) -> tuple[list["Escrito"], list[ArchivoPublicado]]:
    """Write INE's workbook while the bases' pieces are stored; every file, in the page's order."""
    # The workbook only now: a check that finds the same content is spared its cost.
    libro = asyncio.ensure_future(asyncio.to_thread(escritor.escribir_xlsx))
    try:
        with escritor.tiempos.medir("almacenamiento"):
            publicados = {e.archivo.nombre: await _publicar(almacen, e) for e in bases}
        xlsx = await libro
    finally:
        if not libro.done():
            await asyncio.wait([libro])
    with escritor.tiempos.medir("almacenamiento"):
        publicados[da.XLSX_INE] = await _publicar(almacen, xlsx)
    escritos = {e.archivo.nombre: e for e in (*bases, xlsx)}
    return [escritos[a.nombre] for a in da.ARCHIVOS], [publicados[a.nombre] for a in da.ARCHIVOS]


async def _publicar(almacen: AlmacenPiezas, escrito: "Escrito") -> ArchivoPublicado:
    """Store a written file's pieces; the file as the snapshot lists it."""
    archivo, generado = escrito.archivo, escrito.generado
    return ArchivoPublicado(
        nombre=archivo.nombre,
        base=archivo.base,
        formato=archivo.formato,
        tipo=archivo.tipo,
        descripcion=archivo.descripcion,
        tamano=generado.tamano,
        sha256=generado.sha256,
        filas=generado.filas,
        piezas=await almacen.guardar(escrito.ruta),
    )


async def _lotes(
    vistas: AsyncIterator[dict[str, Any]], tamano: int, escritor: "EscritorInstantanea"
) -> AsyncIterator[list[dict[str, Any]]]:
    """The views in lists of `tamano`, timing the reads."""
    lote: list[dict[str, Any]] = []
    inicio, cpu = time.perf_counter(), time.thread_time()
    async for vista in vistas:
        lote.append(vista)
        if len(lote) < tamano:
            continue
        escritor.tiempos.sumar("lectura", time.perf_counter() - inicio, time.thread_time() - cpu)
        yield lote
        lote = []
        inicio, cpu = time.perf_counter(), time.thread_time()
    escritor.tiempos.sumar("lectura", time.perf_counter() - inicio, time.thread_time() - cpu)
    if lote:
        yield lote


async def instantanea_actual(*, instantaneas: InstantaneaRepository) -> Instantanea | None:
    """The snapshot being served."""
    return await instantaneas.actual()
