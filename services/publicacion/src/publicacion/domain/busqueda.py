"""Search and filters over the public profiles: accent- and case-insensitive, typo tolerant."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

PALABRA = re.compile(r"[a-z0-9ñ]+")
EXACTA, PREFIJO, PARECIDA = 3, 2, 1


def normalizar(texto: str) -> str:
    """Lower case, no accents (ñ kept), spaces collapsed: how names are compared."""
    descompuesto = unicodedata.normalize("NFD", texto.casefold().replace("ñ", "\0"))
    limpio = "".join(c for c in descompuesto if not unicodedata.combining(c))
    return limpio.replace("\0", "ñ")


def palabras(texto: str) -> tuple[str, ...]:
    """The normalized words of a text; punctuation and operators are just separators."""
    return tuple(PALABRA.findall(normalizar(texto)))


@dataclass(frozen=True, slots=True)
class Fila:
    """What the search needs of one public profile (the view itself stays in the store)."""

    id: str
    orden: str
    palabras: tuple[str, ...]
    cargo: str
    principio: str
    distrito: int | None
    municipio: str | None
    nombre_municipio: str | None
    partidos: frozenset[str]
    postulante: str
    sexo: str
    edad: int | None
    estudios: str | None
    accion_afirmativa: str | None
    contienda: str

    @classmethod
    def de_vista(cls, vista: Mapping[str, Any], orden: str) -> "Fila":
        """Index row of a public view."""
        curricular = vista.get("curricular") or {}
        partidos = {p for p in (vista.get("partido"), vista.get("clave_postulante")) if p}
        return cls(
            id=str(vista["id"]),
            orden=orden,
            palabras=palabras(f"{vista['nombre']} {vista.get('sobrenombre') or ''}"),
            cargo=str(vista["cargo"]),
            principio=str(vista["principio"]),
            distrito=vista.get("distrito"),
            municipio=vista.get("municipio"),
            nombre_municipio=vista.get("nombre_municipio"),
            partidos=frozenset(partidos | set(vista.get("partidos") or ())),
            postulante=str(vista["postulante"]),
            sexo=str(vista["sexo"]),
            edad=vista.get("edad"),
            estudios=curricular.get("grado_maximo_estudios"),
            accion_afirmativa=vista.get("accion_afirmativa"),
            contienda=clave_contienda(
                str(vista["cargo"]),
                str(vista["principio"]),
                vista.get("distrito"),
                vista.get("municipio"),
            ),
        )


def clave_contienda(cargo: str, principio: str, distrito: int | None, municipio: str | None) -> str:
    """A readable contest key: «diputacion_local-MR-41», «presidencia_municipal-15007»."""
    if cargo == "diputacion_local":
        return f"{cargo}-{principio}" + (f"-{distrito}" if principio == "MR" and distrito else "")
    return f"{cargo}-{municipio}"


@dataclass(frozen=True, slots=True)
class Criterios:
    """What a visitor asked for; None means «any»."""

    q: str | None = None
    cargo: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    partido: str | None = None
    sexo: str | None = None
    estudios: str | None = None
    edad_min: int | None = None
    edad_max: int | None = None
    accion_afirmativa: bool | None = None
    contienda: str | None = None
    palabras: tuple[str, ...] = field(init=False, default=())
    # The row attributes that must equal what was asked (only those asked), computed once.
    exactos: tuple[tuple[str, object], ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "palabras", palabras(self.q or "")[:8])
        pedidos = (
            ("cargo", self.cargo),
            ("distrito", self.distrito),
            ("municipio", self.municipio),
            ("sexo", self.sexo),
            ("estudios", self.estudios),
            ("contienda", self.contienda),
        )
        exactos = tuple((campo, valor) for campo, valor in pedidos if valor is not None)
        object.__setattr__(self, "exactos", exactos)

    def admite(self, fila: Fila) -> bool:
        """Whether the row passes every filter (the text is scored apart)."""
        if any(getattr(fila, campo) != valor for campo, valor in self.exactos):
            return False
        if self.partido is not None and self.partido not in fila.partidos:
            return False
        if self.accion_afirmativa is not None and self.accion_afirmativa != bool(
            fila.accion_afirmativa
        ):
            return False
        return _en_rango(fila.edad, self.edad_min, self.edad_max)


def _en_rango(edad: int | None, minima: int | None, maxima: int | None) -> bool:
    """An age filter leaves out profiles without an age."""
    if minima is None and maxima is None:
        return True
    if edad is None:
        return False
    return (minima is None or edad >= minima) and (maxima is None or edad <= maxima)


def _parecido(buscada: str, palabra: str) -> int:
    """Exact, prefix (3+ letters) or within a small edit distance (a typo or two)."""
    if buscada == palabra:
        return EXACTA
    if len(buscada) >= 3 and palabra.startswith(buscada):
        return PREFIJO
    tolerancia = 0 if len(buscada) < 4 else 1 if len(buscada) < 8 else 2
    cerca = tolerancia and abs(len(buscada) - len(palabra)) <= tolerancia
    return PARECIDA if cerca and _distancia(buscada, palabra, tolerancia) <= tolerancia else 0


def _distancia(a: str, b: str, tope: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, giving up above `tope`."""
    previa2: list[int] = []
    previa = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        actual = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            costo = 0 if ca == cb else 1
            actual[j] = min(previa[j] + 1, actual[j - 1] + 1, previa[j - 1] + costo)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                actual[j] = min(actual[j], previa2[j - 2] + 1)
        if min(actual) > tope:
            return tope + 1
        previa2, previa = previa, actual
    return previa[-1]


