"""Security headers on every response, and no caching of pages that show a signed-in user."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SEGURIDAD = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def csp(keycloak: str | None = None) -> str:
    """One policy for the app and the gateway; with Keycloak, forms may also go to its pages."""
    formularios = "'self'" if keycloak is None else f"'self' {keycloak}"
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"frame-ancestors 'none'; form-action {formularios}; base-uri 'self'"
    )


class CabecerasSeguridad:
    """Pure ASGI middleware: add the security headers the response does not set itself."""

    def __init__(self, app: ASGIApp, *, politica: str) -> None:
        self.app = app
        self.cabeceras = {**SEGURIDAD, "Content-Security-Policy": politica}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add headers at response start; `no-store` once a route identified the user."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def enviar(mensaje: Message) -> None:
            if mensaje["type"] == "http.response.start":
                cabeceras = MutableHeaders(scope=mensaje)
                for nombre, valor in self.cabeceras.items():
                    cabeceras.setdefault(nombre, valor)
                if scope.get("state", {}).get("usuario") is not None:
                    # Shared caches and the back button must not keep private pages.
                    cabeceras.setdefault("Cache-Control", "no-store")
            await send(mensaje)

        await self.app(scope, receive, enviar)
