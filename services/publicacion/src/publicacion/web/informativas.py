"""Informative public pages: privacy notices, accessibility statement and «about the data»."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comun.auth.dependencias import UsuarioOpcional
from comun.eventos.vocabulario import ETIQUETAS, MotivoContenido
from publicacion.territorio import territorio
from publicacion.web.plantillas import plantillas

router = APIRouter(include_in_schema=False)
PAGINA = HTMLResponse
RESPONSABLE = "Instituto Electoral del Estado de México (IEEM)"
DOMICILIO = "Paseo Tollocan 944, Col. Santa Ana Tlapaltitlán, Toluca, Estado de México, C.P. 50160"
PORTAL_IEEM = "https://www.ieem.org.mx"
# The day these texts last changed; update it with every change to the notices or the statement.
ACTUALIZACION = date(2026, 11, 29)


def _fecha(valor: date | str) -> str:
    """«13/05/2024» from a date or an ISO date string."""
    dia = valor if isinstance(valor, date) else date.fromisoformat(valor[:10])
    return f"{dia:%d/%m/%Y}"


def _informativa(
    request: Request, plantilla: str, usuario: Any, titulo: str, **contexto: Any
) -> HTMLResponse:
    """Render an informative page with the election, the institute's data and the update date."""
    contexto |= {
        "usuario": usuario,
        "titulo": titulo,
        "eleccion": territorio().eleccion,
        "responsable": RESPONSABLE,
        "domicilio": DOMICILIO,
        "portal_ieem": PORTAL_IEEM,
        "actualizacion": _fecha(ACTUALIZACION),
    }
    return plantillas.TemplateResponse(request, f"publicacion/{plantilla}", contexto)


@router.api_route("/privacidad", methods=["GET", "HEAD"], response_class=PAGINA)
async def privacidad(request: Request, usuario: UsuarioOpcional) -> HTMLResponse:
    """Aviso de privacidad integral of the candidacies' personal data (PTO 42)."""
    return _informativa(request, "privacidad.html", usuario, "Aviso de privacidad integral")


@router.api_route("/privacidad/simplificado", methods=["GET", "HEAD"], response_class=PAGINA)
async def privacidad_simplificado(request: Request, usuario: UsuarioOpcional) -> HTMLResponse:
    """Aviso de privacidad simplificado, pointing to the integral one."""
    return _informativa(
        request, "privacidad_simplificado.html", usuario, "Aviso de privacidad simplificado"
    )


@router.api_route("/accesibilidad", methods=["GET", "HEAD"], response_class=PAGINA)
async def accesibilidad(request: Request, usuario: UsuarioOpcional) -> HTMLResponse:
    """Declaración de accesibilidad: target, checks, known limitations, how to report."""
    return _informativa(request, "accesibilidad.html", usuario, "Declaración de accesibilidad")


@router.api_route("/acerca-de-los-datos", methods=["GET", "HEAD"], response_class=PAGINA)
async def acerca_de_los_datos(request: Request, usuario: UsuarioOpcional) -> HTMLResponse:
    """Where the published data come from and how to read placeholders, changes and open data."""
    return _informativa(
        request,
        "acerca_datos.html",
        usuario,
        "Acerca de los datos",
        inicio_publicacion=_fecha(territorio().eleccion["fechas"]["inicio_publicacion"]),
        motivos=[ETIQUETAS[motivo] for motivo in MotivoContenido],
    )
