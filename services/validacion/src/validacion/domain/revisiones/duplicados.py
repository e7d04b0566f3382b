"""Near-duplicate texts across candidacies: MinHash over word shingles with LSH banding.

The signature is one-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification
(Shrivastava & Li 2014): each shingle is hashed once and lands in one of `PERMUTACIONES` bins,
which keeps the pass linear in the text's length in pure Python. `BANDAS` × `FILAS` gives a
candidate probability of 0.998 at Jaccard 0.8 and 0.27 at 0.5; candidates are then kept only
if their estimated Jaccard reaches the threshold.
"""

from __future__ import annotations

import hashlib
import operator
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from comun.eventos.vocabulario import MotivoContenido
from validacion.domain.revisiones.hallazgos import Hallazgo, Regla
from validacion.domain.revisiones.texto import PALABRA, plegar

K_SHINGLE = 5
BANDAS = 20
FILAS = 6
PERMUTACIONES = BANDAS * FILAS
UMBRAL = 0.8
# Shorter texts are common phrases («Mejorar la seguridad pública»), not copies.
MINIMO_PALABRAS = 12
_MASCARA = (1 << 64) - 1
_VACIO = _MASCARA
# Odd constant that makes a borrowed (densified) value differ from the bin it came from.
_DESPLAZAMIENTO = 0x9E3779B97F4A7C15

Clave = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Similitud:
    """Two texts of different candidacies that are near copies of each other."""

    candidatura_id: str
    campo: str
    otra_candidatura_id: str
    otro_campo: str
    jaccard: float


# Odd 64-bit multipliers that mix the five word hashes of a shingle by position.
_P1, _P2, _P3, _P4 = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
)


@lru_cache(maxsize=262_144)
def _hash_palabra(palabra: str) -> int:
    """A word's stable 64-bit hash (words repeat: the cache makes it one lookup)."""
    return int.from_bytes(
        hashlib.blake2b(palabra.encode("utf-8"), digest_size=8).digest(), "little"
    )


def firma(texto: str) -> array[int] | None:
    """The MinHash signature of a text's 5-word shingles; None if it is too short to compare."""
    w = PALABRA.findall(plegar(texto))
    if len(w) < MINIMO_PALABRAS:
        return None
    # A hash stable across processes and runs (str hash() is salted per process), so that
    # signatures computed by worker processes can be compared with each other.
    hs = [_hash_palabra(p) for p in w]
    tejas = {
        (a * _P1 + b * _P2 + c * _P3 + d * _P4 + e) & _MASCARA
        for a, b, c, d, e in zip(hs, hs[1:], hs[2:], hs[3:], hs[4:], strict=False)
    }
    minimos = [_VACIO] * PERMUTACIONES
    for h in tejas:
        valor, cubeta = divmod(h, PERMUTACIONES)
        if valor < minimos[cubeta]:
            minimos[cubeta] = valor
    return _densificar(minimos)


def _densificar(minimos: list[int]) -> array[int]:
    """Fill empty bins from the next non-empty one to the right (rotation densification)."""
    total = len(minimos)
    resultado = list(minimos)
    siguiente = None
    # Two laps right to left, so that the last bins can borrow from the first ones.
    for i in range(2 * total - 1, -1, -1):
        j = i % total
        if minimos[j] != _VACIO:
            siguiente = i
        elif siguiente is not None and i < total:
            distancia = siguiente - i
            valor = minimos[siguiente % total] + distancia * _DESPLAZAMIENTO
            resultado[j] = valor & _MASCARA
    # An array, not a tuple: 90,000 signatures of Python ints would slow every GC pass.
    return array("Q", resultado)


def estimar_jaccard(a: array[int], b: array[int]) -> float:
    """The share of bins where two signatures agree."""
    iguales: int = sum(map(operator.eq, a, b))
    return iguales / PERMUTACIONES


def _cubeta(sig: array[int], banda: int) -> tuple[int, bytes]:
    """The LSH bucket of a signature in one band."""
    return banda, sig[banda * FILAS : (banda + 1) * FILAS].tobytes()


