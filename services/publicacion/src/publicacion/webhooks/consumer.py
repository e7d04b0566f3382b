"""publicacion reads its own topic: each public profile event queues its webhook deliveries."""

import time
from collections.abc import Callable
from typing import Any

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import Evento
from comun.eventos.publicacion import PerfilPublicado, PerfilRetirado
from comun.servicios import Servicio
from publicacion.domain.webhooks import EventoWebhook
from publicacion.webhooks import handlers
from publicacion.webhooks.adapters import EntregaRepository, SuscripcionRepository


def suscribir_eventos(
    bus: EventBus,
    *,
    suscripciones: SuscripcionRepository,
    entregas: EntregaRepository,
    despertar: Callable[[], None],
) -> None:
    """perfil_publicado and perfil_retirado → one delivery per subscriber that asked for them.

    The profile saves only its event (outbox); the deliveries are derived from it, keyed by
    event id and subscriber, so neither a crash nor a redelivery loses or repeats one.
    """

    async def encolar(evento: Evento, tipo: EventoWebhook, cid: str, datos: dict[str, Any]) -> None:
        nuevas = await handlers.encolar(
            suscripciones=suscripciones,
            entregas=entregas,
            evento=evento,
            tipo=tipo,
            candidatura_id=cid,
            datos=datos,
            ahora=time.time(),
        )
        if nuevas:
            despertar()

    async def publicado(evento: Evento, datos: PerfilPublicado) -> None:
        await encolar(
            evento, EventoWebhook.PERFIL_PUBLICADO, datos.candidatura_id, {"version": datos.version}
        )

    async def retirado(evento: Evento, datos: PerfilRetirado) -> None:
        await encolar(
            evento,
            EventoWebhook.PERFIL_RETIRADO,
            datos.candidatura_id,
            {"version": datos.version, "motivo": datos.motivo},
        )

    suscribir(
        bus,
        consumidor=Servicio.PUBLICACION,
        origenes=[Servicio.PUBLICACION],
        manejadores={PerfilPublicado: publicado, PerfilRetirado: retirado},
    )
