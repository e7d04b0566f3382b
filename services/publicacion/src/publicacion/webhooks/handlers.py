"""Use cases of the outgoing webhooks: one keyword-only function each, returning data."""

import asyncio
import logging
import random
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypedDict

from comun.auth.usuario import Usuario, actor_de
from comun.errores import NoEncontrado
from comun.eventos import SISTEMA, Actor, DatosEvento, Evento, nuevo_evento
from comun.eventos import publicacion as eventos_publicacion
from publicacion.domain.destinos import (
    Destino,
    DestinoNoPermitido,
    Resolver,
    comprobar_destino,
    sin_consulta,
)
from publicacion.domain.webhooks import (
    BYTES_SECRETO,
    NO_PUBLICO,
    REPUBLICADO,
    ConflictoWebhook,
    Entrega,
    EstadoEntrega,
    EstadoSuscripcion,
    EventoWebhook,
    PoliticaReintentos,
    Resultado,
    Suscripcion,
    cabeceras_firmadas,
    contenido,
    cuerpo_de,
    nuevo_secreto,
)
from publicacion.webhooks.adapters import EntregaRepository, SuscripcionRepository

log = logging.getLogger(__name__)

MAX_SUSCRIPCIONES = 50
LOTE = 50
INTENTOS = 10
MODULO = "webhooks"
ACCION_ENTREGAR = "entregar_webhook"
NO_EXISTE_SUSCRIPCION = "No hay ningún suscriptor con ese identificador."
NO_EXISTE_ENTREGA = "No hay ninguna entrega con ese identificador."
SECRETO_ILEGIBLE = (
    "El secreto de este suscriptor no se puede leer con la clave actual del sistema "
    "(CONOCELES_CLAVE_SECRETA cambió); rote el secreto."
)
# The internal event behind each webhook event: its CloudEvents type goes in webhook_entregado.
MODELOS: dict[EventoWebhook, type[DatosEvento]] = {
    EventoWebhook.PERFIL_PUBLICADO: eventos_publicacion.PerfilPublicado,
    EventoWebhook.PERFIL_RETIRADO: eventos_publicacion.PerfilRetirado,
}


class FuentePublica(Protocol):
    """Reads what the public sees of a profile now."""

    async def perfil(self, candidatura_id: str) -> tuple[bool, dict[str, Any] | None]:
        """Whether it is published, and its public JSON (None while it is not public)."""
        ...


class Emisor(Protocol):
    """Sends one signed attempt to a checked address."""

    async def enviar(
        self, destino: Destino, *, cabeceras: Mapping[str, str], cuerpo: bytes
    ) -> Resultado:
        """The receiver's answer, or why there was none (never raises for network errors)."""
        ...


async def registrar(
    *,
    suscripciones: SuscripcionRepository,
    resolver: Resolver,
    permitir_privadas: bool,
    usuario: Usuario,
    url: str,
    eventos: list[str],
    descripcion: str,
    ahora: float,
) -> tuple[Suscripcion, str]:
    """A new subscriber and its secret (shown once); nothing is saved on bad input."""
    secreto = nuevo_secreto(secrets.token_bytes(BYTES_SECRETO))
    nueva = Suscripcion.registrar(
        id=f"sus-{secrets.token_hex(5)}",
        url=url,
        eventos=eventos,
        descripcion=descripcion,
        secreto=secreto,
        usuario=usuario.nombre_usuario,
        ahora=ahora,
    )
    await comprobar_destino(nueva.url, resolver=resolver, permitir_privadas=permitir_privadas)
    vigentes = [
        s for s in await suscripciones.todas() if s.estado is not EstadoSuscripcion.ELIMINADA
    ]
    if len(vigentes) >= MAX_SUSCRIPCIONES:
        raise ConflictoWebhook(
            f"Ya hay {MAX_SUSCRIPCIONES} suscriptores; elimine alguno antes de registrar otro."
        )
    if any(s.url == nueva.url for s in vigentes):
        raise ConflictoWebhook(
            "Ya hay un suscriptor con esa dirección; páuselo, reanúdelo o rote su secreto en "
            "lugar de registrarlo otra vez."
        )
    registrado = eventos_publicacion.SuscriptorRegistrado(
        **_suscriptor(nueva), eventos=tuple(MODELOS[e].tipo() for e in nueva.eventos)
    )
    hecho = _evento(
        registrado, subject=nueva.id, actor=actor_de(usuario), accion="registrar_suscriptor"
    )
    await suscripciones.agregar(nueva, eventos=[hecho])
    return nueva, secreto


