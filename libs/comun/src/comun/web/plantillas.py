"""Jinja2 templates of a service on top of comun's base layout, and the HTML error page."""

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from comun.auth.usuario import Usuario
from comun.errores import traza_actual
from comun.eventos.vocabulario import etiqueta
from comun.roles import Rol
from comun.rutas import prefijo_estaticos, servicio_de_ruta
from comun.servicios import Servicio
from comun.web.csrf import csrf_token

logger = logging.getLogger("comun.web")

DIRECTORIO_PLANTILLAS = Path(__file__).parent / "templates"
DIRECTORIO_ESTATICOS = Path(__file__).parent / "static"

NOMBRES_SERVICIO: dict[Servicio, str] = {
    Servicio.IDENTIDAD: "Cuentas y acceso",
    Servicio.CAPTURA: "Captura",
    Servicio.VALIDACION: "Validación",
    Servicio.PUBLICACION: "Sitio público",
    Servicio.ESTADISTICA: "Estadística",
    Servicio.AUDITORIA: "Historial de actividad",
}

# htmx swaps 422 answers so a form can come back with its errors; other 4xx/5xx are reported
# by conoceles.js. allowEval off: no inline JavaScript in attributes.
CONFIG_HTMX: dict[str, Any] = {
    "includeIndicatorStyles": False,
    "allowEval": False,
    "allowScriptTags": False,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "422", "swap": True},
        {"code": "[45]..", "swap": False, "error": True},
    ],
}


@dataclass(frozen=True, slots=True)
class Enlace:
    """A navigation link; `roles` None means everyone, signed in or not."""

    texto: str
    url: str
    roles: frozenset[Rol] | None = None


NAVEGACION: tuple[Enlace, ...] = (
    Enlace("Sitio público", "/"),
    Enlace(
        "Captura",
        "/captura/",
        frozenset({Rol.PARTIDO, Rol.CANDIDATURA, Rol.SUPERVISOR, Rol.ADMINISTRADOR}),
    ),
    Enlace(
        "Validación",
        "/validacion/",
        frozenset({Rol.SUPERVISOR, Rol.CANDIDATURA, Rol.VERIFICADOR, Rol.ADMINISTRADOR}),
    ),
    Enlace("Estadística", "/estadistica/", frozenset({Rol.ADMINISTRADOR, Rol.VERIFICADOR})),
    Enlace("Historial de actividad", "/auditoria/", frozenset({Rol.ADMINISTRADOR})),
    Enlace("Cuentas", "/identidad/", frozenset({Rol.ADMINISTRADOR})),
    Enlace("Webhooks", "/webhooks", frozenset({Rol.ADMINISTRADOR})),
)


def usuario_de(request: Request) -> Usuario | None:
    """The signed-in user kept in `request.state.usuario` by the auth dependencies, or None."""
    usuario = getattr(request.state, "usuario", None)
    return usuario if isinstance(usuario, Usuario) else None


def enlaces_navegacion(usuario: Usuario | None, ruta: str) -> list[dict[str, Any]]:
    """The links this user may follow, marking the one section the path is in."""
    visibles = [
        e
        for e in NAVEGACION
        if e.roles is None or (usuario is not None and usuario.tiene_rol(*e.roles))
    ]
    # Several links may belong to one service (the public site and its webhooks page): the
    # longest one the path starts with wins, else the service's first.
    del_servicio = [e for e in visibles if servicio_de_ruta(e.url) is servicio_de_ruta(ruta)]
    prefijos = [e for e in del_servicio if e.url != "/" and ruta.startswith(e.url.rstrip("/"))]
    actual = max(prefijos, key=lambda e: len(e.url), default=next(iter(del_servicio), None))
    return [{"texto": e.texto, "url": e.url, "actual": e is actual} for e in visibles]


@lru_cache(maxsize=256)
def _version(nombre: str) -> str:
    """Short content hash of one of comun's static files, for cache busting."""
    archivo = DIRECTORIO_ESTATICOS / nombre
    if not archivo.is_file():
        return ""
    return hashlib.sha256(archivo.read_bytes()).hexdigest()[:12]


def static_url(servicio: Servicio, nombre: str) -> str:
    """URL of a static file as mounted for the service, with a content version."""
    version = _version(nombre)
    return f"{prefijo_estaticos(servicio)}/{nombre}" + (f"?v={version}" if version else "")


