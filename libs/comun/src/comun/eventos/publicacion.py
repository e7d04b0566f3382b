"""Events of the publicacion service: public profiles, webhook deliveries and subscribers."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from comun.eventos.contenido import DatosCandidatura
from comun.eventos.envelope import DatosEvento
from comun.servicios import Servicio


class PerfilPublicado(DatosCandidatura):
    """A candidacy's profile (or a new version of it) became public."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "perfil_publicado"

    url: str
    identidad_publica: bool = Field(
        description="Whether the identity answers were published (consent or acción afirmativa)."
    )


class PerfilRetirado(DatosCandidatura):
    """A candidacy's profile stopped being public."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "perfil_retirado"

    motivo: Literal["sustituida", "cancelada", "deshabilitada"]


class DatosSuscriptor(DatosEvento):
    """Base of the events about one webhook subscriber; never carries its secret."""

    suscripcion_id: str
    url: str = Field(description="Subscriber endpoint, without query string or credentials.")


class WebhookEntregado(DatosSuscriptor):
    """An outgoing webhook delivery was acknowledged by its subscriber."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "webhook_entregado"

    evento_id: str = Field(description="Id of the event that was delivered.")
    evento_tipo: str
    intentos: int = Field(ge=1)
    codigo_http: int
    candidatura_id: str | None = None


class SuscriptorRegistrado(DatosSuscriptor):
    """The administrator registered a webhook subscriber."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "suscriptor_registrado"

    eventos: tuple[str, ...] = Field(
        description="CloudEvents types of the events the subscriber receives."
    )


class SuscriptorPausado(DatosSuscriptor):
    """Deliveries to a subscriber stopped (the administrator, or the receiver's 410)."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "suscriptor_pausado"

    motivo: str


class SuscriptorReanudado(DatosSuscriptor):
    """The administrator resumed the deliveries to a paused subscriber."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "suscriptor_reanudado"


class SecretoRotado(DatosSuscriptor):
    """The administrator gave a subscriber a new signing secret (neither secret travels)."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "secreto_rotado"

    anterior_vigente_hasta: datetime | None = Field(
        default=None,
        description=(
            "Until then deliveries also carry a signature with the previous secret; None when "
            "there was no readable previous secret."
        ),
    )


class SuscriptorEliminado(DatosSuscriptor):
    """The administrator deleted a subscriber: no more deliveries, secrets erased, log kept."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "suscriptor_eliminado"


class EntregaReenviada(DatosSuscriptor):
    """The administrator put a delivered or dead delivery back in the queue (same webhook-id)."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "entrega_reenviada"

    entrega_id: str
    evento_id: str = Field(description="Id of the event the delivery carries (webhook-id).")
    evento_tipo: str
    candidatura_id: str
