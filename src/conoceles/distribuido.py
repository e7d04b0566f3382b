"""Distributed mode: real infrastructure, one uvicorn process per service, nginx in front."""

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console

from comun.servicios import Servicio
from conoceles import pasarela
from conoceles.infra import (
    ConsoleReporter,
    InfraSettings,
    Paths,
    Server,
    Urls,
    asegurar,
    asegurar_infra,
    detener,
    detener_infra,
    servidores,
)
from conoceles.infra.builds import BuildContext
from conoceles.infra.config import REPO_ROOT, InfraError
from conoceles.infra.servers import KEYCLOAK_REALM, Launch
from conoceles.todo_en_uno import ORDEN

HOST = "127.0.0.1"
PUERTO_PASARELA = 8080
PUERTOS = {servicio: 8101 + i for i, servicio in enumerate(ORDEN)}


def entorno_distribuido(urls: Urls, *, pasarela_url: str) -> dict[str, str]:
    """Environment that switches every service to the real adapters."""
    return {
        "CONOCELES_STORE": "mongodb",
        "CONOCELES_MONGODB_URL": urls.mongodb_url,
        "CONOCELES_BUS": "kafka",
        "CONOCELES_KAFKA_URL": urls.kafka_url,
        "CONOCELES_IDENTIDAD": "keycloak",
        "CONOCELES_KEYCLOAK_URL": urls.keycloak_url,
        "CONOCELES_KEYCLOAK_REALM": KEYCLOAK_REALM,
        "CONOCELES_IDENTIDAD_URL_PUBLICA": pasarela_url,
    }


async def _responde(url: str) -> bool:
    """Whether a GET answers 200 within a short time."""
    try:
        async with httpx.AsyncClient(timeout=2.0) as cliente:
            return (await cliente.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass(frozen=True)
class ProcesoServicio:
    """One service in its own `conoceles serve` process."""

    servicio: Servicio
    entorno: dict[str, str]
    test_env: str = ""
    ready_timeout: float = 90.0
    stop_timeout: float = 20.0
    host: str = HOST

    @property
    def name(self) -> str:
        """PID and log file name."""
        return self.servicio.value

    @property
    def title(self) -> str:
        """Shown in progress lines."""
        return self.servicio.value

    @property
    def ports(self) -> tuple[int, ...]:
        """Its own port."""
        return (PUERTOS[self.servicio],)

    @property
    def url(self) -> str:
        """Direct address (the gateway is the public one)."""
        return f"http://{HOST}:{PUERTOS[self.servicio]}"

    @property
    def marker(self) -> str:
        """Its command line names the service it serves."""
        return f"conoceles serve {self.servicio.value} "

    async def prepare(self, ctx: BuildContext) -> Launch:
        """Nothing to build: the command line and the distributed environment."""
        argv = [sys.executable, "-m", "conoceles", "serve", self.servicio.value, "--port"]
        return Launch(
            argv=[*argv, str(PUERTOS[self.servicio])],
            cwd=REPO_ROOT,
            env={**os.environ, **self.entorno},
        )

    async def answers(self) -> bool:
        """Ready means its store and bus answer too."""
        return await _responde(f"{self.url}/api/{self.servicio.value}/health/ready")


@dataclass(frozen=True)
class Pasarela:
    """The nginx gateway on port 8080."""

    prefijo: Path
    registros: Path
    keycloak: str
    test_env: str = ""
    ready_timeout: float = 30.0
    stop_timeout: float = 10.0
    host: str = HOST
    name: str = "pasarela"
    title: str = "nginx"

    @property
    def ports(self) -> tuple[int, ...]:
        """The public port."""
        return (PUERTO_PASARELA,)

    @property
    def url(self) -> str:
        """Where people and scripts reach the system."""
        return f"http://{HOST}:{PUERTO_PASARELA}"

    @property
    def marker(self) -> str:
        """nginx keeps its -c path in the master's process title."""
        return str(self.prefijo / "nginx.conf")

    async def prepare(self, ctx: BuildContext) -> Launch:
        """Render and check the configuration, installing nginx when missing."""
        config = pasarela.ConfigPasarela(
            prefijo=self.prefijo,
            registros=self.registros,
            upstreams={s.value: p for s, p in PUERTOS.items()},
            host=HOST,
            puerto=PUERTO_PASARELA,
            keycloak=self.keycloak,
        )
        try:
            conf = pasarela.renderizar(config)
            pasarela.comprobar(conf)
            return Launch(argv=pasarela.orden_arranque(conf), cwd=self.prefijo)
        except pasarela.PasarelaError as exc:
            raise InfraError(f"nginx: {exc}") from exc

    async def answers(self) -> bool:
        """The gateway answers when it proxies the public site's liveness."""
        return await _responde(f"{self.url}/api/publicacion/health/live")


def procesos(urls: Urls, paths: Paths) -> list[Server]:
    """The six services and the gateway, as the infrastructure manager runs them."""
    pasarela_url = f"http://{HOST}:{PUERTO_PASARELA}"
    entorno = entorno_distribuido(urls, pasarela_url=pasarela_url)
    servicios: list[Server] = [ProcesoServicio(s, entorno) for s in ORDEN]
    gateway = Pasarela(paths.state / "pasarela", paths.logs, keycloak=urls.keycloak_url)
    return [*servicios, gateway]


async def levantar(consola: Console) -> Urls:
    """Start the infrastructure, then the services and the gateway; wait until all answer."""
    paths = Paths.from_settings(InfraSettings())
    # The servers only: the distributed mode does not need the tests' browser.
    with ConsoleReporter(consola, servidores()) as informe:
        urls = await asegurar_infra(reporter=informe, nombres=[s.name for s in servidores()])
    propios = procesos(urls, paths)
    with ConsoleReporter(consola, propios) as informe:
        await asegurar(propios, paths=paths, reporter=informe)
    await cargar_catalogo(consola, urls)
    return urls


async def cargar_catalogo(consola: Console, urls: Urls) -> None:
    """Load the configured election's catalog (a no-op when it is already there)."""
    from captura.config import Settings

    entorno = entorno_distribuido(urls, pasarela_url=f"http://{HOST}:{PUERTO_PASARELA}")
    orden = [sys.executable, "-m", "conoceles", "eleccion", "cargar", str(Settings().catalogo)]
    resultado = await asyncio.to_thread(
        subprocess.run,
        orden,
        capture_output=True,
        text=True,
        env={**os.environ, **entorno},
        cwd=REPO_ROOT,
        check=False,
    )
    if resultado.returncode != 0:
        raise InfraError(f"no se pudo cargar el catálogo de la elección: {resultado.stderr[-500:]}")
    consola.print(resultado.stdout.strip(), highlight=False, soft_wrap=True)


async def bajar(consola: Console, *, con_infra: bool) -> None:
    """Stop the gateway and the services by their recorded PIDs (and the infrastructure)."""
    paths = Paths.from_settings(InfraSettings())
    propios = procesos(Urls(), paths)
    with ConsoleReporter(consola, propios) as informe:
        await detener(list(reversed(propios)), paths=paths, reporter=informe)
    if con_infra:
        with ConsoleReporter(consola, servidores()) as informe:
            await detener_infra(reporter=informe)
