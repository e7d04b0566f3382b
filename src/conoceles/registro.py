"""`conoceles eleccion|registro|demo`: catalog loading, registry imports and demo data."""

import asyncio
import contextlib
import csv
import json
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from comun.eventos import Actor
from comun.roles import Rol
from comun.servicios import Servicio
from comun.settings import PlatformSettings

consola = Console(stderr=True)
salida = Console(highlight=False, soft_wrap=True)
eleccion_app = typer.Typer(help="Catálogo de la elección.", no_args_is_help=True)
registro_app = typer.Typer(help="Registro de candidaturas.", no_args_is_help=True)
demo_app = typer.Typer(help="Datos de demostración.", no_args_is_help=True)

# Who the history records for actions run from the command line on the server.
ACTOR_CLI = Actor(usuario="consola", rol=Rol.ADMINISTRADOR)
T = TypeVar("T")

Directorio = Annotated[
    Path, typer.Argument(help="Carpeta de la elección (p. ej. datos/elecciones/edomex-2024).")
]


def _nada(doc_id: str | None = None) -> None:
    """No relay in this process: the service's relay finds the outbox on its periodic scan."""


@contextlib.asynccontextmanager
async def _repositorios() -> AsyncIterator[tuple[Any, Any]]:
    """captura's repositories on the configured store (its relay publishes the events)."""
    from captura.adapters import CandidaturaRepository, EleccionRepository
    from comun.factories import database_name, open_store

    store = await open_store(PlatformSettings(), database_name(Servicio.CAPTURA))
    try:
        repo = CandidaturaRepository(store, avisar_relay=_nada)
        await repo.preparar()
        yield repo, EleccionRepository(store, avisar_relay=_nada)
    finally:
        await store.close()


def _correr(corutina: Awaitable[T]) -> T:
    """Run a coroutine, turning known errors into one Spanish line and exit code 1."""
    from captura.domain import ErrorDominio
    from comun.store import StoreUnavailableError

    try:
        return asyncio.run(corutina)  # type: ignore[arg-type]
    except (ErrorDominio, StoreUnavailableError, FileNotFoundError) as exc:
        consola.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    except (json.JSONDecodeError, UnicodeDecodeError, csv.Error) as exc:
        consola.print(
            f"[bold red]Error:[/] un archivo del catálogo no se puede leer ({exc}); "
            "revise que sea JSON o CSV en UTF-8.",
            soft_wrap=True,
        )
        raise typer.Exit(code=1) from None


@eleccion_app.command("cargar")
def cargar(directorio: Directorio) -> None:
    """Revisar y cargar (o reemplazar) el catálogo de una elección."""
    from captura import handlers
    from captura.adapters import leer_directorio_eleccion

    async def principal() -> tuple[Any, bool]:
        datos = leer_directorio_eleccion(directorio)
        async with _repositorios() as (_, elecciones):
            return await handlers.cargar_eleccion(repo=elecciones, datos=datos, actor=ACTOR_CLI)

    eleccion, cambio = _correr(principal())
    totales = ", ".join(f"{k}={v}" for k, v in eleccion.calculados().items())
    estado = "cargada" if cambio else "sin cambios (ya estaba cargada)"
    salida.print(f"Elección {eleccion.id} «{eleccion.nombre}» {estado}: {totales}")


