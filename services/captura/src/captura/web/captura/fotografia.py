"""The photograph page: limits, preview and upload."""

from typing import Annotated

from fastapi import File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura.adapters.fotografia import FotografiaInvalida, LimitesFotografia
from captura.api import MB, Capturista, EleccionActual, Repo, ajustes_de
from captura.api.cuestionarios import Archivos
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.handlers import archivos as h_archivos
from captura.web.captura.paginas import (
    contexto_comun,
    editable,
    en_alcance,
    hora_local,
    pagina,
    router,
    url_de,
)
from comun.auth.usuario import Usuario


def _pagina_fotografia(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The photograph page: limits, the stored photo and the upload form."""
    limites = LimitesFotografia(max_bytes=ajustes_de(request).max_fotografia_mb * MB)
    contexto = {
        **contexto_comun(request, c, usuario, eleccion),
        "titulo": f"Fotografía de {c.registro.nombre}",
        "foto": c.cuestionarios.fotografia,
        "cargada": hora_local(c.cuestionarios.fotografia.cargada_en, eleccion)
        if c.cuestionarios.fotografia
        else None,
        "max_mb": ajustes_de(request).max_fotografia_mb,
        "limites": limites,
        "megapixeles": limites.max_pixeles // 1_000_000,
        "error": error,
    }
    return pagina(request, "fotografia.html", contexto, status)


@router.get("/candidaturas/{candidatura_id}/fotografia", response_class=HTMLResponse)
async def fotografia(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """The photograph: limits, preview and upload."""
    c = await en_alcance(repo, candidatura_id, usuario)
    return _pagina_fotografia(request, c, usuario, eleccion)


@router.post("/candidaturas/{candidatura_id}/fotografia", response_class=HTMLResponse)
async def cargar_fotografia(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    archivos: Archivos,
    archivo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload the photograph (re-encoded, metadata removed); errors come back on the page."""
    c = await editable(repo, candidatura_id, usuario)
    if archivo is None or not archivo.filename:
        error = "Elija una fotografía JPEG o PNG antes de cargarla."
        return _pagina_fotografia(request, c, usuario, eleccion, error=error, status=422)
    limites = LimitesFotografia(max_bytes=ajustes_de(request).max_fotografia_mb * MB)
    contenido = await archivo.read(limites.max_bytes + 1)
    try:
        await h_archivos.cargar_fotografia(
            repo=repo, archivos=archivos, eleccion=eleccion, usuario=usuario,
            candidatura_id=c.id, contenido=contenido, limites=limites,
        )  # fmt: skip
    except (FotografiaInvalida, ErrorDominio) as error:
        return _pagina_fotografia(request, c, usuario, eleccion, error=str(error), status=422)
    return RedirectResponse(url_de(c, "fotografia") + "?guardado=1", status_code=303)
