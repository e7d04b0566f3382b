"""The event-bus port (DESIGN §3, §4)."""

from collections.abc import Awaitable, Callable
from typing import Protocol

from comun.eventos import Evento

EventHandler = Callable[[Evento], Awaitable[None]]


class EventBus(Protocol):
    """Publishes events to topics and delivers them to one handler per consumer group."""

    async def publish(self, topic: str, evento: Evento) -> None:
        """Return only once the bus has durably accepted the event (at-least-once)."""
        ...

    def subscribe(self, topic: str, *, group: str, handler: EventHandler) -> None:
        """Register a handler for a topic under a consumer group (before start)."""
        ...

    async def start(self) -> None:
        """Connect and begin delivering to subscribers."""
        ...

    async def stop(self) -> None:
        """Stop delivering and disconnect."""
        ...

    async def ping(self) -> None:
        """Raise BusUnavailableError when the bus cannot be reached."""
        ...


class BusUnavailableError(Exception):
    """The event bus cannot be reached."""
