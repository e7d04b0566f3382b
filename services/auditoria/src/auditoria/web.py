"""HTML pages of auditoria under /auditoria."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from auditoria import handlers
from auditoria.api import Administrador, EntradaOut, Pagina, Repo
from auditoria.config import Settings
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas

plantillas = crear_plantillas(Servicio.AUDITORIA, Path(__file__).parent / "templates")
router = APIRouter(prefix="/auditoria", include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def inicio(
    request: Request, usuario: Administrador, repo: Repo, pagina: Pagina = 1
) -> HTMLResponse:
    """Start page: who is logged in and the latest activity."""
    por_pagina = Settings().entradas_por_pagina
    entradas, total = await handlers.consultar(repo=repo, pagina=pagina, por_pagina=por_pagina)
    contexto = {
        "usuario": usuario,
        "entradas": [EntradaOut.de(e) for e in entradas],
        "total": total,
        "pagina": pagina,
        "hay_siguiente": pagina * por_pagina < total,
    }
    return plantillas.TemplateResponse(request, "auditoria/inicio.html", contexto)