@registro_app.command("importar")
def importar(
    archivo: Annotated[Path, typer.Argument(help="Registro en XLSX o CSV.")],
    todo_o_nada: Annotated[
        bool,
        typer.Option("--todo-o-nada", help="Si alguna fila tiene errores, no aplicar ninguna."),
    ] = False,
    reporte: Annotated[
        Path | None, typer.Option(help="Guardar el reporte de conciliación en este XLSX.")
    ] = None,
) -> None:
    """Importar el registro; termina con la línea de resumen (código 2 si el archivo no sirve)."""
    from captura.config import Settings
    from captura.domain import ColumnasIncorrectas
    from comun.tabular import UnusableFile

    if not archivo.is_file():
        consola.print(f"[bold red]El archivo no se puede importar:[/] no existe «{archivo}».")
        raise typer.Exit(code=2)
    try:
        datos = _correr(_importar(archivo, todo_o_nada=todo_o_nada, eleccion=Settings().eleccion))
    except (UnusableFile, ColumnasIncorrectas, IsADirectoryError) as exc:
        consola.print(f"[bold red]El archivo no se puede importar:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=2) from None
    _mostrar_rechazos(datos["rechazadas"])
    if reporte is not None:
        from captura.handlers.importacion import reporte_xlsx

        reporte.write_bytes(reporte_xlsx(datos))
    if not datos["aplicado"]:
        consola.print("[yellow]Todo o nada:[/] hubo filas con errores; no se aplicó ninguna.")
    from captura.handlers.importacion import linea_resumen

    salida.print(linea_resumen(datos))


async def _importar(archivo: Path, *, todo_o_nada: bool, eleccion: str) -> dict[str, Any]:
    """Read, reconcile and apply a registry file with a progress bar."""
    from captura import handlers
    from captura.handlers import importacion

    async with _repositorios() as (repo, elecciones):
        catalogo = await handlers.eleccion_cargada(repo=elecciones, eleccion_id=eleccion)
        with _barra() as progreso:
            filas = await importacion.leer_archivo(archivo, archivo.name, progreso=progreso)
            resultado = await handlers.importar_registro(
                repo=repo,
                eleccion=catalogo,
                filas=filas,
                actor=ACTOR_CLI,
                todo_o_nada=todo_o_nada,
                progreso=progreso,
            )
    return importacion.reporte(resultado, archivo=archivo.name, todo_o_nada=todo_o_nada)


@contextlib.contextmanager
def _barra() -> Any:
    """A rich progress bar and the async callback that moves it."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=consola,
        transient=True,
    ) as barra:
        tareas: dict[str, Any] = {}

        async def progreso(fase: str, hechas: int, total: int | None) -> None:
            nombre = {"leyendo": "Leyendo y revisando filas", "aplicando": "Aplicando cambios"}[
                fase
            ]
            if fase not in tareas:
                tareas[fase] = barra.add_task(nombre, total=total)
            barra.update(tareas[fase], completed=hechas, total=total)

        yield progreso


def _mostrar_rechazos(rechazadas: list[dict[str, Any]], maximo: int = 20) -> None:
    """The first rejected rows, so the operator sees why without opening the report."""
    if not rechazadas:
        return
    tabla = Table(title=f"Filas rechazadas ({len(rechazadas)} motivos)")
    for columna in ("fila", "folio", "columna", "motivo"):
        tabla.add_column(columna, overflow="fold")
    for r in rechazadas[:maximo]:
        tabla.add_row(str(r["fila"]), r["folio"], r["columna"], r["motivo"])
    consola.print(tabla)
    if len(rechazadas) > maximo:
        consola.print(f"… y {len(rechazadas) - maximo} más; use --reporte para verlas todas.")


@demo_app.command("generar")
def generar(
    candidaturas: Annotated[int, typer.Option(help="Cuántas candidaturas generar.")] = 2000,
    semilla: Annotated[int, typer.Option(help="Semilla: la misma da los mismos datos.")] = 2024,
    salida_archivo: Annotated[
        Path | None,
        typer.Option("--salida", help="Escribir el registro en este archivo .xlsx o .csv."),
    ] = None,
    directorio: Annotated[
        Path | None, typer.Option("--eleccion", help="Carpeta de la elección.")
    ] = None,
) -> None:
    """Generar candidaturas sintéticas realistas y deterministas en el formato del registro."""
    from captura import generador
    from captura.adapters import leer_directorio_eleccion
    from captura.config import Settings
    from captura.domain import CatalogoInvalido, armar_eleccion

    try:
        eleccion = armar_eleccion(leer_directorio_eleccion(directorio or Settings().catalogo))
        filas = generador.generar(eleccion, candidaturas=candidaturas, semilla=semilla)
    except (CatalogoInvalido, FileNotFoundError, ValueError) as exc:
        consola.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    if salida_archivo is None:
        salida.print(f"{len(filas)} candidaturas generadas (use --salida para guardarlas).")
        return
    try:
        generador.escribir(filas, salida_archivo)
    except (ValueError, OSError) as exc:
        consola.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    salida.print(f"{len(filas)} candidaturas escritas en {salida_archivo}")
