"""Validation of the answers to the cuestionario de identidad (its questions: `comun`).

Answer shape (JSON and HTML forms alike): ``{clave: valor}`` where ``valor`` is
- ``None``: not answered yet (drafts may leave any question unanswered);
- a label string for single-choice questions (matching ignores accents, case and spaces);
- a list of labels for multiple-choice questions (a single string is also accepted);
- ``PREFIERO_NO_CONTESTAR`` on any question, ``NO_APLICA`` only where the condition fails.
Questions with an «Otro»/«Otra» option take its free text under the separate key
``<clave>_otro`` (for example ``pueblo_indigena_otro``), so a form needs one extra text input.
The clean answers always carry the 20 claves plus every ``<clave>_otro`` key; multiple-choice
values are lists in catalog order (``["Prefiero no contestar"]`` and ``["No aplica"]`` included).
"""

import unicodedata
from collections.abc import Mapping
from typing import Any

from comun.cuestionario_identidad import (
    NO_APLICA,
    POR_CLAVE,
    PREFIERO_NO_CONTESTAR,
    PREGUNTAS,
    SUFIJO_OTRO,
    Pregunta,
)

MAXIMO_OTRO = 100

_ALIAS: dict[str, dict[str, str]] = {
    "identidad_lgbtttiq": {"Persona queer": "Queer"},
    "pais_residencia": {
        "Estados Unidos": "Estados Unidos de América",
        "EUA": "Estados Unidos de América",
    },
    "entidad_nacimiento": {
        "Estado de México": "México",
        "Coahuila": "Coahuila de Zaragoza",
        "Michoacán": "Michoacán de Ocampo",
        "Veracruz": "Veracruz de Ignacio de la Llave",
        "CDMX": "Ciudad de México",
        "Distrito Federal": "Ciudad de México",
    },
}
_MAXIMO_OPCIONES_EN_MENSAJE = 8


def _normalizar(texto: str) -> str:
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return " ".join(sin_acentos.casefold().split())


def _indices() -> dict[str, dict[str, str]]:
    indices: dict[str, dict[str, str]] = {}
    for pregunta in PREGUNTAS:
        indice = {_normalizar(o): o for o in (*pregunta.opciones, PREFIERO_NO_CONTESTAR, NO_APLICA)}
        for alias, canonica in _ALIAS.get(pregunta.clave, {}).items():
            indice[_normalizar(alias)] = canonica
        indices[pregunta.clave] = indice
    return indices


_INDICES = _indices()


def _en_lista(opciones: tuple[str, ...]) -> str:
    return ", ".join(opciones[:-1]) + " o " + opciones[-1]


def _sugerencia(pregunta: Pregunta) -> str:
    if len(pregunta.opciones) > _MAXIMO_OPCIONES_EN_MENSAJE:
        return "elija una opción de la lista o Prefiero no contestar"
    return "elija " + _en_lista((*pregunta.opciones, PREFIERO_NO_CONTESTAR))


def respuestas_vacias() -> dict[str, Any]:
    """Answers with nothing answered yet: every question and every «Otro» text set to None."""
    vacias: dict[str, Any] = {}
    for pregunta in PREGUNTAS:
        vacias[pregunta.clave] = None
        if pregunta.otro:
            vacias[pregunta.clave + SUFIJO_OTRO] = None
    return vacias


def _aplica(pregunta: Pregunta, limpias: Mapping[str, Any]) -> bool | None:
    """Whether the question applies: None while the question it depends on is unanswered."""
    if pregunta.depende_de is None:
        return True
    padre, valor = pregunta.depende_de
    if limpias.get(padre) is None:
        return None
    return bool(limpias[padre] == valor)


def _etiquetas(pregunta: Pregunta, valor: Any) -> tuple[list[str], str | None]:
    """The canonical labels of an answer, or an error."""
    n = pregunta.numero
    if isinstance(valor, str):
        crudas: list[Any] = [valor]
    elif isinstance(valor, list | tuple) and pregunta.multiple:
        crudas = list(valor)
    elif isinstance(valor, list | tuple):
        return [], f"La pregunta {n} admite una sola respuesta; elija solo una opción."
    else:
        return [], f"La respuesta de la pregunta {n} debe ser texto; {_sugerencia(pregunta)}."
    indice = _INDICES[pregunta.clave]
    etiquetas: list[str] = []
    for cruda in crudas:
        if not isinstance(cruda, str):
            return [], f"La respuesta de la pregunta {n} debe ser texto; {_sugerencia(pregunta)}."
        canonica = indice.get(_normalizar(cruda))
        if canonica is None:
            return [], (
                f"La respuesta «{cruda.strip()}» no es una opción de la pregunta {n}; "
                f"{_sugerencia(pregunta)}."
            )
        if canonica not in etiquetas:
            etiquetas.append(canonica)
    if not etiquetas:
        return [], f"Elija al menos una opción en la pregunta {n} o Prefiero no contestar."
    especiales = {PREFIERO_NO_CONTESTAR, NO_APLICA} & set(etiquetas)
    if especiales and len(etiquetas) > 1:
        especial = especiales.pop()
        return [], f"En la pregunta {n}, «{especial}» no puede combinarse con otras opciones."
    orden = {o: i for i, o in enumerate(pregunta.opciones)}
    return sorted(etiquetas, key=lambda e: orden.get(e, -1)), None


