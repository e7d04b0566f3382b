"""HTML pages of validacion under /validacion."""

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from comun.auth.usuario import Usuario
from comun.errores import Problema
from comun.eventos.vocabulario import CampoCurricular, Cargo
from comun.roles import Rol
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from validacion import handlers
from validacion.adapters import Filtros
from validacion.api import Administrador, Cifra, Repo, RepoPublicacion, Revisor, Validador
from validacion.domain import (
    ETIQUETAS,
    ErrorValidacion,
    EstadoRevision,
    Revision,
    etiqueta_campo,
)

plantillas = crear_plantillas(Servicio.VALIDACION, Path(__file__).parent.parent / "templates")
router = APIRouter(prefix="/validacion", include_in_schema=False)
POR_PAGINA = 50
CAPTURA = "/captura/candidaturas"
FOTOGRAFIA = "/api/captura/v1/candidaturas/{id}/fotografia"


@router.get("/", response_class=HTMLResponse)
async def inicio(
    request: Request,
    usuario: Revisor,
    repo: Repo,
    publicacion: RepoPublicacion,
    cargo: str | None = None,
    distrito: Annotated[str | None, Query()] = None,
    municipio: str | None = None,
    estado: str | None = None,
    con_observaciones: str | None = None,
    pagina: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    """Start page: the review queue with filters, counts per state and paging."""
    # Empty form fields come as "": they mean «any».
    filtros = Filtros(
        cargo=cargo or None,
        distrito=int(distrito) if distrito and distrito.isdigit() else None,
        municipio=municipio or None,
        estado=EstadoRevision(estado) if estado in set(EstadoRevision) else None,
        con_observaciones=True if con_observaciones else None,
    )
    cola = await handlers.cola_de_revision(
        repo=repo, usuario=usuario, filtros=filtros, pagina=pagina, por_pagina=POR_PAGINA
    )
    elegidos = {
        "cargo": filtros.cargo or "",
        "distrito": filtros.distrito or "",
        "municipio": filtros.municipio or "",
        "estado": filtros.estado.value if filtros.estado else "",
        "con_observaciones": "1" if filtros.con_observaciones else "",
    }
    ultima = max(1, -(-cola.total // POR_PAGINA))
    contexto = {
        "usuario": usuario,
        "cola": cola.resultados,
        "total": cola.total,
        "pagina": cola.pagina,
        "ultima": ultima,
        "conteos": {ETIQUETAS[e]: n for e, n in cola.conteos.items()},
        "pendientes": cola.conteos[EstadoRevision.POR_VALIDAR],
        "elegidos": elegidos,
        "enlace": lambda p: "?" + urlencode({**elegidos, "pagina": p}),
        "cargos": list(Cargo),
        "estados": ETIQUETAS,
        "administrador": usuario.tiene_rol(Rol.ADMINISTRADOR),
        "inicio_publicacion": await publicacion.inicio(),
    }
    return plantillas.TemplateResponse(request, "validacion/inicio.html", contexto)


def _pagina_revision(
    request: Request,
    revision: Revision,
    usuario: Usuario,
    identidad: dict[str, Any] | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """Everything the reviewer needs to decide, and the validation form."""
    curricular = revision.curricular or {}
    campos = [
        (campo.value, etiqueta_campo(campo), curricular.get(campo.value))
        for campo in CampoCurricular
        if campo is not CampoCurricular.FOTOGRAFIA
    ]
    contexto = {
        "usuario": usuario,
        "r": revision,
        "campos": campos,
        "identidad": identidad,
        "puede_validar": handlers.puede_validar(usuario, revision),
        "puede_editar": usuario.tiene_rol(Rol.SUPERVISOR)
        and revision.partido == usuario.partido
        and revision.estado is EstadoRevision.POR_VALIDAR,
        "captura": f"{CAPTURA}/{revision.candidatura_id}",
        "fotografia": FOTOGRAFIA.format(id=revision.candidatura_id)
        if curricular.get("fotografia")
        else None,
        "error": error,
    }
    return plantillas.TemplateResponse(
        request, "validacion/candidatura.html", contexto, status_code=status
    )


@router.get("/candidaturas/{candidatura_id}", response_class=HTMLResponse)
async def candidatura(
    request: Request, candidatura_id: str, usuario: Revisor, repo: Repo, cifra: Cifra
) -> Response:
    """The review page of one candidacy."""
    r = await handlers.revision_en_alcance(
        repo=repo, usuario=usuario, candidatura_id=candidatura_id
    )
    identidad = handlers.identidad_de(r, usuario=usuario, cifrador=cifra)
    return _pagina_revision(request, r, usuario, identidad)


@router.post("/candidaturas/{candidatura_id}/validacion", response_class=HTMLResponse)
async def validar(
    request: Request,
    candidatura_id: str,
    usuario: Validador,
    repo: Repo,
    publicacion: RepoPublicacion,
    cifra: Cifra,
    revisado: Annotated[str | None, Form()] = None,
) -> Response:
    """Validate after the full review; the confirmation box must be ticked."""
    error: str | None = None
    status = 409
    if not revisado:
        r = await handlers.revision_en_alcance(
            repo=repo, usuario=usuario, candidatura_id=candidatura_id
        )
        if not handlers.puede_validar(usuario, r):
            raise Problema(403, "Acceso denegado", "Su cuenta no valida esta candidatura.")
        error = "Marque la casilla para confirmar que revisó todo el contenido antes de validar."
        status = 422
    else:
        try:
            await handlers.validar(
                repo=repo, publicacion=publicacion, usuario=usuario, candidatura_id=candidatura_id
            )
        except ErrorValidacion as exc:
            error = str(exc)
        else:
            return RedirectResponse(f"/validacion/candidaturas/{candidatura_id}", status_code=303)
    r = await handlers.revision_en_alcance(
        repo=repo, usuario=usuario, candidatura_id=candidatura_id
    )
    identidad = handlers.identidad_de(r, usuario=usuario, cifrador=cifra)
    return _pagina_revision(request, r, usuario, identidad, error=error, status=status)


def _pagina_publicacion(
    request: Request,
    usuario: Usuario,
    inicio: datetime | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The publication start date form."""
    contexto = {"usuario": usuario, "inicio": inicio, "error": error}
    return plantillas.TemplateResponse(
        request, "validacion/publicacion.html", contexto, status_code=status
    )


@router.get("/publicacion", response_class=HTMLResponse)
async def publicacion_(
    request: Request, usuario: Administrador, publicacion: RepoPublicacion
) -> Response:
    """The administrator's page to set the publication start date (PTO 14)."""
    return _pagina_publicacion(request, usuario, await publicacion.inicio())


@router.post("/publicacion", response_class=HTMLResponse)
async def fijar_publicacion(
    request: Request,
    usuario: Administrador,
    publicacion: RepoPublicacion,
    fecha: Annotated[str | None, Form()] = None,
) -> Response:
    """Set the start date from the form (date and time of central Mexico)."""
    try:
        valor = datetime.fromisoformat(fecha or "")
    except ValueError:
        error = "Indique la fecha y la hora de inicio de publicación, por ejemplo 01/05/2024 00:00."
        inicio = await publicacion.inicio()
        return _pagina_publicacion(request, usuario, inicio, error=error, status=422)
    await handlers.fijar_inicio_publicacion(publicacion=publicacion, usuario=usuario, fecha=valor)
    return RedirectResponse("/validacion/publicacion", status_code=303)
