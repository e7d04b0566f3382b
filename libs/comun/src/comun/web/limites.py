"""Request body size limit: a pure ASGI middleware answering 413 problem+json."""

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

    def __init__(self, app: ASGIApp, *, maximo: int) -> None:
        self.app = app
        self.maximo = maximo

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a counting `receive`; answer 413 when it overflows."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        longitud = Headers(scope=scope).get("content-length", "")
        if longitud.isdigit() and int(longitud) > self.maximo:
            await self._rechazar(scope, receive, send)
            return
        recibidos = 0
        iniciada = False

        async def recibir() -> Message:
            nonlocal recibidos
            mensaje = await receive()
            if mensaje["type"] == "http.request":
                recibidos += len(mensaje.get("body", b""))
                if recibidos > self.maximo:
                    raise CuerpoDemasiadoGrande(self.maximo)
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
            await self._rechazar(scope, receive, send)

    async def _rechazar(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the 413 problem (or page, for a browser)."""
        respuesta = respuesta_problema(
            Request(scope),
            status=413,
            title=TITULO,
            detail=mensaje_limite(self.maximo),
            headers={"Connection": "close"},
        )
        await respuesta(scope, receive, send)
