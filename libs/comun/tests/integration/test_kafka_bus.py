"""Kafka-specific behaviour of the event bus, against a real broker."""

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
from opentelemetry import trace
from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor

from comun.bus.kafka import DLQ_ERROR, DLQ_GRUPO, DLQ_INTENTOS, DLQ_TOPIC, KafkaBus
from comun.bus.port import BusUnavailableError
from comun.eventos import Actor, Evento
from comun.pruebas import puerto_libre
from comun.servicios import Servicio, consumer_group, dlq_topic, topic
from comun.telemetria import capturar_spans

from ..contract.bus_fixtures import (
    borrar_topics,
    bus_kafka,
    cabecera,
    esperar,
    evento_prueba,
    exigir_kafka,
    leer_topic,
    prefijo_unico,
)

TOPIC = topic(Servicio.CAPTURA)
GRUPO = consumer_group(Servicio.PUBLICACION)
DLQ = dlq_topic(Servicio.PUBLICACION)


class Recibidos:
    """A handler that records events and the trace id current while handling each."""

    def __init__(self) -> None:
        self.eventos: list[Evento] = []
        self.trazas: list[int] = []

    async def __call__(self, evento: Evento) -> None:
        self.trazas.append(trace.get_current_span().get_span_context().trace_id)
        self.eventos.append(evento)

    def ids(self) -> list[str]:
        """Ids received, in order."""
        return [e.id for e in self.eventos]


class Kafka:
    """The test broker, a prefix of its own and the buses to stop at the end."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.prefijo = prefijo_unico()
        self.buses: list[KafkaBus] = []

    def bus(self, bootstrap: str | None = None, **opciones: Any) -> KafkaBus:
        """A new test bus under this test's prefix."""
        bus = bus_kafka(bootstrap or self.bootstrap, self.prefijo, **opciones)
        self.buses.append(bus)
        return bus

    async def con(self, handlers: dict[str, Callable[[Evento], Any]], **opciones: Any) -> KafkaBus:
        """A started bus with the handlers subscribed to TOPIC by group."""
        bus = self.bus(**opciones)
        for grupo, handler in handlers.items():
            bus.subscribe(TOPIC, group=grupo, handler=handler)
        await bus.start()
        return bus

    async def leer(self, logico: str) -> list[Any]:
        """What the physical topic of a logical one holds."""
        return await leer_topic(self.bootstrap, self.prefijo + logico)


@pytest.fixture
async def kafka() -> AsyncIterator[Kafka]:
    """A reachable broker (or skip/fail) and cleanup of what the test created."""
    entorno = Kafka(await exigir_kafka())
    try:
        yield entorno
    finally:
        for bus in entorno.buses:
            await bus.stop()
        await borrar_topics(entorno.bootstrap, entorno.prefijo)


class Proxy:
    """TCP forwarder to the broker, opened on demand: a broker that comes up late."""

    def __init__(self, puerto: int, destino: str) -> None:
        self.puerto = puerto
        host, _, port = destino.rpartition(":")
        self._destino = (host, int(port))
        self._servidor: asyncio.Server | None = None
        self._tareas: set[asyncio.Task[None]] = set()

    async def abrir(self) -> None:
        """Start accepting connections."""
        self._servidor = await asyncio.start_server(self._atender, "127.0.0.1", self.puerto)

    async def cerrar(self) -> None:
        """Stop accepting and drop the forwarded connections."""
        if self._servidor is not None:
            self._servidor.close()
        for tarea in self._tareas:
            tarea.cancel()
        await asyncio.gather(*self._tareas, return_exceptions=True)

    async def _atender(self, entrada: asyncio.StreamReader, salida: asyncio.StreamWriter) -> None:
        tarea = asyncio.current_task()
        assert tarea is not None
        self._tareas.add(tarea)
        broker_r, broker_w = await asyncio.open_connection(*self._destino)

        async def copiar(origen: asyncio.StreamReader, destino: asyncio.StreamWriter) -> None:
            try:
                while datos := await origen.read(65536):
                    destino.write(datos)
                    await destino.drain()
            finally:
                destino.close()

        with contextlib.suppress(OSError):
            await asyncio.gather(copiar(entrada, broker_w), copiar(broker_r, salida))


async def test_las_cabeceras_son_cloudevents_binario_y_la_clave_es_el_subject(
    kafka: Kafka,
) -> None:
    bus = await kafka.con({})
    evento = evento_prueba("c-7", 3).model_copy(
        update={"actor": Actor(usuario="u-1", rol="supervisor", partido="PAN")}
    )

    await bus.publish(TOPIC, evento)

    (registro,) = await kafka.leer(TOPIC)
    cabeceras = {k: v.decode() for k, v in registro.headers}
    assert registro.key == b"c-7"
    assert json.loads(registro.value) == {"n": 3}
    assert {k: v for k, v in cabeceras.items() if k not in ("traceparent", "tracestate")} == {
        "ce_specversion": "1.0",
        "ce_id": evento.id,
        "ce_source": "/captura",
        "ce_type": "mx.conoceles.captura.probado.v1",
        "ce_time": evento.model_dump(mode="json")["time"],
        "ce_subject": "c-7",
        "content-type": "application/json",
        "ce_actor": '{"usuario":"u-1","rol":"supervisor","partido":"PAN"}',
        "ce_modulo": "captura",
        "ce_accion": "probar",
    }


