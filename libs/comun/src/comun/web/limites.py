"""Request body size limit: a pure ASGI middleware answering 413 problem+json."""

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comun.errores import respuesta_problema

TITULO = "Cuerpo demasiado grande"


def mensaje_limite(maximo: int) -> str:
    """Spanish detail of a 413."""
    return f"El cuerpo de la petición supera el máximo de {maximo} bytes."


# An HTTPException because FastAPI re-raises those while reading a body; any other error
# there would become a 400.
class CuerpoDemasiadoGrande(HTTPException):
    """Raised from `receive` once the streamed body passes the limit."""

    # Its detail is already Spanish: the error handler keeps it.
    espanol = True

    def __init__(self, maximo: int) -> None:
        super().__init__(413, mensaje_limite(maximo))
        self.maximo = maximo


class LimiteCuerpo:
    """Reject bodies over `maximo` bytes: by Content-Length first, then by counting the stream."""

    def __init__(
        self, app: ASGIApp, *, maximo: int, por_ruta: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.maximo = maximo
        # File uploads (registry imports) get their own, larger limit by path prefix.
        self.por_ruta = dict(por_ruta or {})

    def _maximo(self, scope: Scope) -> int:
        """The limit for this request's path."""
        ruta = str(scope.get("path", ""))
        return next((m for p, m in self.por_ruta.items() if ruta.startswith(p)), self.maximo)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a counting `receive`; answer 413 when it overflows."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        maximo = self._maximo(scope)
        longitud = Headers(scope=scope).get("content-length", "")
        if longitud.isdigit() and int(longitud) > maximo:
            await self._rechazar(scope, receive, send, maximo)
            return
        recibidos = 0
        iniciada = False

        async def recibir() -> Message:
            nonlocal recibidos
            mensaje = await receive()
            if mensaje["type"] == "http.request":
                recibidos += len(mensaje.get("body", b""))
                if recibidos > maximo:
                    raise CuerpoDemasiadoGrande(maximo)
            return mensaje

        async def enviar(mensaje: Message) -> None:
            nonlocal iniciada
            if mensaje["type"] == "http.response.start":
                iniciada = True
            await send(mensaje)

        try:
            await self.app(scope, recibir, enviar)
        except CuerpoDemasiadoGrande:
            if iniciada:
                raise
            await self._rechazar(scope, receive, send, maximo)

    async def _rechazar(self, scope: Scope, receive: Receive, send: Send, maximo: int) -> None:
        """Send the 413 problem (or page, for a browser)."""
        respuesta = respuesta_problema(
            Request(scope),
            status=413,
            title=TITULO,
            detail=mensaje_limite(maximo),
            headers={"Connection": "close"},
        )
        await respuesta(scope, receive, send)
