"""The review page and the one opportunity to send the questionnaires to validation."""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura.api import Capturista, EleccionActual, Repo
from captura.api.cuestionarios import Cifra
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.domain.errores import CapturaCerrada, ConflictoEdicion
from captura.handlers import cuestionarios as h
from captura.web.captura.formularios import (
    curricular_plano,
    resumen_identidad,
    secciones_curricular,
)
from captura.web.captura.paginas import (
    ABIERTAS,
    captura_equipo,
    contexto_comun,
    editable,
    en_alcance,
    hora_local,
    pagina,
    router,
    url_de,
)
from comun.auth.usuario import Usuario
from comun.errores import Problema


def _pagina_envio(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    identidad_: Mapping[str, Any] | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """Everything captured, what is missing, and the one-opportunity confirmation."""
    guardadas = curricular_plano(c.cuestionarios.curricular)
    avance = h.avance_de(c)
    faltantes = [
        texto
        for falta, texto in (
            (avance.curricular < 100, f"El cuestionario curricular está al {avance.curricular} %."),
            (avance.identidad < 100, f"El cuestionario de identidad está al {avance.identidad} %."),
            (not avance.consentimiento, "Falta el consentimiento firmado."),
            (not avance.fotografia, "Falta la fotografía."),
        )
        if falta
    ]
    contexto = {
        **contexto_comun(request, c, usuario, eleccion),
        "titulo": f"Revisar y enviar: {c.registro.nombre}",
        "secciones": secciones_curricular(eleccion, guardadas, {}),
        "identidad": None if identidad_ is None else resumen_identidad(identidad_),
        "consentimiento": c.cuestionarios.consentimiento,
        "foto": c.cuestionarios.fotografia,
        "faltantes": faltantes,
        "enviada": c.estado not in ABIERTAS,
        "enviada_en": hora_local(c.cuestionarios.enviada_en, eleccion),
        "error": error,
    }
    return pagina(request, "envio.html", contexto, status)


@router.get("/candidaturas/{candidatura_id}/envio", response_class=HTMLResponse)
async def envio(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """Review everything before the one opportunity to send (PTO 23)."""
    c = await en_alcance(repo, candidatura_id, usuario)
    respuestas = h.leer_identidad(c, cifrador=cifra_) if captura_equipo(usuario) else None
    return _pagina_envio(request, c, usuario, eleccion, respuestas)


@router.post("/candidaturas/{candidatura_id}/envio", response_class=HTMLResponse)
async def enviar(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
    revision_curricular: Annotated[int | None, Form(ge=0)] = None,
    revision_identidad: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    """Send the reviewed revisions to validation; a change since the review comes back."""
    c = await editable(repo, candidatura_id, usuario)
    if revision_curricular is None or revision_identidad is None:
        raise Problema(
            422, "Formulario incompleto", "Faltan las versiones revisadas; recargue la página."
        )
    try:
        await h.enviar_a_validacion(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=c.id,
            revision_curricular=revision_curricular, revision_identidad=revision_identidad,
        )  # fmt: skip
    except ConflictoEdicion:
        error = (
            "Alguien guardó cambios después de que usted abrió esta revisión; no se envió nada. "
            "Revise de nuevo lo que se muestra abajo y vuelva a confirmar."
        )
    except (CapturaCerrada, ErrorDominio) as exc:
        error = str(exc)
    else:
        return RedirectResponse(url_de(c, "envio"), status_code=303)
    actual = await en_alcance(repo, candidatura_id, usuario)
    respuestas = h.leer_identidad(actual, cifrador=cifra_)
    return _pagina_envio(request, actual, usuario, eleccion, respuestas, error=error, status=409)