async def lista(*, suscripciones: SuscripcionRepository) -> list[Suscripcion]:
    """Every subscriber, deleted ones last."""
    todas = await suscripciones.todas()
    return sorted(todas, key=lambda s: s.estado is EstadoSuscripcion.ELIMINADA)


async def suscripcion(*, suscripciones: SuscripcionRepository, suscripcion_id: str) -> Suscripcion:
    """One subscriber; NoEncontrado if there is none."""
    encontrada = await suscripciones.obtener(suscripcion_id)
    if encontrada is None:
        raise NoEncontrado(NO_EXISTE_SUSCRIPCION)
    return encontrada


async def pausar(
    *, suscripciones: SuscripcionRepository, suscripcion_id: str, usuario: Usuario, ahora: float
) -> Suscripcion:
    """Stop the deliveries to a subscriber; what is queued waits."""
    motivo = f"Pausado por {usuario.nombre_usuario}."
    return await _pausar(suscripciones, suscripcion_id, motivo, actor_de(usuario), ahora)


async def reanudar(
    *, suscripciones: SuscripcionRepository, suscripcion_id: str, usuario: Usuario, ahora: float
) -> Suscripcion:
    """Deliver again to a paused subscriber, starting with what was queued."""
    return await _cambiar(
        suscripciones,
        suscripcion_id,
        lambda s: s.reanudar(ahora=ahora),
        lambda s: eventos_publicacion.SuscriptorReanudado(**_suscriptor(s)),
        actor=actor_de(usuario),
        accion="reanudar_suscriptor",
    )


async def eliminar(
    *,
    suscripciones: SuscripcionRepository,
    entregas: EntregaRepository,
    suscripcion_id: str,
    usuario: Usuario,
    ahora: float,
) -> Suscripcion:
    """No more deliveries to a subscriber; its queued ones are discarded, its log kept."""
    eliminada = await _cambiar(
        suscripciones,
        suscripcion_id,
        lambda s: s.eliminar(ahora=ahora),
        lambda s: eventos_publicacion.SuscriptorEliminado(**_suscriptor(s)),
        actor=actor_de(usuario),
        accion="eliminar_suscriptor",
    )
    for entrega in await entregas.en_cola(suscripcion_id):
        entrega.descartar("Se eliminó el suscriptor.", ahora=ahora)
        # One that is being sent right now keeps its sender's result.
        await entregas.guardar(entrega)
    return eliminada


async def rotar_secreto(
    *, suscripciones: SuscripcionRepository, suscripcion_id: str, usuario: Usuario, ahora: float
) -> tuple[Suscripcion, str]:
    """A new secret (shown once); the previous one still signs for a day."""
    secreto = nuevo_secreto(secrets.token_bytes(BYTES_SECRETO))
    rotada = await _cambiar(
        suscripciones,
        suscripcion_id,
        lambda s: s.rotar_secreto(secreto, ahora=ahora),
        lambda s: eventos_publicacion.SecretoRotado(
            **_suscriptor(s), anterior_vigente_hasta=_anterior_vigente_hasta(s)
        ),
        actor=actor_de(usuario),
        accion="rotar_secreto",
    )
    return rotada, secreto


async def reenviar(
    *,
    suscripciones: SuscripcionRepository,
    entregas: EntregaRepository,
    entrega_id: str,
    usuario: Usuario,
    ahora: float,
) -> Entrega:
    """The administrator's replay of a delivered or dead delivery (same webhook-id)."""
    for _ in range(INTENTOS):
        entrega = await entregas.obtener(entrega_id)
        if entrega is None:
            raise NoEncontrado(NO_EXISTE_ENTREGA)
        destinataria = await suscripcion(
            suscripciones=suscripciones, suscripcion_id=entrega.suscripcion_id
        )
        if destinataria.estado is EstadoSuscripcion.ELIMINADA:
            raise ConflictoWebhook("El suscriptor de esta entrega fue eliminado.")
        if destinataria.estado is EstadoSuscripcion.PAUSADA:
            raise ConflictoWebhook("El suscriptor está en pausa; reanúdelo antes de reenviar.")
        entrega.reenviar(ahora=ahora)
        reenviada = eventos_publicacion.EntregaReenviada(
            **_suscriptor(destinataria),
            entrega_id=entrega.id,
            evento_id=entrega.evento_id,
            evento_tipo=MODELOS[entrega.tipo].tipo(),
            candidatura_id=entrega.candidatura_id,
        )
        hecho = _evento(
            reenviada, subject=entrega.id, actor=actor_de(usuario), accion="reenviar_entrega"
        )
        if await entregas.guardar(entrega, eventos=[hecho]):
            return entrega
    raise _cambio_concurrente()


