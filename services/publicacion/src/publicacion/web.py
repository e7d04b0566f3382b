"""The public web site: `/` and everything no other service claims."""

import functools
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comun.auth.dependencias import UsuarioOpcional
from comun.errores import NoEncontrado, Problema
from comun.eventos.vocabulario import etiqueta
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from publicacion import handlers, presentacion
from publicacion.api import NO_PUBLICADA, RETIRADA, Repo
from publicacion.config import Settings
from publicacion.domain import EstadoPerfil

plantillas = crear_plantillas(Servicio.PUBLICACION, Path(__file__).parent / "templates")
plantillas.env.globals.update(
    presentacion=presentacion, etiqueta=etiqueta, NO_PROPORCIONO=presentacion.NO_PROPORCIONO
)
router = APIRouter(include_in_schema=False)


@functools.cache
def _eleccion() -> dict[str, Any]:
    """The election this site publishes (read once)."""
    datos: dict[str, Any] = json.loads(Settings().eleccion.read_text(encoding="utf-8"))
    return datos["eleccion"]  # type: ignore[no-any-return]


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def inicio(request: Request, repo: Repo, usuario: UsuarioOpcional) -> HTMLResponse:
    """Public home page: the election and what has been published so far."""
    resumen = await handlers.resumen_publico(repo=repo)
    contexto = {"usuario": usuario, "eleccion": _eleccion(), "resumen": resumen}
    return plantillas.TemplateResponse(request, "publicacion/inicio.html", contexto)


@router.api_route(
    "/candidaturas/{candidatura_id}", methods=["GET", "HEAD"], response_class=HTMLResponse
)
async def perfil(
    request: Request, candidatura_id: str, repo: Repo, usuario: UsuarioOpcional
) -> HTMLResponse:
    """A candidacy's public profile: sections, takedowns, identity when public, change log."""
    estado, vista = await handlers.perfil_publico(repo=repo, candidatura_id=candidatura_id[:80])
    if estado is EstadoPerfil.RETIRADO:
        raise Problema(410, "Perfil retirado", RETIRADA)
    if vista is None:
        raise NoEncontrado(NO_PUBLICADA)
    contexto = {"usuario": usuario, "eleccion": _eleccion(), "p": vista, "titulo": vista["nombre"]}
    return plantillas.TemplateResponse(request, "publicacion/perfil.html", contexto)
