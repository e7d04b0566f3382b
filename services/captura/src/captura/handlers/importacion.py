"""Registry imports: from a file or a pushed batch to the reconciliation report."""

import asyncio
import io
import itertools
from collections.abc import Awaitable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from uuid6 import uuid7

from captura.adapters import CandidaturaRepository, ImportacionRepository
from captura.domain import NOMBRES_COLUMNAS, Eleccion, revisar_encabezados
from captura.handlers.registro import Progreso, Resultado, importar_registro
from comun import tabular
from comun.eventos import Actor

Celdas = Mapping[str, object]


class LoteInvalido(ValueError):
    """A pushed batch cannot be read as registry rows; the message is Spanish."""


def filas_de_tabla(tabla: tabular.Table) -> Iterator[tuple[int, Celdas]]:
    """Spreadsheet rows → cells by layout column (ColumnasIncorrectas on a wrong header)."""
    posiciones = revisar_encabezados(tabla.headers)
    for numero, celdas in tabla.rows:
        yield numero, {columna: celdas[i] for columna, i in posiciones.items()}


MAX_FILAS = 200_000
PARTE = 1_000


async def leer_archivo(
    ruta: Path, archivo: str, *, progreso: Progreso | None = None, max_filas: int = MAX_FILAS
) -> list[tuple[int, Celdas]]:
    """Every row of a registry file, parsed in a worker thread a thousand rows at a time."""
    tabla = await asyncio.to_thread(tabular.read_table, ruta, filename=archivo)
    with tabla:
        filas = filas_de_tabla(tabla)
        leidas: list[tuple[int, Celdas]] = []
        while parte := await asyncio.to_thread(lambda: list(itertools.islice(filas, PARTE))):
            leidas += parte
            if len(leidas) > max_filas:
                raise tabular.UnusableFile(
                    f"El archivo «{archivo}» tiene más de {max_filas:,} filas; divídalo en "
                    "archivos más pequeños."
                )
            if progreso is not None:
                await progreso("leyendo", len(leidas), None)
    return leidas


def filas_de_lote(candidaturas: Sequence[Mapping[str, Any]]) -> list[tuple[int, Celdas]]:
    """Pushed JSON objects (keys are the layout columns, any case) → numbered rows."""
    filas = []
    for numero, objeto in enumerate(candidaturas, start=1):
        celdas = {str(k).upper(): v for k, v in objeto.items()}
        sobran = sorted(set(celdas) - set(NOMBRES_COLUMNAS))
        if sobran:
            raise LoteInvalido(
                f"La candidatura {numero} del lote trae campos desconocidos: {', '.join(sobran)}. "
                f"Los campos válidos son: {', '.join(c.lower() for c in NOMBRES_COLUMNAS)}."
            )
        filas.append((numero, celdas))
    return filas


def reporte(resultado: Resultado, *, archivo: str, todo_o_nada: bool) -> dict[str, Any]:
    """The reconciliation report as plain data (stored, returned by the API, exported)."""
    plan = resultado.plan
    return {
        "archivo": archivo,
        "filas": resultado.filas,
        "aplicado": resultado.aplicado,
        "todo_o_nada": todo_o_nada,
        "resumen": {**plan.resumen(), "sin_cambios": plan.sin_cambios},
        "nuevas": [
            {"fila": a.fila, "folio": a.folio, "nombre": a.registro.nombre} for a in plan.nuevas
        ],
        "modificadas": [
            {"fila": c.fila, "folio": c.folio, "campos": list(c.campos)} for c in plan.modificadas
        ],
        "sustituidas": [
            {"fila": a.fila, "anterior": a.sustituye_a, "nueva": a.folio}
            for a in plan.sustituciones
        ],
        "canceladas": [{"fila": b.fila, "folio": b.folio} for b in plan.canceladas],
        "rechazadas": [
            {"fila": r.fila, "folio": r.folio, "columna": r.columna, "motivo": r.motivo}
            for r in sorted(plan.rechazadas, key=lambda r: r.fila)
        ],
    }


