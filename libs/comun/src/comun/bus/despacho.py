"""Subscribe a service to other services' topics and dispatch events by data type."""

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from comun.bus.port import EventBus
from comun.eventos import DatosEvento, Evento, datos_de
from comun.servicios import Servicio, consumer_group, topic

log = logging.getLogger(__name__)

Manejador = Callable[[Evento, Any], Awaitable[None]]


def suscribir(
    bus: EventBus,
    *,
    consumidor: Servicio,
    origenes: Iterable[Servicio],
    manejadores: Mapping[type[DatosEvento], Manejador],
) -> None:
    """Deliver the events of the named types to their handler, once per consumer group."""
    por_tipo = {modelo.tipo(): (modelo, manejar) for modelo, manejar in manejadores.items()}

    async def despachar(evento: Evento) -> None:
        """Parse and hand over the events this consumer handles; skip the rest."""
        entrada = por_tipo.get(evento.type)
        if entrada is None:
            return
        await entrada[1](evento, datos_de(evento))

    for origen in origenes:
        bus.subscribe(topic(origen), group=consumer_group(consumidor), handler=despachar)


def suscribir_todo(
    bus: EventBus,
    *,
    consumidor: Servicio,
    origenes: Iterable[Servicio],
    manejar: Callable[[Evento], Awaitable[None]],
) -> None:
    """Deliver every event of the origin topics to one handler (for the activity history)."""
    for origen in origenes:
        bus.subscribe(topic(origen), group=consumer_group(consumidor), handler=manejar)
