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
        )

    @property
    def contienda(self) -> str:
        """The contest this candidacy runs in (see `clave_contienda`)."""
        return clave_contienda(self.cargo, self.principio, self.distrito, self.municipio)


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "palabras", palabras(self.q or "")[:8])

    def admite(self, fila: Fila) -> bool:
        """Whether the row passes every filter (the text is scored apart)."""
        exactos = (
            (self.cargo, fila.cargo),
            (self.distrito, fila.distrito),
            (self.municipio, fila.municipio),
            (self.sexo, fila.sexo),
            (self.estudios, fila.estudios),
            (self.contienda, fila.contienda),
        )
        if any(pedido is not None and pedido != valor for pedido, valor in exactos):
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


def puntuar(buscadas: tuple[str, ...], nombre: tuple[str, ...]) -> int:
    """How well a name matches every searched word; 0 when some word matches nothing."""
    total = 0
    for buscada in buscadas:
        mejor = max((_parecido(buscada, p) for p in nombre), default=0)
        if mejor == 0:
            return 0
        total += mejor
    return total


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


def buscar(filas: Iterable[Fila], criterios: Criterios) -> list[Fila]:
    """The rows that match, best name match first, then in name order."""
    if criterios.q and criterios.q.strip() and not criterios.palabras:
        return []  # only punctuation or operators: text that no name contains
    if not criterios.palabras:
        return sorted((f for f in filas if criterios.admite(f)), key=lambda f: (f.orden, f.id))
    puntuadas = []
    for fila in filas:
        if criterios.admite(fila):
            puntos = puntuar(criterios.palabras, fila.palabras)
            if puntos:
                puntuadas.append((-puntos, fila.orden, fila.id, fila))
    puntuadas.sort(key=lambda t: t[:3])
    return [t[3] for t in puntuadas]


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
