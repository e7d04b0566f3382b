"""Text folding that keeps offsets, word tokens and a multi-word phrase matcher."""

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

PALABRA = re.compile(r"\w+")
_LLAVES = re.compile(r"\{([^{}]*)\}")


def _plegar_caracter(caracter: str) -> str:
    """One character lower-cased without accents, or itself if folding changes its length."""
    base = "".join(
        c for c in unicodedata.normalize("NFD", caracter) if not unicodedata.combining(c)
    ).lower()
    return base if len(base) == 1 else caracter


# Latin-1 and Latin Extended-A/B cover Spanish and the names in the catalogs.
_TABLA = {codigo: _plegar_caracter(chr(codigo)) for codigo in range(0x250)}


def plegar(texto: str) -> str:
    """Lower-case and strip accents, one character for one, so offsets stay valid."""
    return texto.translate(_TABLA)


class Palabras:
    """The words of a folded text; their offsets are computed only if a check needs them."""

    def __init__(self, plegado: str) -> None:
        self.plegado = plegado
        self.textos: list[str] = PALABRA.findall(plegado)
        self._limites: list[tuple[int, int]] | None = None

    def __len__(self) -> int:
        """How many words."""
        return len(self.textos)

    def limites(self, primera: int, despues: int) -> tuple[int, int]:
        """Character offsets from the start of word `primera` to the end of word `despues - 1`."""
        if self._limites is None:
            self._limites = [m.span() for m in PALABRA.finditer(self.plegado)]
        return self._limites[primera][0], self._limites[despues - 1][1]


def expandir(expresion: str) -> list[str]:
    """Expand `{a,b}` alternatives: «minusválid{o,a,os,as}» gives four forms."""
    partes = _LLAVES.split(expresion)
    # split() alternates literal text and the contents of each {…}.
    opciones = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(partes)]
    return ["".join(combinacion) for combinacion in itertools.product(*opciones)]


def clave(frase: str) -> tuple[str, ...]:
    """The folded words of a phrase, as a matcher key."""
    return tuple(PALABRA.findall(plegar(frase)))


class Frases(Generic[T]):
    """Finds whole-word phrases in a word list, longest first, without overlaps."""

    def __init__(self, entradas: Iterable[tuple[tuple[str, ...], T]]) -> None:
        self._por_clave: dict[tuple[str, ...], T] = {}
        for llave, valor in entradas:
            if llave:
                self._por_clave.setdefault(llave, valor)
        self._largos = sorted({len(k) for k in self._por_clave}, reverse=True)
        self._primeras = {k[0] for k in self._por_clave}

    def __len__(self) -> int:
        """How many phrases it knows."""
        return len(self._por_clave)

    def buscar(self, tokens: Sequence[str]) -> Iterator[tuple[int, int, T]]:
        """Yield (first word, word after the last, value) for every phrase found."""
        primeras = self._primeras
        total = len(tokens)
        libre = 0
        for i in [i for i, t in enumerate(tokens) if t in primeras]:
            if i < libre:
                continue
            for largo in self._largos:
                if i + largo <= total:
                    valor = self._por_clave.get(tuple(tokens[i : i + largo]))
                    if valor is not None:
                        yield i, i + largo, valor
                        libre = i + largo
                        break