def linea_resumen(datos: Mapping[str, Any]) -> str:
    """`nuevas=N modificadas=N sustituidas=N canceladas=N rechazadas=N`."""
    claves = ("nuevas", "modificadas", "sustituidas", "canceladas", "rechazadas")
    return " ".join(f"{k}={datos['resumen'][k]}" for k in claves)


HOJAS_REPORTE: dict[str, tuple[str, ...]] = {
    "NUEVAS": ("fila", "folio", "nombre"),
    "MODIFICADAS": ("fila", "folio", "campos"),
    "SUSTITUIDAS": ("fila", "anterior", "nueva"),
    "CANCELADAS": ("fila", "folio"),
    "RECHAZADAS": ("fila", "folio", "columna", "motivo"),
}


def reporte_xlsx(datos: Mapping[str, Any]) -> bytes:
    """The report as a workbook: a summary sheet and one sheet per outcome."""
    resumen = [("archivo", datos["archivo"]), ("filas", datos["filas"])]
    resumen += [("aplicado", "sí" if datos["aplicado"] else "no")]
    resumen += list(datos["resumen"].items())
    hojas: dict[str, tuple[Sequence[str], Iterable[Sequence[tabular.Cell]]]] = {
        "RESUMEN": (("concepto", "valor"), resumen)
    }
    for hoja, columnas in HOJAS_REPORTE.items():
        filas = [[_celda(fila[c]) for c in columnas] for fila in datos[hoja.lower()]]
        hojas[hoja] = ([c.upper() for c in columnas], filas)
    salida = io.BytesIO()
    tabular.write_xlsx(salida, hojas)
    return salida.getvalue()


def _celda(valor: object) -> tabular.Cell:
    """Report value → spreadsheet cell (lists joined)."""
    if isinstance(valor, list):
        return ", ".join(str(v) for v in valor)
    return valor  # type: ignore[return-value]


def plantilla_xlsx() -> bytes:
    """The registry template: the header row and a sheet explaining every column."""
    from captura.domain import COLUMNAS

    salida = io.BytesIO()
    instrucciones = [(c.nombre, "sí" if c.obligatoria else "no", c.descripcion) for c in COLUMNAS]
    tabular.write_xlsx(
        salida,
        {
            "REGISTRO": (NOMBRES_COLUMNAS, []),
            "INSTRUCCIONES": (("COLUMNA", "OBLIGATORIA", "DESCRIPCION"), instrucciones),
        },
    )
    return salida.getvalue()


async def iniciar_importacion(
    *, importaciones: ImportacionRepository, archivo: str, actor: Actor, todo_o_nada: bool
) -> str:
    """Record a new import job and return its id."""
    importacion_id = str(uuid7())
    await importaciones.crear(
        {
            "_id": importacion_id,
            "archivo": archivo,
            "estado": "en_proceso",
            "fase": "leyendo",
            "hechas": 0,
            "total": None,
            "todo_o_nada": todo_o_nada,
            "inicio": datetime.now(UTC).isoformat(),
            "usuario": actor.usuario,
        }
    )
    return importacion_id


async def ejecutar_importacion(
    *,
    importacion_id: str,
    importaciones: ImportacionRepository,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    ruta: Path,
    archivo: str,
    actor: Actor,
    todo_o_nada: bool,
) -> dict[str, Any]:
    """Run a file import, keeping its job's progress and report up to date."""

    progreso = progreso_de(importaciones, importacion_id)
    try:
        filas = await leer_archivo(ruta, archivo, progreso=progreso)
        resultado = await importar_registro(
            repo=repo,
            eleccion=eleccion,
            filas=filas,
            actor=actor,
            todo_o_nada=todo_o_nada,
            progreso=progreso,
        )
    except (tabular.UnusableFile, ValueError) as exc:
        await importaciones.actualizar(importacion_id, estado="fallida", error=str(exc))
        raise
    datos = reporte(resultado, archivo=archivo, todo_o_nada=todo_o_nada)
    await importaciones.terminar(
        importacion_id, datos, estado="terminada", fin=datetime.now(UTC).isoformat()
    )
    return datos


_tareas: set[asyncio.Task[Any]] = set()
_turno = asyncio.Lock()


