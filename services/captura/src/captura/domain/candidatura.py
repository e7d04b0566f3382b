"""Candidacy registry rules of captura: plain Python, no frameworks."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from comun.eventos.vocabulario import (
    AccionAfirmativa,
    Cargo,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)


class EstadoCandidatura(StrEnum):
    """Lifecycle states of DOMINIO §2."""

    REGISTRADA = "registrada"
    EN_CAPTURA = "en_captura"
    ENVIADA = "enviada"
    VALIDADA = "validada"
    PUBLICADA = "publicada"
    SUSTITUIDA = "sustituida"
    CANCELADA = "cancelada"


class ErrorDominio(Exception):
    """A rule of the domain refused the operation; the message is Spanish for the user."""


class CandidaturaDuplicada(ErrorDominio):
    """The registry already holds a candidacy with this id."""

    def __init__(self, candidatura_id: str) -> None:
        super().__init__(f"Ya existe una candidatura con la clave «{candidatura_id}».")


@dataclass(frozen=True, slots=True)
class Registro:
    """Read-only data that comes from the registration system (DOMINIO §3)."""

    eleccion: str
    nombre: str
    cargo: Cargo
    principio: Principio
    tipo_candidatura: TipoCandidatura
    postulante: Postulante
    sexo: Sexo
    fecha_nacimiento: date
    partido: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    posicion: int | None = None
    accion_afirmativa: AccionAfirmativa | None = None

    @classmethod
    def desde_dict(cls, d: Mapping[str, Any]) -> "Registro":
        """Build from plain values (wire codes, ISO dates), as files and documents hold them."""
        afirmativa = d.get("accion_afirmativa")
        return cls(
            eleccion=d["eleccion"],
            nombre=d["nombre"],
            cargo=Cargo(d["cargo"]),
            principio=Principio(d["principio"]),
            tipo_candidatura=TipoCandidatura(d["tipo_candidatura"]),
            postulante=Postulante(d["postulante"]),
            sexo=Sexo(d["sexo"]),
            fecha_nacimiento=date.fromisoformat(d["fecha_nacimiento"]),
            partido=d.get("partido"),
            distrito=d.get("distrito"),
            municipio=d.get("municipio"),
            posicion=d.get("posicion"),
            accion_afirmativa=AccionAfirmativa(afirmativa) if afirmativa else None,
        )


@dataclass(frozen=True, slots=True)
class CandidaturaRegistradaHecho:
    """Fact: a candidacy entered the registry."""

    candidatura_id: str


Hecho = CandidaturaRegistradaHecho


@dataclass
class Candidatura:
    """A candidacy and the questionnaires its capturers fill in."""

    id: str
    registro: Registro
    estado: EstadoCandidatura = EstadoCandidatura.REGISTRADA
    version: int = 0
    hechos: list[Hecho] = field(default_factory=list)

    @classmethod
    def registrar(cls, *, id: str, registro: Registro) -> "Candidatura":
        """Create a candidacy from the registry, checking its geographic scope."""
        _validar_ambito(registro)
        candidatura = cls(id=id.strip(), registro=registro, version=1)
        if not candidatura.id:
            raise ErrorDominio("La candidatura necesita un identificador.")
        candidatura.hechos.append(CandidaturaRegistradaHecho(candidatura.id))
        return candidatura

    def edad(self, *, fecha_jornada: date) -> int:
        """Age on election day, from the registry's birth date."""
        return edad_al(self.registro.fecha_nacimiento, fecha_jornada)


def _validar_ambito(registro: Registro) -> None:
    """A deputation by MR names a district; a municipal office names a municipality."""
    if registro.cargo is Cargo.DIPUTACION_LOCAL and registro.principio is Principio.MR:
        if registro.distrito is None:
            raise ErrorDominio("Una diputación de mayoría relativa debe indicar su distrito.")
    elif registro.cargo is not Cargo.DIPUTACION_LOCAL and not registro.municipio:
        raise ErrorDominio("Una candidatura de ayuntamiento debe indicar su municipio.")
    if registro.postulante is not Postulante.INDEPENDIENTE and not registro.partido:
        raise ErrorDominio("Una candidatura de partido debe indicar el partido que la captura.")


def edad_al(nacimiento: date, dia: date) -> int:
    """Completed years between two dates."""
    cumplidos = (dia.month, dia.day) >= (nacimiento.month, nacimiento.day)
    return dia.year - nacimiento.year - (0 if cumplidos else 1)
