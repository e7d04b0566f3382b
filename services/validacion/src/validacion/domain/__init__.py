"""Review queue of validacion: plain Python, no frameworks."""

from dataclasses import dataclass
from enum import StrEnum


class EstadoRevision(StrEnum):
    """Where a candidacy stands from the reviewer's point of view."""

    EN_ESPERA = "en_espera"
    POR_VALIDAR = "por_validar"
    VALIDADA = "validada"


ETIQUETAS = {
    EstadoRevision.EN_ESPERA: "En espera de captura",
    EstadoRevision.POR_VALIDAR: "Por validar",
    EstadoRevision.VALIDADA: "Validada",
}


@dataclass(frozen=True, slots=True)
class Revision:
    """A candidacy in a party's review queue."""

    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    estado: EstadoRevision = EstadoRevision.EN_ESPERA

    @property
    def etiqueta(self) -> str:
        """Spanish label of the state."""
        return ETIQUETAS[self.estado]


def pendientes(revisiones: list[Revision]) -> int:
    """How many candidacies wait for the supervisor."""
    return sum(1 for r in revisiones if r.estado is EstadoRevision.POR_VALIDAR)
