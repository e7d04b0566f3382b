"""HTML pages of notices: the inbox, and the e-mail outbox for the administrator."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from validacion.adapters.avisos import EnvioRepository
from validacion.adapters.correo import BuzonDeSalida
from validacion.api.avisos import Avisos, Lector
from validacion.handlers import avisos as handlers
from validacion.web import plantillas

router = APIRouter(prefix="/validacion", include_in_schema=False)
Administrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR))]


@router.get("/avisos", response_class=HTMLResponse)
async def bandeja(request: Request, usuario: Lector, avisos: Avisos) -> HTMLResponse:
    """The account's notices, unread first."""
    lista = await handlers.bandeja(avisos=avisos, usuario=usuario)
    contexto = {
        "titulo": "Avisos",
        "avisos": lista,
        "no_leidos": sum(1 for a in lista if not a.leido(usuario.nombre_usuario)),
        "lector": usuario.nombre_usuario,
    }
    return plantillas.TemplateResponse(request, "validacion/avisos.html", contexto)


@router.post("/avisos/{aviso_id}/leido")
async def marcar_leido(aviso_id: str, usuario: Lector, avisos: Avisos) -> RedirectResponse:
    """Mark a notice read and go back to the inbox."""
    await handlers.marcar_leido(avisos=avisos, usuario=usuario, aviso_id=aviso_id)
    return RedirectResponse(f"/validacion/avisos#aviso-{aviso_id}", status_code=303)


@router.get("/correos", response_class=HTMLResponse)
async def correos(request: Request, _usuario: Administrador) -> HTMLResponse:
    """The e-mail copies of notices with their delivery state, and the embedded outbox."""
    store = recursos_de(request, Servicio.VALIDACION).store
    envios = EnvioRepository(store)
    contexto = {
        "titulo": "Correos de avisos",
        "envios": await envios.recientes(),
        "por_estado": await envios.por_estado(),
        "buzon": await BuzonDeSalida(store).mensajes(),
    }
    return plantillas.TemplateResponse(request, "validacion/avisos_correos.html", contexto)
