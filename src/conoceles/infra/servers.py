"""The three servers: how each is prepared, launched and asked whether it answers."""

import asyncio
import base64
import contextlib
import importlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any, Protocol

from conoceles.infra.builds import (
    KEYCLOAK_VERSION,
    BuildContext,
    ensure_ferretdb_binary,
    ensure_kafka_libs,
    ensure_keycloak,
    find_java,
    find_keycloak_java_home,
    fingerprint,
    run_tool,
)
from conoceles.infra.processes import port_answers

HOST = "127.0.0.1"
KAFKA_URL = f"{HOST}:9092"
MONGODB_URL = f"mongodb://{HOST}:27017"
KEYCLOAK_URL = f"http://{HOST}:8081"
KEYCLOAK_MANAGEMENT_URL = f"http://{HOST}:9001"
KEYCLOAK_REALM = "conoceles"
LISTA_CLAVES_COMUNES = "contrasenas-comunes.txt"
PROBE_TIMEOUT = 5.0


@dataclass(frozen=True)
class Launch:
    """How to start a prepared server."""

    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


class Server(Protocol):
    """A server `conoceles infra` manages."""

    @property
    def name(self) -> str:
        """Short name for files: PID file and log."""
        ...

    @property
    def title(self) -> str:
        """Name shown to people."""
        ...

    @property
    def host(self) -> str:
        """Address it listens on."""
        ...

    @property
    def ports(self) -> tuple[int, ...]:
        """Ports it needs, the clients' port first."""
        ...

    @property
    def url(self) -> str:
        """Where clients reach it."""
        ...

    @property
    def test_env(self) -> str:
        """Variable that gives the tests its address."""
        ...

    @property
    def marker(self) -> str:
        """Text in its command line that proves a PID is this server."""
        ...

    @property
    def ready_timeout(self) -> float:
        """Seconds it may take to answer after starting."""
        ...

    @property
    def stop_timeout(self) -> float:
        """Seconds it gets to stop before SIGKILL."""
        ...

    async def prepare(self, ctx: BuildContext) -> Launch:
        """Fetch or build what is missing and return how to start it."""
        ...

    async def answers(self) -> bool:
        """Whether the running server is ready for clients."""
        ...


@contextlib.contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """Silence client libraries' connection errors while probing a server that may be starting."""
    previos = {nombre: logging.getLogger(nombre).disabled for nombre in loggers}
    for nombre in loggers:
        logging.getLogger(nombre).disabled = True
    try:
        yield
    finally:
        for nombre, antes in previos.items():
            logging.getLogger(nombre).disabled = antes


def _host_port(address: str) -> tuple[str, int]:
    """`host:port` (optionally behind `scheme://`) split into its parts."""
    sin_esquema = address.split("://", 1)[-1].split("/", 1)[0].split(",", 1)[0]
    host, _, puerto = sin_esquema.rpartition(":")
    return host, int(puerto)


async def kafka_answers(bootstrap: str = KAFKA_URL) -> bool:
    """Whether an aiokafka admin client can list the broker's topics."""
    if not await port_answers(*_host_port(bootstrap)):
        return False
    admin_mod: Any = importlib.import_module("aiokafka.admin")
    with _quiet("aiokafka", "kafka"):
        admin = admin_mod.AIOKafkaAdminClient(
            bootstrap_servers=bootstrap, request_timeout_ms=int(PROBE_TIMEOUT * 1000)
        )
        try:
            await asyncio.wait_for(admin.start(), PROBE_TIMEOUT)
            await asyncio.wait_for(admin.list_topics(), PROBE_TIMEOUT)
        except Exception:
            return False
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
    return True


async def mongodb_answers(url: str = MONGODB_URL) -> bool:
    """Whether the MongoDB-wire server answers `ping`."""
    if not await port_answers(*_host_port(url)):
        return False
    from pymongo import AsyncMongoClient
    from pymongo.errors import PyMongoError

    timeout_ms = int(PROBE_TIMEOUT * 1000)
    cliente: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms
    )
    try:
        await cliente.admin.command("ping")
    except PyMongoError:
        return False
    finally:
        await cliente.close()
    return True


