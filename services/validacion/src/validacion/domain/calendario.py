"""Business days (PTO 31–32): weekends and the listed non-working days do not count."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SABADO = 5


@dataclass(frozen=True, slots=True)
class Calendario:
    """The institute's calendar: which days are non-working besides weekends."""

    inhabiles: frozenset[date]
    zona: str = "America/Mexico_City"

    @classmethod
    def con(cls, dias: Iterable[date], *, zona: str = "America/Mexico_City") -> "Calendario":
        """A calendar from a list of non-working days."""
        return cls(frozenset(dias), zona)

    def es_habil(self, dia: date) -> bool:
        """Monday to Friday and not listed as non-working."""
        return dia.weekday() < SABADO and dia not in self.inhabiles

    def siguiente_habil(self, dia: date) -> date:
        """The first business day strictly after `dia`."""
        siguiente = dia + timedelta(days=1)
        while not self.es_habil(siguiente):
            siguiente += timedelta(days=1)
        return siguiente

    def vencimiento(self, desde: datetime) -> datetime:
        """End (23:59:59 local) of the business day after the local day of `desde`."""
        zona = ZoneInfo(self.zona)
        dia = self.siguiente_habil(desde.astimezone(zona).date())
        return datetime.combine(dia, time(23, 59, 59), tzinfo=zona)


def leer_inhabiles(filas: Iterable[dict[str, str]]) -> list[date]:
    """Non-working days from the CSV rows of datos/calendario; ValueError names a bad row."""
    dias = []
    for numero, fila in enumerate(filas, start=2):
        try:
            dias.append(date.fromisoformat(fila["fecha"].strip()))
        except (KeyError, ValueError) as error:
            raise ValueError(
                f"dias-inhabiles.csv, fila {numero}: la fecha debe tener la forma AAAA-MM-DD."
            ) from error
    return dias
