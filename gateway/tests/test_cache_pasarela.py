"""The gateway's cache, run for real: a refreshed entry is served new and whole."""

import http.client
import http.server
import shutil
import signal
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conoceles.pasarela import ConfigPasarela, orden_arranque, renderizar

SERVICIOS = ("identidad", "captura", "validacion", "publicacion", "estadistica", "auditoria")


class Origen(http.server.BaseHTTPRequestHandler):
    """An upstream answering every GET with the current body."""

    protocol_version = "HTTP/1.1"
    cuerpo = b"A" * 20_000

    def do_GET(self) -> None:
        cuerpo = Origen.cuerpo
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(cuerpo)))
        self.end_headers()
        self.wfile.write(cuerpo)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pedir(puerto: int, ruta: str) -> tuple[int, str | None, bytes]:
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=5)
    try:
        conexion.request("GET", ruta)
        respuesta = conexion.getresponse()
        return respuesta.status, respuesta.getheader("X-Cache"), respuesta.read()
    finally:
        conexion.close()


@pytest.fixture
def carpeta() -> Iterator[Path]:
    """A folder nginx's workers can reach: started by root they run as nobody (not tmp_path)."""
    ruta = Path(tempfile.mkdtemp(prefix="pasarela-"))
    ruta.chmod(0o755)
    yield ruta
    shutil.rmtree(ruta, ignore_errors=True)


@pytest.fixture
def pasarela(carpeta: Path) -> Iterator[int]:
    """The real gateway, entries fresh for one second, in front of `Origen`."""
    origen = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Origen)
    origen.daemon_threads = True
    threading.Thread(target=origen.serve_forever, daemon=True).start()
    puerto = puerto_libre()
    upstreams = dict.fromkeys(SERVICIOS, origen.server_address[1])
    conf = renderizar(ConfigPasarela(prefijo=carpeta, registros=carpeta, upstreams=upstreams,
                                     puerto=puerto, procesos=1))  # fmt: skip
    cache = carpeta / "cache-publica.conf"
    cache.write_text(cache.read_text().replace("404 30s;", "404 1s;"))
    proceso = subprocess.Popen(orden_arranque(conf))
    try:
        for _ in range(100):
            try:
                pedir(puerto, "/")
                break
            except OSError:
                time.sleep(0.05)
        yield puerto
    finally:
        proceso.send_signal(signal.SIGQUIT)
        proceso.wait(timeout=10)
        origen.shutdown()


def refrescada(puerto: int, ruta: str) -> bytes:
    """The body once nginx serves the entry from its cache (stored or refreshed)."""
    for _ in range(60):
        _, cache, cuerpo = pedir(puerto, ruta)
        if cache == "HIT":
            return cuerpo
        time.sleep(0.05)  # nginx stores in the background: nothing to be notified by
    raise AssertionError(f"{ruta} no volvió a servirse desde la caché")


def test_una_entrada_refrescada_se_sirve_nueva_y_entera(pasarela: int) -> None:
    assert pedir(pasarela, "/perfil")[1] == "MISS"
    assert refrescada(pasarela, "/perfil") == b"A" * 20_000
    for nuevo in (b"B" * 100, b"C" * 25_000):  # shorter, then longer than the file it replaces
        Origen.cuerpo = nuevo
        time.sleep(2.1)  # nginx keeps time in whole seconds: "1s" lasts up to 2
        assert pedir(pasarela, "/perfil")[1] == "STALE"  # served while nginx refreshes it
        assert refrescada(pasarela, "/perfil") == nuevo