def _texto_otro(pregunta: Pregunta, otro: str, valor: Any) -> tuple[str | None, str | None]:
    """The clean free text of an «Otro»/«Otra» answer, or an error."""
    n = pregunta.numero
    if valor is not None and not isinstance(valor, str):
        return None, f"El texto de «{otro}» de la pregunta {n} debe ser texto."
    texto = (valor or "").strip()
    if not texto:
        return (
            None,
            f"Escriba cuál en la pregunta {n}, porque eligió «{otro}» (hasta 100 caracteres).",
        )
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in texto):
        return None, (
            f"El texto de «{otro}» de la pregunta {n} debe ser una sola línea, sin saltos de línea "
            "ni caracteres de control."
        )
    if len(texto) > MAXIMO_OTRO:
        return None, (
            f"El texto de «{otro}» de la pregunta {n} tiene {len(texto)} caracteres; "
            f"el máximo es {MAXIMO_OTRO}."
        )
    return texto, None


def validar_identidad(respuestas: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean answers (all claves; failed conditionals «No aplica») and Spanish errors by clave."""
    limpias = respuestas_vacias()
    errores: dict[str, str] = {}
    for clave in respuestas:
        if clave not in limpias:
            errores[clave] = f"«{clave}» no es una pregunta del cuestionario de identidad."
    for pregunta in PREGUNTAS:
        clave, n = pregunta.clave, pregunta.numero
        aplica = _aplica(pregunta, limpias)
        if aplica is False:
            limpias[clave] = [NO_APLICA] if pregunta.multiple else NO_APLICA
            continue
        valor = respuestas.get(clave)
        if valor is None:
            continue
        etiquetas, error = _etiquetas(pregunta, valor)
        if error is not None:
            errores[clave] = error
            continue
        if etiquetas == [NO_APLICA]:
            if aplica:
                errores[clave] = (
                    f"La pregunta {n} aplica por su respuesta a la pregunta "
                    f"{POR_CLAVE[pregunta.depende_de[0]].numero}; {_sugerencia(pregunta)}."
                    if pregunta.depende_de
                    else f"La pregunta {n} siempre aplica; {_sugerencia(pregunta)}."
                )
            # While the parent is unanswered «No aplica» just means «not answered yet».
            continue
        limpias[clave] = etiquetas if pregunta.multiple else etiquetas[0]
        otro = next((e for e in etiquetas if e in ("Otro", "Otra")), None)
        if pregunta.otro and otro is not None:
            texto, error = _texto_otro(pregunta, otro, respuestas.get(clave + SUFIJO_OTRO))
            if error is not None:
                errores[clave + SUFIJO_OTRO] = error
            limpias[clave + SUFIJO_OTRO] = texto
    return limpias, errores


def porcentaje_contestado(respuestas: Mapping[str, Any]) -> int:
    """Percentage (0–100) of the applicable questions answered; «Prefiero no contestar» counts."""
    limpias, _ = validar_identidad(respuestas)
    aplicables = [p for p in PREGUNTAS if _aplica(p, limpias)]
    contestadas = sum(1 for p in aplicables if limpias[p.clave] is not None)
    return round(100 * contestadas / len(aplicables))


def avance_visible(respuestas: Mapping[str, Any]) -> int:
    """Share (0–100) of the unconditional questions answered: it reveals no answer.

    Counting conditional questions would change the denominator with each «Sí» and so tell
    which groups a person belongs to; this figure is stored and shown in clear.
    """
    incondicionales = [p for p in PREGUNTAS if p.depende_de is None]
    contestadas = sum(1 for p in incondicionales if respuestas.get(p.clave) is not None)
    return round(100 * contestadas / len(incondicionales))
