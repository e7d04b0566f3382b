"""Every automatic check over a whole election at once, its texts checked on every core.

Needed when the lexicon (data) changes or an election is loaded: each candidacy's checks are
independent, so they run in worker processes; copies need every text, so the near-duplicate
pass runs once over the signatures the workers return.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from validacion.domain.revisiones import (
    PROPUESTAS,
    Catalogo,
    Hallazgo,
    IndiceDuplicados,
    Propia,
    revisar_curricular,
)
from validacion.domain.revisiones.duplicados import firma, hallazgo_de_copia, invertida

# Enough entries per task to amortise the inter-process round trip.
LOTE = 256
_catalogo: Catalogo | None = None


@dataclass(frozen=True, slots=True)
class EntradaRevision:
    """One candidacy to check: its id, its curricular answers and what is its own."""

    candidatura_id: str
    respuestas: Mapping[str, object]
    propia: Propia


def revisar_eleccion(
    entradas: Sequence[EntradaRevision], *, catalogo: Catalogo, procesos: int | None = None
) -> dict[str, list[Hallazgo]]:
    """The findings of every candidacy, copies across the whole election included."""
    trabajadores = max(1, procesos or os.cpu_count() or 1)
    hallazgos: dict[str, list[Hallazgo]] = {}
    indice = IndiceDuplicados()
    # spawn, not fork: this may run inside a server process with threads.
    contexto = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        trabajadores, mp_context=contexto, initializer=_iniciar, initargs=(catalogo,)
    ) as pool:
        for candidatura_id, propios, firmas in pool.map(_revisar, entradas, chunksize=LOTE):
            hallazgos[candidatura_id] = propios
            for campo, sig in firmas.items():
                indice.agregar_firma(candidatura_id, campo, sig)
    largos: dict[tuple[str, str], int] = {
        (e.candidatura_id, str(c)): _largo(e.respuestas.get(c))
        for e in entradas
        for c in PROPUESTAS
    }
    for par in indice.pares():
        for s in (par, invertida(par)):
            largo = largos[(s.candidatura_id, s.campo)]
            hallazgos[s.candidatura_id].append(hallazgo_de_copia(s, largo))
    return hallazgos


def _iniciar(catalogo: Catalogo) -> None:
    """Each worker keeps the election's catalog once."""
    global _catalogo
    _catalogo = catalogo


def _revisar(
    entrada: EntradaRevision,
) -> tuple[str, list[Hallazgo], dict[str, array[int] | None]]:
    """A candidacy's text findings and its proposals' signatures (in a worker)."""
    propios = revisar_curricular(entrada.respuestas, catalogo=_catalogo, propia=entrada.propia)
    firmas: dict[str, array[int] | None] = {}
    for campo in PROPUESTAS:
        texto = entrada.respuestas.get(campo)
        firmas[str(campo)] = firma(texto) if isinstance(texto, str) and texto else None
    return entrada.candidatura_id, propios, firmas


def _largo(valor: object) -> int:
    """Length of a proposal's text (0 when absent)."""
    return len(valor) if isinstance(valor, str) else 0
