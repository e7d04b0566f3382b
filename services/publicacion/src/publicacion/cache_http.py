"""In-process cache of anonymous public responses, in front of the whole framework stack.

A profile page costs about 2 ms of routing, dependencies and middleware for 0.07 ms of store
read; visitors ask for the same few pages. Responses are kept as bytes per path and query, and
all are dropped when the read model changes (`Generacion`, read by a background task, never by
a request: a slow store must not hold up cached answers).
"""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAXIMO_CUERPO = 1024 * 1024
MAXIMO_ENTRADAS = 4096
MAXIMO_BYTES = 64 * 1024 * 1024
# Own caching (open data), administrator pages, and answers that must be live.
EXCLUIDAS = (
    "/webhooks",
    "/datos-abiertos",
    "/api/publicacion/v1/datos-abiertos",
    "/api/publicacion/v1/webhooks",
    "/api/publicacion/health",
    "/api/publicacion/metrics",
)


@dataclass
class Generacion:
    """Which state of the read model the cached responses belong to."""

    valor: float | None = None
    contador: int = 0
    _oyentes: list[Callable[[], None]] = field(default_factory=list)

    def al_cambiar(self, oyente: Callable[[], None]) -> None:
        """Call `oyente` whenever the state changes."""
        self._oyentes.append(oyente)

    def fijar(self, valor: float) -> None:
        """The store's latest change (read in the background); a new one drops the cache."""
        if valor != self.valor:
            self.valor = valor
            self.avisar()

    def avisar(self) -> None:
        """The read model changed (this process wrote it, or the store says so)."""
        self.contador += 1
        for oyente in self._oyentes:
            oyente()


@dataclass(frozen=True, slots=True)
class Guardada:
    """A whole response: status, headers and body."""

    estado: int
    cabeceras: list[tuple[bytes, bytes]]
    cuerpo: bytes
    etag: bytes | None


class CacheRespuestas:
    """ASGI middleware: GET/HEAD without cookies or credentials, 200s only, small bodies."""

    def __init__(
        self, app: ASGIApp, *, generacion: Generacion, es_publica: Callable[[str], bool]
    ) -> None:
        self.app = app
        self._generacion = generacion
        self._es_publica = es_publica
        self._entradas: OrderedDict[bytes, Guardada] = OrderedDict()
        self._bytes = 0
        generacion.al_cambiar(self._vaciar)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        clave = self._clave(scope)
        if clave is None:
            await self.app(scope, receive, send)
            return
        guardada = self._entradas.get(clave)
        if guardada is not None:
            self._entradas.move_to_end(clave)
            await _responder(scope, send, guardada)
            return
        await self._llenar(clave, scope, receive, send)

    def _clave(self, scope: Scope) -> bytes | None:
        """The cache key of a cacheable request; None for anything else."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        if self._generacion.valor is None:
            return None
        ruta: str = scope["path"]
        if ruta.startswith(EXCLUIDAS) or not self._es_publica(ruta):
            return None
        nombres = {nombre for nombre, _ in scope["headers"]}
        if b"cookie" in nombres or b"authorization" in nombres:
            return None
        consulta: bytes = scope.get("query_string", b"")
        return ruta.encode() + b"?" + consulta

    async def _llenar(self, clave: bytes, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve from the app, keeping a copy of a small anonymous 200."""
        generacion = self._generacion.contador
        inicio: Message | None = None
        partes: list[bytes] = []
        guardable = scope["method"] == "GET"

        async def enviar(mensaje: Message) -> None:
            nonlocal inicio, guardable
            if mensaje["type"] == "http.response.start":
                inicio = mensaje
                cabeceras = dict(mensaje.get("headers", []))
                largo = int(cabeceras.get(b"content-length", b"0") or 0)
                guardable = (
                    guardable and mensaje["status"] == 200 and b"set-cookie" not in cabeceras
                )
                guardable = guardable and 0 < largo <= MAXIMO_CUERPO
            elif mensaje["type"] == "http.response.body" and guardable:
                partes.append(mensaje.get("body", b""))
                if not mensaje.get("more_body") and generacion == self._generacion.contador:
                    self._guardar(clave, inicio, b"".join(partes))
            await send(mensaje)

        await self.app(scope, receive, enviar)

    def _vaciar(self) -> None:
        self._entradas.clear()
        self._bytes = 0

    def _guardar(self, clave: bytes, inicio: Message | None, cuerpo: bytes) -> None:
        """Keep a copy; the least recently used go when there are too many or too large."""
        if inicio is None:
            return
        cabeceras = list(inicio.get("headers", []))
        etag = dict(cabeceras).get(b"etag")
        previa = self._entradas.pop(clave, None)
        self._bytes += len(cuerpo) - (len(previa.cuerpo) if previa else 0)
        self._entradas[clave] = Guardada(inicio["status"], cabeceras, cuerpo, etag)
        while len(self._entradas) > MAXIMO_ENTRADAS or self._bytes > MAXIMO_BYTES:
            _, vieja = self._entradas.popitem(last=False)
            self._bytes -= len(vieja.cuerpo)


def _guardable(inicio: Message) -> bool:
    """A 200 that sets no cookie, with a known, small body."""
    cabeceras = dict(inicio.get("headers", []))
    largo = int(cabeceras.get(b"content-length", b"0") or 0)
    sin_cookie = b"set-cookie" not in cabeceras
    return bool(inicio["status"] == 200 and sin_cookie and 0 < largo <= MAXIMO_CUERPO)


async def _responder(scope: Scope, send: Send, guardada: Guardada) -> None:
    """The kept response (304 when the client holds it; no body for HEAD)."""
    pedido = dict(scope["headers"]).get(b"if-none-match")
    if guardada.etag is not None and pedido is not None and guardada.etag in pedido:
        sin_cuerpo = [(k, v) for k, v in guardada.cabeceras if k != b"content-length"]
        await send({"type": "http.response.start", "status": 304, "headers": sin_cuerpo})
        await send({"type": "http.response.body", "body": b""})
        return
    cabeceras = [*guardada.cabeceras, (b"x-cache-origen", b"HIT")]
    await send({"type": "http.response.start", "status": guardada.estado, "headers": cabeceras})
    cuerpo = b"" if scope["method"] == "HEAD" else guardada.cuerpo
    await send({"type": "http.response.body", "body": cuerpo})
