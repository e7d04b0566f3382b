"""In-process event bus for the embedded mode: delivery happens inside `publish` (DESIGN §3)."""

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from comun.bus.port import BusUnavailableError, EventHandler
from comun.eventos import Evento
from comun.servicios import Servicio, consumer_group, dlq_topic
from comun.store.port import DuplicateKeyError, Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadLetter:
    """An event a consumer group gave up on, with the last error."""

    topic: str
    source_topic: str
    group: str
    evento: Evento
    error: str
    attempts: int
    time: datetime = field(default_factory=lambda: datetime.now(UTC))


class DeadLetterSink(Protocol):
    """Where dead letters are kept so nothing is lost."""

    async def put(self, letter: DeadLetter) -> None:
        """Persist one dead letter; raise if it could not be kept."""
        ...


class StoreDeadLetterSink:
    """Keeps dead letters in a document-store collection (default `dlq`)."""

    def __init__(self, store: Store, *, collection: str = "dlq") -> None:
        self._collection = store.collection(collection)

    async def put(self, letter: DeadLetter) -> None:
        """Insert the dead letter, keyed by group and event id (a re-delivered event once)."""
        with contextlib.suppress(DuplicateKeyError):
            await self._collection.insert(
                {
                    "_id": f"{letter.group}:{letter.evento.id}",
                    "topic": letter.topic,
                    "source_topic": letter.source_topic,
                    "group": letter.group,
                    "error": letter.error,
                    "attempts": letter.attempts,
                    "time": letter.time.isoformat(),
                    "evento": letter.evento.model_dump(mode="json"),
                }
            )


@dataclass
class _Subscription:
    topic: str
    group: str
    dlq: str
    handler: EventHandler
    # Like a Kafka topic's partitions: one event at a time per partition, subjects hashed to one.
    particiones: tuple[asyncio.Lock, ...] = field(
        default_factory=lambda: tuple(asyncio.Lock() for _ in range(PARTICIONES))
    )

    def particion(self, subject: str) -> asyncio.Lock:
        """The lock that keeps one subject's events in order within this group."""
        return self.particiones[zlib.crc32(subject.encode()) % len(self.particiones)]


PARTICIONES = 16
_GRUPOS: dict[str, Servicio] = {consumer_group(s): s for s in Servicio}


class InMemoryBus:
    """EventBus that delivers inside publish; dead letters go to `dead_lettered` and the sink."""

    def __init__(
        self,
        *,
        max_attempts: int = 4,
        base_delay: float = 0.01,
        max_delay: float = 2.0,
        dead_letters: DeadLetterSink | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts debe ser al menos 1.")
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sink = dead_letters
        self._subs: dict[str, list[_Subscription]] = {}
        self._started = False
        self.dead_lettered: list[DeadLetter] = []

    def subscribe(self, topic: str, *, group: str, handler: EventHandler) -> None:
        """Register the handler of a consumer group (a service's `consumer_group`) for a topic."""
        servicio = _GRUPOS.get(group)
        if servicio is None:
            validos = ", ".join(sorted(_GRUPOS))
            raise ValueError(f"Grupo de consumo desconocido «{group}»; use uno de: {validos}.")
        subs = self._subs.setdefault(topic, [])
        if any(s.group == group for s in subs):
            raise ValueError(f"El grupo «{group}» ya tiene un manejador para «{topic}».")
        subs.append(_Subscription(topic, group, dlq_topic(servicio), handler))

    async def start(self) -> None:
        """Begin accepting events."""
        self._started = True

    async def stop(self) -> None:
        """Stop accepting events; deliveries still retrying give up without acknowledging."""
        self._started = False

    async def ping(self) -> None:
        """Raise BusUnavailableError unless started."""
        self._check_started()

    async def publish(self, topic: str, evento: Evento) -> None:
        """Deliver to every group of the topic; return once all handled or dead-lettered."""
        self._check_started()
        await asyncio.gather(*(self._in_order(sub, evento) for sub in self._subs.get(topic, ())))

    async def _in_order(self, sub: _Subscription, evento: Evento) -> None:
        async with sub.particion(evento.subject):
            await self._deliver(sub, evento)

    def subscriptions(self) -> Sequence[tuple[str, str]]:
        """Return the (topic, group) pairs subscribed so far."""
        return [(s.topic, s.group) for subs in self._subs.values() for s in subs]

    async def _deliver(self, sub: _Subscription, evento: Evento) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await sub.handler(evento)
                return
            except Exception as exc:
                if attempt == self._max_attempts:
                    await self._dead_letter(sub, evento, exc, attempt)
                    return
                delay = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
                logger.warning(
                    "El grupo %s falló con el evento %s (intento %d de %d): %r",
                    sub.group,
                    evento.id,
                    attempt,
                    self._max_attempts,
                    exc,
                )
                await asyncio.sleep(delay)
                # Stopped while backing off: leave the event unacknowledged for the next run.
                self._check_started()

    async def _dead_letter(
        self, sub: _Subscription, evento: Evento, exc: Exception, attempts: int
    ) -> None:
        letter = DeadLetter(
            topic=sub.dlq,
            source_topic=sub.topic,
            group=sub.group,
            evento=evento,
            error=f"{type(exc).__name__}: {exc}",
            attempts=attempts,
        )
        logger.error(
            "Evento %s enviado a %s tras %d intentos: %s",
            evento.id,
            sub.dlq,
            attempts,
            letter.error,
        )
        if self._sink is not None:
            await self._sink.put(letter)
        self.dead_lettered.append(letter)

    def _check_started(self) -> None:
        if not self._started:
            raise BusUnavailableError(
                "El bus de eventos en memoria no está iniciado; llame a start() antes de publicar."
            )
