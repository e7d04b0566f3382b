"""Bus adapters under contract: add one harness factory to FABRICAS to test another adapter."""

# Store adapters come from this folder's conftest (`store`, `open_store`, keyed by ADAPTERS).

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import ClassVar, Protocol

import pytest

from comun.bus.memoria import DeadLetter, InMemoryBus
from comun.bus.port import EventBus
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


FABRICAS: dict[str, Callable[[], AbstractAsyncContextManager[BusHarness]]] = {
    "memoria": _memoria,
}


@pytest.fixture(params=sorted(FABRICAS))
async def bus_harness(request: pytest.FixtureRequest) -> AsyncIterator[BusHarness]:
    """One harness per bus adapter."""
    async with FABRICAS[request.param]() as harness:
        yield harness
