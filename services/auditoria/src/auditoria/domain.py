"""The activity history (PTO 15): who did what, when, in which module — plain Python."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Entrada:
    """One line of the activity history; it never holds questionnaire answers."""

    evento_id: str
    momento: datetime
    usuario: str
    rol: str
    partido: str | None
    modulo: str
    accion: str
    tipo: str
    sujeto: str

    def fecha(self, zona: ZoneInfo) -> str:
        """Local date, e.g. 2024-04-15."""
        return self.momento.astimezone(zona).strftime("%Y-%m-%d")

    def hora(self, zona: ZoneInfo) -> str:
        """Local time with seconds, e.g. 09:41:07."""
        return self.momento.astimezone(zona).strftime("%H:%M:%S")
