"""PID files, port checks, and starting and stopping detached server processes."""

import asyncio
import contextlib
import errno
import fcntl
import os
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path

LOG_ROTATE_BYTES = 50 * 1024 * 1024


def read_pid(path: Path) -> int | None:
    """The PID recorded in `path`, or None when missing or unreadable."""
    try:
        texto = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(texto) if texto.isdigit() and int(texto) > 0 else None


def write_pid(path: Path, pid: int) -> None:
    """Record `pid` atomically, so a reader never sees half a number."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporal = path.with_suffix(".tmp")
    temporal.write_text(f"{pid}\n", encoding="ascii")
    temporal.replace(path)


def remove_pid(path: Path) -> None:
    """Forget a recorded PID."""
    path.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        estado = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    return estado.rpartition(")")[2].split()[0] not in {"Z", "X"}


def process_matches(pid: int, marker: str) -> bool:
    """Whether `pid` is alive and its command line has `marker` (a reused PID is not ours)."""
    if not process_alive(pid):
        return False
    if not Path("/proc/self/cmdline").exists():
        return True
    try:
        linea = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return marker in linea.replace(b"\0", b" ").decode(errors="replace")


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on `host:port` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


async def port_answers(host: str, port: int, *, within: float = 1.0) -> bool:
    """Whether something accepts TCP connections on `host:port` within `within` seconds."""
    try:
        _, escritor = await asyncio.wait_for(asyncio.open_connection(host, port), within)
    except (OSError, TimeoutError):
        return False
    escritor.close()
    with contextlib.suppress(OSError):
        await escritor.wait_closed()
    return True


def open_log(path: Path, header: str) -> int:
    """Open a log for appending (rotating it past 50 MB) and write a header line; return the fd."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > LOG_ROTATE_BYTES:
        path.replace(path.with_suffix(".log.1"))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(fd, f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} {header} =====\n".encode())
    return fd


def spawn(
    argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, log: Path, header: str
) -> subprocess.Popen[bytes]:
    """Start a server in its own session, output to its log, so it outlives this command."""
    fd = open_log(log, header)
    try:
        return subprocess.Popen(  # noqa: S603 - argv is built by this package, never from input
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        os.close(fd)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal the process group `pid` leads (it also holds helpers such as kc.sh's JVM)."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


async def _gone(pid: int, *, within: float) -> bool:
    """Poll until `pid` exits; False if it is still alive after `within` seconds."""
    limite = time.monotonic() + within
    while True:
        if not process_alive(pid):
            return True
        if time.monotonic() > limite:
            return False
        await asyncio.sleep(0.1)


async def stop_process(pid: int, *, grace: float) -> bool:
    """SIGTERM, wait up to `grace` seconds, then SIGKILL; True when it had to be killed."""
    _signal_group(pid, signal.SIGTERM)
    if await _gone(pid, within=grace):
        return False
    _signal_group(pid, signal.SIGKILL)
    await _gone(pid, within=10.0)
    return True


@contextlib.asynccontextmanager
async def file_lock(
    path: Path, *, on_wait: Callable[[], None] | None = None
) -> AsyncIterator[None]:
    """Hold an exclusive lock on `path`, polling so the event loop keeps running meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as archivo:
        avisado = False
        while True:
            try:
                fcntl.flock(archivo, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if on_wait is not None and not avisado:
                    on_wait()
                    avisado = True
                await asyncio.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(archivo, fcntl.LOCK_UN)
