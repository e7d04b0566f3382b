"""HTML pages of estadistica under /estadistica."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from estadistica import handlers
from estadistica.api import Personal, Repo

plantillas = crear_plantillas(Servicio.ESTADISTICA, Path(__file__).parent / "templates")
router = APIRouter(prefix="/estadistica", include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def inicio(request: Request, usuario: Personal, repo: Repo) -> HTMLResponse:
    """Start page: who is logged in and the registry coverage by party and sex."""
    filas = await handlers.candidaturas_por_partido(repo=repo)
    contexto = {"usuario": usuario, "filas": filas}
    return plantillas.TemplateResponse(request, "estadistica/inicio.html", contexto)
