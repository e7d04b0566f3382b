"""Events of the validacion service: validation, takedowns, notices and change requests."""

from pydantic import Field

from comun.eventos.contenido import (
    CambioCampo,
    DatosCandidatura,
    IdentidadCifrada,
    RespuestasCurriculares,
)
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


class ContenidoDeshabilitado(DatosCandidatura):
    """A verifier disabled non-compliant content of a candidacy with a reason code."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "contenido_deshabilitado"

    campos: tuple[CampoCurricular, ...] = Field(
        description="Disabled fields; empty when the whole profile is disabled."
    )
    motivo: MotivoContenido
    observacion: str | None = None


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


class SolicitudCambioAplicada(DatosCandidatura):
    """The administrator applied a change request; the new text replaces the published one."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "solicitud_cambio_aplicada"

    solicitud_id: str
    cambios: tuple[CambioCampo, ...] = Field(min_length=1)


class SolicitudCambioRechazada(DatosCandidatura):
    """The administrator rejected a change request."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "solicitud_cambio_rechazada"

    solicitud_id: str
    motivo: str
