"""KafkaBus: the EventBus port on Apache Kafka (DESIGN §3, §4)."""

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]
from aiokafka.errors import (  # type: ignore[import-untyped]
    KafkaError,
    KafkaTimeoutError,
    ProducerClosed,
)
from opentelemetry import propagate, trace

from comun.bus.kafka.consumo import AjustesConsumo, ConsumoGrupo, retraso
from comun.bus.kafka.formato import Cabeceras, cabeceras, valor
from comun.bus.port import BusUnavailableError, EventHandler
from comun.eventos import Evento
from comun.servicios import Servicio, consumer_group, dlq_topic, topic

logger = logging.getLogger(__name__)
_tracer = trace.get_tracer("comun.bus.kafka")

# Kafka's TOPIC_ALREADY_EXISTS: another process created the topic first.
_YA_EXISTE = 36
_GRUPOS: dict[str, Servicio] = {consumer_group(s): s for s in Servicio}
TOPICS_SERVICIOS = tuple(topic(s) for s in Servicio)


@dataclass
class _Grupo:
    servicio: Servicio
    handlers: dict[str, EventHandler] = field(default_factory=dict)


class KafkaBus:
    """EventBus on Kafka: idempotent producer, one consumer group per service, retry then DLQ."""

    def __init__(
        self,
        bootstrap: str,
        *,
        client_id: str = "conoceles",
        max_attempts: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        particiones: int = 3,
        replicacion: int = 1,
        prefijo_topics: str = "",
        topics_publicados: Iterable[str] = TOPICS_SERVICIOS,
        espera_conexion: float = 5.0,
        espera_ping: float = 1.5,
        espera_publicar: float = 30.0,
        espera_drenado: float = 10.0,
        max_reconexion: float = 30.0,
        request_timeout_ms: int = 30_000,
        session_timeout_ms: int = 10_000,
        heartbeat_interval_ms: int = 3_000,
        max_poll_interval_ms: int = 300_000,
        max_poll_records: int = 500,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts debe ser al menos 1.")
        self._bootstrap = bootstrap
        self._client_id = client_id
        self._particiones = particiones
        self._replicacion = replicacion
        self._prefijo = prefijo_topics
        self._publicados = tuple(topics_publicados)
        self._espera_conexion = espera_conexion
        self._espera_ping = espera_ping
        self._espera_publicar = espera_publicar
        self._espera_drenado = espera_drenado
        self._ajustes = AjustesConsumo(
            max_attempts=max_attempts,
            base_delay=base_delay,
            max_delay=max_delay,
            max_reconexion=max_reconexion,
            request_timeout_ms=request_timeout_ms,
            session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=heartbeat_interval_ms,
            max_poll_interval_ms=max_poll_interval_ms,
            max_poll_records=max_poll_records,
        )
        self._grupos: dict[str, _Grupo] = {}
        self._iniciado = False
        self._parar = asyncio.Event()
        self._conectado = asyncio.Event()
        self._admin: Any = None
        self._productor: Any = None
        self._creados: set[str] = set()
        self._creando = asyncio.Lock()
        self._tareas: list[asyncio.Task[None]] = []
        self._conexion: asyncio.Task[None] | None = None
        self._parada: asyncio.Future[None] | None = None

    def subscribe(self, topic: str, *, group: str, handler: EventHandler) -> None:
        """Register the handler of a consumer group (a service's `consumer_group`) for a topic."""
        servicio = _GRUPOS.get(group)
        if servicio is None:
            validos = ", ".join(sorted(_GRUPOS))
            raise ValueError(f"Grupo de consumo desconocido «{group}»; use uno de: {validos}.")
        if self._iniciado:
            raise RuntimeError("Suscriba los manejadores antes de iniciar el bus de Kafka.")
        grupo = self._grupos.setdefault(group, _Grupo(servicio))
        if topic in grupo.handlers:
            raise ValueError(f"El grupo «{group}» ya tiene un manejador para «{topic}».")
        grupo.handlers[topic] = handler

    async def start(self) -> None:
        """Connect in the background; wait a little for the broker, never fail if it is down."""
        if self._parada is not None:
            raise BusUnavailableError(self._mensaje_detenido())
        if self._iniciado:
            return
        self._iniciado = True
        self._conexion = asyncio.create_task(self._conectar(), name="kafka-conexion")
        for nombre, grupo in self._grupos.items():
            consumo = ConsumoGrupo(
                bootstrap=self._bootstrap,
                client_id=self._client_id,
                grupo=nombre,
                group_id=self._fisico(nombre),
                topics={self._fisico(t): h for t, h in grupo.handlers.items()},
                dlq=self._fisico(dlq_topic(grupo.servicio)),
                ajustes=self._ajustes,
                parar=self._parar,
                enviar=self._enviar,
            )
            self._tareas.append(asyncio.create_task(self._consumir(consumo), name=nombre))
        if not await self._hasta_conectar(self._espera_conexion):
            logger.warning(
                "Kafka en %s aún no responde; el bus sigue intentando conectar.", self._bootstrap
            )

    async def stop(self) -> None:
        """Let in-flight events finish (bounded), commit, disconnect; idempotent."""
        if self._parada is None:
            self._parada = asyncio.ensure_future(self._detener())
        await asyncio.shield(self._parada)

    async def ping(self) -> None:
        """Raise BusUnavailableError unless the cluster answers within `espera_ping`."""
        self._comprobar_iniciado()
        if self._admin is None or not self._conectado.is_set():
            raise BusUnavailableError(self._mensaje_sin_conexion())
        try:
            async with asyncio.timeout(self._espera_ping):
                await self._admin.describe_cluster()
        except (TimeoutError, KafkaError, OSError) as exc:
            raise BusUnavailableError(
                f"Kafka en {self._bootstrap} no respondió en {self._espera_ping:g} s "
                f"({type(exc).__name__}). Compruebe que el broker esté en marcha."
            ) from exc

    async def publish(self, topic: str, evento: Evento) -> None:
        """Send in binary mode keyed by subject; return once the broker acknowledged it."""
        self._comprobar_iniciado()
        if not await self._hasta_conectar(self._espera_conexion):
            raise BusUnavailableError(self._mensaje_sin_conexion())
        fisico = self._fisico(topic)
        atributos = {
            "messaging.system": "kafka",
            "messaging.destination.name": fisico,
            "messaging.operation.type": "send",
            "messaging.message.id": evento.id,
            "messaging.kafka.message.key": evento.subject,
            "cloudevents.event_type": evento.type,
        }
        try:
            with _tracer.start_as_current_span(
                f"{fisico} send", kind=trace.SpanKind.PRODUCER, attributes=atributos
            ):
                contexto: dict[str, str] = {}
                propagate.inject(contexto)
                headers = cabeceras(evento) + [(k, v.encode()) for k, v in contexto.items()]
                # aiokafka keeps a batch forever while the broker is down but still known as
                # leader: bound the wait so the relay backs off (a late copy is a duplicate).
                async with asyncio.timeout(self._espera_publicar):
                    await self._enviar(fisico, evento.subject.encode(), valor(evento), headers)
        except (KafkaError, TimeoutError) as exc:
            if isinstance(exc, KafkaError) and not (
                exc.retriable or isinstance(exc, KafkaTimeoutError | ProducerClosed)
            ):
                raise
            raise BusUnavailableError(
                f"Kafka en {self._bootstrap} no confirmó el evento {evento.id} "
                f"({type(exc).__name__}); se reintentará."
            ) from exc

    async def _enviar(
        self, fisico: str, key: bytes | None, value: bytes | None, headers: Cabeceras
    ) -> None:
        """Send one record and wait for the broker's acknowledgement (acks=all)."""
        admin, productor = self._admin, self._productor
        if productor is None:
            raise ProducerClosed()
        await self._asegurar(admin, [fisico])
        acuse = await productor.send(fisico, value=value, key=key, headers=list(headers))
        # Shielded: a caller's timeout must not cancel aiokafka's own delivery future.
        await asyncio.shield(acuse)

    async def _consumir(self, consumo: ConsumoGrupo) -> None:
        if await self._hasta_conectar():
            await consumo.run()

    async def _detener(self) -> None:
        self._parar.set()
        if self._conexion is not None:
            self._conexion.cancel()
        if self._tareas:
            _, pendientes = await asyncio.wait(self._tareas, timeout=self._espera_drenado)
            for tarea in pendientes:
                tarea.cancel()
            await asyncio.gather(*self._tareas, return_exceptions=True)
        if self._conexion is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._conexion
        await self._cerrar_clientes()

    async def _cerrar_clientes(self) -> None:
        productor, self._productor = self._productor, None
        admin, self._admin = self._admin, None
        self._conectado.clear()
        if productor is not None:
            with contextlib.suppress(Exception):
                await productor.stop()
        if admin is not None:
            with contextlib.suppress(Exception):
                await admin.close()

    def _comprobar_iniciado(self) -> None:
        if self._parada is not None:
            raise BusUnavailableError(self._mensaje_detenido())
        if not self._iniciado:
            raise BusUnavailableError(
                f"El bus de eventos de Kafka ({self._bootstrap}) no está iniciado; "
                "llame a start() antes de usarlo."
            )

    def _mensaje_detenido(self) -> str:
        return f"El bus de eventos de Kafka ({self._bootstrap}) está detenido; cree uno nuevo."

    def _mensaje_sin_conexion(self) -> str:
        return (
            f"No hay conexión con Kafka en {self._bootstrap}; el bus sigue intentando conectar. "
            "Compruebe que el broker esté en marcha y que la dirección sea correcta."
        )

    def _fisico(self, logico: str) -> str:
        return f"{self._prefijo}{logico}"

    async def _hasta_conectar(self, plazo: float | None = None) -> bool:
        """Wait until connected unless stopping (or past the deadline); True if connected."""
        if not (self._conectado.is_set() or self._parar.is_set()):
            esperas = {
                asyncio.ensure_future(self._conectado.wait()),
                asyncio.ensure_future(self._parar.wait()),
            }
            try:
                await asyncio.wait(esperas, timeout=plazo, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for espera in esperas:
                    espera.cancel()
        return self._conectado.is_set() and not self._parar.is_set()

    async def _conectar(self) -> None:
        iniciales = [self._fisico(t) for t in self._publicados]
        for grupo in self._grupos.values():
            iniciales += [self._fisico(t) for t in grupo.handlers]
            iniciales.append(self._fisico(dlq_topic(grupo.servicio)))
        intento = 0
        while True:
            intento += 1
            try:
                self._admin = AIOKafkaAdminClient(
                    bootstrap_servers=self._bootstrap,
                    client_id=f"{self._client_id}-admin",
                    request_timeout_ms=self._ajustes.request_timeout_ms,
                )
                await self._admin.start()
                await self._asegurar(self._admin, iniciales)
                self._productor = AIOKafkaProducer(
                    bootstrap_servers=self._bootstrap,
                    client_id=self._client_id,
                    acks="all",
                    enable_idempotence=True,
                    request_timeout_ms=self._ajustes.request_timeout_ms,
                )
                await self._productor.start()
            except (KafkaError, OSError) as exc:
                await self._cerrar_clientes()
                espera = retraso(intento, base=0.5, maximo=self._ajustes.max_reconexion)
                logger.warning(
                    "No se pudo conectar con Kafka en %s (intento %d): %r; reintenta en %.1f s",
                    self._bootstrap,
                    intento,
                    exc,
                    espera,
                )
                await asyncio.sleep(espera)
                continue
            logger.info("Bus de eventos conectado a Kafka en %s", self._bootstrap)
            self._conectado.set()
            return

    async def _asegurar(self, admin: Any, topics: Iterable[str]) -> None:
        """Create the missing topics (partitions and replication of this bus)."""
        faltan = set(topics) - self._creados
        if not faltan:
            return
        async with self._creando:
            faltan -= self._creados
            if not faltan:
                return
            nuevos = sorted(faltan - set(await admin.list_topics()))
            if nuevos:
                respuesta = await admin.create_topics(
                    [NewTopic(t, self._particiones, self._replicacion) for t in nuevos]
                )
                for nombre, codigo, *detalle in respuesta.topic_errors:
                    if codigo not in (0, _YA_EXISTE):
                        raise KafkaError(f"No se pudo crear el topic {nombre}: {codigo} {detalle}")
                await self._con_lider(admin, nuevos)
                logger.info("Topics creados en Kafka: %s", ", ".join(nuevos))
            self._creados |= faltan

    async def _con_lider(self, admin: Any, topics: list[str]) -> None:
        """Wait until new topics have a leader for every partition (first sends then succeed)."""
        async with asyncio.timeout(self._ajustes.request_timeout_ms / 1000):
            while True:
                descritos = await admin.describe_topics(topics)
                if all(
                    t["error_code"] == 0 and all(p["leader"] >= 0 for p in t["partitions"])
                    for t in descritos
                ):
                    return
                await asyncio.sleep(0.05)
