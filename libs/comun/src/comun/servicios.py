"""Service names, topics and URL prefixes, defined once."""

from enum import StrEnum


class Servicio(StrEnum):
    """The six services of DESIGN §2."""

    IDENTIDAD = "identidad"
    CAPTURA = "captura"
    VALIDACION = "validacion"
    PUBLICACION = "publicacion"
    ESTADISTICA = "estadistica"
    AUDITORIA = "auditoria"


def topic(servicio: Servicio) -> str:
    """Kafka topic where a service publishes its events."""
    return f"conoceles.{servicio.value}"


def dlq_topic(servicio: Servicio) -> str:
    """Dead-letter topic of a consuming service."""
    return f"conoceles.{servicio.value}.dlq"


def consumer_group(servicio: Servicio) -> str:
    """Consumer group of a service: one per service."""
    return f"conoceles-{servicio.value}"
