"""Saving a questionnaire draft with optimistic concurrency: outcome, merge view, response."""

import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.domain.curricular import validar_curricular
from captura.domain.errores import ConflictoEdicion
from captura.domain.identidad import validar_identidad
from captura.handlers import cuestionarios as h
from captura.web.captura.formularios import (
    CURRICULAR,
    ETIQUETAS_CURRICULAR,
    ETIQUETAS_IDENTIDAD,
    VACIO,
    curricular_plano,
    texto_curricular,
    texto_identidad,
)
from captura.web.captura.paginas import id_campo, pagina, url_de
from captura.web.vistas import es_htmx, zona_de
from comun.cuestionario_identidad import SUFIJO_OTRO
from comun.errores import Problema

# Saving with optimistic concurrency


def diferencias(
    mias: Mapping[str, Any],
    guardadas: Mapping[str, Any],
    etiquetas: Mapping[str, str],
    texto: Callable[[str, Any], str],
) -> list[dict[str, str]]:
    """The fields where the user's draft and the stored one differ, for the merge view."""
    claves = [k for k in etiquetas if (mias.get(k) or None) != (guardadas.get(k) or None)]
    return [
        {"clave": k, "id": id_campo(k), "etiqueta": etiquetas[k],
         "mia": texto(k, mias.get(k)) or VACIO, "guardada": texto(k, guardadas.get(k)) or VACIO}
        for k in claves
    ]  # fmt: skip


def _texto_de_identidad(clave: str, valor: Any) -> str:
    """An identity answer as text, with the signature the merge view expects."""
    return texto_identidad(valor)


def _ancla(cuestionario: str, clave: str) -> str:
    """The id an error links to: the field's control, or the question's fieldset."""
    if cuestionario == CURRICULAR:
        return id_campo(clave)
    if clave.endswith(SUFIJO_OTRO):
        return f"pregunta-{clave.removesuffix(SUFIJO_OTRO)}-otro"
    return f"pregunta-{clave}"


def _etiqueta(cuestionario: str, clave: str) -> str:
    """The label of a field or question an error is about."""
    etiquetas = ETIQUETAS_CURRICULAR if cuestionario == CURRICULAR else ETIQUETAS_IDENTIDAD
    return etiquetas.get(clave, clave)


async def guardar(
    cuestionario: str,
    c: Candidatura,
    respuestas: dict[str, Any],
    revision: int,
    accion: Callable[[dict[str, Any], int], Awaitable[Candidatura]],
    actuales: Callable[[Candidatura], dict[str, Any]],
    eleccion: Eleccion,
) -> dict[str, Any]:
    """Try a save; the outcome as the status line, errors and merge view need it."""
    resultado: dict[str, Any] = {
        "errores": {}, "fusion": None, "revision": revision, "cuestionario": cuestionario,
        "lista": [],
    }  # fmt: skip
    try:
        guardada = await accion(respuestas, revision)
    except h.RespuestasInvalidas as error:
        resultado |= {"errores": error.errores, "mensaje": str(error), "tipo": "error"}
        resultado["lista"] = [
            (_ancla(cuestionario, clave), _etiqueta(cuestionario, clave), mensaje)
            for clave, mensaje in error.errores.items()
        ]
        return resultado
    except ConflictoEdicion as error:
        if cuestionario == CURRICULAR:
            mias = curricular_plano(
                validar_curricular(respuestas, config=h.configuracion(eleccion))[0]
            )
            etiquetas, texto = ETIQUETAS_CURRICULAR, texto_curricular
        else:
            mias = validar_identidad(respuestas)[0]
            etiquetas, texto = ETIQUETAS_IDENTIDAD, _texto_de_identidad
        guardadas = actuales(c)
        resultado["fusion"] = {
            "campos": diferencias(mias, guardadas, etiquetas, texto),
            "revision": error.revision_actual,
            "mias": json.dumps(respuestas, ensure_ascii=False),
        }
        resultado |= {"mensaje": str(error), "tipo": "conflicto"}
        return resultado
    except ErrorDominio as error:
        resultado |= {"mensaje": str(error), "tipo": "error"}
        return resultado
    q = guardada.cuestionarios
    revision_nueva = q.revision_curricular if cuestionario == CURRICULAR else q.revision_identidad
    hora = datetime.now(UTC).astimezone(zona_de(eleccion))
    resultado |= {
        "revision": revision_nueva,
        "mensaje": f"Guardado a las {hora:%H:%M}.",
        "tipo": "guardado",
        "avance": h.avance_de(guardada),
    }
    return resultado


def respuesta_guardado(
    request: Request,
    c: Candidatura,
    resultado: dict[str, Any],
    campos: list[tuple[str, str]],
    completa: Callable[[], Response],
    destino: str,
) -> Response:
    """htmx gets the status fragment; a plain form gets a redirect or the page with errors."""
    status = {"guardado": 200, "conflicto": 409}.get(resultado["tipo"], 422)
    if es_htmx(request):
        contexto = {"r": resultado, "campos": campos, "oob": True, "c": c, "base": url_de(c)}
        return pagina(request, "_guardado.html", contexto, 422 if status == 422 else 200)
    if status == 200:
        return RedirectResponse(f"{destino}?guardado=1", status_code=303)
    respuesta = completa()
    respuesta.status_code = status
    return respuesta


def fusion(
    form: FormData, guardadas: Mapping[str, Any], etiquetas: Mapping[str, str]
) -> dict[str, Any]:
    """The user's draft with the stored value wherever they chose «Versión guardada»."""
    try:
        mias = json.loads(str(form.get("mias", "")))
    except ValueError:
        mias = None
    if not isinstance(mias, dict):
        raise Problema(
            422, "Formulario incompleto", "Faltan sus respuestas; vuelva a abrir el cuestionario."
        )
    for clave in etiquetas:
        if form.get(f"elegir.{clave}") == "guardada":
            mias[clave] = guardadas.get(clave)
    return mias
