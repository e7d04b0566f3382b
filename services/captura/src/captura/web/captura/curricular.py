"""The curricular questionnaire page: sections, live validation, autosave and merge."""

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from captura.api import Capturista, EleccionActual, Repo
from captura.domain import Candidatura, Eleccion
from captura.domain.curricular import CAMPOS, validar_campo
from captura.handlers import cuestionarios as h
from captura.web.captura.formularios import (
    CURRICULAR,
    ETIQUETAS_CURRICULAR,
    curricular_plano,
    respuestas_curricular,
    secciones_curricular,
    texto_curricular,
)
from captura.web.captura.guardado import fusion, guardar, respuesta_guardado
from captura.web.captura.paginas import (
    contexto_comun,
    editable,
    en_alcance,
    id_campo,
    pagina,
    revision_de,
    router,
    url_de,
)
from comun.auth.usuario import Usuario
from comun.errores import Problema


def _pagina_curricular(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    *,
    valores: Mapping[str, Any] | None = None,
    resultado: dict[str, Any] | None = None,
) -> Response:
    """The curricular questionnaire with the given values, errors and merge view."""
    resultado = resultado or {"errores": {}, "revision": c.cuestionarios.revision_curricular}
    guardadas = curricular_plano(c.cuestionarios.curricular)
    contexto = {
        **contexto_comun(request, c, usuario, eleccion),
        "titulo": f"Cuestionario curricular de {c.registro.nombre}",
        "secciones": secciones_curricular(eleccion, valores or guardadas, resultado["errores"]),
        "r": resultado,
        "resumen": [
            (f["etiqueta"], texto_curricular(f["clave"], guardadas.get(f["clave"])))
            for s in secciones_curricular(eleccion, guardadas, {})
            for f in s["campos"]
        ],
    }
    return pagina(request, "curricular.html", contexto)


def _campos_curricular(resultado: dict[str, Any]) -> list[tuple[str, str]]:
    """Each field's id and message, for the out-of-band swaps of an autosave."""
    return [(id_campo(c.clave), resultado["errores"].get(c.clave, "")) for c in CAMPOS]


@router.get("/candidaturas/{candidatura_id}/curricular", response_class=HTMLResponse)
async def curricular(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """The curricular questionnaire: registry data, sections, counters, autosave."""
    c = await en_alcance(repo, candidatura_id, usuario)
    return _pagina_curricular(request, c, usuario, eleccion)


async def _guardar_curricular(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    repo: Repo,
    eleccion: Eleccion,
    respuestas: dict[str, Any],
    revision: int,
) -> Response:
    """Save a curricular draft and answer as the request expects."""

    async def accion(r: dict[str, Any], rev: int) -> Candidatura:
        return await h.guardar_curricular(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=c.id,
            respuestas=r, revision=rev,
        )  # fmt: skip

    def actuales(actual: Candidatura) -> dict[str, Any]:
        return curricular_plano(actual.cuestionarios.curricular)

    resultado = await guardar(CURRICULAR, c, respuestas, revision, accion, actuales, eleccion)
    return respuesta_guardado(
        request,
        c,
        resultado,
        _campos_curricular(resultado),
        lambda: _pagina_curricular(
            request, c, usuario, eleccion, valores=respuestas, resultado=resultado
        ),
        url_de(c, CURRICULAR),
    )


@router.post("/candidaturas/{candidatura_id}/curricular", response_class=HTMLResponse)
async def guardar_curricular(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Save the whole draft: autosave (htmx) or the «Guardar» button without JavaScript."""
    c = await editable(repo, candidatura_id, usuario)
    form = await request.form()
    revision = revision_de(form)
    return await _guardar_curricular(
        request, c, usuario, repo, eleccion, respuestas_curricular(form), revision
    )


@router.post("/candidaturas/{candidatura_id}/curricular/validar", response_class=HTMLResponse)
async def validar_curricular_campo(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Live validation of one field: its message fragment (empty when the value is fine)."""
    await editable(repo, candidatura_id, usuario)
    form = await request.form()
    clave = str(form.get("campo", ""))
    if clave not in ETIQUETAS_CURRICULAR:
        raise Problema(422, "Campo desconocido", f"El campo «{clave}» no existe.")
    _, error = validar_campo(clave, form.get(clave, ""), config=h.configuracion(eleccion))
    contexto = {"campos": [(id_campo(clave), error or "")], "oob": False}
    return pagina(request, "_mensajes.html", contexto)


@router.post("/candidaturas/{candidatura_id}/curricular/fusion", response_class=HTMLResponse)
async def fusionar_curricular(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Save the merge the user chose field by field after an edit conflict."""
    c = await editable(repo, candidatura_id, usuario)
    form = await request.form()
    respuestas = fusion(form, curricular_plano(c.cuestionarios.curricular), ETIQUETAS_CURRICULAR)
    return await _guardar_curricular(
        request, c, usuario, repo, eleccion, respuestas, revision_de(form)
    )