async def recibir(
    *,
    origen: BinaryIO,
    nombre: str,
    carpeta: Path,
    max_bytes: int,
    repo: CandidaturaRepository,
    importaciones: ImportacionRepository,
    eleccion: Eleccion,
    actor: Actor,
    todo_o_nada: bool,
) -> str:
    """Keep an uploaded file, check format and header, and import it in the background."""
    ruta = await asyncio.to_thread(guardar_subida, origen, carpeta, Path(nombre).suffix, max_bytes)
    try:
        tabla = await asyncio.to_thread(
            tabular.read_table, ruta, filename=nombre, max_bytes=max_bytes
        )
        with tabla:
            revisar_encabezados(tabla.headers)
    except BaseException:
        await asyncio.to_thread(ruta.unlink, missing_ok=True)
        raise
    importacion_id = await iniciar_importacion(
        importaciones=importaciones, archivo=nombre, actor=actor, todo_o_nada=todo_o_nada
    )
    trabajo = ejecutar_importacion(
        importacion_id=importacion_id,
        importaciones=importaciones,
        repo=repo,
        eleccion=eleccion,
        ruta=ruta,
        archivo=nombre,
        actor=actor,
        todo_o_nada=todo_o_nada,
    )
    en_segundo_plano(ruta, trabajo, turno=_turno, nombre=f"importacion-{importacion_id}")
    return importacion_id


def progreso_de(trabajos: ImportacionRepository, trabajo_id: str) -> Progreso:
    """A progress sink that keeps a job's phase and counts up to date."""

    async def progreso(fase: str, hechas: int, total: int | None) -> None:
        await trabajos.actualizar(trabajo_id, fase=fase, hechas=hechas, total=total)

    return progreso


def en_segundo_plano(
    ruta: Path, trabajo: Awaitable[Any], *, turno: asyncio.Lock, nombre: str
) -> None:
    """Run a job in the background, keeping a reference so it is not collected."""
    tarea = asyncio.create_task(_en_turno(ruta, trabajo, turno), name=nombre)
    _tareas.add(tarea)
    tarea.add_done_callback(_tareas.discard)


async def _en_turno(ruta: Path, trabajo: Awaitable[Any], turno: asyncio.Lock) -> None:
    """One job per lock at a time; the uploaded file is removed afterwards."""
    try:
        async with turno:
            await trabajo
    except (tabular.UnusableFile, ValueError):
        return  # already recorded on the job
    finally:
        await asyncio.to_thread(ruta.unlink, missing_ok=True)


def guardar_subida(origen: BinaryIO, carpeta: Path, sufijo: str, max_bytes: int) -> Path:
    """Copy the upload to the data folder, refusing it past the size limit."""
    carpeta.mkdir(parents=True, exist_ok=True)
    ruta = carpeta / f"{uuid7()}{sufijo[:10]}"
    copiados = 0
    with ruta.open("wb") as destino:
        while bloque := origen.read(1024 * 1024):
            copiados += len(bloque)
            if copiados > max_bytes:
                destino.close()
                ruta.unlink(missing_ok=True)
                raise tabular.UnusableFile(
                    f"El archivo supera el máximo de {max_bytes // (1024 * 1024)} MB; "
                    "divídalo en archivos más pequeños."
                )
            destino.write(bloque)
    return ruta


def borrar_subidas(carpeta: Path) -> int:
    """Delete uploads a stopped process left behind (they may hold CURPs or identity answers)."""
    if not carpeta.is_dir():
        return 0
    borrados = 0
    for archivo in carpeta.iterdir():
        if archivo.is_file():
            archivo.unlink(missing_ok=True)
            borrados += 1
    return borrados


async def marcar_interrumpidas(*, importaciones: ImportacionRepository) -> int:
    """Jobs left running by a stopped process are marked interrupted (re-import to finish)."""
    pendientes = [d for d in await importaciones.recientes(200) if d["estado"] == "en_proceso"]
    for doc in pendientes:
        await importaciones.actualizar(
            doc["_id"],
            estado="interrumpida",
            error="El servicio se detuvo durante la importación; vuelva a cargar el archivo: "
            "lo ya aplicado no se duplica.",
        )
    return len(pendientes)
