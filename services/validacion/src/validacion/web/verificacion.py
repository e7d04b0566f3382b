"""HTML pages of the verifier (PTO 33): the queue of published candidacies and takedowns."""

from collections.abc import Awaitable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from comun.auth.usuario import Usuario
from comun.errores import Problema
from comun.eventos.vocabulario import CampoCurricular, Cargo
from comun.roles import Rol
from validacion.api import Repo
from validacion.api.revisiones import Catalogos
from validacion.api.verificacion import LectorVerificacion, Moderaciones, Verificador
from validacion.domain import etiqueta_campo
from validacion.domain.verificacion import (
    ETIQUETAS_MOTIVO,
    PERFIL,
    ErrorVerificacion,
    YaEnEseEstado,
)
from validacion.handlers import verificacion as handlers
from validacion.handlers.verificacion import FiltrosVerificacion
from validacion.web import plantillas

router = APIRouter(prefix="/validacion/verificacion", include_in_schema=False)
POR_PAGINA = 50
FOTOGRAFIA = "/api/captura/v1/candidaturas/{id}/fotografia"


def _si_no(valor: str | None) -> bool | None:
    """A «sí / no / any» select: "1", "0" or empty."""
    return {"1": True, "0": False}.get(valor or "")


@router.get("", response_class=HTMLResponse)
async def cola(
    request: Request,
    usuario: LectorVerificacion,
    repo: Repo,
    moderaciones: Moderaciones,
    cargo: str | None = None,
    distrito: str | None = None,
    municipio: str | None = None,
    partido: str | None = None,
    con_hallazgos: str | None = None,
    deshabilitada: str | None = None,
    pagina: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    """The queue of published candidacies with filters and paging."""
    # Empty form fields come as "": they mean «any».
    filtros = FiltrosVerificacion(
        cargo=cargo or None,
        distrito=int(distrito) if distrito and distrito.isdigit() else None,
        municipio=municipio or None,
        partido=(partido or "").strip().upper() or None,
        con_hallazgos=_si_no(con_hallazgos),
        deshabilitada=_si_no(deshabilitada),
    )
    resultado = await handlers.cola_de_verificacion(
        repo=repo,
        moderaciones=moderaciones,
        usuario=usuario,
        filtros=filtros,
        pagina=pagina,
        por_pagina=POR_PAGINA,
    )
    elegidos = {
        "cargo": filtros.cargo or "",
        "distrito": filtros.distrito or "",
        "municipio": filtros.municipio or "",
        "partido": filtros.partido or "",
        "con_hallazgos": con_hallazgos if con_hallazgos in ("1", "0") else "",
        "deshabilitada": deshabilitada if deshabilitada in ("1", "0") else "",
    }
    contexto = {
        "usuario": usuario,
        "filas": resultado.resultados,
        "total": resultado.total,
        "pagina": resultado.pagina,
        "ultima": max(1, -(-resultado.total // POR_PAGINA)),
        "elegidos": elegidos,
        "enlace": lambda p: "?" + urlencode({**elegidos, "pagina": p}),
        "cargos": list(Cargo),
    }
    return plantillas.TemplateResponse(request, "validacion/verificacion.html", contexto)


async def _pagina(
    request: Request,
    *,
    usuario: Usuario,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
    candidatura_id: str,
    error: str | None = None,
    objetivo_error: str | None = None,
    status: int = 200,
) -> Response:
    """The verifier's page of one candidacy: answers, check hits, takedown forms, history."""
    v = await handlers.verificacion_de(
        repo=repo,
        moderaciones=moderaciones,
        catalogo=catalogos,
        usuario=usuario,
        candidatura_id=candidatura_id,
    )
    curricular = v.revision.curricular or {}
    campos = [
        (campo.value, etiqueta_campo(campo), curricular.get(campo.value))
        for campo in CampoCurricular
        if campo is not CampoCurricular.FOTOGRAFIA
    ]
    contexto = {
        "usuario": usuario,
        "v": v,
        "r": v.revision,
        "m": v.moderacion,
        "campos": campos,
        "perfil": PERFIL,
        "motivos": ETIQUETAS_MOTIVO,
        "puede_deshabilitar": usuario.tiene_rol(Rol.VERIFICADOR) and v.publicada,
        "fotografia": FOTOGRAFIA.format(id=candidatura_id)
        if curricular.get("fotografia")
        else None,
        "nombre_objetivo": lambda o: (
            "Perfil completo" if o == PERFIL else etiqueta_campo(CampoCurricular(o))
        ),
        "error": error,
        "objetivo_error": objetivo_error,
    }
    return plantillas.TemplateResponse(
        request, "validacion/verificacion_candidatura.html", contexto, status_code=status
    )


@router.get("/{candidatura_id}", response_class=HTMLResponse)
async def candidatura(
    request: Request,
    candidatura_id: str,
    usuario: LectorVerificacion,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
) -> Response:
    """One published candidacy for the verifier."""
    return await _pagina(
        request,
        usuario=usuario,
        repo=repo,
        moderaciones=moderaciones,
        catalogos=catalogos,
        candidatura_id=candidatura_id,
    )


@router.post("/{candidatura_id}/deshabilitar", response_class=HTMLResponse)
async def deshabilitar(
    request: Request,
    candidatura_id: str,
    usuario: Verificador,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
    objetivo: Annotated[str, Form()] = "",
    motivo: Annotated[str, Form()] = "",
    observacion: Annotated[str, Form()] = "",
) -> Response:
    """Take down a field or the profile from the form; errors come back next to the form."""
    accion = handlers.deshabilitar(
        repo=repo,
        moderaciones=moderaciones,
        usuario=usuario,
        candidatura_id=candidatura_id,
        objetivo=objetivo,
        motivo=motivo,
        observacion=observacion,
    )
    return await _moderar(
        accion, request, usuario, repo, moderaciones, catalogos, candidatura_id, objetivo
    )


@router.post("/{candidatura_id}/habilitar", response_class=HTMLResponse)
async def habilitar(
    request: Request,
    candidatura_id: str,
    usuario: Verificador,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
    objetivo: Annotated[str, Form()] = "",
) -> Response:
    """Show a field or the profile again."""
    accion = handlers.habilitar(
        repo=repo,
        moderaciones=moderaciones,
        usuario=usuario,
        candidatura_id=candidatura_id,
        objetivo=objetivo,
    )
    return await _moderar(
        accion, request, usuario, repo, moderaciones, catalogos, candidatura_id, objetivo
    )


async def _moderar(
    accion: Awaitable[object],
    request: Request,
    usuario: Usuario,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
    candidatura_id: str,
    objetivo: str,
) -> Response:
    """Run a takedown or restore, then back to the page; its errors come back on the page."""
    try:
        await accion
    except (ErrorVerificacion, Problema) as exc:
        return await _error(
            request, exc, usuario, repo, moderaciones, catalogos, candidatura_id, objetivo
        )
    return RedirectResponse(f"/validacion/verificacion/{candidatura_id}", status_code=303)


async def _error(
    request: Request,
    exc: Exception,
    usuario: Usuario,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
    candidatura_id: str,
    objetivo: str,
) -> Response:
    """The page again with the Spanish message; a missing candidacy stays a 404."""
    if isinstance(exc, Problema):
        if exc.status in (403, 404):
            raise exc
        status, mensaje = exc.status, exc.detail
    else:
        status = 409 if isinstance(exc, YaEnEseEstado) else 422
        mensaje = str(exc)
    return await _pagina(
        request,
        usuario=usuario,
        repo=repo,
        moderaciones=moderaciones,
        catalogos=catalogos,
        candidatura_id=candidatura_id,
        error=mensaje,
        objetivo_error=objetivo,
        status=status,
    )
