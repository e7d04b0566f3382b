"""What the public may see of the candidacies: plain Python, no frameworks."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FichaRegistro:
    """Registry data of a candidacy as publicacion learned it from captura's events."""

    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    publicada: bool = False
    vigente: bool = True


@dataclass(frozen=True, slots=True)
class Resumen:
    """Counts shown on the public home page."""

    registradas: int
    publicadas: int
    por_partido: tuple[tuple[str, int], ...]


SIN_PARTIDO = "Candidaturas independientes"


def resumir(fichas: Iterable[FichaRegistro]) -> Resumen:
    """Count registered and published candidacies in force, per postulating party."""
    lista = [f for f in fichas if f.vigente]
    partidos = Counter(f.partido or SIN_PARTIDO for f in lista)
    return Resumen(
        registradas=len(lista),
        publicadas=sum(1 for f in lista if f.publicada),
        por_partido=tuple(sorted(partidos.items())),
    )
