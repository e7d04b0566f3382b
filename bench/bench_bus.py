"""Events/s end to end: aggregate + outbox write → relay → in-memory bus → idempotent consumer."""

# uv run python bench/bench_bus.py [--eventos 10000] [--agregados 100]
# Embedded adapters only: SQLite files in a temporary directory.

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from comun.bus import outbox
from comun.bus.idempotencia import aplicar_si_mas_nueva, aplicar_una_vez
from comun.bus.memoria import InMemoryBus, StoreDeadLetterSink
from comun.bus.relay import OutboxRelay
from comun.eventos import SISTEMA, DatosEvento, Evento, nuevo_evento
from comun.servicios import Servicio, consumer_group, topic
from comun.store.port import Store
from comun.store.sqlite import open_sqlite

TOPIC = topic(Servicio.CAPTURA)


class Medido(DatosEvento):
    """Benchmark event: the aggregate's version after the change."""

    SERVICIO: ClassVar[Servicio] = Servicio.CAPTURA
    NOMBRE: ClassVar[str] = "medido"

    version: int


class Proyeccion:
    """Consumer: one effect per event id plus a read model kept at the newest version."""

    def __init__(self, store: Store) -> None:
        self.efectos = store.collection("efectos")
        self.perfiles = store.collection("perfiles")
        self.aplicados = 0
        self.listo = asyncio.Event()
        self.esperados = 0

    async def __call__(self, evento: Evento) -> None:
        version = int(evento.data["version"])
        if await aplicar_una_vez(self.efectos, {"s": evento.subject}, evento_id=evento.id):
            self.aplicados += 1
        await aplicar_si_mas_nueva(
            self.perfiles, {"_id": evento.subject, "v": version}, version=version
        )
        if self.aplicados >= self.esperados:
            self.listo.set()


async def escribir(store: Store, relay: OutboxRelay, agregado: str, cambios: int) -> None:
    """One handler call per change: load, save aggregate and event in one write, notify."""
    coleccion = store.collection("candidaturas")
    for _ in range(cambios):
        while True:
            previo = await coleccion.get(agregado)
            version = 1 if previo is None else int(previo["version"]) + 1
            evento = nuevo_evento(
                Medido(version=version), subject=agregado, actor=SISTEMA, accion="medir"
            )
            doc = {"_id": agregado, "version": 1 if previo is None else previo["version"]}
            if await outbox.guardar(coleccion, doc, topic=TOPIC, eventos=[evento], previo=previo):
                break
        relay.notify()


async def medir(eventos: int, agregados: int) -> None:
    """Run the pipeline once and print the throughput."""
    with tempfile.TemporaryDirectory() as tmp:
        captura = await open_sqlite(Path(tmp) / "captura.db")
        publicacion = await open_sqlite(Path(tmp) / "publicacion.db")
        proyeccion = Proyeccion(publicacion)
        proyeccion.esperados = eventos
        bus = InMemoryBus(dead_letters=StoreDeadLetterSink(publicacion))
        bus.subscribe(TOPIC, group=consumer_group(Servicio.PUBLICACION), handler=proyeccion)
        await bus.start()
        relay = OutboxRelay(captura, bus, ["candidaturas"], poll_interval=0.5)
        relay.start()

        inicio = time.perf_counter()
        await asyncio.gather(
            *(escribir(captura, relay, f"c-{a:05}", eventos // agregados) for a in range(agregados))
        )
        escrito = time.perf_counter()
        await asyncio.wait_for(proyeccion.listo.wait(), timeout=600)
        fin = time.perf_counter()

        await relay.stop()
        await bus.stop()
        assert await proyeccion.efectos.count() == eventos, "efectos duplicados o perdidos"
        assert not bus.dead_lettered, "hubo cartas muertas"
        await captura.close()
        await publicacion.close()

    total = fin - inicio
    print(f"eventos: {eventos} en {agregados} agregados")
    print(f"escritura con outbox: {eventos / (escrito - inicio):,.0f} eventos/s")
    print(f"extremo a extremo: {total:.2f} s → {eventos / total:,.0f} eventos/s")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eventos", type=int, default=10_000)
    parser.add_argument("--agregados", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(medir(args.eventos, args.agregados))


if __name__ == "__main__":
    main()
