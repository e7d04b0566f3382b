"""HTML pages of validacion under /validacion."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from validacion import handlers
from validacion.api import Repo, Revisor
from validacion.domain import pendientes

plantillas = crear_plantillas(Servicio.VALIDACION, Path(__file__).parent.parent / "templates")
router = APIRouter(prefix="/validacion", include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def inicio(
    request: Request,
    usuario: Revisor,
    repo: Repo,
) -> HTMLResponse:
    """Start page: who is logged in and the candidacies they review."""
    cola = await handlers.cola_de_revision(repo=repo, usuario=usuario)
    contexto = {"usuario": usuario, "cola": cola, "pendientes": pendientes(cola)}
    return plantillas.TemplateResponse(request, "validacion/inicio.html", contexto)
