"""The gateway's cache, run for real: a refreshed entry is served new and whole."""

import http.client
import http.server
import shutil
import signal
import socketserver
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from comun.pruebas import puerto_libre, sondear
from conoceles.pasarela import ConfigPasarela, orden_arranque, renderizar

Respuesta = tuple[str | None, bytes]
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
        assert sondear(lambda: responde(puerto)), "nginx no arrancó"
        yield puerto
    finally:
        proceso.send_signal(signal.SIGQUIT)
        proceso.wait(timeout=10)
        origen.shutdown()


def responde(puerto: int) -> bool:
    try:
        pedir(puerto, "/")
    except OSError:
        return False
    return True


def hasta(puerto: int, ruta: str, cumple: Callable[[str | None], bool]) -> Respuesta:
    """Ask again until the X-Cache header satisfies `cumple` (nginx works in the background)."""
    vistas: list[Respuesta] = []

    def otra() -> bool:
        vistas.append(pedir(puerto, ruta)[1:])
        return cumple(vistas[-1][0])

    assert sondear(otra, plazo=5), vistas[-1]
    return vistas[-1]


def es_hit(cache: str | None) -> bool:
    return cache == "HIT"


def test_una_entrada_refrescada_se_sirve_nueva_y_entera(pasarela: int) -> None:
    assert pedir(pasarela, "/perfil")[1] == "MISS"
    assert hasta(pasarela, "/perfil", es_hit) == ("HIT", b"A" * 20_000)
    for nuevo in (b"B" * 100, b"C" * 25_000):  # shorter, then longer than the file it replaces
        Origen.cuerpo = nuevo
        # The entry lives one second (up to two: nginx keeps whole seconds); the first request
        # after that gets the old copy while nginx refreshes it.
        assert hasta(pasarela, "/perfil", lambda c: not es_hit(c))[0] == "STALE"
        assert hasta(pasarela, "/perfil", es_hit) == ("HIT", nuevo)
