"""Outbox, relay and idempotent consumers together, on every store and bus adapter."""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, cast

import pytest

from comun.bus import outbox
from comun.bus.idempotencia import aplicar_si_mas_nueva, aplicar_una_vez
from comun.bus.memoria import InMemoryBus, StoreDeadLetterSink
from comun.bus.port import BusUnavailableError, EventBus, EventHandler
from comun.bus.relay import OutboxRelay, RelayError
from comun.eventos import Evento
from comun.servicios import Servicio, consumer_group, dlq_topic, topic
from comun.store.port import Collection, Store

from .bus_fixtures import BusHarness, bus_harness, esperar, evento_prueba, numero

__all__ = ["bus_harness"]

AGREGADOS = "candidaturas"
TOPIC = topic(Servicio.CAPTURA)
GRUPO = consumer_group(Servicio.PUBLICACION)

# What this folder's conftest `open_store` fixture returns: reopens the test's database.
OpenStore = Callable[[], Awaitable[Store]]


class Caida(BaseException):
    """Simulated process death: no `except Exception` in the code under test stops it."""


class BusQueCae:
    """Wraps a bus and dies around the publish number `en` (before or after delivering it)."""

    def __init__(self, bus: EventBus, *, en: int, antes: bool = False) -> None:
        self._bus = bus
        self._en = en
        self._antes = antes
        self.llamadas = 0

    async def publish(self, topic: str, evento: Evento) -> None:
        self.llamadas += 1
        if self.llamadas == self._en and self._antes:
            raise Caida
        await self._bus.publish(topic, evento)
        if self.llamadas == self._en:
            raise Caida

    def subscribe(self, topic: str, *, group: str, handler: EventHandler) -> None:
        self._bus.subscribe(topic, group=group, handler=handler)

    async def start(self) -> None:
        await self._bus.start()

    async def stop(self) -> None:
        await self._bus.stop()

    async def ping(self) -> None:
        await self._bus.ping()


class BusIntermitente(BusQueCae):
    """Wraps a bus that is unreachable for its first `fallos` publishes."""

    def __init__(self, bus: EventBus, *, fallos: int) -> None:
        super().__init__(bus, en=0)
        self._fallos = fallos

    async def publish(self, topic: str, evento: Evento) -> None:
        self.llamadas += 1
        if self.llamadas <= self._fallos:
            raise BusUnavailableError("bus caído (simulado)")
        await self._bus.publish(topic, evento)


class _ColeccionQueCaeAlQuitar:
    def __init__(self, coleccion: Collection) -> None:
        self._coleccion = coleccion

    def __getattr__(self, nombre: str) -> Any:
        return getattr(self._coleccion, nombre)

    async def pull(self, doc_id: str, field: str, *, ids: Any) -> None:
        raise Caida


