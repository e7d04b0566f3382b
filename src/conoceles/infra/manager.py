"""Bring servers up (idempotently, in parallel), stop them by recorded PID, and report status."""

import asyncio
import time
from collections.abc import Collection, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from conoceles.infra.builds import BuildContext
from conoceles.infra.config import InfraError, InfraSettings, Paths
from conoceles.infra.navegador import Chromium, EstadoNavegador, asegurar_chromium, version
from conoceles.infra.processes import (
    file_lock,
    port_free,
    process_alive,
    process_matches,
    read_pid,
    remove_pid,
    spawn,
    stop_process,
    write_pid,
)
from conoceles.infra.servers import (
    KAFKA_URL,
    KEYCLOAK_URL,
    MONGODB_URL,
    FerretDB,
    Kafka,
    Keycloak,
    Server,
    servidores,
)

POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Urls:
    """Where clients reach the local infrastructure."""

    mongodb_url: str = MONGODB_URL
    kafka_url: str = KAFKA_URL
    keycloak_url: str = KEYCLOAK_URL

    def env_lines(self) -> str:
        """`export` lines for the tests; variables already set keep their value."""
        valores = {
            FerretDB.test_env: self.mongodb_url,
            Kafka.test_env: self.kafka_url,
            Keycloak.test_env: self.keycloak_url,
        }
        return "".join(f'export {k}="${{{k}:-{v}}}"\n' for k, v in valores.items())


@dataclass(frozen=True)
class Estado:
    """One server as `status` shows it."""

    servidor: Server
    pid: int | None
    responde: bool
    log: Path


class Pieza(Protocol):
    """Anything `conoceles infra` prepares: a server or a tool such as Chromium."""

    @property
    def name(self) -> str:
        """Short name for files."""
        ...

    @property
    def title(self) -> str:
        """Name shown to people."""
        ...


class Reporter(Protocol):
    """Where progress goes: a rich display in the CLI, nowhere in tests."""

    def step(self, server: Pieza, text: str) -> None:
        """A new phase of work on `server`."""
        ...

    def detail(self, server: Pieza, text: str) -> None:
        """Fine-grained progress within the current phase."""
        ...

    def done(self, server: Pieza, text: str, *, ok: bool = True) -> None:
        """`server` finished (well or not)."""
        ...

    def note(self, text: str) -> None:
        """A message not tied to one server."""
        ...


class SilentReporter:
    """Progress that goes nowhere."""

    def step(self, server: Pieza, text: str) -> None:
        """Ignore."""

    def detail(self, server: Pieza, text: str) -> None:
        """Ignore."""

    def done(self, server: Pieza, text: str, *, ok: bool = True) -> None:
        """Ignore."""

    def note(self, text: str) -> None:
        """Ignore."""


def _paths(settings: InfraSettings | None) -> Paths:
    """Folders of the given settings, else of the environment."""
    return Paths.from_settings(settings or InfraSettings())


def _owned_pid(server: Server, paths: Paths, *, forget_stale: bool = True) -> int | None:
    """The recorded PID if that process is still our server (else the stale file is removed)."""
    archivo = paths.pid_file(server.name)
    pid = read_pid(archivo)
    if pid is not None and process_matches(pid, server.marker):
        return pid
    if forget_stale:
        remove_pid(archivo)
    return None


def _last_error(log: Path) -> str:
    """The last line of the log that looks like an error, to hint at the cause."""
    try:
        with log.open("rb") as archivo:
            archivo.seek(max(0, log.stat().st_size - 64_000))
            lineas = archivo.read().decode(errors="replace").splitlines()
    except OSError:
        return ""
    for linea in reversed(lineas):
        if any(p in linea for p in ("ERROR", "FATAL", "Exception", "panic:", "error:")):
            return f" Última línea de error del registro: «{linea.strip()[:300]}»."
    return ""


async def _wait_ready(server: Server, *, pid: int, log: Path, started: bool) -> None:
    """Poll until `server` answers; fail clearly if its process dies or the budget runs out."""
    limite = time.monotonic() + server.ready_timeout
    while not await server.answers():
        if not process_alive(pid):
            raise InfraError(
                f"{server.title} terminó al arrancar. Revise el registro {log}, corrija la "
                f"causa y vuelva a ejecutar `conoceles infra up`.{_last_error(log)}"
            )
        if time.monotonic() > limite:
            accion = "Lo detuvimos; revise" if started else "Revise"
            raise InfraError(
                f"{server.title} (PID {pid}) no respondió en {server.ready_timeout:.0f} s. "
                f"{accion} el registro {log}; después `conoceles infra down` y "
                f"`conoceles infra up`.{_last_error(log)}"
            )
        await asyncio.sleep(POLL_SECONDS)


