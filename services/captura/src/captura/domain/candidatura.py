"""The candidacy aggregate and its registry data: plain Python, no frameworks."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from captura.domain.errores import ErrorDominio
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


BAJAS = (EstadoCandidatura.SUSTITUIDA, EstadoCandidatura.CANCELADA)


@dataclass(frozen=True, slots=True)
class Registro:
    """Read-only data that comes from the registration system (DOMINIO §3)."""

    eleccion: str
    nombres: str
    cargo: Cargo
    principio: Principio
    tipo_candidatura: TipoCandidatura
    postulante: Postulante
    sexo: Sexo
    fecha_nacimiento: date
    primer_apellido: str = ""
    segundo_apellido: str = ""
    sobrenombre: str | None = None
    curp: str | None = None
    clave_postulante: str | None = None
    partido: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    posicion: int | None = None
    accion_afirmativa: AccionAfirmativa | None = None

    @property
    def nombre(self) -> str:
        """Full name as shown to people."""
        partes = (self.nombres, self.primer_apellido, self.segundo_apellido)
        return " ".join(p for p in partes if p)

    @property
    def formula(self) -> tuple[str | None, Cargo, Principio, str, int]:
        """Who runs where in which place: propietaria and suplente share it."""
        territorio = str(self.distrito or self.municipio or "")
        return (self.clave_postulante, self.cargo, self.principio, territorio, self.posicion or 1)

    @classmethod
    def desde_dict(cls, d: Mapping[str, Any]) -> "Registro":
        """Build from plain values (wire codes, ISO dates), as files and documents hold them."""
        afirmativa = d.get("accion_afirmativa")
        conocidos = {f.name for f in fields(cls)}
        valores = {k: v for k, v in d.items() if k in conocidos}
        if "nombres" not in valores:
            valores["nombres"] = d["nombre"]
        return cls(
            **{
                **valores,
                "cargo": Cargo(d["cargo"]),
                "principio": Principio(d["principio"]),
                "tipo_candidatura": TipoCandidatura(d["tipo_candidatura"]),
                "postulante": Postulante(d["postulante"]),
                "sexo": Sexo(d["sexo"]),
                "fecha_nacimiento": date.fromisoformat(str(d["fecha_nacimiento"])),
                "accion_afirmativa": AccionAfirmativa(afirmativa) if afirmativa else None,
            }
        )

    def como_dict(self) -> dict[str, Any]:
        """Plain values (wire codes, ISO dates), the inverse of `desde_dict`."""
        datos = asdict(self)
        datos["fecha_nacimiento"] = self.fecha_nacimiento.isoformat()
        return {k: getattr(v, "value", v) for k, v in datos.items()}

    def diferencias(self, otro: "Registro") -> list[str]:
        """Names of the fields that differ from another registry record."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(otro, f.name)]


@dataclass(frozen=True, slots=True)
class CandidaturaRegistradaHecho:
    """Fact: a candidacy entered the registry."""

    candidatura_id: str


@dataclass(frozen=True, slots=True)
class CandidaturaActualizadaHecho:
    """Fact: the registry corrected a candidacy's data."""

    candidatura_id: str
    campos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CandidaturaSustituidaHecho:
    """Fact: another candidacy replaced this one (PTO 21)."""

    candidatura_id: str
    sustituta_id: str


@dataclass(frozen=True, slots=True)
class CandidaturaCanceladaHecho:
    """Fact: the registry cancelled the candidacy without a substitute."""

    candidatura_id: str


Hecho = (
    CandidaturaRegistradaHecho
    | CandidaturaActualizadaHecho
    | CandidaturaSustituidaHecho
    | CandidaturaCanceladaHecho
)


@dataclass
class Candidatura:
    """A candidacy and the questionnaires its capturers fill in."""

    id: str
    registro: Registro
    estado: EstadoCandidatura = EstadoCandidatura.REGISTRADA
    version: int = 0
    sustituye_a: str | None = None
    sustituta_id: str | None = None
    hechos: list[Hecho] = field(default_factory=list)

    @classmethod
    def registrar(
        cls, *, id: str, registro: Registro, sustituye_a: str | None = None
    ) -> "Candidatura":
        """Create a candidacy from the registry, checking its geographic scope."""
        _validar_ambito(registro)
        candidatura = cls(id=id.strip(), registro=registro, version=1, sustituye_a=sustituye_a)
        if not candidatura.id:
            raise ErrorDominio("La candidatura necesita un identificador.")
        candidatura.hechos.append(CandidaturaRegistradaHecho(candidatura.id))
        return candidatura

    @property
    def vigente(self) -> bool:
        """Neither substituted nor cancelled."""
        return self.estado not in BAJAS

    def actualizar(self, registro: Registro) -> list[str]:
        """Take the registry's corrected data; returns the fields that changed."""
        self._exigir_vigente("corregirse")
        _validar_ambito(registro)
        campos = self.registro.diferencias(registro)
        if campos:
            self.registro = registro
            self._avanzar(CandidaturaActualizadaHecho(self.id, tuple(campos)))
        return campos

    def sustituir(self, *, por: str) -> None:
        """Mark as substituted by another candidacy of the registry."""
        self._exigir_vigente("sustituirse")
        self.estado = EstadoCandidatura.SUSTITUIDA
        self.sustituta_id = por
        self._avanzar(CandidaturaSustituidaHecho(self.id, por))

    def cancelar(self) -> None:
        """Mark as cancelled by the registry."""
        self._exigir_vigente("cancelarse")
        self.estado = EstadoCandidatura.CANCELADA
        self._avanzar(CandidaturaCanceladaHecho(self.id))

    def edad(self, *, fecha_jornada: date) -> int:
        """Age on election day, from the registry's birth date."""
        return edad_al(self.registro.fecha_nacimiento, fecha_jornada)

    def _exigir_vigente(self, accion: str) -> None:
        """Substituted and cancelled candidacies are closed."""
        if not self.vigente:
            raise ErrorDominio(
                f"La candidatura «{self.id}» está {self.estado.value} y ya no puede {accion}."
            )

    def _avanzar(self, hecho: Hecho) -> None:
        """Record a fact and bump the version."""
        self.version += 1
        self.hechos.append(hecho)


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
