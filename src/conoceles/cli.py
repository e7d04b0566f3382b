"""The `conoceles` command: all-in-one development server and single-service processes."""

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from comun.servicios import Servicio
from comun.settings import PlatformSettings
from conoceles import cuestionarios, infra, registro
from conoceles.arranque import ArranqueError, bloquear_datos, comprobar_puerto

app = typer.Typer(
    help="Conóceles: candidatas y candidatos de la elección local.", no_args_is_help=True
)
consola = Console(stderr=True)
app.add_typer(infra.app, name="infra")
app.add_typer(registro.eleccion_app, name="eleccion")
app.add_typer(registro.registro_app, name="registro")
app.add_typer(registro.demo_app, name="demo")
app.add_typer(cuestionarios.app, name="cuestionarios")

Host = Annotated[str, typer.Option(help="Dirección donde escuchar.")]
Port = Annotated[int, typer.Option(help="Puerto donde escuchar.")]
Datos = Annotated[
    Path | None,
    typer.Option(help="Carpeta de datos (variable CONOCELES_DATOS; por omisión ./var)."),
]


@app.command()
def dev(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    datos: Datos = None,
    demo: Annotated[
        bool, typer.Option(help="Cargar la elección y las cuentas de demostración.")
    ] = False,
) -> None:
    """Los seis servicios en un solo proceso, con los adaptadores integrados."""
    _fijar_entorno(datos=datos, demo=demo)
    from conoceles.todo_en_uno import create_app

    _servir(create_app, servicios=list(Servicio), host=host, port=port, demo=demo)


@app.command()
def serve(
    servicio: Annotated[Servicio, typer.Argument(help="Servicio a iniciar.")],
    host: Host = "127.0.0.1",
    port: Port = 8000,
    datos: Datos = None,
) -> None:
    """Un solo servicio en su propio proceso, configurado por variables de entorno."""
    _fijar_entorno(datos=datos, demo=None)
    from comun.app import crear_app
    from conoceles.todo_en_uno import modulo_de

    fabrica = lambda: crear_app([modulo_de(servicio)])  # noqa: E731
    _servir(fabrica, servicios=[servicio], host=host, port=port, demo=False)


@app.command()
def up() -> None:
    """Modo distribuido: infraestructura real, cada servicio en su proceso y nginx en :8080."""
    from conoceles.distribuido import PUERTO_PASARELA, levantar

    inicio = time.monotonic()
    infra.ejecutar(levantar(consola), accion="iniciar el modo distribuido")
    consola.print(
        f"[bold green]Conóceles distribuido[/] listo en {time.monotonic() - inicio:.0f} s: "
        f"http://127.0.0.1:{PUERTO_PASARELA}/",
        highlight=False,
    )


@app.command()
def down(
    todo: Annotated[
        bool, typer.Option("--todo", help="Detener también Kafka, FerretDB y Keycloak.")
    ] = False,
) -> None:
    """Detener la pasarela y los servicios distribuidos (y la infraestructura con --todo)."""
    from conoceles.distribuido import bajar

    infra.ejecutar(bajar(consola, con_infra=todo), accion="detener el modo distribuido")


def _fijar_entorno(*, datos: Path | None, demo: bool | None) -> None:
    """CLI options become the same environment variables the services read."""
    if datos is not None:
        os.environ["CONOCELES_DATOS"] = str(datos)
    if demo:
        os.environ["CONOCELES_DEMO"] = "true"