async def registro(
    *,
    entregas: EntregaRepository,
    suscripcion_id: str | None,
    estado: EstadoEntrega | None,
    pagina: int,
    por_pagina: int,
) -> tuple[int, list[Entrega]]:
    """One page of the delivery log and how many deliveries match."""
    return await entregas.pagina(
        suscripcion_id=suscripcion_id,
        estado=estado,
        saltar=(pagina - 1) * por_pagina,
        limite=por_pagina,
    )


async def encolar(
    *,
    suscripciones: SuscripcionRepository,
    entregas: EntregaRepository,
    evento: Evento,
    tipo: EventoWebhook,
    candidatura_id: str,
    datos: Mapping[str, Any],
    ahora: float,
) -> int:
    """One delivery per active subscriber that asked for the event (idempotent); how many new."""
    momento = evento.time.isoformat().replace("+00:00", "Z")
    nuevas = 0
    for destinataria in await suscripciones.activas():
        if not destinataria.recibe(tipo):
            continue
        entrega = Entrega.nueva(
            evento_id=evento.id,
            suscripcion_id=destinataria.id,
            tipo=tipo,
            candidatura_id=candidatura_id,
            momento_evento=momento,
            datos=datos,
            ahora=ahora,
        )
        nuevas += await entregas.agregar(entrega)
    return nuevas


@dataclass(frozen=True)
class Repartidor:
    """What a delivery pass needs: stores, the public view, the network and the rules."""

    suscripciones: SuscripcionRepository
    entregas: EntregaRepository
    fuente: FuentePublica
    emisor: Emisor
    resolver: Resolver
    politica: PoliticaReintentos
    permitir_privadas: bool
    # How long a claimed delivery stays with its sender before another may take it.
    arriendo_s: float
    reloj: Callable[[], float] = field(default=time.time)
    azar: Callable[[], float] = field(default=random.random)


@dataclass(frozen=True, slots=True)
class Pasada:
    """What one delivery pass did, and when the next queued delivery is due."""

    entregadas: int
    proxima: float | None


async def entregar_pendientes(*, repartidor: Repartidor) -> Pasada:
    """Send every due delivery of the active subscribers once (a batch at a time)."""
    activas = {s.id: s for s in await repartidor.suscripciones.activas()}
    if not activas:
        return Pasada(0, None)
    vencidas = await repartidor.entregas.vencidas(
        list(activas), ahora=repartidor.reloj(), limite=LOTE
    )
    resultados = await asyncio.gather(
        *(_entregar(repartidor, e, activas[e.suscripcion_id]) for e in vencidas),
        return_exceptions=True,
    )
    entregadas = 0
    for entrega, resultado in zip(vencidas, resultados, strict=True):
        if isinstance(resultado, BaseException):
            if not isinstance(resultado, Exception):
                raise resultado
            log.error("Falló el envío de la entrega %s", entrega.id, exc_info=resultado)
        elif resultado:
            entregadas += 1
    return Pasada(entregadas, await repartidor.entregas.proxima(list(activas)))


async def _entregar(repartidor: Repartidor, entrega: Entrega, destinataria: Suscripcion) -> bool:
    """Claim, send, record; True when delivered. Another sender's claim wins silently."""
    r = repartidor
    entrega.reclamar(reclamo=uuid.uuid4().hex, ahora=r.reloj(), arriendo_s=r.arriendo_s)
    if not await r.entregas.guardar(entrega):
        return False
    publicado, vista = await r.fuente.perfil(entrega.candidatura_id)
    datos = contenido(entrega, publicado=publicado, vista=vista)
    if datos is None:
        motivo = NO_PUBLICO if entrega.tipo is EventoWebhook.PERFIL_PUBLICADO else REPUBLICADO
        entrega.descartar(motivo, ahora=r.reloj())
        await r.entregas.guardar(entrega)
        return False
    resultado = await _enviar(r, entrega, destinataria, datos)
    entrega.registrar(resultado, ahora=r.reloj(), politica=r.politica, azar=r.azar())
    entregada = entrega.estado is EstadoEntrega.ENTREGADA
    eventos = [_entregado(entrega, destinataria)] if entregada else []
    if not await r.entregas.guardar(entrega, eventos=eventos):
        # Discarded meanwhile (the subscriber was deleted): that state stands.
        log.warning("La entrega %s cambió mientras se enviaba; se conserva ese cambio.", entrega.id)
        return False
    if resultado.sin_interes:
        await _pausar_sin_interes(r, destinataria.id)
    return entregada


