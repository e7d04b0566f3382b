"""Automatic content checks (DOMINIO §5): they inform the reviewer, they never block."""

from collections.abc import Mapping

from comun.eventos.vocabulario import CampoCurricular
from validacion.domain.revisiones.datos_personales import buscar_datos_personales
from validacion.domain.revisiones.duplicados import IndiceDuplicados, Similitud
from validacion.domain.revisiones.hallazgos import (
    CAMPOS_PROPUESTA,
    CAMPOS_TEXTO,
    Hallazgo,
    Regla,
)
from validacion.domain.revisiones.lexico import (
    Lexico,
    LexicoInvalido,
    leer_lexico,
    lexico_lenguaje,
    lexico_propaganda,
)
from validacion.domain.revisiones.marcadores import buscar_marcadores
from validacion.domain.revisiones.menciones import Catalogo, Mencionable, Propia, TipoMencionable
from validacion.domain.revisiones.texto import Palabras, plegar

__all__ = [
    "CAMPOS_PROPUESTA",
    "CAMPOS_TEXTO",
    "MAXIMO_CARACTERES",
    "PROPUESTAS",
    "Catalogo",
    "Hallazgo",
    "IndiceDuplicados",
    "Lexico",
    "LexicoInvalido",
    "Mencionable",
    "Propia",
    "Regla",
    "Similitud",
    "TipoMencionable",
    "leer_lexico",
    "revisar_curricular",
    "revisar_texto",
]

MAXIMO_CARACTERES = 10_000
# The proposals compared across the election for copies (code 1).
PROPUESTAS = (
    CampoCurricular.PROPUESTA_1,
    CampoCurricular.PROPUESTA_2,
    CampoCurricular.PROPUESTA_GENERO,
)


def revisar_texto(
    texto: str,
    *,
    campo: str,
    catalogo: Catalogo | None = None,
    propia: Propia | None = None,
    lenguaje: Lexico | None = None,
    propaganda: Lexico | None = None,
) -> list[Hallazgo]:
    """Every text check over one answer, in text order; an empty answer has no findings."""
    if not texto.strip():
        return []
    plegado = plegar(texto)
    tokens = Palabras(plegado)
    hallazgos = [
        *(lenguaje or lexico_lenguaje()).buscar(
            texto=texto, plegado=plegado, tokens=tokens, campo=campo
        ),
        *(propaganda or lexico_propaganda()).buscar(
            texto=texto, plegado=plegado, tokens=tokens, campo=campo
        ),
        *buscar_marcadores(texto=texto, plegado=plegado, palabras=len(tokens), campo=campo),
        *buscar_datos_personales(texto=texto, campo=campo),
    ]
    if catalogo is not None:
        hallazgos.extend(
            catalogo.buscar(texto=texto, tokens=tokens, campo=campo, propia=propia or Propia())
        )
    return sorted(hallazgos, key=lambda h: (h.inicio, h.fin, h.regla))


def revisar_curricular(
    respuestas: Mapping[str, object],
    *,
    catalogo: Catalogo | None = None,
    propia: Propia | None = None,
    indice: IndiceDuplicados | None = None,
) -> list[Hallazgo]:
    """The text checks over a candidacy's curricular answers (field name → answer).

    With an index, the candidacy's proposals are added to it (under `propia.candidatura_id`)
    and their near copies in other candidacies are reported too.
    """
    hallazgos: list[Hallazgo] = []
    for campo in sorted(CAMPOS_TEXTO):
        for texto in _textos(respuestas.get(campo)):
            hallazgos.extend(revisar_texto(texto, campo=campo, catalogo=catalogo, propia=propia))
    candidatura = propia.candidatura_id if propia else None
    if indice is not None and candidatura is not None:
        for campo in PROPUESTAS:
            valor = respuestas.get(campo)
            propuesta = valor if isinstance(valor, str) else None
            indice.agregar(candidatura, campo, propuesta)
            if propuesta:
                hallazgos.extend(indice.hallazgos(candidatura, campo, propuesta))
    return hallazgos


def _textos(valor: object) -> list[str]:
    """The texts of an answer: one string, or each course of the list."""
    if isinstance(valor, str):
        return [valor]
    if isinstance(valor, list | tuple):
        return [v for v in valor if isinstance(v, str)]
    return []
