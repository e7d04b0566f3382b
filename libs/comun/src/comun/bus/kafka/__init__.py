"""Event bus on Apache Kafka with aiokafka: CloudEvents binary mode, manual commits, DLQ."""

from comun.bus.kafka.bus import KafkaBus
from comun.bus.kafka.formato import (
    DLQ_ERROR,
    DLQ_GRUPO,
    DLQ_HORA,
    DLQ_INTENTOS,
    DLQ_OFFSET,
    DLQ_PARTICION,
    DLQ_TOPIC,
    MensajeIlegible,
    cabeceras,
    evento_de,
    valor,
)
from comun.eventos.envelope import CABECERAS_CE

__all__ = [
    "CABECERAS_CE",
    "DLQ_ERROR",
    "DLQ_GRUPO",
    "DLQ_HORA",
    "DLQ_INTENTOS",
    "DLQ_OFFSET",
    "DLQ_PARTICION",
    "DLQ_TOPIC",
    "KafkaBus",
    "MensajeIlegible",
    "cabeceras",
    "evento_de",
    "valor",
]
