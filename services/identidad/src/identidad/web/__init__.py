"""HTML pages of the identity provider: sign in (local form or Keycloak), sign out, who is in."""

import hmac
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import httpx
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer

from comun.auth.dependencias import COOKIE_SESION, UsuarioActual, UsuarioOpcional, verificador
from comun.auth.jwks import JwksSource
from comun.auth.usuario import Usuario
from comun.errores import NoAutenticado, Problema, ProblemaResponse, respuesta_problema
from comun.servicios import Servicio
from comun.settings import PlatformSettings, url_realm
from comun.web.plantillas import crear_plantillas
from identidad.adapters import Componentes
from identidad.api import acceder, emitir_sesion, problema_de
from identidad.config import SECRETO_REGISTRO_DESARROLLO, Settings
from identidad.domain import ErrorIdentidad, ProcesoTerminado, proceso_terminado
from identidad.domain.totp import CodigoRequerido

if TYPE_CHECKING:
    from comun.auth.keycloak import ClienteOidcKeycloak, ProveedorKeycloak, Tokens

logger = logging.getLogger("identidad")

DIRECTORIO_PLANTILLAS = Path(__file__).parent.parent / "templates"
PREFIJO = "/identidad"
INICIO = f"{PREFIJO}/"
LOGIN = f"{PREFIJO}/login"
LOGOUT = f"{PREFIJO}/logout"
CALLBACK = f"{PREFIJO}/callback"
RENOVAR = f"{PREFIJO}/renovar"
LONGITUD_MAXIMA_DESTINO = 2048
COOKIE_RENOVACION = "conoceles_renovacion"
COOKIE_ESTADO = "conoceles_oidc"
SAL_ESTADO = "conoceles.identidad.oidc"


def destino_seguro(siguiente: str | None) -> str:
    """The local path to go to after signing in; anything else (other sites, odd URLs) → start."""
    if not siguiente or len(siguiente) > LONGITUD_MAXIMA_DESTINO:
        return INICIO
    # Browsers drop tabs and newlines and read "\" as "/": "/\evil" would leave the site.
    if "\\" in siguiente or any(ord(c) < 0x20 or ord(c) == 0x7F for c in siguiente):
        return INICIO
    if not siguiente.startswith("/") or siguiente.startswith("//"):
        return INICIO
    partes = urlsplit(siguiente)
    if partes.scheme or partes.netloc:
        return INICIO
    if partes.path in (LOGIN, LOGOUT, CALLBACK, RENOVAR):
        return INICIO
    return siguiente


