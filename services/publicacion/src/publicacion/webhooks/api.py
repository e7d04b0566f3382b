"""JSON API of the outgoing webhooks under /api/publicacion/v1/webhooks (administrador only)."""

import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from publicacion.config import Settings
from publicacion.domain.webhooks import (
    MAX_DESCRIPCION,
    Entrega,
    EstadoEntrega,
    EstadoSuscripcion,
    EventoWebhook,
    Suscripcion,
)
from publicacion.webhooks import handlers
from publicacion.webhooks.adapters import (
    EntregaRepository,
    SuscripcionRepository,
    cifrador_de,
    resolver_dns,
)

PREFIJO = "/api/publicacion/v1/webhooks"
SIN_CACHE = {"Cache-Control": "no-store"}


def suscripciones_de(request: Request) -> SuscripcionRepository:
    """The subscribers in this process's publicacion store."""
    recursos = recursos_de(request, Servicio.PUBLICACION)
    return SuscripcionRepository(
        recursos.store,
        cifrador=cifrador_de(recursos.plataforma),
        avisar_relay=recursos.avisar_relay,
    )


def entregas_de(request: Request) -> EntregaRepository:
    """The deliveries in this process's publicacion store."""
    recursos = recursos_de(request, Servicio.PUBLICACION)
    return EntregaRepository(recursos.store, avisar_relay=recursos.avisar_relay)


def ajustes_de(request: Request) -> Settings:
    """publicacion's settings, read once per app."""
    ajustes: Settings | None = getattr(request.app.state, "ajustes_publicacion_webhooks", None)
    if ajustes is None:
        ajustes = Settings()
        request.app.state.ajustes_publicacion_webhooks = ajustes
    return ajustes


Suscripciones = Annotated[SuscripcionRepository, Depends(suscripciones_de)]
Entregas = Annotated[EntregaRepository, Depends(entregas_de)]
Ajustes = Annotated[Settings, Depends(ajustes_de)]
Administrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR))]
SuscripcionId = Annotated[str, Path(max_length=80)]
EntregaId = Annotated[str, Path(max_length=160)]


def fecha(momento: float | None) -> datetime | None:
    """Seconds since the epoch → an aware UTC datetime."""
    return None if momento is None else datetime.fromtimestamp(momento, UTC)


class SuscripcionIn(BaseModel):
    """A subscriber to register: where to send and which events."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="https:// address of a public server.")
    eventos: list[str] = Field(
        max_length=10, description="perfil_publicado and/or perfil_retirado."
    )
    descripcion: str = Field(default="", max_length=MAX_DESCRIPCION)


class SuscripcionOut(BaseModel):
    """A subscriber as the administrator sees it (never its secret)."""

    model_config = ConfigDict(frozen=True)

    id: str
    url: str
    descripcion: str
    eventos: list[EventoWebhook]
    estado: EstadoSuscripcion
    motivo_pausa: str | None
    creada_en: datetime
    creada_por: str
    actualizada_en: datetime
    secreto_anterior_vigente_hasta: datetime | None = Field(
        description="Until then deliveries also carry a signature with the previous secret."
    )

    @classmethod
    def de(cls, s: Suscripcion) -> "SuscripcionOut":
        """The subscriber without its secrets."""
        vigente = s.anterior_vence if s.secreto_anterior and s.anterior_vence else None
        return cls(
            id=s.id,
            url=s.url,
            descripcion=s.descripcion,
            eventos=list(s.eventos),
            estado=s.estado,
            motivo_pausa=s.motivo_pausa,
            creada_en=datetime.fromtimestamp(s.creada_en, UTC),
            creada_por=s.creada_por,
            actualizada_en=datetime.fromtimestamp(s.actualizada_en, UTC),
            secreto_anterior_vigente_hasta=fecha(vigente),
        )


class SecretoOut(SuscripcionOut):
    """A subscriber with its new signing secret: shown only in this answer."""

    secreto: str = Field(
        description="whsec_… (Standard Webhooks); keep it now, it is not shown again."
    )


class IntentoOut(BaseModel):
    """One attempt of a delivery."""

    numero: int
    momento: datetime
    codigo_http: int | None
    error: str | None
    duracion_ms: int


class EntregaOut(BaseModel):
    """A delivery in the log."""

    id: str
    suscripcion_id: str
    evento_id: str = Field(description="Sent as the webhook-id header.")
    evento: EventoWebhook
    candidatura_id: str
    estado: EstadoEntrega
    intentos: int
    reenvios: int
    ultimo_codigo_http: int | None
    ultimo_error: str | None
    proximo_intento: datetime | None
    creada_en: datetime
    entregada_en: datetime | None
    historial: list[IntentoOut]

    @classmethod
    def de(cls, e: Entrega) -> "EntregaOut":
        """The delivery for the log."""
        en_cola = e.estado in (EstadoEntrega.PENDIENTE, EstadoEntrega.EN_CURSO)
        return cls(
            id=e.id,
            suscripcion_id=e.suscripcion_id,
            evento_id=e.evento_id,
            evento=e.tipo,
            candidatura_id=e.candidatura_id,
            estado=e.estado,
            intentos=e.intentos,
            reenvios=e.reenvios,
            ultimo_codigo_http=e.ultimo_codigo,
            ultimo_error=e.ultimo_error,
            proximo_intento=fecha(e.proximo_intento) if en_cola else None,
            creada_en=datetime.fromtimestamp(e.creada_en, UTC),
            entregada_en=fecha(e.entregada_en),
            historial=[
                IntentoOut(
                    numero=i.numero,
                    momento=datetime.fromtimestamp(i.momento, UTC),
                    codigo_http=i.codigo,
                    error=i.error,
                    duracion_ms=i.duracion_ms,
                )
                for i in e.historial
            ],
        )


class EntregasOut(BaseModel):
    """One page of the delivery log."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[EntregaOut]


