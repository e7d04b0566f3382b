"""Capture windows (PTO 14, 21): natural days in the election's time zone, extensions logged."""

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from captura.domain.errores import ErrorDominio


class AlVencer(StrEnum):
    """What capture does after the deadline (election configuration)."""

    BLOQUEAR = "bloquear"
    PERMITIR_Y_MARCAR = "permitir_y_marcar"


@dataclass(frozen=True, slots=True)
class Prorroga:
    """An extension granted by the administrator, with its reason."""

    vence: datetime
    motivo: str
    por: str
    en: datetime


@dataclass(frozen=True, slots=True)
class Plazo:
    """A candidacy's capture window."""

    inicio: datetime
    vence_original: datetime
    dias: int
    prorrogas: tuple[Prorroga, ...] = ()

    @property
    def vence(self) -> datetime:
        """The deadline in force: the last extension's, or the original one."""
        return self.prorrogas[-1].vence if self.prorrogas else self.vence_original

    def vencido(self, ahora: datetime) -> bool:
        """Whether the deadline has passed."""
        return ahora > self.vence

    def restante(self, ahora: datetime) -> timedelta:
        """Time left (zero once it has passed)."""
        return max(self.vence - ahora, timedelta(0))

    def prorrogar(self, *, vence: datetime, motivo: str, por: str, ahora: datetime) -> "Plazo":
        """A new deadline later than the one in force, with a reason of substance."""
        motivo = " ".join(motivo.split())
        if len(motivo) < 10:
            raise ErrorDominio(
                "Escriba el motivo de la prórroga (al menos 10 caracteres); queda en el historial."
            )
        if vence <= self.vence:
            raise ErrorDominio("La nueva fecha límite debe ser posterior a la vigente.")
        if vence <= ahora:
            raise ErrorDominio("La nueva fecha límite ya pasó; elija una fecha futura.")
        prorroga = Prorroga(vence=vence, motivo=motivo, por=por, en=ahora)
        return replace(self, prorrogas=(*self.prorrogas, prorroga))


def abrir_plazo(*, entregadas_en: datetime, dias: int, zona: str) -> Plazo:
    """The window of `dias` natural days after delivery, ending at local midnight."""
    local = entregadas_en.astimezone(ZoneInfo(zona))
    ultimo_dia = local.date() + timedelta(days=dias)
    fin = datetime.combine(ultimo_dia, time(23, 59, 59), tzinfo=ZoneInfo(zona))
    return Plazo(inicio=entregadas_en, vence_original=fin, dias=dias)


def fin_del_dia(dia: datetime, *, zona: str) -> datetime:
    """23:59:59 local time of the day `dia` falls on."""
    local = dia.astimezone(ZoneInfo(zona))
    return datetime.combine(local.date(), time(23, 59, 59), tzinfo=ZoneInfo(zona))
