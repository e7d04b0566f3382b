"""The public web site: `/` and everything no other service claims."""

import functools
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comun.auth.dependencias import UsuarioOpcional
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from publicacion import handlers
from publicacion.api import Repo
from publicacion.config import Settings

plantillas = crear_plantillas(Servicio.PUBLICACION, Path(__file__).parent / "templates")
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