def _port_taken_error(server: Server, port: int, paths: Paths) -> InfraError:
    """The message for a port held by a program this data folder did not start."""
    return InfraError(
        f"{server.title} no puede arrancar: el puerto {server.host}:{port} ya lo usa otro "
        f"programa que no inició `conoceles infra up` con la carpeta de datos "
        f"{paths.state.parent}. Deténgalo (`ss -ltnp 'sport = :{port}'` dice cuál es) y vuelva "
        f"a ejecutar `conoceles infra up`; si es un {server.title} que ya tiene, indique su "
        f"dirección a las pruebas con {server.test_env}. Registro: {paths.log(server.name)}"
    )


async def _ensure_one(
    server: Server, paths: Paths, reporter: Reporter, mvn_lock: asyncio.Lock
) -> None:
    """Make `server` run and answer, starting it only when our recorded process is gone."""
    log = paths.log(server.name)
    inicio = time.monotonic()
    pid = _owned_pid(server, paths)
    if pid is not None:
        reporter.step(server, f"ya está en marcha (PID {pid}); comprobando que responde…")
        await _wait_ready(server, pid=pid, log=log, started=False)
        reporter.done(server, f"ya estaba en marcha en {server.url} (PID {pid})")
        return
    for puerto in server.ports:
        if not port_free(server.host, puerto):
            raise _port_taken_error(server, puerto, paths)
    ctx = BuildContext(
        paths=paths,
        title=server.title,
        log=log,
        step=lambda texto: reporter.step(server, texto),
        detail=lambda texto: reporter.detail(server, texto),
        mvn_lock=mvn_lock,
    )
    reporter.step(server, "preparando…")
    lanzamiento = await server.prepare(ctx)
    for puerto in server.ports:
        if not port_free(server.host, puerto):
            raise _port_taken_error(server, puerto, paths)
    proceso = spawn(
        lanzamiento.argv,
        env=lanzamiento.env,
        cwd=lanzamiento.cwd,
        log=log,
        header=f"conoceles infra up: {server.title}",
    )
    write_pid(paths.pid_file(server.name), proceso.pid)
    reporter.step(server, f"arrancando (PID {proceso.pid}); esperando a que responda…")
    try:
        await _wait_ready(server, pid=proceso.pid, log=log, started=True)
    except InfraError:
        await stop_process(proceso.pid, grace=server.stop_timeout)
        proceso.wait()
        remove_pid(paths.pid_file(server.name))
        raise
    segundos = time.monotonic() - inicio
    reporter.done(server, f"listo en {server.url} (PID {proceso.pid}, {segundos:.0f} s)")


async def _ensure_reported(
    server: Server, paths: Paths, reporter: Reporter, mvn_lock: asyncio.Lock
) -> None:
    """`_ensure_one`, marking failures in the progress and wording unexpected OS errors."""
    try:
        await _ensure_one(server, paths, reporter, mvn_lock)
    except InfraError:
        reporter.done(server, "falló", ok=False)
        raise
    except OSError as exc:
        reporter.done(server, "falló", ok=False)
        raise InfraError(
            f"{server.title}: {exc.strerror or exc} ({exc.filename or 'sin archivo'}). "
            f"Compruebe permisos y espacio en disco, y vuelva a ejecutar `conoceles infra up`. "
            f"Registro: {paths.log(server.name)}"
        ) from exc


def _combine(resultados: Sequence[object]) -> None:
    """Raise one InfraError listing every server that failed; re-raise anything unexpected."""
    errores = [r for r in resultados if isinstance(r, InfraError)]
    for r in resultados:
        if isinstance(r, BaseException) and not isinstance(r, InfraError):
            raise r
    if errores:
        raise InfraError("\n".join(str(e) for e in errores))


async def asegurar(
    servers: Sequence[Server], *, paths: Paths, reporter: Reporter | None = None
) -> None:
    """Start whatever of `servers` is not running, in parallel, and wait until all answer."""
    informe = reporter or SilentReporter()
    mvn_lock = asyncio.Lock()
    async with file_lock(
        paths.state / ".infra.lock",
        on_wait=lambda: informe.note(
            "Otra orden `conoceles infra` usa esta carpeta de datos; esperando a que termine…"
        ),
    ):
        resultados = await asyncio.gather(
            *(_ensure_reported(s, paths, informe, mvn_lock) for s in servers),
            return_exceptions=True,
        )
    _combine(resultados)


def chosen_servers(nombres: Collection[str] | None) -> list[Server]:
    """The servers named (all when None), in the usual order."""
    return [s for s in servidores() if nombres is None or s.name in nombres]


def chosen_chromium(nombres: Collection[str] | None) -> Chromium | None:
    """Chromium when named (or when nothing is named), else None."""
    navegador = Chromium()
    return navegador if nombres is None or navegador.name in nombres else None