def es_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS, directly or through the gateway."""
    reenviado = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or reenviado == "https"


def router(componentes: Componentes, keycloak: "ClientesKeycloak | None" = None) -> APIRouter:
    """Routes under /identidad: the local login form, or the login through Keycloak."""
    plantillas = crear_plantillas(Servicio.IDENTIDAD, DIRECTORIO_PLANTILLAS)
    rutas = APIRouter(prefix=PREFIJO, include_in_schema=False)
    if keycloak is None:
        _rutas_locales(rutas, componentes, plantillas)
    else:
        _rutas_keycloak(rutas, componentes, keycloak)

    @rutas.get("/")
    async def inicio(request: Request, usuario: UsuarioOpcional) -> Response:
        if usuario is None and keycloak is not None and request.cookies.get(COOKIE_RENOVACION):
            # The access token ran out but Keycloak's session may still be alive.
            return RedirectResponse(f"{LOGIN}?siguiente={INICIO}", status_code=303)
        contexto = {"titulo": "Mi cuenta", "usuario": usuario}
        respuesta = plantillas.TemplateResponse(request, "identidad/inicio.html", contexto)
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta

    return rutas


def _rutas_locales(rutas: APIRouter, componentes: Componentes, plantillas: Jinja2Templates) -> None:
    """The embedded provider's login form and logout."""
    # Imported here: the account pages use this module's helpers.
    from identidad.web import cuenta as mi_cuenta

    settings = componentes.settings

    def formulario(
        request: Request,
        *,
        siguiente: str,
        usuario: str = "",
        error: str | None = None,
        aviso: str | None = None,
        status_code: int = 200,
    ) -> Response:
        contexto = {
            "titulo": "Iniciar sesión",
            "siguiente": destino_seguro(siguiente),
            "nombre_usuario": usuario,
            "error": error,
            "aviso": aviso,
            "intentos_maximos": settings.intentos_maximos,
            "minutos_bloqueo": max(1, settings.bloqueo_s // 60),
        }
        respuesta = plantillas.TemplateResponse(
            request, "identidad/login.html", contexto, status_code=status_code
        )
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta

    @rutas.get("/login")
    async def ver_login(
        request: Request, _: UsuarioOpcional, siguiente: str = "", salida: str = ""
    ) -> Response:
        aviso = "Cerró su sesión. Puede volver a entrar cuando lo necesite." if salida else None
        return formulario(request, siguiente=siguiente, aviso=aviso)

    @rutas.post("/login")
    async def iniciar_sesion(
        request: Request,
        usuario: Annotated[str, Form()] = "",
        clave: Annotated[str, Form()] = "",
        siguiente: Annotated[str, Form()] = "",
    ) -> Response:
        if not usuario.strip() or not clave:
            return formulario(
                request,
                siguiente=siguiente,
                usuario=usuario,
                error="Escriba su usuario y su contraseña.",
                status_code=422,
            )
        try:
            emitido = await acceder(
                componentes,
                request,
                usuario=usuario,
                clave=clave,
                vida_s=settings.vida_sesion_s,
                web=True,
            )
        except CodigoRequerido as pendiente:
            return mi_cuenta.pedir_codigo(
                request, plantillas, componentes, cuenta_id=pendiente.cuenta_id, siguiente=siguiente
            )
        except ErrorIdentidad as error:
            # 422 so htmx swaps the form back in with its message (comun.web convention).
            return formulario(
                request,
                siguiente=siguiente,
                usuario=usuario[:128],
                error=problema_de(error).detail,
                status_code=422,
            )
        destino = mi_cuenta.destino_tras_entrar(emitido.acciones, siguiente)
        respuesta = RedirectResponse(destino, status_code=303)
        mi_cuenta.poner_sesion(respuesta, request, emitido)
        return respuesta

    @rutas.post("/renovar")
    async def renovar_local(request: Request, usuario: UsuarioActual) -> Response:
        # A still-valid session gets a fresh token only while the account stays active, not
        # expired, and its sessions were not closed: that is how a disabled account is shut
        # out of every service within one token lifetime.
        from identidad.api.cuentas import comprobar_sesion

        await comprobar_sesion(componentes, request, usuario)
        cuenta = await componentes.repositorio().por_id(usuario.id)
        ahora = datetime.now(UTC)
        if cuenta is None or cuenta.vencida(ahora, settings.vence_en):
            raise NoAutenticado("Su sesión terminó; inicie sesión de nuevo.")
        emitido = await emitir_sesion(
            componentes, cuenta, vida_s=settings.vida_sesion_s, ahora=ahora
        )
        respuesta = Response(status_code=204)
        mi_cuenta.poner_sesion(respuesta, request, emitido)
        return respuesta

    @rutas.post("/logout")
    async def cerrar_sesion(request: Request) -> Response:
        respuesta = RedirectResponse(f"{LOGIN}?salida=1", status_code=303)
        respuesta.delete_cookie(
            COOKIE_SESION, path="/", httponly=True, samesite="lax", secure=es_https(request)
        )
        return respuesta


class ClientesKeycloak:
    """The Keycloak clients of this process: opened at start-up, closed at shutdown."""

    def __init__(self, settings: Settings, jwks: JwksSource) -> None:
        self._settings = settings
        self._jwks = jwks
        self._oidc: ClienteOidcKeycloak | None = None
        self._proveedor: ProveedorKeycloak | None = None

    def abrir(self, plataforma: PlatformSettings) -> None:
        """Create the web client and the account administration client."""
        # Imported here: python-keycloak costs 0.2 s of start-up in local mode.
        from comun.auth.keycloak import ClienteOidcKeycloak, ProveedorKeycloak

        settings = self._settings
        self._oidc = ClienteOidcKeycloak(
            url=plataforma.keycloak_url,
            realm=plataforma.keycloak_realm,
            cliente=settings.keycloak_cliente_web,
            secreto=settings.keycloak_secreto_web.get_secret_value(),
            jwks=self._jwks,
            emisor=plataforma.emisor,
            url_navegador=settings.keycloak_url_navegador,
        )
        self._proveedor = ProveedorKeycloak(
            url=plataforma.keycloak_url,
            realm=plataforma.keycloak_realm,
            cliente=settings.keycloak_cliente_admin,
            secreto=settings.keycloak_secreto_admin.get_secret_value(),
        )

    async def cerrar(self) -> None:
        """Close their connections."""
        if self._oidc is not None:
            await self._oidc.cerrar()
        if self._proveedor is not None:
            await self._proveedor.cerrar()

    def oidc(self) -> "ClienteOidcKeycloak":
        """The web client; 503 while the service is still starting."""
        if self._oidc is None:
            raise _iniciando()
        return self._oidc

    def proveedor(self) -> "ProveedorKeycloak":
        """The account administration client; 503 while the service is still starting."""
        if self._proveedor is None:
            raise _iniciando()
        return self._proveedor


class SecretoDeDesarrolloVigente(RuntimeError):
    """Outside dev, Keycloak still hands out tokens for a secret published in this repository."""


async def rechazar_secreto_de_registro_de_desarrollo(
    settings: Settings,
    plataforma: PlatformSettings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> None:
    """Refuse to start when the registration client still takes the realm file's dev secret."""
    cliente = settings.keycloak_cliente_registro
    datos = {
        "grant_type": "client_credentials",
        "client_id": cliente,
        "client_secret": SECRETO_REGISTRO_DESARROLLO,
    }
    realm = url_realm(plataforma.keycloak_url, plataforma.keycloak_realm)
    try:
        async with httpx.AsyncClient(timeout=10, transport=transport) as http:
            respuesta = await http.post(f"{realm}/protocol/openid-connect/token", data=datos)
    except httpx.HTTPError as error:
        # Keycloak may still be starting; the check is a safety net, not a dependency.
        logger.warning("No se pudo comprobar el secreto del cliente %s: %s", cliente, error)
        return
    if respuesta.status_code == 200:
        raise SecretoDeDesarrolloVigente(
            f"El cliente {cliente} de Keycloak acepta todavía el secreto de desarrollo del "
            "realm de ejemplo: cualquiera podría enviar candidaturas como el sistema de registro. "
            f"Regenere su secreto (Clients → {cliente} → Credentials → Regenerate) y entréguelo "
            "al sistema de registro antes de iniciar en producción."
        )


def _comprobar_proceso(settings: Settings, usuario: Usuario) -> None:
    """Once the process ended, party and candidacy accounts get no Keycloak session here."""
    if settings.vence_en and proceso_terminado(usuario.roles, datetime.now(UTC), settings.vence_en):
        raise NoAutenticado(str(ProcesoTerminado(settings.vence_en)))


def _iniciando() -> Problema:
    return Problema(
        503,
        "Servicio de identidad no disponible",
        "El servicio de identidad está iniciando; intente de nuevo en unos segundos.",
    )


def _rutas_keycloak(rutas: APIRouter, componentes: Componentes, keycloak: ClientesKeycloak) -> None:
    """Login through Keycloak (code flow + PKCE), callback, refresh and logout."""
    settings = componentes.settings

    def serializador() -> URLSafeTimedSerializer:
        secreto = componentes.plataforma().clave_secreta.get_secret_value()
        return URLSafeTimedSerializer(secreto, salt=SAL_ESTADO)

    @rutas.get("/login")
    async def ir_a_keycloak(request: Request, siguiente: str = "") -> Response:
        destino = destino_seguro(siguiente)
        oidc = keycloak.oidc()
        renovacion = request.cookies.get(COOKIE_RENOVACION)
        if renovacion:
            # Transparent refresh: pages send expired sessions here (comun.errores, 401).
            try:
                tokens = await oidc.renovar(refresh_token=renovacion)
                _comprobar_proceso(
                    settings, await verificador(request).verificar(tokens.access_token)
                )
            except NoAutenticado:
                pass
            else:
                respuesta = RedirectResponse(destino, status_code=303)
                _poner_sesion(respuesta, request, tokens)
                return respuesta
        redirect_uri = url_publica(request, settings.url_publica) + CALLBACK
        solicitud = oidc.autorizacion(redirect_uri=redirect_uri)
        estado = serializador().dumps(
            {
                "state": solicitud.state,
                "nonce": solicitud.nonce,
                "verifier": solicitud.code_verifier,
                "redirect_uri": redirect_uri,
                "siguiente": destino,
            }
        )
        respuesta = RedirectResponse(solicitud.url, status_code=303)
        respuesta.set_cookie(
            COOKIE_ESTADO,
            estado,
            max_age=settings.vida_estado_login_s,
            path=INICIO,
            httponly=True,
            samesite="lax",
            secure=es_https(request),
        )
        if renovacion:
            _borrar(respuesta, request, COOKIE_RENOVACION, INICIO)
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta

    @rutas.get("/callback")
    async def volver_de_keycloak(
        request: Request,
        code: str = "",
        state: str = "",
        error: str = "",
    ) -> Response:
        try:
            estado = _leer_estado(request, serializador(), settings.vida_estado_login_s)
            if error:
                raise Problema(
                    400,
                    "No fue posible iniciar sesión",
                    f"Keycloak no completó el inicio de sesión ({_codigo(error)}); "
                    "vuelva a intentarlo desde «Iniciar sesión».",
                )
            if not code or not hmac.compare_digest(state.encode(), estado["state"].encode()):
                raise _ESTADO_INVALIDO
            oidc = keycloak.oidc()
            tokens = await oidc.canjear_codigo(
                code=code[:2048],
                redirect_uri=estado["redirect_uri"],
                code_verifier=estado["verifier"],
            )
            if tokens.id_token is None:
                raise NoAutenticado("Keycloak no devolvió la identificación de la sesión.")
            claims = await oidc.verificar_id_token(tokens.id_token, nonce=estado["nonce"])
            usuario = await verificador(request).verificar(tokens.access_token)
            if usuario.id != claims.get("sub"):
                raise NoAutenticado("Los tokens de Keycloak no corresponden a la misma persona.")
            _comprobar_proceso(settings, usuario)
        except Problema as problema:
            # 400, not 401: a 401 page would send the browser back to login in a loop.
            respuesta = respuesta_problema(
                request,
                status=400 if problema.status == 401 else problema.status,
                title="No fue posible iniciar sesión",
                detail=problema.detail,
            )
            _borrar(respuesta, request, COOKIE_ESTADO, INICIO)
            return respuesta
        respuesta = RedirectResponse(destino_seguro(estado["siguiente"]), status_code=303)
        _poner_sesion(respuesta, request, tokens)
        _borrar(respuesta, request, COOKIE_ESTADO, INICIO)
        logger.info("sesión iniciada con Keycloak: %s", usuario.nombre_usuario)
        return respuesta

    @rutas.post("/renovar")
    async def renovar(request: Request) -> Response:
        renovacion = request.cookies.get(COOKIE_RENOVACION)
        try:
            if not renovacion:
                raise NoAutenticado("No hay una sesión que renovar; inicie sesión de nuevo.")
            tokens = await keycloak.oidc().renovar(refresh_token=renovacion)
            _comprobar_proceso(settings, await verificador(request).verificar(tokens.access_token))
        except NoAutenticado as error:
            # Always JSON: a background refresh must not navigate away from a half-filled form.
            respuesta: Response = ProblemaResponse(
                {
                    "type": error.tipo,
                    "title": error.title,
                    "status": 401,
                    "detail": error.detail,
                    "instance": request.url.path,
                },
                status_code=401,
            )
            _borrar(respuesta, request, COOKIE_SESION, "/")
            _borrar(respuesta, request, COOKIE_RENOVACION, INICIO)
            return respuesta
        respuesta = Response(status_code=204)
        _poner_sesion(respuesta, request, tokens)
        return respuesta

    @rutas.post("/logout")
    async def cerrar_sesion(request: Request) -> Response:
        renovacion = request.cookies.get(COOKIE_RENOVACION)
        destino = "/"
        if renovacion:
            try:
                await keycloak.oidc().cerrar_sesion(refresh_token=renovacion)
            except Problema as error:
                # Signing out here must work even when Keycloak does not answer.
                logger.warning("No se pudo cerrar la sesión en Keycloak: %s", error.detail)
        else:
            # Without a refresh token only the browser can end Keycloak's session.
            destino = keycloak.oidc().url_fin_sesion(
                post_logout_redirect_uri=url_publica(request, settings.url_publica) + "/"
            )
        respuesta = RedirectResponse(destino, status_code=303)
        _borrar(respuesta, request, COOKIE_SESION, "/")
        _borrar(respuesta, request, COOKIE_RENOVACION, INICIO)
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta


_ESTADO_INVALIDO = Problema(
    400,
    "No fue posible iniciar sesión",
    "La solicitud de inicio de sesión expiró o no corresponde a este navegador; "
    "vuelva a iniciar sesión.",
)
_ANFITRION = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def _codigo(error: str) -> str:
    """An OAuth error code as Keycloak sends it; nothing else from the URL is echoed."""
    return re.sub(r"[^a-z_]", "", error.lower())[:40] or "error"


def url_publica(request: Request, configurada: str | None) -> str:
    """This site's base URL as the browser sees it (setting, else the request and gateway)."""
    if configurada:
        return configurada.rstrip("/")
    esquema = "https" if es_https(request) else "http"
    reenviado = request.headers.get("x-forwarded-host", "").split(",")[0].strip()
    anfitrion = reenviado or request.headers.get("host", "")
    if not _ANFITRION.fullmatch(anfitrion):
        anfitrion = request.url.netloc
    return f"{esquema}://{anfitrion}"


def _leer_estado(
    request: Request, serializador: URLSafeTimedSerializer, vida_s: int
) -> dict[str, str]:
    """The signed login state this browser got from /identidad/login."""
    crudo = request.cookies.get(COOKIE_ESTADO)
    if not crudo:
        raise _ESTADO_INVALIDO
    try:
        estado = serializador.loads(crudo, max_age=vida_s)
    except BadSignature as error:
        raise _ESTADO_INVALIDO from error
    claves = ("state", "nonce", "verifier", "redirect_uri", "siguiente")
    if not isinstance(estado, dict) or not all(isinstance(estado.get(k), str) for k in claves):
        raise _ESTADO_INVALIDO
    return {clave: estado[clave] for clave in claves}


def _poner_sesion(respuesta: Response, request: Request, tokens: "Tokens") -> None:
    """Session cookie (the access token) for every path; refresh cookie only for /identidad/."""
    seguro = es_https(request)
    respuesta.set_cookie(
        COOKIE_SESION,
        tokens.access_token,
        max_age=tokens.expires_in,
        path="/",
        httponly=True,
        samesite="lax",
        secure=seguro,
    )
    if tokens.refresh_token:
        respuesta.set_cookie(
            COOKIE_RENOVACION,
            tokens.refresh_token,
            max_age=tokens.refresh_expires_in or None,
            path=INICIO,
            httponly=True,
            samesite="lax",
            secure=seguro,
        )
    respuesta.headers["Cache-Control"] = "no-store"


def _borrar(respuesta: Response, request: Request, nombre: str, ruta: str) -> None:
    respuesta.delete_cookie(
        nombre, path=ruta, httponly=True, samesite="lax", secure=es_https(request)
    )
