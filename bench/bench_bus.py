"""Events/s end to end: aggregate + outbox write → relay → in-memory bus → idempotent consumer."""

# uv run python bench/bench_bus.py [--eventos 10000] [--agregados 100]
# uv run python bench/bench_bus.py --escaneo [--documentos 30000] [--kb 22] [--pendientes 10]
#   (how long one full scan of the relay takes over a big collection with few pending events)
# Embedded adapters only: SQLite files in a temporary directory.

import argparse
import asyncio
import statistics
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
from comun.store.port import Collection, Store
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


def perfil(i: int, kb: int) -> dict[str, object]:
    """A published-profile-like document of about `kb` KB whose outbox was already drained."""
    parrafo = f"Trayectoria {i}: cargo, periodo, logros y propuestas de la persona candidata. "
    return {
        "_id": f"perfil-{i:06d}",
        "version": 1,
        "nombre": f"Persona Candidata {i}",
        "secciones": [parrafo * 12 for _ in range(kb * 1024 // (len(parrafo) * 12) or 1)],
        outbox.CAMPO: [],
    }


async def marcar_pendientes(perfiles: Collection, pendientes: int, documentos: int) -> None:
    """Give `pendientes` documents, spread over the collection, one new event each."""
    for n in range(pendientes):
        doc_id = f"perfil-{n * documentos // pendientes:06d}"
        previo = await perfiles.get(doc_id)
        assert previo is not None
        evento = nuevo_evento(
            Medido(version=int(previo["version"]) + 1),
            subject=doc_id,
            actor=SISTEMA,
            accion="medir",
        )
        doc = outbox.sin_outbox(previo)
        assert await outbox.guardar(perfiles, doc, topic=TOPIC, eventos=[evento], previo=previo)


async def medir_escaneo(documentos: int, kb: int, pendientes: int, pasadas: int) -> None:
    """Time the relay's full scan (drain) over a big collection with few pending documents."""
    with tempfile.TemporaryDirectory() as tmp:
        archivo = Path(tmp) / "publicacion.db"
        store = await open_sqlite(archivo)
        perfiles = store.collection("perfiles")
        for inicio in range(0, documentos, 64):
            fin = min(inicio + 64, documentos)
            await asyncio.gather(*(perfiles.insert(perfil(i, kb)) for i in range(inicio, fin)))
        await store.close()
        tamanio = archivo.stat().st_size / 2**20
        # Reopened: the scans start from a cold SQLite page cache, as after a restart.
        store = await open_sqlite(archivo)
        perfiles = store.collection("perfiles")
        bus = InMemoryBus()
        await bus.start()
        relay = OutboxRelay(store, bus, ["perfiles"])
        tiempos: list[float] = []
        for _ in range(pasadas):
            await marcar_pendientes(perfiles, pendientes, documentos)
            inicio_pasada = time.perf_counter()
            publicados = await relay.drain()
            tiempos.append(time.perf_counter() - inicio_pasada)
            assert publicados == pendientes, f"publicó {publicados} de {pendientes}"
        await bus.stop()
        await store.close()

    print(f"{documentos:,} documentos de ~{kb} KB ({tamanio:,.0f} MiB), {pendientes} pendientes")
    print(f"primera pasada (crea el índice si falta): {tiempos[0] * 1000:,.1f} ms")
    siguientes = tiempos[1:]
    if siguientes:
        print(
            f"pasadas siguientes ({len(siguientes)}): mediana "
            f"{statistics.median(siguientes) * 1000:,.1f} ms, "
            f"máx {max(siguientes) * 1000:,.1f} ms"
        )


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eventos", type=int, default=10_000)
    parser.add_argument("--agregados", type=int, default=100)
    parser.add_argument("--escaneo", action="store_true", help="time the relay's full scan")
    parser.add_argument("--documentos", type=int, default=30_000)
    parser.add_argument("--kb", type=int, default=22)
    parser.add_argument("--pendientes", type=int, default=10)
    parser.add_argument("--pasadas", type=int, default=6)
    args = parser.parse_args()
    if args.escaneo:
        asyncio.run(medir_escaneo(args.documentos, args.kb, args.pendientes, args.pasadas))
    else:
        asyncio.run(medir(args.eventos, args.agregados))


if __name__ == "__main__":
    main()
