"""Subscribe a service to other services' topics and dispatch events by data type."""

import contextlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any

from opentelemetry import trace

from comun.bus.port import EventBus
from comun.eventos import DatosEvento, Evento, datos_de
from comun.servicios import Servicio, consumer_group, topic

_tracer = trace.get_tracer(__name__)

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
        with _span(consumidor, evento):
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

    async def anotar(evento: Evento) -> None:
        """Hand every event over inside a span of this consumer."""
        with _span(consumidor, evento):
            await manejar(evento)

    for origen in origenes:
        bus.subscribe(topic(origen), group=consumer_group(consumidor), handler=anotar)


@contextlib.contextmanager
def _span(consumidor: Servicio, evento: Evento) -> Iterator[None]:
    """A consumer span per handled event, child of the producer's trace when it travelled."""
    with _tracer.start_as_current_span(
        f"{consumidor.value} {evento.type}", kind=trace.SpanKind.CONSUMER
    ) as span:
        span.set_attribute("messaging.message.id", evento.id)
        yield