async def keycloak_answers(
    url: str = KEYCLOAK_URL,
    *,
    management_url: str | None = KEYCLOAK_MANAGEMENT_URL,
    realm: str = KEYCLOAK_REALM,
) -> bool:
    """Whether Keycloak is healthy (when its management port is known) and serves the realm."""
    import httpx

    if not await port_answers(*_host_port(url)):
        return False
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT) as cliente:
        try:
            if management_url is not None:
                salud = await cliente.get(f"{management_url}/health/ready")
                if salud.status_code != 200 or salud.json().get("status") != "UP":
                    return False
            realm_url = f"{url}/realms/{realm}/.well-known/openid-configuration"
            return (await cliente.get(realm_url)).status_code == 200
        except (httpx.HTTPError, ValueError):
            return False


def render_server_properties(template: str, *, log_dirs: Path) -> str:
    """Kafka's server.properties from the template in deploy/local/kafka."""
    return Template(template).substitute(log_dirs=str(log_dirs))


def new_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes as 22 base64url characters."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class Kafka:
    """Apache Kafka 4.3, one KRaft node acting as broker and controller."""

    name: str = "kafka"
    title: str = "Kafka"
    host: str = HOST
    ports: tuple[int, ...] = (9092, 9093)
    url: str = KAFKA_URL
    test_env: str = "CONOCELES_TEST_KAFKA"
    marker: str = "kafka.Kafka"
    ready_timeout: float = 90.0
    stop_timeout: float = 60.0

    async def prepare(self, ctx: BuildContext) -> Launch:
        """Resolve the jars, write server.properties and format the log folder once."""
        libs = await ensure_kafka_libs(ctx)
        java = find_java(ctx)
        estado = ctx.paths.state / self.name
        datos = estado / "datos"
        datos.mkdir(parents=True, exist_ok=True)
        plantilla = (ctx.paths.deploy / "local" / "kafka" / "server.properties.tmpl").read_text()
        propiedades = estado / "server.properties"
        propiedades.write_text(render_server_properties(plantilla, log_dirs=datos))
        clase = ["-cp", f"{libs}/*"]
        if not (datos / "meta.properties").exists():
            archivo_id = estado / "cluster-id"
            if not archivo_id.exists():
                archivo_id.write_text(new_cluster_id() + "\n", encoding="ascii")
            ctx.step("formateando el almacenamiento de Kafka…")
            formato = [java, *clase, "kafka.tools.StorageTool", "format"]
            formato += ["-t", archivo_id.read_text().strip(), "-c", str(propiedades)]
            codigo = await run_tool(
                [*formato, "--ignore-formatted"], ctx, cwd=estado, header="formato de Kafka"
            )
            if codigo != 0:
                raise ctx.error(
                    f"no se pudo formatear el almacenamiento (código {codigo})",
                    f"Borre {datos} si no guarda nada que necesite y vuelva a ejecutar "
                    "`conoceles infra up`.",
                )
        opciones = ["-Xms256m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"]
        # At INFO the broker writes megabytes per test run; keep warnings, version and start-up.
        registro = "-Dorg.slf4j.simpleLogger"
        opciones += [
            "-Djava.awt.headless=true",
            f"{registro}.showDateTime=true",
            f"{registro}.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS",
            f"{registro}.defaultLogLevel=warn",
            f"{registro}.log.kafka.server.KafkaRaftServer=info",
            f"{registro}.log.org.apache.kafka.common.utils.AppInfoParser=info",
        ]
        argv = [java, *opciones, *clase, self.marker, str(propiedades)]
        return Launch(argv=argv, cwd=estado)

    async def answers(self) -> bool:
        """An admin client lists the topics."""
        return await kafka_answers(self.url)


