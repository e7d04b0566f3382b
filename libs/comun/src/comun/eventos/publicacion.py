"""Events of the publicacion service: public profiles and webhook deliveries."""

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


class WebhookEntregado(DatosEvento):
    """An outgoing webhook delivery was acknowledged by its subscriber."""

    SERVICIO = Servicio.PUBLICACION
    NOMBRE = "webhook_entregado"

    suscripcion_id: str
    url: str = Field(description="Subscriber endpoint, without query string or credentials.")
    evento_id: str = Field(description="Id of the event that was delivered.")
    evento_tipo: str
    intentos: int = Field(ge=1)
    codigo_http: int
    candidatura_id: str | None = None