class RegistroQuery(BaseModel):
    """Filters and paging of the delivery log."""

    model_config = ConfigDict(extra="forbid")

    suscripcion_id: str | None = Field(default=None, max_length=80)
    estado: EstadoEntrega | None = None
    pagina: int = Field(default=1, ge=1, le=100_000)
    por_pagina: int = Field(default=50, ge=1, le=200)


router = APIRouter(prefix=PREFIJO, tags=["webhooks"])


@router.get("/suscripciones")
async def lista_suscripciones(_usuario: Administrador, repo: Suscripciones) -> list[SuscripcionOut]:
    """Every subscriber, deleted ones last."""
    return [SuscripcionOut.de(s) for s in await handlers.lista(suscripciones=repo)]


@router.post("/suscripciones", status_code=201, responses={409: {}, 422: {}})
async def registrar(
    cuerpo: SuscripcionIn,
    usuario: Administrador,
    repo: Suscripciones,
    ajustes: Ajustes,
    response: Response,
) -> SecretoOut:
    """Register a subscriber; the answer carries its secret, which is not shown again."""
    nueva, secreto = await handlers.registrar(
        suscripciones=repo,
        resolver=resolver_dns,
        permitir_privadas=ajustes.webhooks_permitir_privadas,
        usuario=usuario,
        url=cuerpo.url,
        eventos=cuerpo.eventos,
        descripcion=cuerpo.descripcion,
        ahora=time.time(),
    )
    response.headers.update(SIN_CACHE)
    return SecretoOut(**SuscripcionOut.de(nueva).model_dump(), secreto=secreto)


@router.get("/suscripciones/{suscripcion_id}", responses={404: {}})
async def suscripcion(
    suscripcion_id: SuscripcionId, _usuario: Administrador, repo: Suscripciones
) -> SuscripcionOut:
    """One subscriber."""
    encontrada = await handlers.suscripcion(suscripciones=repo, suscripcion_id=suscripcion_id)
    return SuscripcionOut.de(encontrada)


@router.post("/suscripciones/{suscripcion_id}/pausar", responses={404: {}, 409: {}})
async def pausar(
    suscripcion_id: SuscripcionId, usuario: Administrador, repo: Suscripciones
) -> SuscripcionOut:
    """Stop sending to a subscriber; what is queued waits for the resumption."""
    pausada = await handlers.pausar(
        suscripciones=repo, suscripcion_id=suscripcion_id, usuario=usuario, ahora=time.time()
    )
    return SuscripcionOut.de(pausada)


@router.post("/suscripciones/{suscripcion_id}/reanudar", responses={404: {}, 409: {}})
async def reanudar(
    suscripcion_id: SuscripcionId, usuario: Administrador, repo: Suscripciones
) -> SuscripcionOut:
    """Send again to a paused subscriber, starting with what was queued."""
    activa = await handlers.reanudar(
        suscripciones=repo, suscripcion_id=suscripcion_id, usuario=usuario, ahora=time.time()
    )
    return SuscripcionOut.de(activa)


@router.post("/suscripciones/{suscripcion_id}/rotar-secreto", responses={404: {}, 409: {}})
async def rotar_secreto(
    suscripcion_id: SuscripcionId, usuario: Administrador, repo: Suscripciones, response: Response
) -> SecretoOut:
    """A new secret (shown only now); the previous one also signs for 24 hours."""
    rotada, secreto = await handlers.rotar_secreto(
        suscripciones=repo, suscripcion_id=suscripcion_id, usuario=usuario, ahora=time.time()
    )
    response.headers.update(SIN_CACHE)
    return SecretoOut(**SuscripcionOut.de(rotada).model_dump(), secreto=secreto)


@router.delete("/suscripciones/{suscripcion_id}", status_code=204, responses={404: {}, 409: {}})
async def eliminar(
    suscripcion_id: SuscripcionId,
    usuario: Administrador,
    repo: Suscripciones,
    entregas: Entregas,
) -> Response:
    """Delete a subscriber: no more deliveries, secrets erased, its log kept."""
    await handlers.eliminar(
        suscripciones=repo,
        entregas=entregas,
        suscripcion_id=suscripcion_id,
        usuario=usuario,
        ahora=time.time(),
    )
    return Response(status_code=204)


@router.get("/entregas")
async def registro_entregas(
    _usuario: Administrador, repo: Entregas, consulta: Annotated[RegistroQuery, Query()]
) -> EntregasOut:
    """The delivery log, newest first: state, attempts, last HTTP code, next attempt, error."""
    total, lista = await handlers.registro(
        entregas=repo,
        suscripcion_id=consulta.suscripcion_id,
        estado=consulta.estado,
        pagina=consulta.pagina,
        por_pagina=consulta.por_pagina,
    )
    return EntregasOut(
        total=total,
        pagina=consulta.pagina,
        por_pagina=consulta.por_pagina,
        resultados=[EntregaOut.de(e) for e in lista],
    )


@router.post("/entregas/{entrega_id}/reenviar", responses={404: {}, 409: {}})
async def reenviar(
    entrega_id: EntregaId, usuario: Administrador, repo: Suscripciones, entregas: Entregas
) -> EntregaOut:
    """Send a delivered or dead delivery again, with the same webhook-id."""
    entrega = await handlers.reenviar(
        suscripciones=repo,
        entregas=entregas,
        entrega_id=entrega_id,
        usuario=usuario,
        ahora=time.time(),
    )
    return EntregaOut.de(entrega)