def chosen(nombres: Collection[str] | None) -> list[Pieza]:
    """Servers and tools named (all when None), in the order they are shown."""
    navegador = chosen_chromium(nombres)
    return [*chosen_servers(nombres), *([navegador] if navegador is not None else [])]


async def asegurar_navegador(
    navegador: Chromium, *, paths: Paths, reporter: Reporter | None = None
) -> str:
    """Install Chromium from Debian's packages if missing; return its version."""
    informe = reporter or SilentReporter()
    ctx = BuildContext(
        paths=paths,
        title=navegador.title,
        log=paths.log(navegador.name),
        step=lambda texto: informe.step(navegador, texto),
        detail=lambda texto: informe.detail(navegador, texto),
        mvn_lock=asyncio.Lock(),
    )
    informe.step(navegador, f"comprobando {navegador.ejecutable}…")
    try:
        texto = await asegurar_chromium(navegador, ctx)
    except InfraError:
        informe.done(navegador, "falló", ok=False)
        raise
    except OSError as exc:
        informe.done(navegador, "falló", ok=False)
        raise InfraError(
            f"{navegador.title}: {exc.strerror or exc} ({exc.filename or 'sin archivo'}). "
            f"Compruebe permisos y espacio en disco, y vuelva a ejecutar `conoceles infra up`. "
            f"Registro: {ctx.log}"
        ) from exc
    informe.done(navegador, f"instalado en {navegador.ejecutable} ({texto})")
    return texto


async def asegurar_infra(
    *,
    settings: InfraSettings | None = None,
    reporter: Reporter | None = None,
    nombres: Collection[str] | None = None,
) -> Urls:
    """Start what is not running of Kafka, FerretDB, Keycloak; install Chromium; return URLs."""
    paths = _paths(settings)
    trabajos: list[Coroutine[Any, Any, object]] = [
        asegurar(chosen_servers(nombres), paths=paths, reporter=reporter)
    ]
    navegador = chosen_chromium(nombres)
    if navegador is not None:
        trabajos.append(asegurar_navegador(navegador, paths=paths, reporter=reporter))
    _combine(await asyncio.gather(*trabajos, return_exceptions=True))
    urls = Urls()
    archivo = paths.state / "test.env"
    archivo.write_text(
        "# Written by `conoceles infra up`: the servers the tests use.\n" + urls.env_lines()
    )
    return urls


async def _stop_one(server: Server, paths: Paths, reporter: Reporter) -> None:
    """Stop `server` by its recorded PID, if it is still ours."""
    pid = _owned_pid(server, paths)
    if pid is None:
        reporter.done(server, "no estaba en marcha")
        return
    reporter.step(server, f"deteniendo (PID {pid})…")
    forzado = await stop_process(pid, grace=server.stop_timeout)
    remove_pid(paths.pid_file(server.name))
    if forzado:
        reporter.done(
            server, f"detenido a la fuerza (PID {pid}) tras {server.stop_timeout:.0f} s sin cerrar"
        )
    else:
        reporter.done(server, f"detenido (PID {pid})")


async def detener(
    servers: Sequence[Server], *, paths: Paths, reporter: Reporter | None = None
) -> None:
    """Stop `servers` in parallel, each by its recorded PID only."""
    informe = reporter or SilentReporter()
    async with file_lock(paths.state / ".infra.lock"):
        resultados = await asyncio.gather(
            *(_stop_one(s, paths, informe) for s in servers), return_exceptions=True
        )
    _combine(resultados)


async def detener_infra(
    *,
    settings: InfraSettings | None = None,
    reporter: Reporter | None = None,
    nombres: Collection[str] | None = None,
) -> None:
    """Stop Kafka, FerretDB and Keycloak (or those named) started by `asegurar_infra`."""
    await detener(chosen_servers(nombres), paths=_paths(settings), reporter=reporter)


async def estado(servers: Sequence[Server], *, paths: Paths) -> list[Estado]:
    """Each server's recorded PID (if alive) and whether it answers."""
    respuestas = await asyncio.gather(*(s.answers() for s in servers))
    return [
        Estado(
            servidor=s,
            pid=_owned_pid(s, paths, forget_stale=False),
            responde=r,
            log=paths.log(s.name),
        )
        for s, r in zip(servers, respuestas, strict=True)
    ]


async def estado_infra(*, settings: InfraSettings | None = None) -> list[Estado]:
    """Status of Kafka, FerretDB and Keycloak."""
    return await estado(servidores(), paths=_paths(settings))


async def estado_navegador(*, settings: InfraSettings | None = None) -> EstadoNavegador:
    """Whether Chromium is installed, and its version."""
    navegador = Chromium()
    return EstadoNavegador(
        navegador=navegador,
        version=await version(navegador.ejecutable),
        log=_paths(settings).log(navegador.name),
    )
