"""Request and response models of the questionnaire capture API."""

from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from captura.domain import Candidatura, Eleccion
from captura.handlers import cuestionarios as h
from captura.handlers.eventos import es_identidad_publica
from comun.auth.usuario import Usuario
from comun.roles import Rol

ROLES_QUE_CAPTURAN = (Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA)


class AvanceOut(BaseModel):
    """Capture progress in percent, and whether consent and photo are in."""

    curricular: int
    identidad: int
    consentimiento: bool
    fotografia: bool
    total: int


class ProrrogaOut(BaseModel):
    """An extension of the deadline."""

    vence: datetime
    motivo: str
    por: str
    en: datetime


class PlazoOut(BaseModel):
    """The capture window."""

    inicio: datetime
    vence: datetime
    dias: int
    vencido: bool
    segundos_restantes: int
    prorrogas: list[ProrrogaOut]


class ConsentimientoOut(BaseModel):
    """The three authorizations and the document; whether identity answers will be public."""

    tratamiento: datetime | None
    publicacion: datetime | None
    uso_estadistico: datetime | None
    documento_tipo: str | None
    identidad_publica: bool


class CapturaOut(BaseModel):
    """A candidacy's capture state, without any identity answer."""

    model_config = ConfigDict(frozen=True)

    id: str
    nombre: str
    estado: str
    editable: bool
    revision_curricular: int
    revision_identidad: int
    revision_consentimiento: int
    avance: AvanceOut
    plazo: PlazoOut | None
    consentimiento: ConsentimientoOut | None
    fotografia: dict[str, int] | None
    enviada_en: datetime | None
    fuera_de_plazo: bool

    @classmethod
    def de(cls, c: Candidatura, *, usuario: Usuario, eleccion: Eleccion) -> "CapturaOut":
        """From the aggregate; `editable` says whether this user may edit it now."""
        q, ahora = c.cuestionarios, datetime.now(UTC)
        avance = h.avance_de(c)
        consentimiento = q.consentimiento
        return cls(
            id=c.id,
            nombre=c.registro.nombre,
            estado=c.estado.value,
            editable=c.motivo_no_editable(h.captura_de(usuario, eleccion)) is None
            and usuario.tiene_rol(*ROLES_QUE_CAPTURAN),
            revision_curricular=q.revision_curricular,
            revision_identidad=q.revision_identidad,
            revision_consentimiento=q.revision_consentimiento,
            avance=AvanceOut(**vars_avance(avance)),
            plazo=None
            if q.plazo is None
            else PlazoOut(
                inicio=q.plazo.inicio,
                vence=q.plazo.vence,
                dias=q.plazo.dias,
                vencido=q.plazo.vencido(ahora),
                segundos_restantes=int(q.plazo.restante(ahora).total_seconds()),
                prorrogas=[
                    ProrrogaOut.model_validate(p, from_attributes=True) for p in q.plazo.prorrogas
                ],
            ),
            consentimiento=None
            if consentimiento is None
            else ConsentimientoOut(
                tratamiento=consentimiento.autorizaciones.tratamiento,
                publicacion=consentimiento.autorizaciones.publicacion,
                uso_estadistico=consentimiento.autorizaciones.uso_estadistico,
                documento_tipo=consentimiento.documento_tipo,
                identidad_publica=es_identidad_publica(c),
            ),
            fotografia=None
            if q.fotografia is None
            else {"ancho": q.fotografia.ancho, "alto": q.fotografia.alto},
            enviada_en=q.enviada_en,
            fuera_de_plazo=q.fuera_de_plazo,
        )


def vars_avance(avance: h.Avance) -> dict[str, Any]:
    """The progress as plain values, with its total."""
    return {
        "curricular": avance.curricular,
        "identidad": avance.identidad,
        "consentimiento": avance.consentimiento,
        "fotografia": avance.fotografia,
        "total": avance.total,
    }


class BorradorIn(BaseModel):
    """A whole questionnaire draft and the revision it was edited from."""

    revision: int = Field(ge=0)
    respuestas: dict[str, Any]


class BorradorOut(BaseModel):
    """A questionnaire draft as stored."""

    revision: int
    respuestas: dict[str, Any]


class EnvioIn(BaseModel):
    """The revisions the capturer reviewed before sending."""

    revision_curricular: int = Field(ge=0)
    revision_identidad: int = Field(ge=0)


class ProrrogaIn(BaseModel):
    """A new last day of capture and why."""

    hasta: date
    motivo: str = Field(min_length=1, max_length=1000)


class ProrrogaPartidoIn(ProrrogaIn):
    """An extension for every open candidacy of one party."""

    partido: str = Field(min_length=1, max_length=20)
