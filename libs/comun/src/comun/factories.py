"""Adapter choice is configuration: build the store and the bus the settings name."""

from collections.abc import Sequence
from contextlib import AsyncExitStack

from comun.archivos import FileStore
from comun.bus import EventBus
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.store import Store


async def open_store(plataforma: PlatformSettings, nombre: str) -> Store:
    """Open the database `nombre` (a service, or `bus`) with the configured adapter."""
    if plataforma.store == "mongodb":
        from comun.store.mongo import open_mongo

        return await open_mongo(plataforma.mongodb_url, f"{plataforma.mongodb_prefijo}_{nombre}")
    from comun.store.sqlite import open_sqlite

    return await open_sqlite(plataforma.datos / f"{nombre}.db")


async def open_files(plataforma: PlatformSettings, servicio: Servicio, store: Store) -> FileStore:
    """The service's file store: in its database on MongoDB (shared by replicas), else a folder."""
    if plataforma.store == "mongodb":
        from comun.archivos.documentos import DocumentosArchivos

        return DocumentosArchivos(store)
    from comun.archivos.directorio import DirectorioArchivos

    return DirectorioArchivos(plataforma.datos / servicio.value / "archivos")


async def create_bus(
    plataforma: PlatformSettings, pila: AsyncExitStack, *, servicios: Sequence[Servicio]
) -> EventBus:
    """Create the process's event bus with the configured adapter; the stack closes it."""
    if plataforma.bus == "kafka":
        from comun.bus.kafka import KafkaBus

        kafka = KafkaBus(plataforma.kafka_url)
        pila.push_async_callback(kafka.stop)
        return kafka
    from comun.bus.memoria import InMemoryBus, StoreDeadLetterSink

    dlq_store = await open_store(plataforma, bus_database_name(servicios))
    pila.push_async_callback(dlq_store.close)
    bus = InMemoryBus(dead_letters=StoreDeadLetterSink(dlq_store))
    pila.push_async_callback(bus.stop)
    return bus


def database_name(servicio: Servicio) -> str:
    """Each service owns one database, named after it."""
    return servicio.value


def bus_database_name(servicios: Sequence[Servicio]) -> str:
    """Dead letters of the in-process bus: one database per kind of process, never shared."""
    return "bus" if len(servicios) > 1 else f"bus-{servicios[0].value}"
