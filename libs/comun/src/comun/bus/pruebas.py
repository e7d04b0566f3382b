"""Test helpers for the real bus: find the test Kafka, or fail under CI."""

import asyncio
import os

from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
from aiokafka.errors import KafkaError  # type: ignore[import-untyped]

from comun.pruebas import falta

KAFKA = os.environ.get("CONOCELES_TEST_KAFKA", "127.0.0.1:9092")
_disponible: bool | None = None


async def _responde(bootstrap: str) -> bool:
    """Whether a Kafka broker lists its topics within 5 s."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3_000)
    try:
        async with asyncio.timeout(5):
            await admin.start()
            await admin.list_topics()
        return True
    except (KafkaError, OSError, TimeoutError):
        return False
    finally:
        await admin.close()


async def exigir_kafka() -> str:
    """The test Kafka's address; fail under CI, else skip, when it does not answer."""
    global _disponible
    if _disponible is None:
        _disponible = await _responde(KAFKA)
    if not _disponible:
        falta(f"Kafka no responde en {KAFKA} (CONOCELES_TEST_KAFKA)")
    return KAFKA
