"""AsyncAPI 3.0 document of every event, generated from the registered models.

Regenerate with: uv run python -m comun.eventos.asyncapi > docs/asyncapi.json
"""

import json
import sys
from typing import Any

from pydantic.json_schema import models_json_schema

from comun.eventos.envelope import CABECERAS_CE, Actor, DatosEvento, Evento
from comun.eventos.registro import TIPOS, muestra
from comun.servicios import Servicio, dlq_topic, topic

COMANDO = "uv run python -m comun.eventos.asyncapi > docs/asyncapi.json"
_SCHEMAS = "#/components/schemas/"
_KAFKA_BINDING = "0.5.0"

_CABECERAS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes in Kafka binary mode (`ce_*` headers).",
    "required": list(CABECERAS_CE),
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {
            "type": "string",
            "format": "uuid",
            "description": "UUIDv7; consumers deduplicate by it.",
        },
        "ce_source": {"type": "string", "description": "Producing service: `/<servicio>`."},
        "ce_type": {
            "type": "string",
            "pattern": r"^mx\.conoceles\.[a-z]+\.[a-z_]+\.v[0-9]+$",
            "description": "`mx.conoceles.<servicio>.<evento>.v<N>`.",
        },
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_subject": {
            "type": "string",
            "description": "Aggregate id (usually the candidacy id); also the Kafka key.",
        },
        "content-type": {"type": "string", "const": "application/json"},
        "ce_actor": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": f"Who caused the event, as compact JSON of {_SCHEMAS}Actor.",
        },
        "ce_modulo": {"type": "string", "description": "Module of the activity history."},
        "ce_accion": {"type": "string", "description": "Action of the activity history."},
    },
}


def _esquemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """Payload reference per event type, and the JSON Schemas of every model involved."""
    modelos: list[type[DatosEvento] | type[Actor]] = [Actor, *TIPOS.values()]
    referencias, esquema = models_json_schema(
        [(modelo, "validation") for modelo in modelos], ref_template=_SCHEMAS + "{model}"
    )
    payloads = {tipo: referencias[(modelo, "validation")] for tipo, modelo in TIPOS.items()}
    return payloads, {"CabecerasCloudEvents": _CABECERAS, **esquema["$defs"]}


def _cabeceras_de(evento: Evento) -> dict[str, str]:
    """The Kafka headers an event travels with (binary mode)."""
    return {
        "ce_specversion": evento.specversion,
        "ce_id": evento.id,
        "ce_source": evento.source,
        "ce_type": evento.type,
        "ce_time": evento.model_dump(mode="json")["time"],
        "ce_subject": evento.subject,
        "content-type": evento.datacontenttype,
        "ce_actor": evento.actor.model_dump_json(),
        "ce_modulo": evento.modulo,
        "ce_accion": evento.accion,
    }


def _mensaje(tipo: str, modelo: type[DatosEvento], payload: dict[str, Any]) -> dict[str, Any]:
    """AsyncAPI message of one event type, with its sample as example."""
    ejemplo = muestra(tipo)
    return {
        "name": modelo.NOMBRE,
        "title": modelo.__name__,
        "summary": (modelo.__doc__ or "").strip(),
        "contentType": "application/json",
        "headers": {
            "allOf": [
                {"$ref": _SCHEMAS + "CabecerasCloudEvents"},
                {
                    "type": "object",
                    "properties": {
                        "ce_type": {"type": "string", "const": tipo},
                        "ce_source": {"type": "string", "const": f"/{modelo.SERVICIO.value}"},
                    },
                },
            ]
        },
        "payload": payload,
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The event's `subject`."},
                "bindingVersion": _KAFKA_BINDING,
            }
        },
        "examples": [
            {"name": "muestra", "headers": _cabeceras_de(ejemplo), "payload": ejemplo.data}
        ],
    }


def _canal(servicio: Servicio) -> dict[str, Any]:
    """The topic where a service publishes, with the messages it carries."""
    return {
        "address": topic(servicio),
        "title": f"Eventos de {servicio.value}",
        "description": (
            f"Kafka key = `subject`, so events of one aggregate stay ordered. "
            f"Consumers' dead letters go to `{dlq_topic(servicio)}`."
        ),
        "messages": {
            tipo: {"$ref": f"#/components/messages/{tipo}"}
            for tipo, modelo in TIPOS.items()
            if modelo.SERVICIO is servicio
        },
        "bindings": {"kafka": {"topic": topic(servicio), "bindingVersion": _KAFKA_BINDING}},
    }


def generar_asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of all registered event types."""
    canales = {servicio.value: _canal(servicio) for servicio in Servicio}
    payloads, esquemas = _esquemas()
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Conóceles: eventos",
            "version": "1.0.0",
            "description": (
                "Eventos que publican los servicios de Conóceles (CloudEvents 1.0 en modo "
                "binario sobre Kafka). Un tema por servicio productor. Documento generado; "
                f"regenérelo con `{COMANDO}`."
            ),
        },
        "defaultContentType": "application/json",
        "channels": canales,
        "operations": {
            f"publicar_{nombre}": {
                "action": "send",
                "channel": {"$ref": f"#/channels/{nombre}"},
                "messages": [
                    {"$ref": f"#/channels/{nombre}/messages/{tipo}"} for tipo in canal["messages"]
                ],
            }
            for nombre, canal in canales.items()
        },
        "components": {
            "messages": {
                tipo: _mensaje(tipo, modelo, payloads[tipo]) for tipo, modelo in TIPOS.items()
            },
            "schemas": esquemas,
        },
    }


def serializar(documento: dict[str, Any]) -> str:
    """The document as committed: indented UTF-8 JSON ending in a newline."""
    return json.dumps(documento, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Write the document to standard output."""
    sys.stdout.buffer.write(serializar(generar_asyncapi()).encode("utf-8"))


if __name__ == "__main__":
    main()
