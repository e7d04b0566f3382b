"""JSON API of post-publication change requests under /api/validacion/v1/solicitudes."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from validacion.adapters.solicitudes import Expediente, SolicitudRepository
from validacion.api import Administrador, Repo
from validacion.api.verificacion import Moderaciones
from validacion.config import Settings
from validacion.domain.calendario import Calendario
from validacion.domain.solicitudes import EstadoSolicitud, Ocultos
from validacion.handlers import solicitudes as handlers


def solicitudes_de(request: Request) -> SolicitudRepository:
    """The change requests in this process's validacion store."""
    recursos = recursos_de(request, Servicio.VALIDACION)
    return SolicitudRepository(recursos.store, avisar_relay=recursos.avisar_relay)


def calendario(request: Request) -> Calendario:
    """The business-day calendar of the configured CSV."""
    ajustes: Settings | None = getattr(request.app.state, "ajustes_validacion", None)
    if ajustes is None:
        ajustes = Settings()
        request.app.state.ajustes_validacion = ajustes
    return handlers.calendario_de(ajustes.calendario)


Solicitudes = Annotated[SolicitudRepository, Depends(solicitudes_de)]
Calendar = Annotated[Calendario, Depends(calendario)]
# Who asks (the party's supervisor, or the independent) and the administrator who resolves.
Lector = Annotated[
    Usuario, Depends(requiere_rol(Rol.SUPERVISOR, Rol.CANDIDATURA, Rol.ADMINISTRADOR))
]
Solicitante = Annotated[Usuario, Depends(requiere_rol(Rol.SUPERVISOR, Rol.CANDIDATURA))]


class CambioIn(BaseModel):
    """One field and its new text."""

    campo: str
    texto: str


class SolicitudIn(BaseModel):
    """A change request: the candidacy and each field with its new text."""

    candidatura_id: str
    cambios: list[CambioIn] = Field(max_length=20)


class RechazoIn(BaseModel):
    """Why the request is rejected (the requester reads it)."""

    motivo: str = ""


class CambioOut(BaseModel):
    """A field, its new text and (once applied) the text it replaced."""

    model_config = ConfigDict(frozen=True)

    campo: str
    texto: str
    anterior: str | None = None


class SolicitudOut(BaseModel):
    """A change request as the queue and its page show it."""

    model_config = ConfigDict(frozen=True)

    id: str
    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    estado: str
    cambios: list[CambioOut]
    presentada_por: str
    presentada_en: datetime
    vence: datetime
    vencida: bool
    resuelta_por: str | None
    resuelta_en: datetime | None
    motivo_rechazo: str | None
    campos_ocultos: list[str] = Field(
        default=[],
        description=(
            "Named fields a verifier disabled: the request may replace their text, but they stay "
            "hidden until the verifier re-enables them."
        ),
    )
    advertencia: str | None = Field(
        default=None, description="Spanish note about the hidden fields, when there are any."
    )

    @classmethod
    def de(
        cls, e: Expediente, ahora: datetime | None = None, ocultos: Ocultos | None = None
    ) -> "SolicitudOut":
        """The request with its due state now and the fields that stay hidden."""
        s, ocultos = e.solicitud, ocultos or Ocultos()
        return cls(
            id=s.id,
            candidatura_id=s.candidatura_id,
            nombre=e.nombre,
            cargo=e.cargo,
            partido=e.partido,
            estado=s.estado.value,
            cambios=[
                CambioOut(campo=c.campo.value, texto=c.texto, anterior=s.anteriores.get(c.campo))
                for c in s.cambios
            ],
            presentada_por=s.presentada_por,
            presentada_en=s.presentada_en,
            vence=s.vence,
            vencida=s.vencida(ahora or datetime.now(s.vence.tzinfo)),
            resuelta_por=s.resuelta_por,
            resuelta_en=s.resuelta_en,
            motivo_rechazo=s.motivo_rechazo,
            campos_ocultos=[c.value for c in ocultos.campos],
            advertencia=ocultos.advertencia,
        )


class ColaSolicitudesOut(BaseModel):
    """Requests in scope, overdue first."""

    total: int
    vencidas: int
    resultados: list[SolicitudOut]


router = APIRouter(prefix="/api/validacion/v1", tags=["solicitudes"])


async def _salida(moderaciones: Moderaciones, expediente: Expediente) -> SolicitudOut:
    """One request as the API answers it, with the fields that stay hidden."""
    ocultos = await handlers.ocultos_de(moderaciones=moderaciones, expedientes=[expediente])
    return SolicitudOut.de(expediente, ocultos=ocultos[expediente.solicitud.id])


@router.post("/solicitudes", status_code=201)
async def presentar(
    cuerpo: SolicitudIn,
    usuario: Solicitante,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
    calendario_: Calendar,
) -> SolicitudOut:
    """File the candidacy's one post-publication change request (PTO 31)."""
    expediente = await handlers.presentar_solicitud(
        repo=repo,
        solicitudes=solicitudes,
        usuario=usuario,
        candidatura_id=cuerpo.candidatura_id,
        cambios=[(c.campo, c.texto) for c in cuerpo.cambios],
        calendario=calendario_,
    )
    return await _salida(moderaciones, expediente)


@router.get("/solicitudes")
async def cola(
    usuario: Lector,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
    estado: EstadoSolicitud | None = None,
    partido: str | None = None,
    vencidas: Annotated[bool, Query(description="Solo las pendientes ya vencidas.")] = False,
) -> ColaSolicitudesOut:
    """The administrator's queue, or the caller's own requests; overdue first."""
    lista = await handlers.cola_de_solicitudes(
        solicitudes=solicitudes, usuario=usuario, estado=estado, partido=partido, vencidas=vencidas
    )
    ocultos = await handlers.ocultos_de(moderaciones=moderaciones, expedientes=lista)
    salida = [SolicitudOut.de(e, ocultos=ocultos[e.solicitud.id]) for e in lista]
    return ColaSolicitudesOut(
        total=len(salida), vencidas=sum(1 for s in salida if s.vencida), resultados=salida
    )


@router.get("/solicitudes/{solicitud_id}")
async def solicitud(
    solicitud_id: str, usuario: Lector, solicitudes: Solicitudes, moderaciones: Moderaciones
) -> SolicitudOut:
    """One request."""
    expediente = await handlers.solicitud_en_alcance(
        solicitudes=solicitudes, usuario=usuario, solicitud_id=solicitud_id
    )
    return await _salida(moderaciones, expediente)


@router.post("/solicitudes/{solicitud_id}/aplicar")
async def aplicar(
    solicitud_id: str,
    usuario: Administrador,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
) -> SolicitudOut:
    """Apply the request: the new texts are published again (PTO 32)."""
    expediente = await handlers.aplicar_solicitud(
        repo=repo, solicitudes=solicitudes, usuario=usuario, solicitud_id=solicitud_id
    )
    return await _salida(moderaciones, expediente)


@router.post("/solicitudes/{solicitud_id}/rechazar")
async def rechazar(
    solicitud_id: str,
    cuerpo: RechazoIn,
    usuario: Administrador,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
) -> SolicitudOut:
    """Reject the request with a reason."""
    expediente = await handlers.rechazar_solicitud(
        repo=repo,
        solicitudes=solicitudes,
        usuario=usuario,
        solicitud_id=solicitud_id,
        motivo=cuerpo.motivo,
    )
    return await _salida(moderaciones, expediente)