async def test_el_evento_recibido_es_igual_al_publicado(kafka: Kafka) -> None:
    recibidos = Recibidos()
    bus = await kafka.con({GRUPO: recibidos})
    evento = evento_prueba("c-1", 0)

    await bus.publish(TOPIC, evento)

    await esperar(lambda: bool(recibidos.eventos))
    assert recibidos.eventos == [evento]


async def test_al_iniciar_se_crean_los_topics_de_servicio_suscritos_y_de_cartas_muertas(
    kafka: Kafka,
) -> None:
    bus = kafka.bus(particiones=2)
    bus.subscribe(TOPIC, group=GRUPO, handler=Recibidos())

    await bus.start()

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap)
    await admin.start()
    try:
        descritos = await admin.describe_topics()
    finally:
        await admin.close()
    propios = {
        t["topic"].removeprefix(kafka.prefijo): len(t["partitions"])
        for t in descritos
        if t["topic"].startswith(kafka.prefijo)
    }
    assert propios == {topic(s): 2 for s in Servicio} | {DLQ: 2}


async def test_el_manejador_continua_la_traza_del_productor(kafka: Kafka) -> None:
    spans = capturar_spans()
    recibidos = Recibidos()
    bus = await kafka.con({GRUPO: recibidos})

    with trace.get_tracer("prueba").start_as_current_span("accion") as accion:
        await bus.publish(TOPIC, evento_prueba("c-1", 0))

    await esperar(lambda: bool(recibidos.trazas))
    traza = accion.get_span_context().trace_id
    assert recibidos.trazas == [traza]
    await esperar(lambda: any(s.name.endswith(" process") for s in spans.get_finished_spans()))
    por_nombre = {s.name: s for s in spans.get_finished_spans()}
    envio = por_nombre[f"{kafka.prefijo}{TOPIC} send"]
    proceso = por_nombre[f"{kafka.prefijo}{TOPIC} process"]
    assert envio.context.trace_id == proceso.context.trace_id == traza
    assert proceso.parent is not None
    assert proceso.parent.span_id == envio.context.span_id
    assert proceso.kind == trace.SpanKind.CONSUMER


async def test_con_la_instrumentacion_de_aiokafka_activa_la_traza_tambien_cruza(
    kafka: Kafka,
) -> None:
    capturar_spans()
    instrumentador = AIOKafkaInstrumentor()
    instrumentador.instrument()
    try:
        recibidos = Recibidos()
        bus = await kafka.con({GRUPO: recibidos})
        with trace.get_tracer("prueba").start_as_current_span("accion") as accion:
            await bus.publish(TOPIC, evento_prueba("c-1", 0))

        await esperar(lambda: bool(recibidos.trazas))
    finally:
        instrumentador.uninstrument()
    assert recibidos.trazas == [accion.get_span_context().trace_id]


async def test_sin_broker_ping_y_publicar_fallan_pronto_con_un_mensaje_claro() -> None:
    direccion = f"127.0.0.1:{puerto_libre()}"
    bus = bus_kafka(direccion, prefijo_unico(), espera_conexion=0.2)
    inicio = time.monotonic()
    try:
        await bus.start()
        with pytest.raises(BusUnavailableError) as ping:
            await bus.ping()
        with pytest.raises(BusUnavailableError):
            await bus.publish(TOPIC, evento_prueba("c-1", 0))
        assert time.monotonic() - inicio < 2
    finally:
        await bus.stop()
    assert direccion in str(ping.value)
    assert "Compruebe que el broker esté en marcha" in str(ping.value)


async def test_un_mensaje_ilegible_va_directo_a_cartas_muertas_con_el_motivo(
    kafka: Kafka,
) -> None:
    recibidos = Recibidos()
    bus = await kafka.con({GRUPO: recibidos})
    productor = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
    await productor.start()
    try:
        await productor.send_and_wait(kafka.prefijo + TOPIC, b"{no es json", key=b"c-1")
    finally:
        await productor.stop()
    valido = evento_prueba("c-1", 1)

    await bus.publish(TOPIC, valido)

    await esperar(lambda: bool(recibidos.eventos))
    assert recibidos.ids() == [valido.id]
    (carta,) = await kafka.leer(DLQ)
    assert carta.value == b"{no es json"
    assert carta.key == b"c-1"
    assert "MensajeIlegible" in (cabecera(carta, DLQ_ERROR) or "")
    assert "faltan las cabeceras CloudEvents" in (cabecera(carta, DLQ_ERROR) or "")
    assert cabecera(carta, DLQ_TOPIC) == kafka.prefijo + TOPIC
    assert cabecera(carta, DLQ_GRUPO) == GRUPO
    assert cabecera(carta, DLQ_INTENTOS) == "0"