async def _enviar(
    r: Repartidor, entrega: Entrega, destinataria: Suscripcion, datos: Mapping[str, Any]
) -> Resultado:
    """Check the address again (DNS may have changed), sign with every secret in force, POST."""
    ahora = r.reloj()
    secretos = destinataria.secretos_vigentes(ahora)
    if not secretos:
        return Resultado(None, SECRETO_ILEGIBLE)
    try:
        destino = await comprobar_destino(
            destinataria.url, resolver=r.resolver, permitir_privadas=r.permitir_privadas
        )
    except DestinoNoPermitido as exc:
        return Resultado(None, str(exc))
    cuerpo = cuerpo_de(entrega.tipo, entrega.momento_evento, datos)
    cabeceras = cabeceras_firmadas(
        secretos, mensaje_id=entrega.evento_id, marca=int(ahora), cuerpo=cuerpo
    )
    return await r.emisor.enviar(destino, cabeceras=cabeceras, cuerpo=cuerpo)


async def _pausar_sin_interes(r: Repartidor, suscripcion_id: str) -> None:
    """410 Gone: the subscriber is paused until the administrator resumes it."""
    motivo = "El receptor respondió 410 (Gone): ya no quiere recibir entregas."
    try:
        await _pausar(r.suscripciones, suscripcion_id, motivo, SISTEMA, r.reloj())
    except ConflictoWebhook:
        # Already paused (or deleted) by another delivery or the administrator.
        return


def _entregado(entrega: Entrega, destinataria: Suscripcion) -> Evento:
    """The `webhook_entregado` fact of a delivery its subscriber acknowledged."""
    datos = eventos_publicacion.WebhookEntregado(
        **_suscriptor(destinataria),
        evento_id=entrega.evento_id,
        evento_tipo=MODELOS[entrega.tipo].tipo(),
        intentos=max(1, entrega.intentos),
        codigo_http=entrega.ultimo_codigo or 0,
        candidatura_id=entrega.candidatura_id,
    )
    return _evento(datos, subject=entrega.candidatura_id, actor=SISTEMA, accion=ACCION_ENTREGAR)


class _Suscriptor(TypedDict):
    suscripcion_id: str
    url: str


def _suscriptor(s: Suscripcion) -> _Suscriptor:
    """What every subscriber event says of it: its id and its URL without credentials or query."""
    return {"suscripcion_id": s.id, "url": sin_consulta(s.url)}


def _anterior_vigente_hasta(s: Suscripcion) -> datetime | None:
    """Until when the previous secret still signs (None if there is no readable one)."""
    if s.secreto_anterior is None or s.anterior_vence is None:
        return None
    return datetime.fromtimestamp(s.anterior_vence, UTC)


def _evento(datos: DatosEvento, *, subject: str, actor: Actor, accion: str) -> Evento:
    """An event of the webhooks module of the activity history."""
    return nuevo_evento(datos, subject=subject, actor=actor, accion=accion, modulo=MODULO)


async def _pausar(
    suscripciones: SuscripcionRepository,
    suscripcion_id: str,
    motivo: str,
    actor: Actor,
    ahora: float,
) -> Suscripcion:
    """Pause a subscriber on behalf of actor, recording why."""
    return await _cambiar(
        suscripciones,
        suscripcion_id,
        lambda s: s.pausar(motivo=motivo, ahora=ahora),
        lambda s: eventos_publicacion.SuscriptorPausado(**_suscriptor(s), motivo=motivo),
        actor=actor,
        accion="pausar_suscriptor",
    )


async def _cambiar(
    suscripciones: SuscripcionRepository,
    suscripcion_id: str,
    cambio: Callable[[Suscripcion], None],
    datos: Callable[[Suscripcion], DatosEvento],
    *,
    actor: Actor,
    accion: str,
) -> Suscripcion:
    """Load, change, save with the event of the change; again if another writer saved first."""
    for _ in range(INTENTOS):
        actual = await suscripcion(suscripciones=suscripciones, suscripcion_id=suscripcion_id)
        cambio(actual)
        hecho = _evento(datos(actual), subject=actual.id, actor=actor, accion=accion)
        if await suscripciones.guardar(actual, eventos=[hecho]):
            return actual
    raise _cambio_concurrente()


def _cambio_concurrente() -> ConflictoWebhook:
    return ConflictoWebhook("Otro cambio se guardó al mismo tiempo; inténtelo de nuevo.")
