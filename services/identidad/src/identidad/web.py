"""HTML pages of the identity provider: sign in, sign out, and who is signed in."""

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from comun.auth.dependencias import COOKIE_SESION, UsuarioOpcional
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from identidad.adapters import Componentes
from identidad.api import acceder, problema_de
from identidad.domain import ErrorIdentidad

DIRECTORIO_PLANTILLAS = Path(__file__).parent / "templates"
PREFIJO = "/identidad"
INICIO = f"{PREFIJO}/"
LOGIN = f"{PREFIJO}/login"
LOGOUT = f"{PREFIJO}/logout"
LONGITUD_MAXIMA_DESTINO = 2048


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
    if partes.path in (LOGIN, LOGOUT):
        return INICIO
    return siguiente


def es_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS, directly or through the gateway."""
    reenviado = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or reenviado == "https"


def router(componentes: Componentes) -> APIRouter:
    """Routes under /identidad."""
    plantillas = crear_plantillas(Servicio.IDENTIDAD, DIRECTORIO_PLANTILLAS)
    rutas = APIRouter(prefix=PREFIJO, include_in_schema=False)
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
                componentes, request, usuario=usuario, clave=clave, vida_s=settings.vida_sesion_s
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
        respuesta = RedirectResponse(destino_seguro(siguiente), status_code=303)
        respuesta.set_cookie(
            COOKIE_SESION,
            emitido.access_token,
            max_age=emitido.expires_in,
            path="/",
            httponly=True,
            samesite="lax",
            secure=es_https(request),
        )
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta

    @rutas.post("/logout")
    async def cerrar_sesion(request: Request) -> Response:
        respuesta = RedirectResponse(f"{LOGIN}?salida=1", status_code=303)
        respuesta.delete_cookie(
            COOKIE_SESION, path="/", httponly=True, samesite="lax", secure=es_https(request)
        )
        return respuesta

    @rutas.get("/")
    async def inicio(request: Request, usuario: UsuarioOpcional) -> Response:
        contexto = {"titulo": "Mi cuenta", "usuario": usuario}
        respuesta = plantillas.TemplateResponse(request, "identidad/inicio.html", contexto)
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta

    return rutas
