"""CloudEvents 1.0 envelope shared by every event (DESIGN §4)."""

from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from uuid6 import uuid7

from comun.servicios import Servicio

# CloudEvents binary mode (Kafka): one header per attribute; the value is the JSON `data`.
CABECERAS_CE = (
    "ce_specversion",
    "ce_id",
    "ce_source",
    "ce_type",
    "ce_time",
    "ce_subject",
    "content-type",
    "ce_actor",
    "ce_modulo",
    "ce_accion",
)


class Actor(BaseModel):
    """Who caused an event: user id, role and party (None for system actions)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    usuario: str
    rol: str
    partido: str | None = None


SISTEMA = Actor(usuario="sistema", rol="sistema")


class DatosEvento(BaseModel):
    """Base of every event's `data` model; subclasses set SERVICIO, NOMBRE and VERSION."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    SERVICIO: ClassVar[Servicio]
    NOMBRE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    @classmethod
    def tipo(cls) -> str:
        """CloudEvents `type`: mx.conoceles.<servicio>.<evento>.v<N>."""
        return f"mx.conoceles.{cls.SERVICIO.value}.{cls.NOMBRE}.v{cls.VERSION}"


class Evento(BaseModel):
    """A CloudEvent with the `actor`, `modulo` and `accion` extensions."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid7()))
    source: str
    type: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str
    datacontenttype: Literal["application/json"] = "application/json"
    actor: Actor
    modulo: str
    accion: str
    data: dict[str, Any]


def nuevo_evento(
    datos: DatosEvento, *, subject: str, actor: Actor, accion: str, modulo: str | None = None
) -> Evento:
    """Wrap event data in a fresh envelope (new UUIDv7 id, current time)."""
    servicio = type(datos).SERVICIO
    return Evento(
        source=f"/{servicio.value}",
        type=type(datos).tipo(),
        subject=subject,
        actor=actor,
        modulo=modulo or servicio.value,
        accion=accion,
        data=datos.model_dump(mode="json"),
    )
