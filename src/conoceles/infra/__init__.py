"""`conoceles infra up|down|status`: real Kafka, FerretDB and Keycloak on loopback; Chromium."""

import asyncio
import time
from collections.abc import Coroutine, Sequence
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from conoceles.infra.config import InfraError, InfraSettings, Paths
from conoceles.infra.manager import (
    Estado,
    Pieza,
    Reporter,
    Urls,
    asegurar,
    asegurar_infra,
    chosen,
    chosen_servers,
    detener,
    detener_infra,
    estado,
    estado_infra,
    estado_navegador,
)
from conoceles.infra.servers import Server, servidores

__all__ = [
    "ConsoleReporter",
    "Estado",
    "InfraError",
    "InfraSettings",
    "Paths",
    "Reporter",
    "Server",
    "Urls",
    "app",
    "asegurar",
    "asegurar_infra",
    "detener",
    "detener_infra",
    "ejecutar",
    "estado",
    "estado_infra",
    "servidores",
]

app = typer.Typer(
    help="Infraestructura real en esta máquina: Kafka, FerretDB, Keycloak y Chromium (pruebas).",
    no_args_is_help=True,
)
consola = Console(stderr=True)
T = TypeVar("T")


class Nombre(StrEnum):
    """Servers the commands accept by name."""

    KAFKA = "kafka"
    FERRETDB = "ferretdb"
    KEYCLOAK = "keycloak"
    CHROMIUM = "chromium"


Nombres = Annotated[
    list[Nombre] | None,
    typer.Argument(
        help="Servidores a tratar (por omisión, todos; «chromium» es el navegador de las pruebas).",
        metavar="[SERVIDOR]...",
        show_default=False,
    ),
]


class ConsoleReporter:
    """Progress on the terminal: one spinner per server, or plain lines when not a terminal."""

    def __init__(self, console: Console, servers: Sequence[Pieza]) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        if console.is_terminal:
            self._progress = Progress(
                SpinnerColumn(finished_text=" "),
                TextColumn("[bold]{task.fields[titulo]:<9}"),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
            )
            for s in servers:
                self._tasks[s.name] = self._progress.add_task("en espera…", total=1, titulo=s.title)

    def __enter__(self) -> "ConsoleReporter":
        """Start the live display."""
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        tipo: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the live display."""
        if self._progress is not None:
            self._progress.stop()

    def step(self, server: Pieza, text: str) -> None:
        """Show the new phase."""
        if self._progress is not None:
            self._progress.update(self._tasks[server.name], description=text)
        else:
            self._console.print(f"{server.title}: {text}", highlight=False)

    def detail(self, server: Pieza, text: str) -> None:
        """Show fine progress on a terminal only (too chatty for CI logs)."""
        if self._progress is not None:
            self._progress.update(self._tasks[server.name], description=text)

    def done(self, server: Pieza, text: str, *, ok: bool = True) -> None:
        """Mark the server finished."""
        marca = "[green]✓[/]" if ok else "[red]✗[/]"
        if self._progress is not None:
            self._progress.update(
                self._tasks[server.name], description=f"{marca} {text}", completed=1
            )
        else:
            self._console.print(f"{marca} {server.title}: {text}", highlight=False)

    def note(self, text: str) -> None:
        """Print a message above the spinners."""
        self._console.print(text, highlight=False)


def ejecutar(trabajo: Coroutine[Any, Any, T], *, accion: str) -> T:
    """Run a coroutine; infrastructure errors become one Spanish message and exit code 1."""
    try:
        return asyncio.run(trabajo)
    except InfraError as exc:
        consola.print(f"[bold red]No se pudo {accion}:[/]", highlight=False)
        consola.print(str(exc), highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        consola.print(
            "Interrumpido. Lo que ya arrancó sigue en marcha: `conoceles infra status` lo "
            "muestra y `conoceles infra down` lo detiene.",
            highlight=False,
        )
        raise typer.Exit(code=130) from None


def _relative(path: Path) -> str:
    """`path` relative to the working folder when inside it (shorter in the table)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@app.command()
def up(
    nombres: Nombres = None,
    env: Annotated[
        bool,
        typer.Option(
            "--env",
            help="Escribir en la salida estándar líneas `export CONOCELES_TEST_…` para `eval`.",
        ),
    ] = False,
) -> None:
    """Descargar, arrancar y esperar a Kafka, FerretDB y Keycloak; instalar Chromium si falta."""
    inicio = time.monotonic()
    elegidos = [n.value for n in nombres] if nombres else None
    with ConsoleReporter(consola, chosen(elegidos)) as informe:
        urls = ejecutar(
            asegurar_infra(reporter=informe, nombres=elegidos), accion="iniciar la infraestructura"
        )
    consola.print(
        f"[bold green]Infraestructura lista[/] en {time.monotonic() - inicio:.0f} s. "
        f"MongoDB: {urls.mongodb_url} · Kafka: {urls.kafka_url} · Keycloak: {urls.keycloak_url}",
        highlight=False,
        soft_wrap=True,
    )
    if env:
        typer.echo(urls.env_lines(), nl=False)


@app.command()
def down(nombres: Nombres = None) -> None:
    """Detener los servidores que inició `conoceles infra up` (por su PID registrado)."""
    elegidos = [n.value for n in nombres] if nombres else None
    with ConsoleReporter(consola, chosen_servers(elegidos)) as informe:
        trabajo = detener_infra(reporter=informe, nombres=elegidos)
        ejecutar(trabajo, accion="detener la infraestructura")


@app.command()
def status() -> None:
    """Mostrar cada servidor, su dirección, su PID y si responde; y si Chromium está instalado."""
    estados = ejecutar(estado_infra(), accion="consultar la infraestructura")
    navegador = ejecutar(estado_navegador(), accion="consultar el navegador")
    tabla = Table(title="Infraestructura local de Conóceles")
    for columna in ("servidor", "dirección", "PID", "responde", "registro"):
        tabla.add_column(columna)
    for e in estados:
        tabla.add_row(
            e.servidor.title,
            e.servidor.url,
            str(e.pid) if e.pid is not None else "—",
            "[green]sí[/]" if e.responde else "[red]no[/]",
            _relative(e.log),
        )
    tabla.add_row(
        navegador.navegador.title,
        str(navegador.navegador.ejecutable),
        "—",
        f"[green]sí[/] ({navegador.version})" if navegador.version else "[red]no instalado[/]",
        _relative(navegador.log),
    )
    Console().print(tabla)