@dataclass(frozen=True)
class FerretDB:
    """FerretDB 1.24 (SQLite backend), our own small Go program embedding it."""

    name: str = "ferretdb"
    title: str = "FerretDB"
    host: str = HOST
    ports: tuple[int, ...] = (27017,)
    url: str = MONGODB_URL
    test_env: str = "CONOCELES_TEST_MONGODB_URL"
    marker: str = "conoceles-ferretdb"
    ready_timeout: float = 60.0
    stop_timeout: float = 15.0

    async def prepare(self, ctx: BuildContext) -> Launch:
        """Build the binary if needed and point it at the data folder."""
        binario = await ensure_ferretdb_binary(ctx)
        estado = ctx.paths.state / self.name
        (estado / "datos").mkdir(parents=True, exist_ok=True)
        argv = [
            str(binario),
            f"-listen-addr={self.host}:{self.ports[0]}",
            f"-data-dir={estado / 'datos'}",
        ]
        return Launch(argv=argv, cwd=estado)

    async def answers(self) -> bool:
        """PyMongo's `ping` answers."""
        return await mongodb_answers(self.url)


@dataclass(frozen=True)
class Keycloak:
    """Keycloak 26.7 in dev mode (H2 database under the state folder), realm `conoceles`."""

    name: str = "keycloak"
    title: str = "Keycloak"
    host: str = HOST
    ports: tuple[int, ...] = (8081, 9001)
    url: str = KEYCLOAK_URL
    test_env: str = "CONOCELES_TEST_KEYCLOAK_URL"
    # kc.sh execs the JVM after its build step; only the install folder is in both commands.
    marker: str = f"keycloak-{KEYCLOAK_VERSION}"
    ready_timeout: float = 300.0
    stop_timeout: float = 30.0

    async def prepare(self, ctx: BuildContext) -> Launch:
        """Unpack Keycloak if needed, install the realm to import, keep its database with us."""
        home = await ensure_keycloak(ctx)
        java_home = find_keycloak_java_home(ctx)
        estado = ctx.paths.state / self.name
        estado.mkdir(parents=True, exist_ok=True)
        realm = ctx.paths.deploy / "keycloak" / f"realm-{KEYCLOAK_REALM}.json"
        importar = home / "data" / "import"
        importar.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(realm, importar / realm.name)
        # The realm's passwordBlacklist(contrasenas-comunes.txt) is read from this folder.
        listas = home / "data" / "password-blacklists"
        listas.mkdir(parents=True, exist_ok=True)
        comunes = ctx.paths.deploy.parent / "datos" / "seguridad" / LISTA_CLAVES_COMUNES
        shutil.copyfile(comunes, listas / LISTA_CLAVES_COMUNES)
        # Keycloak never re-imports an existing realm, so a changed realm file needs a fresh
        # database; it only holds the imported realm and accounts made by tests.
        huella = fingerprint([realm])
        sello = estado / "realm.sha256"
        base = estado / "data" / "h2"
        if base.exists() and (not sello.exists() or sello.read_text().strip() != huella):
            ctx.step("el realm cambió: se importa de nuevo (se borran las cuentas de prueba)…")
            shutil.rmtree(base)
        sello.write_text(huella + "\n", encoding="ascii")
        env = dict(os.environ)
        env["JAVA_HOME"] = str(java_home)
        env.setdefault("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
        env.setdefault("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-conoceles-dev")
        env.setdefault("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m")
        env["JAVA_OPTS_APPEND"] = f"{env.get('JAVA_OPTS_APPEND', '')} -Dkc.db-url-path={estado}"
        argv = [
            str(home / "bin" / "kc.sh"),
            "start-dev",
            f"--http-host={self.host}",
            f"--http-port={self.ports[0]}",
            f"--http-management-port={self.ports[1]}",
            "--health-enabled=true",
            "--cache=local",
            "--import-realm",
        ]
        return Launch(argv=argv, cwd=estado, env=env)

    async def answers(self) -> bool:
        """Health is UP and the realm's OpenID configuration is served."""
        return await keycloak_answers(self.url)


def servidores() -> list[Server]:
    """Kafka, FerretDB and Keycloak, in the order they are shown."""
    return [Kafka(), FerretDB(), Keycloak()]