async def test_una_carta_muerta_conserva_el_evento_y_su_cabecera_de_error(kafka: Kafka) -> None:
    async def falla(evento: Evento) -> None:
        raise RuntimeError("no se pudo proyectar")

    bus = await kafka.con({GRUPO: falla}, max_attempts=2)
    evento = evento_prueba("c-1", 0)

    await bus.publish(TOPIC, evento)

    cartas: list[Any] = []

    async def hay_carta() -> bool:
        cartas[:] = await kafka.leer(DLQ)
        return bool(cartas)

    limite = time.monotonic() + 10
    while not await hay_carta():
        assert time.monotonic() < limite, "la carta muerta no llegó"
    (carta,) = cartas
    assert cabecera(carta, "ce_id") == evento.id
    assert cabecera(carta, DLQ_ERROR) == "RuntimeError: no se pudo proyectar"
    assert cabecera(carta, DLQ_INTENTOS) == "2"
    assert json.loads(carta.value) == {"n": 0}


async def test_un_lote_largo_se_retoma_en_el_siguiente_sondeo_en_orden_y_sin_repetir(
    kafka: Kafka, caplog: pytest.LogCaptureFixture
) -> None:
    eventos = [evento_prueba("c-1", n) for n in range(8)]
    publicador = await kafka.con({})
    for evento in eventos:
        await publicador.publish(TOPIC, evento)
    recibidos = Recibidos()
    fallados: set[str] = set()

    async def falla_una_vez(evento: Evento) -> None:
        if evento.id not in fallados:
            fallados.add(evento.id)
            raise RuntimeError("falla pasajera")
        await recibidos(evento)

    # Eight events at ~0.2 s each outlast half of the 2 s poll interval: the batch is cut.
    with caplog.at_level(logging.INFO, logger="comun.bus.kafka"):
        await kafka.con(
            {GRUPO: falla_una_vez}, base_delay=0.2, max_delay=0.2, max_poll_interval_ms=2_000
        )
        await esperar(lambda: len(recibidos.eventos) == len(eventos), plazo=30)

    assert recibidos.ids() == [e.id for e in eventos]
    assert any("retoma" in r.getMessage() for r in caplog.records)


async def test_un_evento_no_confirmado_se_reentrega_al_siguiente_consumidor(
    kafka: Kafka,
) -> None:
    primero, bloqueado = evento_prueba("c-1", 0), evento_prueba("c-1", 1)
    vistos: list[str] = []
    nunca = asyncio.Event()

    async def se_cuelga(evento: Evento) -> None:
        vistos.append(evento.id)
        if evento.id == bloqueado.id:
            await nunca.wait()

    bus = await kafka.con({GRUPO: se_cuelga}, espera_drenado=0.2)
    await bus.publish(TOPIC, primero)
    await bus.publish(TOPIC, bloqueado)
    await esperar(lambda: bloqueado.id in vistos)

    await bus.stop()
    recibidos = Recibidos()
    await kafka.con({GRUPO: recibidos})

    await esperar(lambda: bool(recibidos.eventos))
    assert recibidos.ids() == [bloqueado.id]


async def test_un_bus_iniciado_antes_que_el_broker_se_recupera_solo_sin_perder_eventos(
    kafka: Kafka,
) -> None:
    proxy = Proxy(puerto_libre(), kafka.bootstrap)
    recibidos = Recibidos()
    tardio = kafka.bus(f"127.0.0.1:{proxy.puerto}", espera_conexion=0.1)
    tardio.subscribe(TOPIC, group=GRUPO, handler=recibidos)
    await tardio.start()
    with pytest.raises(BusUnavailableError):
        await tardio.ping()
    antes = evento_prueba("c-1", 0)
    await (await kafka.con({})).publish(TOPIC, antes)

    await proxy.abrir()
    try:
        await esperar(lambda: bool(recibidos.eventos))
        await tardio.ping()
        despues = evento_prueba("c-1", 1)
        await tardio.publish(TOPIC, despues)
        await esperar(lambda: len(recibidos.eventos) == 2)
    finally:
        await tardio.stop()
        await proxy.cerrar()
    assert recibidos.ids() == [antes.id, despues.id]


async def test_detener_es_idempotente_y_admite_llamadas_simultaneas(kafka: Kafka) -> None:
    bus = await kafka.con({GRUPO: Recibidos()})

    await asyncio.gather(bus.stop(), bus.stop())
    await bus.stop()

    with pytest.raises(BusUnavailableError):
        await bus.ping()
