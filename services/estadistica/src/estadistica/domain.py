"""Aggregates over the candidacies: plain Python, no frameworks."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SEXOS = ("mujer", "hombre", "no_binario")
SIN_PARTIDO = "Independiente"


@dataclass(frozen=True, slots=True)
class Perfil:
    """The registry attributes statistics are disaggregated by."""

    partido: str | None
    cargo: str
    sexo: str


@dataclass(frozen=True, slots=True)
class Fila:
    """Candidacies of one party, by sex."""

    partido: str
    por_sexo: tuple[int, ...]

    @property
    def total(self) -> int:
        """All candidacies of the party."""
        return sum(self.por_sexo)


def por_partido_y_sexo(perfiles: Iterable[Perfil]) -> list[Fila]:
    """Count candidacies per postulating party and sex (columns in SEXOS order)."""
    cuenta = Counter((p.partido or SIN_PARTIDO, p.sexo) for p in perfiles)
    partidos = sorted({partido for partido, _ in cuenta})
    return [Fila(partido, tuple(cuenta[(partido, s)] for s in SEXOS)) for partido in partidos]
