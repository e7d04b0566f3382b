"""HTML pages of captura under /captura."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from captura import handlers
from captura.api import Capturista, Repo
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas

plantillas = crear_plantillas(Servicio.CAPTURA, Path(__file__).parent / "templates")
router = APIRouter(prefix="/captura", include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def inicio(request: Request, usuario: Capturista, repo: Repo) -> HTMLResponse:
    """Start page: who is logged in and the candidacies in their scope."""
    candidaturas = await handlers.candidaturas_visibles(repo=repo, usuario=usuario)
    return plantillas.TemplateResponse(
        request, "captura/inicio.html", {"usuario": usuario, "candidaturas": candidaturas}
    )