class StoreQueCaeAlQuitar:
    """Wraps a store whose process dies when the relay removes published events."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def collection(self, name: str) -> Any:
        return _ColeccionQueCaeAlQuitar(self._store.collection(name))

    async def ping(self) -> None:
        await self._store.ping()

    async def close(self) -> None:
        pass


class Consumidor:
    """An idempotent consumer: one effect per event id and a read model per subject."""

    def __init__(self, store: Store, *, fallar_tras_efecto: bool = False) -> None:
        self.usar(store)
        self.entregas: list[Evento] = []
        self.aplicados: list[Evento] = []
        self._fallar_tras_efecto = fallar_tras_efecto
        self._fallados: set[str] = set()

    async def __call__(self, evento: Evento) -> None:
        self.entregas.append(evento)
        efecto = {"subject": evento.subject, "n": numero(evento)}
        nuevo = await aplicar_una_vez(self.efectos, efecto, evento_id=evento.id)
        await aplicar_si_mas_nueva(
            self.lectura, {"_id": evento.subject, "n": numero(evento)}, version=numero(evento)
        )
        # Counted once the whole handler ran, so waiting on the count sees both effects.
        if nuevo:
            self.aplicados.append(evento)
        if self._fallar_tras_efecto and evento.id not in self._fallados:
            self._fallados.add(evento.id)
            raise RuntimeError("falla simulada después del efecto")

    def usar(self, store: Store) -> None:
        """Write to this store from now on (the database was reopened after a crash)."""
        self.efectos = store.collection("efectos")
        self.lectura = store.collection("perfiles")

    def orden_por_agregado(self) -> dict[str, list[int]]:
        """Sequence numbers in the order their effects were first applied, per aggregate."""
        orden: dict[str, list[int]] = defaultdict(list)
        for evento in self.aplicados:
            orden[evento.subject].append(numero(evento))
        return dict(orden)


async def emitir(store: Store, agregado: str, ns: list[int]) -> None:
    """Act like a handler: load, change and save the aggregate with its events in one write."""
    coleccion = store.collection(AGREGADOS)
    while True:
        previo = await coleccion.get(agregado)
        version = 1 if previo is None else previo["version"]
        doc = {"_id": agregado, "version": version, "ultimo": ns[-1]}
        eventos = [evento_prueba(agregado, n) for n in ns]
        if await outbox.guardar(coleccion, doc, topic=TOPIC, eventos=eventos, previo=previo):
            return


async def bus_con(bus_harness: BusHarness, consumidor: Consumidor, **opciones: Any) -> EventBus:
    """A started bus with the consumer subscribed to TOPIC."""
    bus = bus_harness.crear(**opciones)
    bus.subscribe(TOPIC, group=GRUPO, handler=consumidor)
    await bus.start()
    return bus


async def test_guardar_escribe_el_agregado_y_sus_eventos_en_el_mismo_documento(
    store: Store,
) -> None:
    await emitir(store, "c-1", [0, 1])
    await emitir(store, "c-1", [2])

    doc = await store.collection(AGREGADOS).get("c-1")

    assert doc is not None
    assert doc["version"] == 2
    assert doc["ultimo"] == 2
    pendientes = outbox.pendientes(doc)
    assert [p["topic"] for p in pendientes] == [TOPIC] * 3
    assert [numero(outbox.evento(p)) for p in pendientes] == [0, 1, 2]
    assert [p["id"] for p in pendientes] == [outbox.evento(p).id for p in pendientes]
    assert "_outbox" not in outbox.sin_outbox(doc)


async def test_guardar_con_una_version_vieja_no_escribe_nada(store: Store) -> None:
    coleccion = store.collection(AGREGADOS)
    await emitir(store, "c-1", [0])
    viejo = await coleccion.get("c-1")
    assert viejo is not None
    await emitir(store, "c-1", [1])

    escrito = await outbox.guardar(
        coleccion, {"_id": "c-1", "ultimo": 9}, topic=TOPIC, eventos=[], previo=viejo
    )

    assert escrito is False
    actual = await coleccion.get("c-1")
    assert actual is not None
    assert actual["ultimo"] == 1


async def test_drain_publica_en_orden_y_vacia_el_outbox(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    relay = OutboxRelay(store, await bus_con(bus_harness, consumidor), [AGREGADOS])
    await emitir(store, "c-1", [0, 1, 2])

    publicados = await relay.drain()

    assert publicados == 3
    await esperar(lambda: len(consumidor.aplicados) == 3)
    assert consumidor.orden_por_agregado() == {"c-1": [0, 1, 2]}
    doc = await store.collection(AGREGADOS).get("c-1")
    assert doc is not None
    assert outbox.pendientes(doc) == []
    assert await relay.drain() == 0


async def reabrir(store: Store, open_store: OpenStore, consumidor: Consumidor) -> Store:
    """Simulate the restart after a crash: close the database and open it again."""
    await store.close()
    nuevo = await open_store()
    consumidor.usar(nuevo)
    return nuevo


async def test_eventos_guardados_antes_de_una_caida_los_entrega_el_siguiente_relay(
    open_store: OpenStore, bus_harness: BusHarness
) -> None:
    store = await open_store()
    consumidor = Consumidor(store)
    bus = await bus_con(bus_harness, consumidor)
    await emitir(store, "c-1", [0, 1])
    with pytest.raises(Caida):
        await OutboxRelay(store, BusQueCae(bus, en=1, antes=True), [AGREGADOS]).drain()
    assert consumidor.entregas == []
    store = await reabrir(store, open_store, consumidor)

    await OutboxRelay(store, bus, [AGREGADOS]).drain()

    await esperar(lambda: len(consumidor.aplicados) == 2)
    assert consumidor.orden_por_agregado() == {"c-1": [0, 1]}


async def test_una_caida_tras_publicar_y_antes_de_quitar_republica_y_aplica_una_vez(
    open_store: OpenStore, bus_harness: BusHarness
) -> None:
    store = await open_store()
    consumidor = Consumidor(store)
    bus = await bus_con(bus_harness, consumidor)
    await emitir(store, "c-1", [0])
    with pytest.raises(Caida):
        await OutboxRelay(StoreQueCaeAlQuitar(store), bus, [AGREGADOS]).drain()
    await esperar(lambda: len(consumidor.aplicados) == 1)
    store = await reabrir(store, open_store, consumidor)

    assert await OutboxRelay(store, bus, [AGREGADOS]).drain() == 1

    await esperar(lambda: len(consumidor.entregas) == 2)
    assert consumidor.entregas[0].id == consumidor.entregas[1].id
    assert len(consumidor.aplicados) == 1
    assert await consumidor.efectos.count() == 1


async def test_un_consumidor_que_falla_tras_su_efecto_lo_aplica_una_sola_vez(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store, fallar_tras_efecto=True)
    relay = OutboxRelay(store, await bus_con(bus_harness, consumidor, max_attempts=3), [AGREGADOS])
    await emitir(store, "c-1", [0, 1])

    await relay.drain()

    await esperar(lambda: len(consumidor.entregas) == 4)
    assert consumidor.orden_por_agregado() == {"c-1": [0, 1]}
    assert await consumidor.efectos.count() == 2
    assert await bus_harness.cartas_muertas(dlq_topic(Servicio.PUBLICACION)) == []


async def test_un_relay_reiniciado_a_mitad_de_lote_entrega_todo_una_sola_vez(
    open_store: OpenStore, bus_harness: BusHarness
) -> None:
    store = await open_store()
    consumidor = Consumidor(store)
    bus = await bus_con(bus_harness, consumidor)
    for a in range(10):
        await emitir(store, f"c-{a:02}", [0, 1, 2])
    que_cae = BusQueCae(bus, en=7)
    with pytest.raises(Caida):
        await OutboxRelay(store, que_cae, [AGREGADOS], batch_size=4).drain()
    # An asynchronous bus may still be delivering: let it finish before closing the database.
    await esperar(lambda: len(consumidor.aplicados) == que_cae.llamadas)
    store = await reabrir(store, open_store, consumidor)

    await OutboxRelay(store, bus, [AGREGADOS], batch_size=4).drain()

    await esperar(lambda: len(consumidor.aplicados) == 30)
    assert consumidor.orden_por_agregado() == {f"c-{a:02}": [0, 1, 2] for a in range(10)}
    assert len(consumidor.entregas) > 30
    assert await store.collection(AGREGADOS).count(outbox.FILTRO_PENDIENTES) == 0


async def test_500_eventos_de_50_agregados_llegan_una_vez_y_en_orden(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    relay = OutboxRelay(
        store, await bus_con(bus_harness, consumidor), [AGREGADOS], poll_interval=0.05
    )
    relay.start()

    async def manejar(agregado: str) -> None:
        for n in range(10):
            await emitir(store, agregado, [n])
            relay.notify()

    try:
        await asyncio.gather(*(manejar(f"c-{a:02}") for a in range(50)))
        await esperar(lambda: len(consumidor.aplicados) == 500, plazo=60)
    finally:
        await relay.stop()

    assert consumidor.orden_por_agregado() == {f"c-{a:02}": list(range(10)) for a in range(50)}
    assert await consumidor.efectos.count() == 500
    perfiles = await consumidor.lectura.find()
    assert {p["_id"]: p["n"] for p in perfiles} == {f"c-{a:02}": 9 for a in range(50)}


async def test_el_bucle_publica_en_cuanto_se_le_notifica(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    relay = OutboxRelay(
        store, await bus_con(bus_harness, consumidor), [AGREGADOS], poll_interval=3600
    )
    relay.start()
    try:
        await esperar(lambda: relay.running)
        await emitir(store, "c-1", [0])

        relay.notify()

        await esperar(lambda: len(consumidor.aplicados) == 1)
    finally:
        await relay.stop()
    assert not relay.running


async def test_el_bucle_sobrevive_a_un_bus_caido_y_entrega_al_volver(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    bus = BusIntermitente(await bus_con(bus_harness, consumidor), fallos=3)
    relay = OutboxRelay(store, bus, [AGREGADOS], poll_interval=0.001, max_backoff=0.01)
    await emitir(store, "c-1", [0, 1])

    relay.start()
    try:
        await esperar(lambda: len(consumidor.aplicados) == 2)
        assert relay.running
    finally:
        await relay.stop()
    assert bus.llamadas >= 5
    assert consumidor.orden_por_agregado() == {"c-1": [0, 1]}


async def test_un_documento_con_un_evento_ilegible_no_detiene_a_los_demas(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    relay = OutboxRelay(store, await bus_con(bus_harness, consumidor), [AGREGADOS])
    roto: outbox.Pendiente = {"id": "roto", "topic": TOPIC, "evento": {"tipo": "?"}}
    await store.collection(AGREGADOS).insert({"_id": "c-0", "version": 1, "_outbox": [roto]})
    await emitir(store, "c-1", [0])

    with pytest.raises(RelayError, match="c-0"):
        await relay.drain()

    await esperar(lambda: len(consumidor.aplicados) == 1)
    assert await store.collection(AGREGADOS).count(outbox.FILTRO_PENDIENTES) == 1


async def test_aplicar_si_mas_nueva_ignora_versiones_iguales_o_anteriores(store: Store) -> None:
    perfiles = store.collection("perfiles")

    assert await aplicar_si_mas_nueva(perfiles, {"_id": "c-1", "n": 3}, version=3)
    assert not await aplicar_si_mas_nueva(perfiles, {"_id": "c-1", "n": 2}, version=2)
    assert not await aplicar_si_mas_nueva(perfiles, {"_id": "c-1", "n": 33}, version=3)
    assert await aplicar_si_mas_nueva(perfiles, {"_id": "c-1", "n": 7}, version=7)
    assert not await aplicar_si_mas_nueva(perfiles, {"_id": "c-1", "n": 5}, version=5)

    doc = await perfiles.get("c-1")
    assert doc is not None
    assert doc["n"] == 7


async def test_aplicar_si_mas_nueva_con_escrituras_concurrentes_deja_la_mayor(
    store: Store,
) -> None:
    perfiles = store.collection("perfiles")

    await asyncio.gather(
        *(aplicar_si_mas_nueva(perfiles, {"_id": "c-1", "n": v}, version=v) for v in range(20))
    )

    doc = await perfiles.get("c-1")
    assert doc is not None
    assert doc["n"] == 19


async def test_aplicar_una_vez_no_repite_el_efecto_de_un_evento(store: Store) -> None:
    efectos = store.collection("efectos")

    primero = await aplicar_una_vez(efectos, {"x": 1}, evento_id="e-1")
    segundo = await aplicar_una_vez(efectos, {"x": 2}, evento_id="e-1")

    assert (primero, segundo) == (True, False)
    doc = await efectos.get("e-1")
    assert doc is not None
    assert doc["x"] == 1


async def test_las_cartas_muertas_del_bus_en_memoria_quedan_en_la_coleccion_dlq(
    store: Store,
) -> None:
    async def siempre_falla(evento: Evento) -> None:
        raise RuntimeError("no se pudo proyectar")

    bus = InMemoryBus(max_attempts=2, base_delay=0.001, dead_letters=StoreDeadLetterSink(store))
    bus.subscribe(TOPIC, group=GRUPO, handler=siempre_falla)
    await bus.start()
    evento = evento_prueba("c-1", 0)

    await bus.publish(TOPIC, evento)
    await bus.publish(TOPIC, evento)

    cartas = await store.collection("dlq").find()
    assert len(cartas) == 1
    assert cartas[0]["topic"] == dlq_topic(Servicio.PUBLICACION)
    assert cartas[0]["group"] == GRUPO
    assert "RuntimeError: no se pudo proyectar" in cartas[0]["error"]
    assert Evento.model_validate(cartas[0]["evento"]) == evento
    assert [c.evento.id for c in bus.dead_lettered] == [evento.id, evento.id]


async def test_un_aviso_con_identificador_publica_sin_recorrer_la_coleccion(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    relay = OutboxRelay(
        store, await bus_con(bus_harness, consumidor), [AGREGADOS], full_interval=3600
    )
    relay.start()
    try:
        await esperar(lambda: not relay._completo)
        await emitir(store, "c-1", [0])
        relay.notify("c-1")
        await esperar(lambda: len(consumidor.aplicados) == 1)
    finally:
        await relay.stop()


async def test_drain_ids_publica_solo_los_documentos_nombrados(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    relay = OutboxRelay(store, await bus_con(bus_harness, consumidor), [AGREGADOS])
    await emitir(store, "c-1", [0])
    await emitir(store, "c-2", [0])
    assert await relay.drain_ids(["c-2", "no-existe"]) == 1
    await esperar(lambda: [e.subject for e in consumidor.aplicados] == ["c-2"])


async def test_drain_encuentra_todos_los_pendientes_y_ningun_documento_vaciado(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    bus = await bus_con(bus_harness, consumidor)
    relay = OutboxRelay(store, bus, [AGREGADOS], batch_size=7)
    agregados = [f"c-{i:02d}" for i in range(30)]
    for agregado in agregados:
        await emitir(store, agregado, [0])
    assert await relay.drain() == 30
    await esperar(lambda: len(consumidor.aplicados) == 30)
    otra_vez = agregados[::6]
    for agregado in otra_vez:
        await emitir(store, agregado, [1])

    assert await relay.drain() == len(otra_vez)

    await esperar(lambda: len(consumidor.aplicados) == 30 + len(otra_vez))
    assert sorted(e.subject for e in consumidor.aplicados[30:]) == otra_vez
    assert await store.collection(AGREGADOS).find(outbox.FILTRO_PENDIENTES) == []


async def test_un_relay_nuevo_entrega_lo_escrito_antes_de_que_existiera_su_indice(
    open_store: OpenStore, bus_harness: BusHarness
) -> None:
    store = await open_store()
    consumidor = Consumidor(store)
    await emitir(store, "c-1", [0, 1])
    await emitir(store, "c-2", [0])
    store = await reabrir(store, open_store, consumidor)

    relay = OutboxRelay(store, await bus_con(bus_harness, consumidor), [AGREGADOS])

    assert await relay.drain() == 3
    await esperar(lambda: len(consumidor.aplicados) == 3)
    assert consumidor.orden_por_agregado() == {"c-1": [0, 1], "c-2": [0]}


class ColeccionSinIndices:
    """A collection whose server refuses to build indexes."""

    def __init__(self, coleccion: Collection) -> None:
        self._coleccion = coleccion

    def __getattr__(self, nombre: str) -> Any:
        return getattr(self._coleccion, nombre)

    async def create_index(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("el servidor rechazó el índice")


class StoreSinIndices:
    """A store whose collections refuse to build indexes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def collection(self, name: str) -> Collection:
        return cast(Collection, ColeccionSinIndices(self._store.collection(name)))

    async def ping(self) -> None:
        await self._store.ping()

    async def close(self) -> None:
        await self._store.close()


async def test_sin_su_indice_el_relay_publica_igual_recorriendo_la_coleccion(
    store: Store, bus_harness: BusHarness
) -> None:
    consumidor = Consumidor(store)
    bus = await bus_con(bus_harness, consumidor)
    relay = OutboxRelay(StoreSinIndices(store), bus, [AGREGADOS])
    await emitir(store, "c-1", [0])

    assert await relay.drain() == 1

    await emitir(store, "c-2", [0])
    assert await relay.drain() == 1
    await esperar(lambda: sorted(e.subject for e in consumidor.aplicados) == ["c-1", "c-2"])
