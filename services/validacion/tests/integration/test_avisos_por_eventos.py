"""Notices derived from validacion's own events, through the outbox relay and a real bus."""

import uuid
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.bus.kafka import KafkaBus
from comun.bus.memoria import InMemoryBus
from comun.bus.port import EventBus
from comun.bus.pruebas import exigir_kafka
from comun.bus.relay import OutboxRelay
from comun.eventos.vocabulario import Postulante
from comun.pruebas import esperar as esperar_hasta
from comun.roles import Rol
from comun.servicios import Servicio, consumer_group, topic
from comun.store import Store
from comun.store.sqlite import open_sqlite
from validacion import consumer
from validacion.adapters import RevisionRepository
from validacion.adapters.avisos import COLECCION_AVISOS, AvisoRepository
from validacion.adapters.moderacion import COLECCION_MODERACION, ModeracionRepository
from validacion.adapters.solicitudes import COLECCION_SOLICITUDES
from validacion.domain import EstadoRevision, Revision
from validacion.handlers import verificacion as handlers

ID = "DL-MR-01-PAN-P"
NOTA = "La propuesta incluye un llamado expreso al voto."
VERIFICADOR = Usuario("v1", "verificador", frozenset({Rol.VERIFICADOR}))
SUP_PAN = Usuario("s1", "supervisor.pan", frozenset({Rol.SUPERVISOR}), partido="PAN")
URL = "http://127.0.0.1:8000/validacion/avisos"


# This module's flows take longer than the default deadline.
esperar = partial(esperar_hasta, plazo=30.0)


async def _borrar_topics(bootstrap: str, prefijo: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        propios = [t for t in await admin.list_topics() if t.startswith(prefijo)]
        if propios:
            await admin.delete_topics(propios)
    finally:
        await admin.close()


@pytest.fixture(params=["memoria", "kafka"])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[EventBus]:
    """validacion's bus: the embedded one, and Kafka (one consumer group per service)."""
    if request.param == "memoria":
        memoria = InMemoryBus(base_delay=0.001)
        yield memoria
        await memoria.stop()
        return
    bootstrap = await exigir_kafka()
    prefijo = f"prueba-{uuid.uuid4().hex[:12]}."
    kafka = KafkaBus(
        bootstrap,
        prefijo_topics=prefijo,
        base_delay=0.1,
        max_delay=0.4,
        max_reconexion=0.5,
        session_timeout_ms=6_000,
        heartbeat_interval_ms=500,
        max_poll_interval_ms=30_000,
    )
    yield kafka
    await kafka.stop()
    await _borrar_topics(bootstrap, prefijo)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    almacen = await open_sqlite(tmp_path / "validacion.db")
    yield almacen
    await almacen.close()


@pytest.fixture
async def relay(store: Store, bus: EventBus) -> AsyncIterator[OutboxRelay]:
    """validacion subscribed to its own topic, its relay, a published PAN candidacy."""
    colecciones = [COLECCION_MODERACION, COLECCION_SOLICITUDES, COLECCION_AVISOS]
    publicador = OutboxRelay(store, bus, colecciones)
    consumer.suscribir_eventos(bus, store)
    consumer.suscribir_avisos(
        bus, store, url_avisos=URL, despertar=lambda: None, avisar_relay=publicador.notify
    )
    await AvisoRepository(store).preparar()
    await ModeracionRepository(store).preparar()
    await RevisionRepository(store).guardar(
        Revision(
            ID,
            "María Fernanda López",
            "diputacion_local",
            "PAN",
            estado=EstadoRevision.VALIDADA,
            registro={"postulante": Postulante.PARTIDO.value},
            curricular={"propuesta_1": "Vota por mí este domingo."},
            publicable=True,
        )
    )
    await bus.start()
    yield publicador
    await publicador.stop()


async def cuantos_avisos(store: Store) -> int:
    return len(await AvisoRepository(store).bandeja(SUP_PAN))


async def test_validacion_se_suscribe_una_sola_vez_a_su_propio_topic(store: Store) -> None:
    # Both buses refuse a second handler of one group for one topic: events and notices share it.
    bus = InMemoryBus()
    consumer.suscribir_eventos(bus, store)
    consumer.suscribir_avisos(bus, store, url_avisos=URL, despertar=lambda: None)
    propias = (topic(Servicio.VALIDACION), consumer_group(Servicio.VALIDACION))
    assert bus.subscriptions().count(propias) == 1


async def test_el_aviso_de_una_deshabilitacion_llega_por_el_bus_una_sola_vez(
    store: Store, bus: EventBus, relay: OutboxRelay
) -> None:
    await handlers.deshabilitar(
        repo=RevisionRepository(store),
        moderaciones=ModeracionRepository(store),
        usuario=VERIFICADOR,
        candidatura_id=ID,
        objetivo="propuesta_1",
        motivo="propaganda",
        observacion=NOTA,
    )
    doc = await store.collection(COLECCION_MODERACION).get(ID)
    assert doc is not None
    (pendiente,) = outbox.pendientes(doc)
    original = outbox.evento(pendiente)
    # Only the takedown was written; the notice comes when the relay publishes its event.
    assert await cuantos_avisos(store) == 0
    await relay.drain()

    async def uno() -> bool:
        return await cuantos_avisos(store) == 1

    await esperar(uno)
    (aviso,) = await AvisoRepository(store).bandeja(SUP_PAN)
    assert aviso.id == original.id and NOTA in aviso.mensaje

    # The bus delivers the same event again (at-least-once), then a newer one of the subject.
    await bus.publish(topic(Servicio.VALIDACION), original)
    await handlers.habilitar(
        repo=RevisionRepository(store),
        moderaciones=ModeracionRepository(store),
        usuario=VERIFICADOR,
        candidatura_id=ID,
        objetivo="propuesta_1",
    )
    await relay.drain()

    async def dos() -> bool:
        return await cuantos_avisos(store) == 2

    await esperar(dos)
    mensajes = [a.mensaje for a in await AvisoRepository(store).bandeja(SUP_PAN)]
    assert sum("vuelve a mostrarse" in m for m in mensajes) == 1
    assert sum(NOTA in m for m in mensajes) == 1
