"""HTML pages of captura under /captura: start, election, registry imports and candidacies."""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura import api, handlers
from captura.api import (
    Administrador,
    Capturista,
    EleccionActual,
    Importaciones,
    Repo,
    ajustes_de,
)
from captura.domain import COLUMNAS, Eleccion
from captura.domain.catalogo import ETIQUETAS_FECHAS
from captura.web.vistas import (
    ACCIONES_AFIRMATIVAS,
    CAMPOS_REGISTRO,
    PREFIJO,
    FiltrosPagina,
    cifra,
    conteos,
    es_htmx,
    fecha_larga,
    fila_lista,
    lista,
    nombre_postulante,
    resumen_importacion,
    totales_catalogo,
    vista_importacion,
    zona_de,
)
from comun.errores import NoEncontrado, Problema
from comun.roles import Rol
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas

plantillas = crear_plantillas(Servicio.CAPTURA, Path(__file__).parent.parent / "templates")
plantillas.env.filters.update(
    cifra=cifra,
    fecha_larga=fecha_larga,
    campo=lambda nombre: CAMPOS_REGISTRO.get(nombre, nombre),
)
router = APIRouter(prefix=PREFIJO, include_in_schema=False)

Filtros = Annotated[FiltrosPagina, Query()]


# Pages


@router.get("/", response_class=HTMLResponse)
async def inicio(request: Request, usuario: Capturista, repo: Repo) -> Response:
    """Start page: who is signed in and, for capture accounts, their candidacies."""
    administra = usuario.tiene_rol(Rol.ADMINISTRADOR)
    contexto: dict[str, Any] = {
        "titulo": "Captura de cuestionarios",
        "usuario": usuario,
        "administra": administra,
    }
    if not administra:
        try:
            eleccion = await api.eleccion_actual(request)
        except handlers.EleccionNoCargada:
            contexto["sin_eleccion"] = True
        else:
            contexto |= await lista(repo, usuario, eleccion, FiltrosPagina())
    return plantillas.TemplateResponse(request, "captura/inicio.html", contexto)


