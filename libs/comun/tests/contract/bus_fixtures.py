"""Bus adapters under contract: add one harness factory to FABRICAS to test another adapter."""

# Store adapters come from this folder's conftest (`store`, `open_store`, keyed by ADAPTERS).

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

from comun.bus.kafka import DLQ_ERROR, KafkaBus
from comun.bus.memoria import DeadLetter, InMemoryBus
from comun.bus.port import EventBus
from comun.bus.pruebas import exigir_kafka
from comun.eventos import SISTEMA, DatosEvento, Evento, nuevo_evento
from comun.servicios import Servicio


class Probado(DatosEvento):
    """Test-only event data: a sequence number within its subject."""

    SERVICIO: ClassVar[Servicio] = Servicio.CAPTURA
    NOMBRE: ClassVar[str] = "probado"

    n: int


def evento_prueba(subject: str, n: int) -> Evento:
    """A fresh test event for a subject, numbered n."""
    return nuevo_evento(Probado(n=n), subject=subject, actor=SISTEMA, accion="probar")


def numero(evento: Evento) -> int:
    """The sequence number a test event carries."""
    return int(evento.data["n"])


async def esperar(condicion: Callable[[], bool], *, plazo: float = 10.0) -> None:
    """Poll the condition until it holds; fail the test at the deadline."""
    limite = time.monotonic() + plazo
    while not condicion():
        if time.monotonic() > limite:
            pytest.fail(f"La condición no se cumplió en {plazo} s")
        await asyncio.sleep(0.005)


@dataclass(frozen=True)
class CartaMuerta:
    """What a contract test can see of a dead letter on any adapter."""

    topic: str
    evento_id: str
    error: str


class BusHarness(Protocol):
    """Creates buses of one adapter and reads back what they dead-lettered."""

    def crear(self, *, max_attempts: int = 3) -> EventBus:
        """A new, not yet started bus; the harness stops it at teardown."""
        ...

    async def cartas_muertas(self, dlq_topic: str) -> list[CartaMuerta]:
        """Dead letters written so far to a dead-letter topic."""
        ...


class _SinkEnMemoria:
    def __init__(self) -> None:
        self.cartas: list[DeadLetter] = []

    async def put(self, letter: DeadLetter) -> None:
        self.cartas.append(letter)


class _HarnessMemoria:
    def __init__(self) -> None:
        self.sink = _SinkEnMemoria()
        self.buses: list[InMemoryBus] = []

    def crear(self, *, max_attempts: int = 3) -> EventBus:
        bus = InMemoryBus(max_attempts=max_attempts, base_delay=0.001, dead_letters=self.sink)
        self.buses.append(bus)
        return bus

    async def cartas_muertas(self, dlq_topic: str) -> list[CartaMuerta]:
        return [
            CartaMuerta(c.topic, c.evento.id, c.error)
            for c in self.sink.cartas
            if c.topic == dlq_topic
        ]


@asynccontextmanager
async def _memoria() -> AsyncIterator[BusHarness]:
    harness = _HarnessMemoria()
    try:
        yield harness
    finally:
        for bus in harness.buses:
            await bus.stop()


def prefijo_unico() -> str:
    """A topic and group prefix no other test uses."""
    return f"prueba-{uuid.uuid4().hex[:12]}."


async def leer_topic(bootstrap: str, nombre: str) -> list[ConsumerRecord]:
    """Every record a topic holds now, from the beginning (no consumer group)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        if nombre not in await admin.list_topics():
            return []
        (descrito,) = await admin.describe_topics([nombre])
    finally:
        await admin.close()
    tps = [TopicPartition(nombre, p["partition"]) for p in descrito["partitions"]]
    consumidor = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumidor.start()
    try:
        consumidor.assign(tps)
        await consumidor.seek_to_beginning(*tps)
        finales = await consumidor.end_offsets(tps)
        registros: list[ConsumerRecord] = []
        while [tp for tp in tps if await consumidor.position(tp) < finales[tp]]:
            lotes = await consumidor.getmany(*tps, timeout_ms=1_000)
            for lote in lotes.values():
                registros.extend(lote)
        return registros
    finally:
        await consumidor.stop()


async def borrar_topics(bootstrap: str, prefijo: str) -> None:
    """Delete the topics a test created (those named with its prefix)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        propios = [t for t in await admin.list_topics() if t.startswith(prefijo)]
        if propios:
            await admin.delete_topics(propios)
    finally:
        await admin.close()


def bus_kafka(bootstrap: str, prefijo: str, **opciones: Any) -> KafkaBus:
    """A Kafka bus tuned for tests: short backoffs and timeouts, topics under the prefix."""
    # Joining, leaving and reconnecting take milliseconds, within the broker's limits. Retries
    # wait a little longer: a handler whose store is being reopened must outlast the reopening.
    rapidas: dict[str, Any] = {
        "base_delay": 0.1,
        "max_delay": 0.4,
        "max_reconexion": 0.5,
        "espera_drenado": 5.0,
        "session_timeout_ms": 6_000,
        "heartbeat_interval_ms": 500,
        "max_poll_interval_ms": 30_000,
    }
    return KafkaBus(bootstrap, prefijo_topics=prefijo, **(rapidas | opciones))


def cabecera(registro: ConsumerRecord, nombre: str) -> str | None:
    """The first value of a record header, as text."""
    return next((v.decode() for k, v in registro.headers if k == nombre and v is not None), None)


class _HarnessKafka:
    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.prefijo = prefijo_unico()
        self.buses: list[KafkaBus] = []

    def crear(self, *, max_attempts: int = 3) -> EventBus:
        bus = bus_kafka(self.bootstrap, self.prefijo, max_attempts=max_attempts)
        self.buses.append(bus)
        return bus

    async def cartas_muertas(self, dlq_topic: str) -> list[CartaMuerta]:
        registros = await leer_topic(self.bootstrap, self.prefijo + dlq_topic)
        return [
            CartaMuerta(dlq_topic, cabecera(r, "ce_id") or "", cabecera(r, DLQ_ERROR) or "")
            for r in registros
        ]


@asynccontextmanager
async def _kafka() -> AsyncIterator[BusHarness]:
    harness = _HarnessKafka(await exigir_kafka())
    try:
        yield harness
    finally:
        for bus in harness.buses:
            await bus.stop()
        await borrar_topics(harness.bootstrap, harness.prefijo)


FABRICAS: dict[str, Callable[[], AbstractAsyncContextManager[BusHarness]]] = {
    "kafka": _kafka,
    "memoria": _memoria,
}


@pytest.fixture(params=sorted(FABRICAS))
async def bus_harness(request: pytest.FixtureRequest) -> AsyncIterator[BusHarness]:
    """One harness per bus adapter."""
    async with FABRICAS[request.param]() as harness:
        yield harness
