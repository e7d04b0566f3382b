"""One service's consumer group on Kafka: order per partition, retries, dead letters, commits."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]
from aiokafka.errors import CommitFailedError, KafkaError  # type: ignore[import-untyped]
from opentelemetry import propagate, trace

from comun.bus.kafka.formato import (
    Cabeceras,
    MensajeIlegible,
    cabeceras_carta_muerta,
    contexto_traza,
    evento_de,
)
from comun.bus.port import EventHandler

logger = logging.getLogger(__name__)
_tracer = trace.get_tracer("comun.bus.kafka")

# Sends a raw record (topic, key, value, headers) and returns once the broker acknowledged it.
EnviarRegistro = Callable[[str, bytes | None, bytes | None, Cabeceras], Awaitable[None]]


def retraso(intento: int, *, base: float, maximo: float) -> float:
    """Exponential backoff: base, 2·base, 4·base… capped at maximo."""
    return float(min(maximo, base * 2 ** (intento - 1)))


@dataclass(frozen=True)
class AjustesConsumo:
    """How a consumer group retries, reconnects and paces itself."""

    max_attempts: int
    base_delay: float
    max_delay: float
    max_reconexion: float
    request_timeout_ms: int
    session_timeout_ms: int
    heartbeat_interval_ms: int
    max_poll_interval_ms: int
    max_poll_records: int


class ConsumoGrupo:
    """Consumes one group until stopped; commits only what was handled or dead-lettered."""

    def __init__(
        self,
        *,
        bootstrap: str,
        client_id: str,
        grupo: str,
        group_id: str,
        topics: Mapping[str, EventHandler],
        dlq: str,
        ajustes: AjustesConsumo,
        parar: asyncio.Event,
        enviar: EnviarRegistro,
    ) -> None:
        self._bootstrap = bootstrap
        self._client_id = client_id
        self.grupo = grupo
        self._group_id = group_id
        self._topics = dict(topics)
        self._dlq = dlq
        self._ajustes = ajustes
        self._parar = parar
        self._enviar = enviar

    async def run(self) -> None:
        """Consume for the life of the bus, reconnecting with backoff on any failure."""
        intento = 0
        while not self._parar.is_set():
            consumidor = self._consumidor()
            progreso: dict[Any, int] = {}
            espera: float | None = None
            try:
                await consumidor.start()
                intento = 0
                await self._bucle(consumidor, progreso)
            except Exception as exc:
                # Whatever broke (broker gone, a DLQ write refused), start over from the
                # committed offsets: nothing unacknowledged is lost, the loop never dies.
                intento += 1
                espera = retraso(intento, base=0.5, maximo=self._ajustes.max_reconexion)
                logger.warning(
                    "El consumidor del grupo %s falló con Kafka en %s: %r; reintenta en %.1f s",
                    self.grupo,
                    self._bootstrap,
                    exc,
                    espera,
                    exc_info=not isinstance(exc, KafkaError | OSError),
                )
            finally:
                await self._cerrar(consumidor, progreso)
            if espera is not None and not await self._pausa(espera):
                return

    def _consumidor(self) -> Any:
        return AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bootstrap,
            client_id=f"{self._client_id}-{self.grupo}",
            group_id=self._group_id,
            enable_auto_commit=False,
            # A new group reads the whole topic: read models are rebuilt from every event.
            auto_offset_reset="earliest",
            request_timeout_ms=self._ajustes.request_timeout_ms,
            session_timeout_ms=self._ajustes.session_timeout_ms,
            heartbeat_interval_ms=self._ajustes.heartbeat_interval_ms,
            max_poll_interval_ms=self._ajustes.max_poll_interval_ms,
        )

    async def _cerrar(self, consumidor: Any, progreso: dict[Any, int]) -> None:
        # Also runs after a cancelled drain: what was handled is committed, the rest redelivered.
        if progreso:
            try:
                async with asyncio.timeout(5):
                    await consumidor.commit(dict(progreso))
            except (KafkaError, OSError, TimeoutError) as exc:
                logger.warning("No se confirmaron los últimos offsets al cerrar: %r", exc)
        with contextlib.suppress(Exception):
            await consumidor.stop()

    async def _pausa(self, segundos: float) -> bool:
        """Sleep unless stopping; False when the bus is stopping."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(segundos):
                await self._parar.wait()
        return not self._parar.is_set()

    async def _bucle(self, consumidor: Any, progreso: dict[Any, int]) -> None:
        while not self._parar.is_set():
            lotes: dict[Any, list[Any]] = await consumidor.getmany(
                timeout_ms=200, max_records=self._ajustes.max_poll_records
            )
            if not lotes:
                continue
            # A batch of failing events (each retried with backoff) must not outlast the poll
            # interval, or the group drops this member and the same batch starts over.
            limite = time.monotonic() + self._ajustes.max_poll_interval_ms / 2000
            # Partitions are independent: side by side; within one, strictly in order.
            pendientes = await asyncio.gather(
                *(self._particion(r, progreso, limite) for r in lotes.values())
            )
            for tp, pendiente in zip(lotes, pendientes, strict=True):
                if pendiente is not None and not self._parar.is_set():
                    logger.info(
                        "El grupo %s retoma %s[%d] en el offset %d en el siguiente sondeo",
                        self.grupo,
                        tp.topic,
                        tp.partition,
                        pendiente,
                    )
                    consumidor.seek(tp, pendiente)
            if not progreso:
                continue
            try:
                await consumidor.commit(dict(progreso))
            except CommitFailedError as exc:
                # Partitions moved to another member during a rebalance: it gets them again.
                logger.info("Offsets del grupo %s sin confirmar: %s", self.grupo, exc)
            progreso.clear()

    async def _particion(
        self, registros: list[Any], progreso: dict[Any, int], limite: float
    ) -> int | None:
        """Handle a partition's records in order; the offset to fetch again if cut short."""
        for registro in registros:
            if (
                self._parar.is_set()
                or time.monotonic() > limite
                or not await self._procesar(registro)
            ):
                return int(registro.offset)
            progreso[TopicPartition(registro.topic, registro.partition)] = registro.offset + 1
        return None

    async def _procesar(self, registro: Any) -> bool:
        """Handle one record with retries, or dead-letter it; False if stopped meanwhile."""
        try:
            evento = evento_de(registro.headers, registro.value)
        except MensajeIlegible as exc:
            await self._carta_muerta(registro, f"MensajeIlegible: {exc}", intentos=0)
            return True
        atributos = {
            "messaging.system": "kafka",
            "messaging.destination.name": registro.topic,
            "messaging.operation.type": "process",
            "messaging.consumer.group.name": self._group_id,
            "messaging.destination.partition.id": str(registro.partition),
            "messaging.kafka.offset": registro.offset,
            "messaging.message.id": evento.id,
            "cloudevents.event_type": evento.type,
        }
        with _tracer.start_as_current_span(
            f"{registro.topic} process",
            context=propagate.extract(contexto_traza(registro.headers)),
            kind=trace.SpanKind.CONSUMER,
            attributes=atributos,
        ) as span:
            maximo = self._ajustes.max_attempts
            for intento in range(1, maximo + 1):
                try:
                    await self._topics[registro.topic](evento)
                    return True
                except Exception as exc:
                    if intento == maximo:
                        span.record_exception(exc)
                        span.set_status(trace.StatusCode.ERROR, type(exc).__name__)
                        error = f"{type(exc).__name__}: {exc}"
                        await self._carta_muerta(registro, error, intentos=intento)
                        return True
                    logger.warning(
                        "El grupo %s falló con el evento %s (intento %d de %d): %r",
                        self.grupo,
                        evento.id,
                        intento,
                        maximo,
                        exc,
                    )
                    espera = retraso(
                        intento, base=self._ajustes.base_delay, maximo=self._ajustes.max_delay
                    )
                    if not await self._pausa(espera):
                        return False
        return False

    async def _carta_muerta(self, registro: Any, error: str, *, intentos: int) -> None:
        """Send the original record to the group's dead-letter topic with why it failed."""
        logger.error(
            "Mensaje %s[%d]@%d enviado a %s tras %d intentos: %s",
            registro.topic,
            registro.partition,
            registro.offset,
            self._dlq,
            intentos,
            error,
        )
        headers = cabeceras_carta_muerta(
            registro.headers,
            error=error,
            topic=registro.topic,
            grupo=self.grupo,
            intentos=intentos,
            particion=registro.partition,
            offset=registro.offset,
        )
        await self._enviar(self._dlq, registro.key, registro.value, headers)
