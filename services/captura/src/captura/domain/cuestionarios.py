"""What capturers add to a candidacy: questionnaires, consent, photograph and deadline."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from captura.domain.plazo import Plazo
from comun.eventos.vocabulario import CampoCurricular, Cuestionario


@dataclass(frozen=True, slots=True)
class Autorizaciones:
    """When each authorization of PTO 16–19 was given; None means not given."""

    tratamiento: datetime | None = None
    publicacion: datetime | None = None
    uso_estadistico: datetime | None = None


@dataclass(frozen=True, slots=True)
class Consentimiento:
    """The three authorizations and, once uploaded, the signed document."""

    autorizaciones: Autorizaciones
    documento_id: str | None = None
    documento_tipo: str | None = None
    registrado_en: datetime | None = None
    registrado_por: str | None = None


@dataclass(frozen=True, slots=True)
class Fotografia:
    """The re-encoded photograph in the file store."""

    archivo_id: str
    ancho: int
    alto: int
    cargada_en: datetime


@dataclass(frozen=True, slots=True)
class Edicion:
    """Who saved a questionnaire last, and when."""

    por: str
    en: datetime
    carga_masiva: bool = False


@dataclass
class Cuestionarios:
    """The capture state of one candidacy; identity answers only as an envelope."""

    curricular: dict[str, Any] = field(default_factory=dict)
    revision_curricular: int = 0
    identidad_cifrada: str | None = None
    # Share of applicable identity questions answered; says nothing about the answers.
    identidad_avance: int = 0
    revision_identidad: int = 0
    # Consent decisions are edited by several people too: a stale form must not undo them.
    revision_consentimiento: int = 0
    consentimiento: Consentimiento | None = None
    fotografia: Fotografia | None = None
    plazo: Plazo | None = None
    ediciones: dict[Cuestionario, Edicion] = field(default_factory=dict)
    enviada_en: datetime | None = None
    enviada_por: str | None = None
    fuera_de_plazo: bool = False

    def revision(self, cuestionario: Cuestionario) -> int:
        """The draft revision a save must name (optimistic concurrency)."""
        if cuestionario is Cuestionario.CURRICULAR:
            return self.revision_curricular
        return self.revision_identidad


@dataclass(frozen=True, slots=True)
class CuestionarioGuardadoHecho:
    """Fact: a questionnaire draft was saved."""

    candidatura_id: str
    cuestionario: Cuestionario
    campos: tuple[CampoCurricular, ...] = ()
    carga_masiva: bool = False


@dataclass(frozen=True, slots=True)
class CuestionarioEnviadoHecho:
    """Fact: the capturer sent the candidacy to validation (one opportunity, PTO 23)."""

    candidatura_id: str


@dataclass(frozen=True, slots=True)
class ConsentimientoCargadoHecho:
    """Fact: the consent authorizations and signed document were recorded."""

    candidatura_id: str


@dataclass(frozen=True, slots=True)
class PlazoIniciadoHecho:
    """Fact: the capture window opened."""

    candidatura_id: str


@dataclass(frozen=True, slots=True)
class PlazoProrrogadoHecho:
    """Fact: the administrator extended the capture window."""

    candidatura_id: str


def campos_cambiados(antes: dict[str, Any], despues: dict[str, Any]) -> tuple[CampoCurricular, ...]:
    """Public curricular fields whose value changed, in the questionnaire's order."""
    return tuple(
        campo for campo in CampoCurricular if antes.get(campo.value) != despues.get(campo.value)
    )
