"""CSRF protection by double-submit token: a cookie that a form field or header must repeat."""

import hmac
import re
import secrets
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from python_multipart import MultipartParser, QuerystringParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comun.auth.dependencias import COOKIE_SESION
from comun.errores import respuesta_problema
from comun.rutas import es_api

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks, QuerystringCallbacks

COOKIE_CSRF = "conoceles_csrf"
CAMPO_CSRF = "csrf_token"
CABECERA_CSRF = "X-CSRF-Token"
METODOS_INSEGUROS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TITULO = "Código de seguridad no válido"
MENSAJE = (
    "Falta el código de seguridad del formulario o ya no es válido; "
    "recargue la página e inténtelo de nuevo."
)

_CLAVE_SCOPE = "conoceles.csrf"
_FORMATO = re.compile(r"[A-Za-z0-9_-]{43}")
_MAX_TOKEN = 128


@dataclass(slots=True)
class _EstadoCsrf:
    """The request's token and whether the response must set the cookie."""

    token: str
    nuevo: bool
    seguro: bool
    usado: bool = False


def csrf_token(request: Request) -> str:
    """The token to put in forms and the `csrf-token` meta tag; sets the cookie if missing."""
    estado = request.scope.get(_CLAVE_SCOPE)
    if isinstance(estado, _EstadoCsrf):
        estado.usado = True
        return estado.token
    # Outside ProteccionCsrf (e.g. an error page answered before it ran): reuse the cookie.
    return request.cookies.get(COOKIE_CSRF, "")


def _es_https(scope: Scope, cabeceras: Headers) -> bool:
    """Whether the browser talks HTTPS to us, directly or through the gateway."""
    reenviado = cabeceras.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return scope.get("scheme") == "https" or reenviado == "https"


def _cookie(estado: _EstadoCsrf) -> str:
    """Set-Cookie value for the token."""
    seguro = "; Secure" if estado.seguro else ""
    return f"{COOKIE_CSRF}={estado.token}; Path=/; HttpOnly; SameSite=Lax{seguro}"


def requiere_token(request: Request) -> bool:
    """Unsafe method, no Bearer header, and a page path or a session cookie."""
    if request.method not in METODOS_INSEGUROS:
        return False
    esquema, _, _ = request.headers.get("authorization", "").partition(" ")
    if esquema.lower() == "bearer":
        return False
    return not es_api(request.url.path) or COOKIE_SESION in request.cookies


class _LectorCampo:
    """Streams a urlencoded or multipart body until the `csrf_token` field is complete."""

    def __init__(self, tipo: str, boundary: bytes | None) -> None:
        self.token: str | None = None
        self._nombre = bytearray()
        self._valor = bytearray()
        self._cabecera = bytearray()
        self._valor_cabecera = bytearray()
        self._es_campo = False
        self.parser: MultipartParser | QuerystringParser
        if tipo == "multipart/form-data" and boundary:
            multipart: MultipartCallbacks = {
                "on_part_begin": self._inicio,
                "on_header_field": self._campo_cabecera,
                "on_header_value": self._valor_de_cabecera,
                "on_header_end": self._fin_cabecera,
                "on_part_data": self._datos,
                "on_part_end": self._fin,
            }
            self.parser = MultipartParser(boundary, multipart)
        else:
            consulta: QuerystringCallbacks = {
                "on_field_start": self._inicio,
                "on_field_name": self._nombre_campo,
                "on_field_data": self._datos,
                "on_field_end": self._fin_consulta,
            }
            self.parser = QuerystringParser(consulta)

    def _inicio(self) -> None:
        self._nombre.clear()
        self._valor.clear()
        self._es_campo = False

    def _nombre_campo(self, datos: bytes, inicio: int, fin: int) -> None:
        self._nombre += datos[inicio:fin]

    def _campo_cabecera(self, datos: bytes, inicio: int, fin: int) -> None:
        self._cabecera += datos[inicio:fin]

    def _valor_de_cabecera(self, datos: bytes, inicio: int, fin: int) -> None:
        self._valor_cabecera += datos[inicio:fin]

    def _fin_cabecera(self) -> None:
        if self._cabecera.strip().lower() == b"content-disposition":
            _, opciones = parse_options_header(bytes(self._valor_cabecera))
            self._es_campo = opciones.get(b"name") == CAMPO_CSRF.encode()
        self._cabecera.clear()
        self._valor_cabecera.clear()

    def _datos(self, datos: bytes, inicio: int, fin: int) -> None:
        # Cap what we keep: file parts flow through here too and are not ours to hold.
        disponible = _MAX_TOKEN + 1 - len(self._valor)
        if disponible > 0:
            self._valor += datos[inicio : min(fin, inicio + disponible)]

    def _fin(self) -> None:
        if self._es_campo and self.token is None:
            self.token = self._valor.decode("latin-1")

    def _fin_consulta(self) -> None:
        if unquote_plus(self._nombre.decode("latin-1")) == CAMPO_CSRF and self.token is None:
            self.token = unquote_plus(self._valor.decode("latin-1"))


async def _token_del_cuerpo(cabeceras: Headers, receive: Receive) -> tuple[str | None, Receive]:
    """Read the body just until the form field appears; return it and a replaying `receive`."""
    tipo_bytes, opciones = parse_options_header(cabeceras.get("content-type", ""))
    tipo = tipo_bytes.decode("latin-1").lower()
    if tipo not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None, receive
    lector = _LectorCampo(tipo, opciones.get(b"boundary"))
    leidos: deque[Message] = deque()
    try:
        while lector.token is None:
            mensaje = await receive()
            leidos.append(mensaje)
            if mensaje["type"] != "http.request":
                break
            lector.parser.write(mensaje.get("body", b""))
            if not mensaje.get("more_body", False):
                lector.parser.finalize()
                break
    except FormParserError:
        lector.token = None

    async def repetir() -> Message:
        # Replay what we consumed, chunk by chunk, then hand over to the real stream.
        if leidos:
            return leidos.popleft()
        return await receive()

    return lector.token, repetir


class ProteccionCsrf:
    """Pure ASGI middleware enforcing the double-submit token on unsafe browser requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the token when required, and set the cookie when a new token was handed out."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get(COOKIE_CSRF, "")
        valido = cookie if _FORMATO.fullmatch(cookie) else None
        estado = _EstadoCsrf(
            token=valido or secrets.token_urlsafe(32),
            nuevo=valido is None,
            seguro=_es_https(scope, request.headers),
        )
        scope[_CLAVE_SCOPE] = estado

        async def enviar(mensaje: Message) -> None:
            if mensaje["type"] == "http.response.start" and estado.nuevo and estado.usado:
                MutableHeaders(scope=mensaje).append("set-cookie", _cookie(estado))
            await send(mensaje)

        if requiere_token(request):
            enviado = request.headers.get(CABECERA_CSRF)
            if enviado is None:
                enviado, receive = await _token_del_cuerpo(request.headers, receive)
            if not _coincide(enviado, valido):
                respuesta = respuesta_problema(request, status=403, title=TITULO, detail=MENSAJE)
                await respuesta(scope, receive, enviar)
                return
        await self.app(scope, receive, enviar)


def _coincide(enviado: str | None, esperado: str | None) -> bool:
    """Constant-time comparison; a missing side never matches."""
    if not enviado or not esperado:
        return False
    return hmac.compare_digest(enviado.encode("latin-1", "replace"), esperado.encode("latin-1"))
