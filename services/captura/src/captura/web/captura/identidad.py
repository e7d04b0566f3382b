"""The identity questionnaire page, only for the candidacy's capture team (encrypted at rest)."""

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from captura.api import Capturista, EleccionActual, Repo
from captura.api.cuestionarios import Cifra
from captura.domain import Candidatura, Eleccion
from captura.handlers import cuestionarios as h
from captura.handlers.eventos import es_identidad_publica
from captura.web.captura.formularios import (
    ETIQUETAS_IDENTIDAD,
    IDENTIDAD,
    preguntas_identidad,
    respuestas_identidad,
)
from captura.web.captura.guardado import fusion, guardar, respuesta_guardado
from captura.web.captura.paginas import (
    captura_equipo,
    contexto_comun,
    en_alcance,
    pagina,
    revision_de,
    router,
    url_de,
)
from comun.auth.usuario import Usuario
from comun.cuestionario_identidad import NO_APLICA, PREGUNTAS, SUFIJO_OTRO
from comun.errores import Problema


async def _identidad_del_equipo(repo: Repo, candidatura_id: str, usuario: Usuario) -> Candidatura:
    """A candidacy in scope whose identity answers this user may read (its capture team)."""
    c = await en_alcance(repo, candidatura_id, usuario)
    if not captura_equipo(usuario):
        raise Problema(
            403,
            "Datos personales sensibles",
            "Las respuestas del cuestionario de identidad son datos personales sensibles: solo "
            "las ve el equipo de captura de la candidatura. La Unidad de Transparencia consulta "
            "el avance y el consentimiento, no las respuestas.",
        )
    return c


def _pagina_identidad(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    guardadas: Mapping[str, Any],
    *,
    valores: Mapping[str, Any] | None = None,
    resultado: dict[str, Any] | None = None,
) -> Response:
    """The identity questionnaire with the given values, errors and merge view."""
    resultado = resultado or {"errores": {}, "revision": c.cuestionarios.revision_identidad}
    contexto = {
        **contexto_comun(request, c, usuario, eleccion),
        "titulo": f"Cuestionario de identidad de {c.registro.nombre}",
        "preguntas": preguntas_identidad(valores or guardadas, resultado["errores"]),
        "r": resultado,
        "publica": es_identidad_publica(c),
        "NO_APLICA": NO_APLICA,
    }
    return pagina(request, "identidad.html", contexto)


def _campos_identidad(resultado: dict[str, Any]) -> list[tuple[str, str]]:
    """Each question's id and message, for the out-of-band swaps of an autosave."""
    errores = resultado["errores"]
    return [
        (f"pregunta-{p.clave}", " ".join(
            e for e in (errores.get(p.clave), errores.get(p.clave + SUFIJO_OTRO)) if e
        ))
        for p in PREGUNTAS
    ]  # fmt: skip


@router.get("/candidaturas/{candidatura_id}/identidad", response_class=HTMLResponse)
async def identidad(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """The identity questionnaire, only for the candidacy's own capture team."""
    c = await _identidad_del_equipo(repo, candidatura_id, usuario)
    guardadas = h.leer_identidad(c, cifrador=cifra_)
    return _pagina_identidad(request, c, usuario, eleccion, guardadas)


async def _guardar_identidad(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    repo: Repo,
    eleccion: Eleccion,
    cifra_: Any,
    respuestas: dict[str, Any],
    revision: int,
) -> Response:
    """Save an identity draft and answer as the request expects."""

    async def accion(r: dict[str, Any], rev: int) -> Candidatura:
        return await h.guardar_identidad(
            repo=repo, eleccion=eleccion, cifrador=cifra_, usuario=usuario, candidatura_id=c.id,
            respuestas=r, revision=rev,
        )  # fmt: skip

    def actuales(actual: Candidatura) -> dict[str, Any]:
        return h.leer_identidad(actual, cifrador=cifra_)

    resultado = await guardar(IDENTIDAD, c, respuestas, revision, accion, actuales, eleccion)
    return respuesta_guardado(
        request,
        c,
        resultado,
        _campos_identidad(resultado),
        lambda: _pagina_identidad(
            request, c, usuario, eleccion, actuales(c), valores=respuestas, resultado=resultado
        ),
        url_de(c, IDENTIDAD),
    )


@router.post("/candidaturas/{candidatura_id}/identidad", response_class=HTMLResponse)
async def guardar_identidad(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """Save the identity draft (encrypted at rest): autosave or the «Guardar» button."""
    c = await _identidad_del_equipo(repo, candidatura_id, usuario)
    form = await request.form()
    revision = revision_de(form)
    return await _guardar_identidad(
        request, c, usuario, repo, eleccion, cifra_, respuestas_identidad(form), revision
    )


@router.post("/candidaturas/{candidatura_id}/identidad/fusion", response_class=HTMLResponse)
async def fusionar_identidad(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """Save the merge the user chose question by question after an edit conflict."""
    c = await _identidad_del_equipo(repo, candidatura_id, usuario)
    form = await request.form()
    guardadas = h.leer_identidad(c, cifrador=cifra_)
    respuestas = fusion(form, guardadas, ETIQUETAS_IDENTIDAD)
    return await _guardar_identidad(
        request, c, usuario, repo, eleccion, cifra_, respuestas, revision_de(form)
    )
