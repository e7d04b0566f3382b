"""Building blocks shared by several event data models."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from comun.eventos.envelope import DatosEvento
from comun.eventos.vocabulario import CampoCurricular, EstatusEstudios, GradoEstudios

IdentidadCifrada = Annotated[
    str | None,
    Field(
        description=(
            "Identity questionnaire answers, envelope-encrypted and base64-encoded; "
            "never the answers in clear. None when there is nothing to carry."
        )
    ),
]


class DatosCandidatura(DatosEvento):
    """Data of an event about one candidacy: its id and the producer's aggregate version."""

    candidatura_id: str
    version: int = Field(
        ge=1,
        description=(
            "Version of the producing service's candidacy aggregate after this change; "
            "consumers apply an event only if it is newer than what they hold from that source."
        ),
    )


class RedesSociales(BaseModel):
    """Public social network links of a candidacy."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    facebook: str | None = None
    x: str | None = None
    instagram: str | None = None
    youtube: str | None = None
    tiktok: str | None = None
    otra: str | None = None


class RespuestasCurriculares(BaseModel):
    """Public answers of the cuestionario curricular; None means «No proporcionó»."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    fotografia: str | None = Field(
        default=None, description="URL of the re-encoded photograph served by captura."
    )
    telefono_publico: str | None = None
    correo_publico: str | None = None
    pagina_web: str | None = None
    redes_sociales: RedesSociales | None = None
    domicilio_casa_campana: str | None = None
    grado_maximo_estudios: GradoEstudios | None = None
    estatus_estudios: EstatusEstudios | None = None
    cursos: tuple[str, ...] = ()
    historia_profesional: str | None = None
    trayectoria_politica: str | None = None
    motivo_cargo_publico: str | None = Field(
        default=None, description="¿Por qué quiero ocupar un cargo público?"
    )
    propuesta_1: str | None = None
    propuesta_2: str | None = None
    propuesta_genero: str | None = Field(
        default=None,
        description=(
            "Propuesta en materia de género o del grupo en situación de discriminación "
            "que represento."
        ),
    )


class CambioCampo(BaseModel):
    """One field of a change request and its new text."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    campo: CampoCurricular
    texto: str
