"""A real HTTP server on 127.0.0.1 that receives webhook deliveries in the tests.

It runs in a thread (stdlib `http.server`), records every request and answers each path with
the statuses the test programs: a list is used in order and its last status repeats.
"""

import base64
import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Recibida:
    """One request as the receiver saw it."""

    ruta: str
    cabeceras: dict[str, str]
    cuerpo: bytes


@dataclass(frozen=True)
class Respuesta:
    """What the receiver answers: a status and its headers."""

    codigo: int = 200
    cabeceras: dict[str, str] = field(default_factory=dict)


@dataclass
class Receptor:
    """The server's state, shared with its handler threads."""

    puerto: int = 0
    recibidas: list[Recibida] = field(default_factory=list)
    programadas: dict[str, list[Respuesta]] = field(default_factory=dict)
    # Paths that answer only when this event is set (or never, to test the timeout).
    retenidas: dict[str, threading.Event] = field(default_factory=dict)
    candado: threading.Lock = field(default_factory=threading.Lock)

    def url(self, ruta: str) -> str:
        """The address of one path of this receiver."""
        return f"http://127.0.0.1:{self.puerto}{ruta}"

    def programar(self, ruta: str, *respuestas: int | Respuesta) -> None:
        """The statuses the path answers from now on (the last one repeats)."""
        with self.candado:
            self.programadas[ruta] = [
                r if isinstance(r, Respuesta) else Respuesta(r) for r in respuestas
            ]

    def de(self, ruta: str) -> list[Recibida]:
        """The requests a path received so far."""
        with self.candado:
            return [r for r in self.recibidas if r.ruta == ruta]

    def responder(self, ruta: str) -> Respuesta:
        """The next programmed answer of a path (200 when nothing was programmed)."""
        with self.candado:
            cola = self.programadas.get(ruta) or [Respuesta()]
            return cola.pop(0) if len(cola) > 1 else cola[0]


def _manejador(receptor: Receptor) -> type[BaseHTTPRequestHandler]:
    class Manejador(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            largo = int(self.headers.get("content-length") or 0)
            cuerpo = self.rfile.read(largo)
            recibida = Recibida(self.path, {k.lower(): v for k, v in self.headers.items()}, cuerpo)
            with receptor.candado:
                receptor.recibidas.append(recibida)
            retenida = receptor.retenidas.get(self.path)
            if retenida is not None:
                retenida.wait(timeout=30)
            respuesta = receptor.responder(self.path)
            self.send_response(respuesta.codigo)
            for nombre, valor in respuesta.cabeceras.items():
                self.send_header(nombre, valor)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output is the record."""

    return Manejador


@contextmanager
def receptor_http() -> Iterator[Receptor]:
    """A receiver listening on a free port of 127.0.0.1 while the block runs."""
    receptor = Receptor()
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _manejador(receptor))
    servidor.daemon_threads = True
    receptor.puerto = servidor.server_address[1]
    hilo = threading.Thread(target=servidor.serve_forever, name="receptor-webhooks", daemon=True)
    hilo.start()
    try:
        yield receptor
    finally:
        for evento in receptor.retenidas.values():
            evento.set()
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=5)


def firma_valida(secreto: str, recibida: Recibida) -> bool:
    """The receiver's check, written from the Standard Webhooks specification."""
    clave = base64.b64decode(secreto.removeprefix("whsec_"))
    cabeceras = recibida.cabeceras
    firmado = f"{cabeceras['webhook-id']}.{cabeceras['webhook-timestamp']}.".encode()
    esperada = hmac.new(clave, firmado + recibida.cuerpo, hashlib.sha256).digest()
    firmas = [f.partition(",")[2] for f in cabeceras["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(base64.b64encode(esperada).decode(), firma) for firma in firmas)