def _servir(
    fabrica: Callable[[], FastAPI],
    *,
    servicios: Sequence[Servicio],
    host: str,
    port: int,
    demo: bool,
) -> None:
    """Run checks, build the app and serve it until interrupted."""
    from comun.factories import bus_database_name, database_name

    bases = [*(database_name(s) for s in servicios), bus_database_name(servicios)]
    try:
        plataforma = PlatformSettings()
        if demo and plataforma.entorno == "produccion":
            raise ArranqueError(
                "El modo de demostración crea cuentas con una contraseña compartida; no se "
                "permite con CONOCELES_ENTORNO=produccion. Quite --demo."
            )
        publicar = _demo_publicar() if demo else 0
        candado = bloquear_datos(plataforma.datos, proceso=_nombre_proceso(servicios))
        comprobar_puerto(host, port)
        asyncio.run(_comprobar_almacenes(plataforma, bases))
    except (ArranqueError, ValidationError, ValueError) as exc:
        consola.print(f"[bold red]No se pudo iniciar Conóceles:[/] {_mensaje(exc)}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    aplicacion = fabrica()
    servidor = _Servidor(
        uvicorn.Config(aplicacion, host=host, port=port, log_config=None, access_log=False),
        anunciar=lambda: _anunciar(aplicacion, host=host, port=port, demo=demo, publicar=publicar),
        en_segundo_plano=_publicar_demo(aplicacion, publicar) if publicar else None,
    )
    with candado:
        servidor.run()


def _nombre_proceso(servicios: Sequence[Servicio]) -> str:
    """`conoceles` for the all-in-one process, else the single service's name."""
    return "conoceles" if len(servicios) > 1 else servicios[0].value


async def _comprobar_almacenes(plataforma: PlatformSettings, bases: Sequence[str]) -> None:
    """Open every database once so a damaged or locked file stops start-up clearly."""
    from comun.factories import open_store
    from comun.store import StoreUnavailableError

    for nombre in bases:
        try:
            store = await open_store(plataforma, nombre)
        except StoreUnavailableError as exc:
            raise ArranqueError(str(exc)) from exc
        await store.close()


def _demo_publicar() -> int:
    """How many demo candidacies to publish (CONOCELES_DEMO_PUBLICAR)."""
    from conoceles.demo_publicacion import AjustesDemo

    return AjustesDemo().demo_publicar


def _publicar_demo(aplicacion: FastAPI, cantidad: int) -> Callable[[], Coroutine[Any, Any, None]]:
    """The demo's background work: publish part of the generated election."""
    from conoceles.demo_publicacion import publicar_en_segundo_plano

    return lambda: publicar_en_segundo_plano(aplicacion, cantidad=cantidad)


class _Servidor(uvicorn.Server):
    """uvicorn's server, announcing the address and demo accounts once it listens.

    `en_segundo_plano` starts once the server listens, so it never delays start-up; it is
    cancelled before the services shut down.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        *,
        anunciar: Callable[[], None],
        en_segundo_plano: Callable[[], Coroutine[Any, Any, None]] | None = None,
    ) -> None:
        super().__init__(config)
        self._anunciar = anunciar
        self._en_segundo_plano = en_segundo_plano
        self._tarea: asyncio.Task[None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then announce and start the background work (only on success)."""
        await super().startup(sockets)
        if self.started:
            self._anunciar()
            if self._en_segundo_plano is not None:
                self._tarea = asyncio.create_task(self._en_segundo_plano())

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Stop the background work first: it calls the services that are about to stop."""
        if self._tarea is not None and not self._tarea.done():
            self._tarea.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._tarea
        await super().shutdown(sockets)


def _anunciar(aplicacion: "object", *, host: str, port: int, demo: bool, publicar: int = 0) -> None:
    """Print the address and the demo accounts."""
    consola.print(f"[bold green]Conóceles[/] está en http://{host}:{port}/  (Ctrl+C para detener)")
    modulos = getattr(getattr(aplicacion, "state", None), "modulos", [])
    cuentas = [c for m in modulos for c in m.extras.get("credenciales_demo", [])]
    if demo and cuentas:
        tabla = Table(title="Cuentas de demostración (entre en /identidad/login)")
        for columna in ("usuario", "rol", "partido", "contraseña"):
            tabla.add_column(columna)
        for cuenta in cuentas:
            tabla.add_row(cuenta.usuario, str(cuenta.rol), cuenta.partido or "—", cuenta.clave)
        consola.print(tabla)
        if publicar:
            consola.print(
                f"En segundo plano se capturan, validan y publican hasta {publicar} candidaturas "
                "de demostración (CONOCELES_DEMO_PUBLICAR); el sitio público se llena en unos "
                "minutos."
            )


def _mensaje(exc: Exception) -> str:
    """One Spanish sentence for a settings or start-up error, without pydantic's decoration."""
    if isinstance(exc, ValidationError):
        return " ".join(_variable_invalida(error) for error in exc.errors())
    texto = str(exc)
    if "Value error, " in texto:
        texto = texto.split("Value error, ", 1)[1]
    return texto.splitlines()[0]


def _variable_invalida(error: Mapping[str, Any]) -> str:
    """Name the environment variable behind a settings error and what it accepts."""
    campo = ".".join(str(parte) for parte in error.get("loc", ()))
    if error.get("type") == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    variable = f"CONOCELES_{campo.upper()}"
    esperado = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " o ")
    admite = f"; use {esperado}" if esperado else ""
    valor = error.get("input")
    return f"La variable {variable} tiene el valor «{valor}», que no es válido{admite}."
