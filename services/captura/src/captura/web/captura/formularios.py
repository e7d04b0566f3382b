"""The questionnaires' forms: answers from a form, values as text, sections and questions."""

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from captura.domain import Eleccion
from captura.domain.curricular import CAMPOS, ETIQUETAS_ESTATUS, ETIQUETAS_GRADO, SECCIONES
from captura.handlers import cuestionarios as h
from captura.web.captura.paginas import id_campo
from comun.cuestionario_identidad import POR_CLAVE, PREFIERO_NO_CONTESTAR, PREGUNTAS, SUFIJO_OTRO

CURRICULAR, IDENTIDAD = "curricular", "identidad"
VACIO = "Sin respuesta"


# Curricular questionnaire


def curricular_plano(respuestas: Mapping[str, Any]) -> dict[str, Any]:
    """Stored curricular answers by flat field key (redes as redes_sociales.x)."""
    planos = {k: v for k, v in respuestas.items() if k != "redes_sociales"}
    for red, enlace in (respuestas.get("redes_sociales") or {}).items():
        planos[f"redes_sociales.{red}"] = enlace
    return planos


def texto_curricular(clave: str, valor: Any) -> str:
    """A curricular value as text for forms and summaries."""
    if valor is None:
        return ""
    if isinstance(valor, list):
        return "\n".join(str(v) for v in valor)
    if clave == "grado_maximo_estudios":
        return ETIQUETAS_GRADO.get(valor, str(valor))
    if clave == "estatus_estudios":
        return ETIQUETAS_ESTATUS.get(valor, str(valor))
    return str(valor)


def respuestas_curricular(form: FormData) -> dict[str, str]:
    """The curricular fields of a submitted form."""
    return {c.clave: str(form.get(c.clave, "")) for c in CAMPOS}


def secciones_curricular(
    eleccion: Eleccion, valores: Mapping[str, Any], errores: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The questionnaire's sections with their fields, values, limits and errors."""
    config = h.configuracion(eleccion)
    opciones = {
        "grado_maximo_estudios": [(g.value, ETIQUETAS_GRADO[g]) for g in config.grados],
        "estatus_estudios": [(e.value, ETIQUETAS_ESTATUS[e]) for e in config.estatus],
    }
    secciones = []
    for clave, titulo in SECCIONES.items():
        campos: list[dict[str, Any]] = []
        for c in (c for c in CAMPOS if c.seccion == clave):
            valor = valores.get(c.clave)
            campos.append({
                "clave": c.clave, "id": id_campo(c.clave), "etiqueta": c.etiqueta,
                "ayuda": c.ayuda, "tipo": c.tipo, "publico": c.publico,
                "valor": valor if isinstance(valor, str) else texto_curricular(c.clave, valor),
                "limite": config.limite(c.clave), "error": errores.get(c.clave),
                "opciones": opciones.get(c.clave, []),
            })  # fmt: skip
        llenos = sum(1 for campo in campos if campo["valor"].strip())
        secciones.append(
            {"clave": clave, "titulo": titulo, "campos": campos, "llenos": llenos,
             "total": len(campos)}
        )  # fmt: skip
    return secciones


# Identity questionnaire


def respuestas_identidad(form: FormData) -> dict[str, Any]:
    """The identity answers of a submitted form (unanswered questions as None)."""
    respuestas: dict[str, Any] = {}
    for p in PREGUNTAS:
        if p.multiple:
            respuestas[p.clave] = [str(v) for v in form.getlist(p.clave) if str(v)] or None
        else:
            respuestas[p.clave] = str(form.get(p.clave, "")) or None
        if p.otro:
            respuestas[p.clave + SUFIJO_OTRO] = str(form.get(p.clave + SUFIJO_OTRO, "")) or None
    return respuestas


def texto_identidad(valor: Any) -> str:
    """An identity answer as text."""
    if valor is None or valor == []:
        return VACIO
    return ", ".join(valor) if isinstance(valor, list) else str(valor)


def preguntas_identidad(
    valores: Mapping[str, Any], errores: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The 20 questions with the chosen options and errors."""
    preguntas = []
    for p in PREGUNTAS:
        valor = valores.get(p.clave)
        elegidas = valor if isinstance(valor, list) else [] if valor is None else [valor]
        padre = POR_CLAVE[p.depende_de[0]] if p.depende_de else None
        preguntas.append({
            "p": p, "id": f"pregunta-{p.clave}", "elegidas": elegidas,
            "opciones": [*p.opciones, PREFIERO_NO_CONTESTAR], "padre": padre,
            "otro": valores.get(p.clave + SUFIJO_OTRO) or "",
            "error": errores.get(p.clave), "error_otro": errores.get(p.clave + SUFIJO_OTRO),
        })  # fmt: skip
    return preguntas


def resumen_identidad(respuestas: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each question with its answer as text, «Otro» texts included."""
    resumen = []
    for p in PREGUNTAS:
        otro = respuestas.get(p.clave + SUFIJO_OTRO) if p.otro else None
        texto = texto_identidad(respuestas.get(p.clave)) + (f" ({otro})" if otro else "")
        resumen.append({"numero": p.numero, "texto": p.texto, "respuesta": texto})
    return resumen


ETIQUETAS_CURRICULAR = {c.clave: c.etiqueta for c in CAMPOS}
ETIQUETAS_IDENTIDAD = {
    clave: etiqueta_
    for p in PREGUNTAS
    for clave, etiqueta_ in (
        (p.clave, f"{p.numero}. {p.texto}"),
        *([(p.clave + SUFIJO_OTRO, f"{p.numero}. Texto de «Otro»")] if p.otro else []),
    )
}
