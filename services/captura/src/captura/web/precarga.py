"""HTML pages of the questionnaire pre-load (PTO 14) under /captura/precarga."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura.api import Capturista, EleccionActual, Repo, ajustes_de
from captura.api.cuestionarios import Capturador, Cifra
from captura.api.precarga import Precargas, recibir_archivo, trabajo_visible
from captura.domain.precarga import COLUMNAS, CONTEXTO, descripcion
from captura.handlers import precarga
from captura.handlers.cuestionarios import configuracion
from captura.web import plantillas
from captura.web.vistas import PREFIJO, avance_trabajo, cifra, es_htmx, resumen_importacion, zona_de
from comun.errores import Problema

router = APIRouter(prefix=f"{PREFIJO}/precarga", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def formulario(
    request: Request, usuario: Capturista, precargas: Precargas, eleccion: EleccionActual
) -> Response:
    """Upload form, template download and the user's recent pre-loads."""
    return await _formulario(request, usuario, precargas, eleccion)


@router.post("", response_class=HTMLResponse)
async def subir(
    request: Request,
    usuario: Capturador,
    repo: Repo,
    precargas: Precargas,
    eleccion: EleccionActual,
    cifrador: Cifra,
    archivo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Receive a filled template and go to its page; a refused file comes back with why."""
    if archivo is None or not archivo.filename:
        error = "Elija el archivo de precarga (XLSX) antes de enviarlo."
        return await _formulario(request, usuario, precargas, eleccion, error=error, status=422)
    try:
        precarga_id = await recibir_archivo(
            archivo=archivo, usuario=usuario, repo=repo, precargas=precargas, eleccion=eleccion,
            cifrador=cifrador,
        )  # fmt: skip
    except Problema as exc:
        if exc.status >= 500:
            raise
        return await _formulario(
            request, usuario, precargas, eleccion, error=exc.detail, status=exc.status
        )
    return RedirectResponse(f"{PREFIJO}/precarga/{precarga_id}", status_code=303)


@router.get("/{precarga_id}", response_class=HTMLResponse)
async def trabajo(
    request: Request,
    precarga_id: str,
    usuario: Capturador,
    precargas: Precargas,
    eleccion: EleccionActual,
) -> Response:
    """A pre-load: its progress while it runs, then its report."""
    vista = await _vista(precargas, precarga_id, usuario, eleccion)
    contexto = {"titulo": f"Precarga de «{vista['archivo']}»", "p": vista, "oob": False}
    return plantillas.TemplateResponse(request, "captura/precarga_trabajo.html", contexto)


@router.get("/{precarga_id}/estado", response_class=HTMLResponse)
async def trabajo_estado(
    request: Request,
    precarga_id: str,
    usuario: Capturador,
    precargas: Precargas,
    eleccion: EleccionActual,
) -> Response:
    """The progress fragment htmx polls; once finished it also brings the report."""
    vista = await _vista(precargas, precarga_id, usuario, eleccion)
    if not es_htmx(request):
        return RedirectResponse(f"{PREFIJO}/precarga/{precarga_id}", status_code=303)
    contexto = {"p": vista, "oob": True}
    return plantillas.TemplateResponse(request, "captura/_precarga_estado.html", contexto)


async def _vista(
    precargas: Precargas, precarga_id: str, usuario: Any, eleccion: EleccionActual
) -> dict[str, Any]:
    """A pre-load job as its page shows it."""
    doc = await trabajo_visible(precargas, precarga_id, usuario)
    avance = avance_trabajo(doc)
    if doc.get("fase") == "aplicando" and avance["total"]:
        texto = f"Procesando filas: {cifra(avance['hechas'])} de {cifra(avance['total'])}"
    else:
        texto = "Leyendo el archivo…"
    return {
        **resumen_importacion(doc, zona_de(eleccion)),
        "resumen": _resumen(doc.get("reporte")),
        **avance,
        "progreso": texto,
    }


def _resumen(reporte: dict[str, Any] | None) -> str:
    """`N aceptadas, N rechazadas, N sin cambios`."""
    if not reporte or "resumen" not in reporte:
        return ""
    r = reporte["resumen"]
    return (
        f"{cifra(r['aceptadas'])} aceptadas, {cifra(r['rechazadas'])} rechazadas, "
        f"{cifra(r['sin_cambios'])} sin cambios"
    )


async def _formulario(
    request: Request,
    usuario: Any,
    precargas: Precargas,
    eleccion: EleccionActual,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The pre-load page, with the error of a refused file if any."""
    zona = zona_de(eleccion)
    recientes = await precargas.recientes(filtro=precarga.filtro_trabajos(usuario))
    config = configuracion(eleccion)
    contexto = {
        "titulo": "Precarga de cuestionarios",
        "error": error,
        "puede_cargar": usuario.tiene_rol(*precarga.ROLES_PRECARGA),
        "max_mb": ajustes_de(request).max_archivo_mb,
        "columnas": [
            (c.nombre, "Solo consulta" if c.cuestionario == CONTEXTO else c.cuestionario,
             descripcion(c, config))
            for c in COLUMNAS
        ],
        "recientes": [
            {**resumen_importacion(d, zona), "resumen": _resumen(d.get("reporte"))}
            for d in recientes
        ],
    }  # fmt: skip
    return plantillas.TemplateResponse(
        request, "captura/precarga.html", contexto, status_code=status
    )