def _entorno(servicio: Servicio, directorio: Path | None) -> jinja2.Environment:
    """Jinja environment: service templates first, then comun's; autoescaped."""
    cargadores: list[jinja2.BaseLoader] = []
    if directorio is not None:
        cargadores.append(jinja2.FileSystemLoader(directorio))
    cargadores.append(jinja2.FileSystemLoader(DIRECTORIO_PLANTILLAS))
    entorno = jinja2.Environment(
        loader=jinja2.ChoiceLoader(cargadores),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    entorno.filters["etiqueta"] = etiqueta

    @jinja2.pass_context
    def _csrf(contexto: jinja2.runtime.Context) -> str:
        return csrf_token(contexto["request"])

    @jinja2.pass_context
    def _usuario(contexto: jinja2.runtime.Context) -> Usuario | None:
        return usuario_de(contexto["request"])

    @jinja2.pass_context
    def _navegacion(contexto: jinja2.runtime.Context) -> list[dict[str, Any]]:
        request: Request = contexto["request"]
        return enlaces_navegacion(usuario_de(request), request.url.path)

    @jinja2.pass_context
    def _renovar(contexto: jinja2.runtime.Context) -> str | None:
        return url_renovacion(contexto["request"])

    def _static(nombre: str) -> str:
        return static_url(servicio, nombre)

    def _roles(usuario: Usuario) -> str:
        return ", ".join(rol.value for rol in Rol if rol in usuario.roles)

    entorno.globals.update(
        csrf_token=_csrf,
        usuario_actual=_usuario,
        navegacion=_navegacion,
        renovar_sesion=_renovar,
        static_url=_static,
        roles_de=_roles,
        servicio=servicio.value,
        nombre_servicio=NOMBRES_SERVICIO[servicio],
        config_htmx=CONFIG_HTMX,
    )
    return entorno


URL_RENOVACION = "/identidad/renovar"


def url_renovacion(request: Request) -> str | None:
    """Where pages renew a signed-in session before its short-lived token expires."""
    return URL_RENOVACION if usuario_de(request) is not None else None


_REGISTRADAS: dict[Servicio, Jinja2Templates] = {}


def crear_plantillas(servicio: Servicio, directorio: Path | None) -> Jinja2Templates:
    """Templates of a service (its directory, then comun's base layout, macros and error page)."""
    plantillas = Jinja2Templates(env=_entorno(servicio, directorio))
    # Error pages of this service's paths use the same loader, so its layout overrides apply.
    _REGISTRADAS[servicio] = plantillas
    return plantillas


def plantillas_de(servicio: Servicio) -> Jinja2Templates:
    """The service's registered templates, or comun's alone if it registered none."""
    if servicio not in _REGISTRADAS:
        _REGISTRADAS[servicio] = Jinja2Templates(env=_entorno(servicio, None))
    return _REGISTRADAS[servicio]


def _es_parcial(request: Request) -> bool:
    """An htmx request that swaps part of a page (boosted links and history loads want it all)."""
    cabeceras = request.headers
    return (
        cabeceras.get("hx-request") == "true"
        and cabeceras.get("hx-boosted") != "true"
        and cabeceras.get("hx-history-restore-request") != "true"
    )


def pagina_error(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """The HTML error page (a fragment for htmx requests) in the layout of the path's service."""
    extra = dict(extra or {})
    contexto = {
        "titulo": title,
        "problema": {"status": status, "title": title, "detail": detail},
        "errores": extra.get("errores", []),
        "traza": extra.get("traza") or (traza_actual() if status >= 500 else None),
        "fragmento": _es_parcial(request),
    }
    plantillas = plantillas_de(servicio_de_ruta(request.url.path))
    try:
        return plantillas.TemplateResponse(
            request, "error.html", contexto, status_code=status, headers=headers
        )
    except Exception:
        # The error page must never fail in turn; fall back to a bare page.
        logger.exception("No se pudo mostrar la página de error %s", status)
        cuerpo = (
            f'<!doctype html><html lang="es-MX"><meta charset="utf-8"><title>{escape(title)}'
            f"</title><main><h1>{escape(title)}</h1><p>{escape(detail)}</p>"
            '<p><a href="/">Ir al inicio</a></p></main></html>'
        )
        return HTMLResponse(cuerpo, status_code=status, headers=headers)
