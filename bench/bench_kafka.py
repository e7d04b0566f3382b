"""Events/s and latency through Kafka: publish → consumer group → idempotent read model."""

# uv run python bench/bench_kafka.py [--eventos 10000] [--agregados 100] [--latencia 1000]
# Needs a broker (`uv run conoceles infra up`; address from CONOCELES_TEST_KAFKA or --kafka).
# Topics and groups live under a fresh prefix and are deleted at the end. The read model is
# SQLite, as in bench_bus.py, so both figures compare the bus adapters only.

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

# Run as `python bench/bench_kafka.py`: the script folder is on sys.path.
from bench_bus import Medido
from bench_bus import Proyeccion as ProyeccionBase

from comun.bus.kafka import KafkaBus
from comun.eventos import SISTEMA, Evento, nuevo_evento
from comun.servicios import Servicio, consumer_group, topic
from comun.store.port import Store
from comun.store.sqlite import open_sqlite

TOPIC = topic(Servicio.CAPTURA)


class Proyeccion(ProyeccionBase):
    """bench_bus's consumer, also noting when each event was applied (for latency)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.aplicado_en: dict[str, float] = {}

    async def __call__(self, evento: Evento) -> None:
        await super().__call__(evento)
        self.aplicado_en.setdefault(evento.id, time.perf_counter())

    def esperar(self, cuantos: int) -> None:
        """Arm the `listo` event for `cuantos` more applied events."""
        self.esperados = self.aplicados + cuantos
        self.listo.clear()


def evento(agregado: str, version: int) -> Evento:
    """A benchmark event for an aggregate at a version."""
    return nuevo_evento(Medido(version=version), subject=agregado, actor=SISTEMA, accion="medir")


async def caudal(bus: KafkaBus, proyeccion: Proyeccion, eventos: int, agregados: int) -> None:
    """Aggregates publish side by side, each one event after another (as the outbox relay)."""
    cambios = eventos // agregados
    proyeccion.esperar(cambios * agregados)

    async def publicar(agregado: str) -> None:
        for version in range(1, cambios + 1):
            await bus.publish(TOPIC, evento(agregado, version))

    inicio = time.perf_counter()
    await asyncio.gather(*(publicar(f"c-{a:05}") for a in range(agregados)))
    publicado = time.perf_counter()
    await asyncio.wait_for(proyeccion.listo.wait(), timeout=600)
    fin = time.perf_counter()
    total = cambios * agregados
    print(f"caudal: {total} eventos en {agregados} agregados")
    print(f"  publicación confirmada (acks=all): {total / (publicado - inicio):,.0f} eventos/s")
    print(f"  extremo a extremo: {fin - inicio:.2f} s → {total / (fin - inicio):,.0f} eventos/s")


async def latencia(
    bus: KafkaBus, proyeccion: Proyeccion, eventos: int, ritmo: float
) -> list[float]:
    """Publish at a steady rate; return sorted latencies (ms), publish call → read model."""
    proyeccion.esperar(eventos)
    enviado_en: dict[str, float] = {}

    async def uno(i: int) -> None:
        e = evento(f"l-{i % 50:03}", 10_000 + i)
        enviado_en[e.id] = time.perf_counter()
        await bus.publish(TOPIC, e)

    tareas = []
    inicio = time.perf_counter()
    for i in range(eventos):
        # Pacing, not waiting for a condition: arrivals at a steady rate like real traffic.
        await asyncio.sleep(max(0.0, inicio + i / ritmo - time.perf_counter()))
        tareas.append(asyncio.create_task(uno(i)))
    await asyncio.gather(*tareas)
    await asyncio.wait_for(proyeccion.listo.wait(), timeout=600)
    return sorted((proyeccion.aplicado_en[i] - t) * 1000 for i, t in enviado_en.items())


def informar(ms: list[float], ritmo: float) -> None:
    """Print p50, p99 and max of sorted latencies."""
    p99 = ms[min(len(ms) - 1, round(0.99 * len(ms)) - 1)]
    print(f"latencia: {len(ms)} eventos a {ritmo:g}/s, publicar → modelo de lectura")
    print(f"  p50 {statistics.median(ms):.1f} ms · p99 {p99:.1f} ms · máx {ms[-1]:.1f} ms")


async def borrar(bootstrap: str, prefijo: str) -> None:
    """Delete the benchmark's topics."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        propios = [t for t in await admin.list_topics() if t.startswith(prefijo)]
        if propios:
            await admin.delete_topics(propios)
    finally:
        await admin.close()


async def medir(args: argparse.Namespace) -> None:
    """Run both measurements against a fresh prefix."""
    prefijo = f"bench-{uuid.uuid4().hex[:8]}."
    with tempfile.TemporaryDirectory() as tmp:
        store = await open_sqlite(Path(tmp) / "publicacion.db")
        proyeccion = Proyeccion(store)
        bus = KafkaBus(args.kafka, prefijo_topics=prefijo, particiones=args.particiones)
        bus.subscribe(TOPIC, group=consumer_group(Servicio.PUBLICACION), handler=proyeccion)
        await bus.start()
        try:
            await bus.ping()
            # Warm-up: group join, metadata and connections are not what is measured.
            await latencia(bus, proyeccion, 50, args.ritmo)
            await caudal(bus, proyeccion, args.eventos, args.agregados)
            informar(await latencia(bus, proyeccion, args.latencia, args.ritmo), args.ritmo)
            assert await proyeccion.efectos.count() == proyeccion.aplicados, "efectos duplicados"
        finally:
            await bus.stop()
            await store.close()
            await borrar(args.kafka, prefijo)


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kafka", default=os.environ.get("CONOCELES_TEST_KAFKA", "127.0.0.1:9092"))
    parser.add_argument("--eventos", type=int, default=10_000)
    parser.add_argument("--agregados", type=int, default=100)
    parser.add_argument("--latencia", type=int, default=1_000)
    parser.add_argument("--ritmo", type=float, default=200.0, help="eventos/s en la latencia")
    parser.add_argument("--particiones", type=int, default=3)
    asyncio.run(medir(parser.parse_args()))


if __name__ == "__main__":
    main()