AGRUPADORES = ("cargo", "municipio", "distrito", "contienda")


class Tabla:
    """The rows in name order, grouped by the filters that narrow most, built once per change."""

    def __init__(self, filas: Iterable[Fila]) -> None:
        self.filas = sorted(filas, key=lambda f: (f.orden, f.id))
        self._posicion = {f.id: i for i, f in enumerate(self.filas)}
        self._grupos: dict[tuple[str, object], list[Fila]] = {}
        # Each distinct name word once: a typo is looked for among words, not among rows.
        self._por_palabra: dict[str, list[int]] = {}
        for i, fila in enumerate(self.filas):
            for campo in AGRUPADORES:
                self._grupos.setdefault((campo, getattr(fila, campo)), []).append(fila)
            for partido in fila.partidos:
                self._grupos.setdefault(("partido", partido), []).append(fila)
            for palabra in set(fila.palabras):
                self._por_palabra.setdefault(palabra, []).append(i)

    def candidatas(self, criterios: Criterios) -> list[Fila]:
        """The smallest group that every match belongs to (all rows when none applies)."""
        claves = [(c, v) for c, v in criterios.exactos if c in AGRUPADORES]
        if criterios.partido is not None:
            claves.append(("partido", criterios.partido))
        grupos = [self._grupos.get(clave, []) for clave in claves]
        return min(grupos, key=len, default=self.filas)

    def buscar(self, criterios: Criterios) -> list[Fila]:
        """The rows that match, best name match first, then in name order."""
        if criterios.q and criterios.q.strip() and not criterios.palabras:
            return []  # only punctuation or operators: text that no name contains
        if criterios == SIN_CRITERIOS:
            return self.filas
        candidatas = (f for f in self.candidatas(criterios) if criterios.admite(f))
        if not criterios.palabras:
            return list(candidatas)
        puntos = self._puntos(criterios.palabras)
        puntuadas = [
            (-puntos[i], i, f) for f in candidatas if (i := self._posicion[f.id]) in puntos
        ]
        puntuadas.sort(key=lambda t: (t[0], t[1]))
        return [fila for _, _, fila in puntuadas]

    def _puntos(self, buscadas: tuple[str, ...]) -> dict[int, int]:
        """Row position → score, for the rows whose name matches every searched word."""
        total: dict[int, int] | None = None
        for buscada in buscadas:
            mejor: dict[int, int] = {}
            for palabra, posiciones in self._por_palabra.items():
                if parecido := _parecido(buscada, palabra):
                    for i in posiciones:
                        mejor[i] = max(mejor.get(i, 0), parecido)
            if total is not None:
                mejor = {i: total[i] + p for i, p in mejor.items() if i in total}
            total = mejor
        return total or {}


SIN_CRITERIOS = Criterios()


def buscar(filas: Iterable[Fila], criterios: Criterios) -> list[Fila]:
    """The rows that match, best name match first, then in name order."""
    return Tabla(filas).buscar(criterios)


@dataclass(frozen=True, slots=True)
class Contienda:
    """A contest and how many public profiles run in it."""

    clave: str
    cargo: str
    principio: str
    distrito: int | None
    municipio: str | None
    nombre_municipio: str | None
    candidaturas: int


def agrupar_contiendas(
    filas: Iterable[Fila], *, municipio: str | None = None, distritos: Iterable[int] = ()
) -> list[Contienda]:
    """Contests of the rows in ballot order; for a place, those on its voters' ballots."""
    en_distritos = set(distritos)
    lugar = municipio is not None or bool(en_distritos)
    grupos: dict[str, list[Fila]] = {}
    for fila in filas:
        if not lugar or _en_la_boleta(fila, municipio, en_distritos):
            grupos.setdefault(fila.contienda, []).append(fila)
    contiendas = [
        Contienda(
            clave=clave,
            cargo=grupo[0].cargo,
            principio=grupo[0].principio,
            distrito=grupo[0].distrito if grupo[0].cargo == "diputacion_local" else None,
            municipio=grupo[0].municipio,
            nombre_municipio=grupo[0].nombre_municipio,
            candidaturas=len(grupo),
        )
        for clave, grupo in grupos.items()
    ]
    return sorted(contiendas, key=_orden_boleta)


def _en_la_boleta(fila: Fila, municipio: str | None, distritos: set[int]) -> bool:
    """Deputies of the place's districts and the state lists; its own ayuntamiento."""
    if fila.cargo == "diputacion_local":
        return fila.principio == "RP" or fila.distrito in distritos
    return municipio is not None and fila.municipio == municipio


ORDEN_CARGOS = ("diputacion_local", "presidencia_municipal", "sindicatura", "regiduria")


def _orden_boleta(c: Contienda) -> tuple[int, str, int, str]:
    return (ORDEN_CARGOS.index(c.cargo), c.principio, c.distrito or 0, c.nombre_municipio or "")
