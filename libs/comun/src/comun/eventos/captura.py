"""Events of the captura service: registry, questionnaires and consent."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from comun.eventos.contenido import DatosCandidatura, IdentidadCifrada, RespuestasCurriculares
from comun.eventos.envelope import DatosEvento
from comun.eventos.vocabulario import (
    AccionAfirmativa,
    CampoCurricular,
    Cargo,
    Cuestionario,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)
from comun.servicios import Servicio


class DatosRegistro(DatosCandidatura):
    """The read-only registry data of a candidacy, as registered or corrected."""

    eleccion: str
    nombre: str
    sobrenombre: str | None = None
    cargo: Cargo
    principio: Principio
    distrito: int | None = Field(default=None, ge=1)
    municipio: str | None = None
    posicion: int | None = Field(
        default=None, ge=1, description="Número de fórmula o posición en planilla/lista."
    )
    tipo_candidatura: TipoCandidatura
    postulante: Postulante
    partido: str | None = Field(
        default=None,
        description="Acronym of the party that captures (named in the agreement, PTO 20).",
    )
    partidos: tuple[str, ...] = Field(
        default=(), description="Every party of the coalition or candidatura común."
    )
    nombre_postulante: str | None = Field(
        default=None, description="Name of the coalition, candidatura común or independent slate."
    )
    sexo: Sexo
    edad: int | None = Field(default=None, ge=18, description="Age on election day.")
    accion_afirmativa: AccionAfirmativa | None = None
    folio_registro: str | None = Field(
        default=None, description="Id of the candidacy in the registration system."
    )
    nombre_municipio: str | None = Field(
        default=None, description="Name of the municipality `municipio` keys (INEGI)."
    )
    clave_postulante: str | None = Field(
        default=None,
        description="Key of the party, coalition, candidatura común or independent in the catalog.",
    )


class CandidaturaRegistrada(DatosRegistro):
    """A candidacy arrived from the registration system with its read-only registry data."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "candidatura_registrada"

    sustituye_a: str | None = Field(
        default=None, description="Id of the candidacy this one substitutes (PTO 21)."
    )


class CandidaturaActualizada(DatosRegistro):
    """The registration system corrected a candidacy's data; carries the whole new record."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "candidatura_actualizada"

    campos: tuple[str, ...] = Field(default=(), description="Registry fields that changed.")


class CandidaturaCancelada(DatosCandidatura):
    """The registration system cancelled a candidacy without a substitute."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "candidatura_cancelada"

    motivo: str | None = None


class CandidaturaSustituida(DatosCandidatura):
    """A candidacy was substituted (or cancelled without substitute) in the registry."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "candidatura_sustituida"

    sustituta_id: str | None = Field(
        default=None,
        description="Id of the new candidacy (registered by its own event); None if cancelled.",
    )
    motivo: str | None = None


class CuestionarioGuardado(DatosCandidatura):
    """A questionnaire draft was saved (from the web or a bulk pre-load)."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "cuestionario_guardado"

    cuestionario: Cuestionario
    # Which identity answers changed is itself sensitive (it hints at the answers).
    campos: tuple[CampoCurricular, ...] = Field(
        default=(), description="Changed curricular fields; always empty for identidad."
    )
    carga_masiva: bool = False
    curricular: RespuestasCurriculares | None = Field(
        default=None,
        description=(
            "The whole public curricular answers after the save; only when the candidacy was "
            "already sent (a supervisor's edit before validating, PTO 26)."
        ),
    )
    # Also only for an already sent candidacy: the envelope after the supervisor's edit.
    identidad_cifrada: IdentidadCifrada = None


class CuestionarioEnviado(DatosCandidatura):
    """The capturer submitted the candidacy's questionnaires (one opportunity, PTO 23)."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "cuestionario_enviado"

    curricular: RespuestasCurriculares
    identidad_cifrada: IdentidadCifrada = None
    identidad_publica: bool = Field(
        default=False,
        description="What the publication rule (comun.politicas) says for this candidacy now.",
    )
    fuera_de_plazo: bool = Field(
        default=False, description="Sent after its capture deadline, allowed and flagged."
    )


class Autorizaciones(BaseModel):
    """When each consent authorization of PTO 16–19 was given; None means not given."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tratamiento: datetime | None = None
    publicacion: datetime | None = None
    uso_estadistico: datetime | None = None


class ConsentimientoCargado(DatosCandidatura):
    """The candidacy's consent authorizations and signed document were uploaded."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "consentimiento_cargado"

    autorizaciones: Autorizaciones
    documento_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    documento_tipo: Literal["application/pdf", "image/jpeg", "image/png"]


class PlazoIniciado(DatosCandidatura):
    """The candidacy's capture window opened when its credentials were delivered (PTO 14, 21)."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "plazo_iniciado"

    inicio: datetime
    vence: datetime
    dias: int = Field(ge=1)


class PlazoProrrogado(DatosCandidatura):
    """The administrator extended a candidacy's capture window, with a logged reason."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "plazo_prorrogado"

    vence: datetime
    motivo: str


class Participante(BaseModel):
    """A party or an independent slate of the catalog: its key and its name."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    clave: str
    nombre: str


class EleccionCargada(DatosEvento):
    """The institute loaded (or replaced) an election's catalog."""

    SERVICIO = Servicio.CAPTURA
    NOMBRE = "eleccion_cargada"

    eleccion: str
    nombre: str
    totales: dict[str, int] = Field(
        default_factory=dict, description="Counts of the catalog (districts, offices…)."
    )
    partidos: tuple[Participante, ...] = Field(
        default=(), description="Parties with registration, by acronym (siglas) and name."
    )
    independientes: tuple[Participante, ...] = Field(
        default=(), description="Independent candidacies or slates, by key and name."
    )