class IndiceDuplicados:
    """Every proposal of an election, bucketed by LSH band, to find near copies."""

    def __init__(self, *, umbral: float = UMBRAL) -> None:
        self.umbral = umbral
        self._firmas: dict[Clave, array[int]] = {}
        self._cubetas: defaultdict[tuple[int, bytes], set[Clave]] = defaultdict(set)

    def __len__(self) -> int:
        """How many texts it holds."""
        return len(self._firmas)

    def agregar(self, candidatura_id: str, campo: str, texto: str | None) -> None:
        """Add or replace a candidacy's text of one field (None or a short text removes it)."""
        self.agregar_firma(candidatura_id, campo, firma(texto) if texto else None)

    def agregar_firma(self, candidatura_id: str, campo: str, sig: array[int] | None) -> None:
        """Add or replace a text by its signature, computed elsewhere (None removes it)."""
        self.quitar(candidatura_id, campo)
        if sig is None:
            return
        llave = (candidatura_id, campo)
        self._firmas[llave] = sig
        for banda in range(BANDAS):
            self._cubetas[_cubeta(sig, banda)].add(llave)

    def quitar(self, candidatura_id: str, campo: str) -> None:
        """Forget a candidacy's text of one field."""
        sig = self._firmas.pop((candidatura_id, campo), None)
        if sig is None:
            return
        for banda in range(BANDAS):
            cubeta = _cubeta(sig, banda)
            self._cubetas[cubeta].discard((candidatura_id, campo))
            if not self._cubetas[cubeta]:
                del self._cubetas[cubeta]

    def similares(self, candidatura_id: str, campo: str) -> list[Similitud]:
        """Texts of other candidacies that are near copies of this one, most similar first."""
        sig = self._firmas.get((candidatura_id, campo))
        if sig is None:
            return []
        vistos: set[Clave] = set()
        for banda in range(BANDAS):
            vistos |= self._cubetas.get(_cubeta(sig, banda), set())
        encontrados = []
        for otro in vistos:
            if otro[0] != candidatura_id:
                j = estimar_jaccard(sig, self._firmas[otro])
                if j >= self.umbral:
                    encontrados.append(Similitud(candidatura_id, campo, otro[0], otro[1], j))
        return sorted(encontrados, key=lambda s: (-s.jaccard, s.otra_candidatura_id, s.otro_campo))

    def pares(self) -> Iterator[Similitud]:
        """Every pair of near copies across candidacies in the election, each pair once."""
        claves = list(self._firmas)
        numero = {k: i for i, k in enumerate(claves)}
        firmas = [self._firmas[k] for k in claves]
        revisados: set[int] = set()
        total = len(claves)
        for miembros in self._cubetas.values():
            if len(miembros) < 2:
                continue
            ordenados = sorted(numero[m] for m in miembros)
            for i, a in enumerate(ordenados):
                for b in ordenados[i + 1 :]:
                    par = a * total + b
                    if par in revisados or claves[a][0] == claves[b][0]:
                        continue
                    revisados.add(par)
                    j = estimar_jaccard(firmas[a], firmas[b])
                    if j >= self.umbral:
                        yield Similitud(*claves[a], *claves[b], j)

    def hallazgos(self, candidatura_id: str, campo: str, texto: str) -> list[Hallazgo]:
        """The near copies of a text as findings with code 1."""
        return [hallazgo_de_copia(s, len(texto)) for s in self.similares(candidatura_id, campo)]


def hallazgo_de_copia(s: Similitud, largo: int) -> Hallazgo:
    """A near copy as a finding with code 1 on the whole text of `s.campo`."""
    return Hallazgo(
        regla=Regla.DUPLICADO,
        codigo=MotivoContenido.COPIA_PROPUESTAS,
        campo=s.campo,
        inicio=0,
        fin=largo,
        explicacion=(
            f"El texto coincide en un {s.jaccard:.0%} con «{s.otro_campo}» de la "
            f"candidatura {s.otra_candidatura_id}."
        ),
        sugerencia="Redacte las propuestas con sus propias palabras.",
    )


def invertida(s: Similitud) -> Similitud:
    """The same pair seen from the other candidacy."""
    return Similitud(s.otra_candidatura_id, s.otro_campo, s.candidatura_id, s.campo, s.jaccard)