@router.get("/eleccion", response_class=HTMLResponse)
async def eleccion(
    request: Request, usuario: Administrador, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Election overview: dates, catalog totals and registered candidacies by group."""
    # One read of the whole registry, counted here; fine up to ~30 000 candidacies.
    total, todas = await handlers.buscar_candidaturas(
        repo=repo, usuario=usuario, eleccion_id=eleccion.id, por_pagina=0
    )
    contexto = {
        "titulo": eleccion.nombre,
        "eleccion": eleccion,
        "fechas": [
            (texto[0].upper() + texto[1:], getattr(eleccion.fechas, campo))
            for campo, texto in ETIQUETAS_FECHAS.items()
        ],
        "totales": totales_catalogo(eleccion),
        "total": total,
        **conteos(todas, eleccion),
    }
    return plantillas.TemplateResponse(request, "captura/eleccion.html", contexto)


@router.get("/registro", response_class=HTMLResponse)
async def registro(
    request: Request, usuario: Administrador, importaciones: Importaciones, eleccion: EleccionActual
) -> Response:
    """Registry import form, the template and the recent imports."""
    return await _formulario_registro(request, importaciones, eleccion)


@router.post("/registro", response_class=HTMLResponse)
async def subir_registro(
    request: Request,
    usuario: Administrador,
    repo: Repo,
    importaciones: Importaciones,
    eleccion: EleccionActual,
    archivo: Annotated[UploadFile | None, File()] = None,
    todo_o_nada: Annotated[bool, Form()] = False,
) -> Response:
    """Receive a registry file and go to its import page; a bad file comes back with why."""
    if archivo is None or not archivo.filename:
        return await _formulario_registro(
            request,
            importaciones,
            eleccion,
            error="Elija el archivo del registro (XLSX o CSV) antes de enviarlo.",
            todo_o_nada=todo_o_nada,
            status_code=422,
        )
    try:
        importacion_id = await api.recibir_archivo(
            archivo=archivo,
            usuario=usuario,
            repo=repo,
            importaciones=importaciones,
            eleccion=eleccion,
            todo_o_nada=todo_o_nada,
        )
    except Problema as exc:
        if exc.status >= 500:
            raise
        return await _formulario_registro(
            request,
            importaciones,
            eleccion,
            error=exc.detail,
            todo_o_nada=todo_o_nada,
            status_code=exc.status,
        )
    return RedirectResponse(f"{PREFIJO}/registro/importaciones/{importacion_id}", status_code=303)


@router.get("/registro/importaciones/{importacion_id}", response_class=HTMLResponse)
async def importacion(
    request: Request,
    importacion_id: str,
    usuario: Administrador,
    importaciones: Importaciones,
    eleccion: EleccionActual,
) -> Response:
    """An import: its progress while it runs, then its reconciliation report."""
    imp = await vista_importacion(importaciones, importacion_id, eleccion)
    contexto = {"titulo": f"Importación de «{imp['archivo']}»", "imp": imp, "oob": False}
    return plantillas.TemplateResponse(request, "captura/importacion.html", contexto)


@router.get("/registro/importaciones/{importacion_id}/estado", response_class=HTMLResponse)
async def importacion_estado(
    request: Request,
    importacion_id: str,
    usuario: Administrador,
    importaciones: Importaciones,
    eleccion: EleccionActual,
) -> Response:
    """The progress fragment htmx polls; once finished it also brings the report."""
    pagina = f"{PREFIJO}/registro/importaciones/{importacion_id}"
    if not es_htmx(request):
        return RedirectResponse(pagina, status_code=303)
    imp = await vista_importacion(importaciones, importacion_id, eleccion)
    contexto = {"imp": imp, "oob": True}
    return plantillas.TemplateResponse(request, "captura/_importacion_estado.html", contexto)


@router.get("/candidaturas", response_class=HTMLResponse)
async def candidaturas(
    request: Request, usuario: Capturista, repo: Repo, eleccion: EleccionActual, filtros: Filtros
) -> Response:
    """Candidacies in the user's scope, filtered and paged."""
    contexto = {"titulo": "Candidaturas", **await lista(repo, usuario, eleccion, filtros)}
    return plantillas.TemplateResponse(request, "captura/candidaturas.html", contexto)


@router.get("/candidaturas/{candidatura_id:path}", response_class=HTMLResponse)
async def candidatura(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
) -> Response:
    """Every registry field of one candidacy; out of scope looks like missing."""
    c = await handlers.obtener_candidatura(repo=repo, id=candidatura_id, usuario=usuario)
    if c is None:
        raise NoEncontrado(f"No existe la candidatura «{candidatura_id}» o no está a su cargo.")
    personales = usuario.tiene_rol(Rol.ADMINISTRADOR)
    contexto = {
        "titulo": f"Candidatura {c.id}",
        "c": c,
        "fila": fila_lista(c, eleccion),
        "r": c.registro,
        "e": eleccion,
        "postulante": nombre_postulante(c.registro.clave_postulante, eleccion),
        "edad": c.edad(fecha_jornada=eleccion.fechas.jornada),
        "accion_afirmativa": ACCIONES_AFIRMATIVAS,
        "personales": personales,
    }
    return plantillas.TemplateResponse(request, "captura/candidatura.html", contexto)


async def _formulario_registro(
    request: Request,
    importaciones: Importaciones,
    eleccion: Eleccion,
    *,
    error: str | None = None,
    todo_o_nada: bool = False,
    status_code: int = 200,
) -> Response:
    """The import page, with the error of a refused file if any."""
    zona = zona_de(eleccion)
    contexto = {
        "titulo": "Importar el registro de candidaturas",
        "error": error,
        "todo_o_nada": todo_o_nada,
        "max_mb": ajustes_de(request).max_archivo_mb,
        "columnas": COLUMNAS,
        "recientes": [resumen_importacion(d, zona) for d in await importaciones.recientes()],
    }
    return plantillas.TemplateResponse(
        request, "captura/registro.html", contexto, status_code=status_code
    )
