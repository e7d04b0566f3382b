"""Kafka records of events: CloudEvents binary mode (`ce_*` headers, JSON value), dead letters."""

import contextlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import ValidationError

from comun.eventos import Evento
from comun.eventos.envelope import CABECERAS_CE

Cabeceras = Sequence[tuple[str, bytes | None]]

DLQ_ERROR = "dlq_error"
DLQ_TOPIC = "dlq_topic"
DLQ_GRUPO = "dlq_grupo"
DLQ_INTENTOS = "dlq_intentos"
DLQ_PARTICION = "dlq_particion"
DLQ_OFFSET = "dlq_offset"
DLQ_HORA = "dlq_hora"


class MensajeIlegible(ValueError):
    """A Kafka record that is not a CloudEvent of this project."""


def cabeceras(evento: Evento) -> list[tuple[str, bytes]]:
    """CloudEvents binary-mode headers of an event (`ce_*`, `content-type`), as Kafka sends them."""
    valores = {
        "ce_specversion": evento.specversion,
        "ce_id": evento.id,
        "ce_source": evento.source,
        "ce_type": evento.type,
        "ce_time": evento.model_dump(mode="json", include={"time"})["time"],
        "ce_subject": evento.subject,
        "content-type": evento.datacontenttype,
        "ce_actor": evento.actor.model_dump_json(),
        "ce_modulo": evento.modulo,
        "ce_accion": evento.accion,
    }
    return [(clave, texto.encode()) for clave, texto in valores.items()]


def valor(evento: Evento) -> bytes:
    """The record value: the event's `data` as compact JSON."""
    return json.dumps(evento.data, ensure_ascii=False, separators=(",", ":")).encode()


def _primeras(headers: Cabeceras | None) -> dict[str, bytes]:
    """Header values by name, keeping the first of a repeated name."""
    primeras: dict[str, bytes] = {}
    for clave, crudo in headers or ():
        if crudo is not None:
            primeras.setdefault(clave, crudo)
    return primeras


def contexto_traza(headers: Cabeceras | None) -> dict[str, str]:
    """Headers as text for the trace propagator (`traceparent`, `tracestate`)."""
    texto: dict[str, str] = {}
    for clave, crudo in _primeras(headers).items():
        with contextlib.suppress(UnicodeDecodeError):
            texto[clave] = crudo.decode()
    return texto


def evento_de(headers: Cabeceras | None, value: bytes | None) -> Evento:
    """Rebuild an Evento from binary-mode headers and the JSON value; raise MensajeIlegible."""
    crudas = _primeras(headers)
    faltan = [nombre for nombre in CABECERAS_CE if nombre not in crudas]
    if faltan:
        raise MensajeIlegible(f"faltan las cabeceras CloudEvents {', '.join(faltan)}")
    if value is None:
        raise MensajeIlegible("el mensaje no tiene valor (data)")
    try:
        ce = {nombre: crudas[nombre].decode() for nombre in CABECERAS_CE}
        return Evento.model_validate(
            {
                "specversion": ce["ce_specversion"],
                "id": ce["ce_id"],
                "source": ce["ce_source"],
                "type": ce["ce_type"],
                "time": ce["ce_time"],
                "subject": ce["ce_subject"],
                "datacontenttype": ce["content-type"],
                "actor": json.loads(ce["ce_actor"]),
                "modulo": ce["ce_modulo"],
                "accion": ce["ce_accion"],
                "data": json.loads(value),
            }
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MensajeIlegible(f"JSON inválido: {exc}") from exc
    except ValidationError as exc:
        errores = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise MensajeIlegible(f"el evento no es válido: {errores}") from exc


def cabeceras_carta_muerta(
    headers: Cabeceras | None,
    *,
    error: str,
    topic: str,
    grupo: str,
    intentos: int,
    particion: int,
    offset: int,
) -> list[tuple[str, bytes | None]]:
    """The original headers plus why and where a record was dead-lettered (`dlq_*`)."""
    extra = {
        DLQ_ERROR: error,
        DLQ_TOPIC: topic,
        DLQ_GRUPO: grupo,
        DLQ_INTENTOS: str(intentos),
        DLQ_PARTICION: str(particion),
        DLQ_OFFSET: str(offset),
        DLQ_HORA: datetime.now(UTC).isoformat(),
    }
    propias = [(k, v) for k, v in headers or () if not k.startswith("dlq_")]
    return propias + [(k, v.encode()) for k, v in extra.items()]
