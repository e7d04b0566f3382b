"""The editable lexicons (datos/lexico/*.csv): phrases and patterns with their explanation."""

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from comun.eventos.vocabulario import MotivoContenido
from validacion.domain.revisiones.hallazgos import Hallazgo, Regla, motivo_de_numero
from validacion.domain.revisiones.texto import Frases, Palabras, clave, expandir

# The repository's datos/ folder, as comun.settings.archivo_de_datos finds it.
CARPETA_LEXICO = Path(__file__).resolve().parents[6] / "datos" / "lexico"
COLUMNAS = (
    "tipo",
    "expresion",
    "categoria",
    "codigo",
    "explicacion",
    "sugerencia",
    "excepto_antes",
    "excepto_despues",
)


class LexicoInvalido(ValueError):
    """A lexicon file has a row the checks cannot use."""


@dataclass(frozen=True, slots=True)
class Entrada:
    """One row of a lexicon: what it means and when not to apply it."""

    expresion: str
    categoria: str
    codigo: MotivoContenido | None
    explicacion: str
    sugerencia: str | None
    excepto_antes: tuple[tuple[str, ...], ...] = ()
    excepto_despues: tuple[tuple[str, ...], ...] = ()

    def exceptuada(self, tokens: Sequence[str], inicio: int, fin: int) -> bool:
        """Whether the words around a hit cancel it («las y los ciudadanos»)."""
        return any(
            tuple(tokens[max(0, inicio - len(e)) : inicio]) == e for e in self.excepto_antes
        ) or any(tuple(tokens[fin : fin + len(e)]) == e for e in self.excepto_despues)


@dataclass(frozen=True)
class Lexico:
    """A lexicon compiled for search: whole-word phrases plus regular expressions."""

    regla: Regla
    frases: Frases[Entrada]
    patrones: tuple[tuple[re.Pattern[str], Entrada], ...]

    def buscar(
        self, *, texto: str, plegado: str, tokens: Palabras, campo: str
    ) -> Iterator[Hallazgo]:
        """Every hit of the lexicon in a text (already folded and split into words)."""
        palabras = tokens.textos
        for i, j, entrada in self.frases.buscar(palabras):
            if not entrada.exceptuada(palabras, i, j):
                yield self._hallazgo(entrada, campo, *tokens.limites(i, j))
        for patron, entrada in self.patrones:
            for m in patron.finditer(plegado):
                if m.end() > m.start():
                    yield self._hallazgo(entrada, campo, m.start(), m.end())

    def _hallazgo(self, entrada: Entrada, campo: str, inicio: int, fin: int) -> Hallazgo:
        """A hit as a finding of this lexicon's rule."""
        return Hallazgo(
            regla=self.regla,
            codigo=entrada.codigo,
            campo=campo,
            inicio=inicio,
            fin=fin,
            explicacion=entrada.explicacion,
            sugerencia=entrada.sugerencia,
        )


def leer_lexico(ruta: Path, *, regla: Regla) -> Lexico:
    """Read and compile a lexicon CSV; LexicoInvalido names the bad row."""
    frases: list[tuple[tuple[str, ...], Entrada]] = []
    patrones: list[tuple[re.Pattern[str], Entrada]] = []
    with ruta.open(encoding="utf-8", newline="") as archivo:
        filas = csv.DictReader(archivo)
        faltan = set(COLUMNAS) - set(filas.fieldnames or ())
        if faltan:
            raise LexicoInvalido(f"A {ruta.name} le faltan las columnas {sorted(faltan)}.")
        for numero, fila in enumerate(filas, start=2):
            tipo = (fila["tipo"] or "").strip()
            entrada = _entrada(fila, ruta=ruta, numero=numero)
            if tipo == "frase":
                frases.extend((clave(forma), entrada) for forma in _formas(entrada.expresion))
            elif tipo == "patron":
                patrones.append((_patron(entrada.expresion, ruta, numero), entrada))
            else:
                raise LexicoInvalido(
                    f"{ruta.name}, fila {numero}: el tipo debe ser «frase» o «patron»; "
                    f"recibimos «{tipo}»."
                )
    return Lexico(regla=regla, frases=Frases(frases), patrones=tuple(patrones))


@cache
def lexico_lenguaje() -> Lexico:
    """The inclusive-language and discrimination lexicon, read once."""
    return leer_lexico(CARPETA_LEXICO / "lenguaje.csv", regla=Regla.LENGUAJE)


@cache
def lexico_propaganda() -> Lexico:
    """The calls-to-vote and campaign-slogan lexicon, read once."""
    return leer_lexico(CARPETA_LEXICO / "propaganda.csv", regla=Regla.PROPAGANDA)


def _entrada(fila: dict[str, str], *, ruta: Path, numero: int) -> Entrada:
    """One CSV row as an entry."""
    expresion = (fila["expresion"] or "").strip()
    explicacion = (fila["explicacion"] or "").strip()
    if not expresion or not explicacion:
        raise LexicoInvalido(f"{ruta.name}, fila {numero}: faltan la expresión o la explicación.")
    codigo = (fila["codigo"] or "").strip()
    try:
        motivo = motivo_de_numero(int(codigo)) if codigo else None
    except ValueError as error:
        raise LexicoInvalido(f"{ruta.name}, fila {numero}: {error}") from error
    return Entrada(
        expresion=expresion,
        categoria=(fila["categoria"] or "").strip(),
        codigo=motivo,
        explicacion=explicacion,
        sugerencia=(fila["sugerencia"] or "").strip() or None,
        excepto_antes=_contextos(fila["excepto_antes"]),
        excepto_despues=_contextos(fila["excepto_despues"]),
    )


def _formas(expresion: str) -> list[str]:
    """Every form of a phrase: «|» separates alternatives, «{a,b}» expands in place."""
    return [forma for parte in expresion.split("|") for forma in expandir(parte.strip())]


def _contextos(celda: str | None) -> tuple[tuple[str, ...], ...]:
    """The neighbouring phrases that cancel a hit, as word keys."""
    return tuple(k for k in (clave(f) for f in _formas(celda or "")) if k)


def _patron(expresion: str, ruta: Path, numero: int) -> re.Pattern[str]:
    """A pattern row compiled; patterns see the text in lower case and without accents."""
    try:
        return re.compile(expresion)
    except re.error as error:
        raise LexicoInvalido(f"{ruta.name}, fila {numero}: patrón inválido ({error}).") from error
