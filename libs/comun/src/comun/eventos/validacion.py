"""Events of the validacion service: validation, takedowns, notices and change requests."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from comun.eventos.contenido import (
    CambioCampo,
    DatosCandidatura,
    IdentidadCifrada,
    RespuestasCurriculares,
)
from comun.eventos.envelope import DatosEvento
from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from comun.servicios import Servicio


class CandidaturaValidada(DatosCandidatura):
    """A supervisor (or the independent itself) validated the candidacy's questionnaires."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "candidatura_validada"

    curricular: RespuestasCurriculares
    identidad_cifrada: IdentidadCifrada = None
    campos_editados: tuple[CampoCurricular, ...] = Field(
        default=(), description="Fields the supervisor edited before validating (PTO 26)."
    )


class InicioPublicacionFijado(DatosEvento):
    """The administrator set when validated candidacies start being public (PTO 14)."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "inicio_publicacion_fijado"

    fecha: datetime = Field(description="From this moment validated candidacies are public.")


class CandidaturaPublicable(DatosCandidatura):
    """A validated candidacy may be published now: validated and the start date has arrived."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "candidatura_publicable"

    curricular: RespuestasCurriculares
    identidad_cifrada: IdentidadCifrada = None
    identidad_publica: bool = Field(
        default=False,
        description="What the publication rule (comun.politicas) says for this candidacy.",
    )


class ContenidoDeshabilitado(DatosCandidatura):
    """A verifier disabled non-compliant content of a candidacy with a reason code."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "contenido_deshabilitado"

    campos: tuple[CampoCurricular, ...] = Field(
        description="Disabled fields; empty when the whole profile is disabled."
    )
    motivo: MotivoContenido
    observacion: str | None = None


class ContenidoHabilitado(DatosCandidatura):
    """A verifier made disabled content of a candidacy visible again."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "contenido_habilitado"

    campos: tuple[CampoCurricular, ...] = Field(
        description="Fields visible again; empty when the whole profile is visible again."
    )


class AvisoEmitido(DatosCandidatura):
    """A verifier issued a notice about a candidacy's content."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "aviso_emitido"

    aviso_id: str
    mensaje: str
    motivo: MotivoContenido | None = None
    campos: tuple[CampoCurricular, ...] = ()


class SolicitudCambioPresentada(DatosCandidatura):
    """A post-publication change request was filed (one per candidacy, PTO 31)."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "solicitud_cambio_presentada"

    solicitud_id: str
    cambios: tuple[CambioCampo, ...] = Field(min_length=1)
    vence: datetime | None = Field(
        default=None,
        description="When the administrator must have resolved it: end of the next business day.",
    )


class TextoAnterior(BaseModel):
    """A field's published text before an applied change request (public change log)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    campo: CampoCurricular
    texto: str | None = Field(description="None when the field showed «No proporcionó».")


class SolicitudCambioAplicada(DatosCandidatura):
    """The administrator applied a change request; the new text replaces the published one."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "solicitud_cambio_aplicada"

    solicitud_id: str
    cambios: tuple[CambioCampo, ...] = Field(min_length=1)
    anteriores: tuple[TextoAnterior, ...] = Field(
        default=(),
        description="The published texts the change replaced, for the public change log.",
    )


class SolicitudCambioRechazada(DatosCandidatura):
    """The administrator rejected a change request."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "solicitud_cambio_rechazada"

    solicitud_id: str
    motivo: str
