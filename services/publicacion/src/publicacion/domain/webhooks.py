"""Outgoing webhooks (INE linkage, PTO 29): subscribers, deliveries, retries and signatures.

Deliveries follow the Standard Webhooks specification: a JSON body `{type, timestamp, data}`
signed with HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with a `whsec_` secret
per subscriber. Times are seconds since the epoch (floats), as the store compares them.
"""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from publicacion.domain.destinos import ErrorWebhook, analizar_url
from publicacion.domain.vista import url_de

PREFIJO_SECRETO = "whsec_"
BYTES_SECRETO = 32
MAX_DESCRIPCION = 200
MAX_HISTORIAL = 20
# After a rotation the old secret still signs (a second signature) for a day, so the receiver
# can switch without losing deliveries (Standard Webhooks, zero-downtime rotation).
GRACIA_ROTACION_S = 24 * 3600.0


class ConflictoWebhook(ErrorWebhook):
    """The subscriber or delivery is not in a state that allows the action (409)."""


class EventoWebhook(StrEnum):
    """The public events a subscriber may ask for; the same names as publicacion's events."""

    PERFIL_PUBLICADO = "perfil_publicado"
    PERFIL_RETIRADO = "perfil_retirado"


ETIQUETAS_EVENTO = {
    EventoWebhook.PERFIL_PUBLICADO: "Perfil publicado o actualizado",
    EventoWebhook.PERFIL_RETIRADO: "Perfil retirado",
}


class EstadoSuscripcion(StrEnum):
    """Whether a subscriber receives deliveries."""

    ACTIVA = "activa"
    PAUSADA = "pausada"
    # Kept for the record of who received what; its secret is erased.
    ELIMINADA = "eliminada"


ETIQUETAS_SUSCRIPCION = {
    EstadoSuscripcion.ACTIVA: "Activo",
    EstadoSuscripcion.PAUSADA: "En pausa",
    EstadoSuscripcion.ELIMINADA: "Eliminado",
}


class EstadoEntrega(StrEnum):
    """Where one delivery stands."""

    PENDIENTE = "pendiente"
    EN_CURSO = "en_curso"
    ENTREGADA = "entregada"
    # Dead letter: the retry window ran out; only a manual replay sends it again.
    FALLIDA = "fallida"
    DESCARTADA = "descartada"


ETIQUETAS_ENTREGA = {
    EstadoEntrega.PENDIENTE: "Pendiente",
    EstadoEntrega.EN_CURSO: "Enviándose",
    EstadoEntrega.ENTREGADA: "Entregada",
    EstadoEntrega.FALLIDA: "Fallida (se agotaron los reintentos)",
    EstadoEntrega.DESCARTADA: "Descartada",
}
REENVIABLES = frozenset({EstadoEntrega.ENTREGADA, EstadoEntrega.FALLIDA})


def nuevo_secreto(aleatorio: bytes) -> str:
    """A signing secret from 32 random bytes: `whsec_` + base64."""
    if len(aleatorio) != BYTES_SECRETO:
        raise ValueError(f"El secreto necesita {BYTES_SECRETO} bytes aleatorios.")
    return PREFIJO_SECRETO + base64.b64encode(aleatorio).decode("ascii")


def clave_de(secreto: str) -> bytes:
    """The HMAC key a `whsec_` secret encodes."""
    try:
        return base64.b64decode(secreto.removeprefix(PREFIJO_SECRETO), validate=True)
    except binascii.Error as exc:
        raise ValueError("El secreto de firma no tiene el formato whsec_<base64>.") from exc


def firmar(secreto: str, *, mensaje_id: str, marca: int, cuerpo: bytes) -> str:
    """The `v1,<base64>` signature of one attempt (Standard Webhooks, symmetric)."""
    contenido = f"{mensaje_id}.{marca}.".encode() + cuerpo
    firma = hmac.new(clave_de(secreto), contenido, hashlib.sha256).digest()
    return "v1," + base64.b64encode(firma).decode("ascii")


def cabeceras_firmadas(
    secretos: Sequence[str], *, mensaje_id: str, marca: int, cuerpo: bytes
) -> dict[str, str]:
    """The webhook-* headers of one attempt, signed with every secret in force."""
    firmas = " ".join(
        firmar(s, mensaje_id=mensaje_id, marca=marca, cuerpo=cuerpo) for s in secretos
    )
    return {
        "content-type": "application/json",
        "webhook-id": mensaje_id,
        "webhook-timestamp": str(marca),
        "webhook-signature": firmas,
    }


def cuerpo_de(tipo: "EventoWebhook", momento: str, datos: Mapping[str, Any]) -> bytes:
    """The JSON body, compact: what is signed is exactly what is sent."""
    mensaje = {"type": tipo.value, "timestamp": momento, "data": datos}
    return json.dumps(mensaje, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True, slots=True)
class PoliticaReintentos:
    """Exponential backoff with full jitter, within a window after which a delivery is dead."""

    base_s: float = 5.0
    tope_s: float = 6 * 3600.0
    ventana_s: float = 3 * 24 * 3600.0

    def espera(self, intento: int, azar: float, *, pedida: float | None = None) -> float:
        """Seconds before the next attempt after failed attempt `intento` (1, 2, …).

        `azar` in [0, 1) picks the point in [0, min(tope, base·2^(intento-1))] (full jitter);
        a receiver's Retry-After (`pedida`) is a lower bound, never beyond the cap.
        """
        techo = min(self.tope_s, self.base_s * 2.0 ** min(max(intento - 1, 0), 60))
        espera = max(0.0, min(azar, 1.0)) * techo
        if pedida is not None and pedida > 0:
            espera = max(espera, min(pedida, self.tope_s))
        return espera


@dataclass(frozen=True, slots=True)
class Resultado:
    """What one attempt got: an HTTP status, or none (timeout, refused, bad address)."""

    codigo: int | None
    error: str | None = None
    reintentar_en: float | None = None
    duracion_ms: int = 0

    @property
    def exito(self) -> bool:
        """A 2xx answer; anything else (3xx included) is a failure."""
        return self.codigo is not None and 200 <= self.codigo < 300

    @property
    def sin_interes(self) -> bool:
        """410 Gone: the receiver wants no more deliveries."""
        return self.codigo == 410


@dataclass(frozen=True, slots=True)
class Intento:
    """One attempt in a delivery's log."""

    numero: int
    momento: float
    codigo: int | None
    error: str | None
    duracion_ms: int


@dataclass
class Suscripcion:
    """A system that receives the public events it asked for, at its URL, signed."""

    id: str
    url: str
    eventos: tuple[EventoWebhook, ...]
    descripcion: str
    # None once erased (deleted subscriber) or when it cannot be read with the current key.
    secreto: str | None
    creada_en: float
    creada_por: str
    estado: EstadoSuscripcion = EstadoSuscripcion.ACTIVA
    actualizada_en: float = 0.0
    motivo_pausa: str | None = None
    secreto_anterior: str | None = None
    anterior_vence: float | None = None
    # The stored document's version this copy was read at (optimistic concurrency).
    version: int = 0

    @classmethod
    def registrar(
        cls,
        *,
        id: str,
        url: str,
        eventos: Iterable[str],
        descripcion: str,
        secreto: str,
        usuario: str,
        ahora: float,
    ) -> "Suscripcion":
        """A new active subscriber; ErrorWebhook with a clear message on bad input."""
        analizar_url(url)
        descripcion = " ".join(descripcion.split())
        if len(descripcion) > MAX_DESCRIPCION:
            raise ErrorWebhook(
                f"La descripción debe tener como máximo {MAX_DESCRIPCION} caracteres; "
                f"recibimos {len(descripcion)}."
            )
        return cls(
            id=id,
            url=url.strip(),
            eventos=eventos_validos(eventos),
            descripcion=descripcion,
            secreto=secreto,
            creada_en=ahora,
            creada_por=usuario,
            actualizada_en=ahora,
        )

    def recibe(self, tipo: EventoWebhook) -> bool:
        """Whether a new event of this type is queued for the subscriber."""
        return self.estado is EstadoSuscripcion.ACTIVA and tipo in self.eventos

    def pausar(self, *, motivo: str, ahora: float) -> None:
        """Stop sending; what is queued waits for the resumption."""
        self._no_eliminada()
        if self.estado is EstadoSuscripcion.PAUSADA:
            raise ConflictoWebhook("El suscriptor ya está en pausa.")
        self.estado = EstadoSuscripcion.PAUSADA
        self.motivo_pausa, self.actualizada_en = motivo, ahora

    def reanudar(self, *, ahora: float) -> None:
        """Send again, starting with what was queued."""
        self._no_eliminada()
        if self.estado is EstadoSuscripcion.ACTIVA:
            raise ConflictoWebhook("El suscriptor ya está activo.")
        self.estado = EstadoSuscripcion.ACTIVA
        self.motivo_pausa, self.actualizada_en = None, ahora

    def eliminar(self, *, ahora: float) -> None:
        """No more deliveries; the secrets are erased and the record kept."""
        self._no_eliminada()
        self.estado, self.actualizada_en = EstadoSuscripcion.ELIMINADA, ahora
        self.secreto = self.secreto_anterior = self.anterior_vence = None

    def rotar_secreto(self, nuevo: str, *, ahora: float) -> None:
        """A new secret; the previous one still signs for GRACIA_ROTACION_S."""
        self._no_eliminada()
        self.secreto_anterior, self.anterior_vence = self.secreto, ahora + GRACIA_ROTACION_S
        self.secreto, self.actualizada_en = nuevo, ahora

    def secretos_vigentes(self, ahora: float) -> list[str]:
        """The secrets that sign a delivery now (the new one first)."""
        vigentes = [self.secreto] if self.secreto else []
        if (
            self.secreto_anterior
            and self.anterior_vence is not None
            and ahora < self.anterior_vence
        ):
            vigentes.append(self.secreto_anterior)
        return vigentes

    def _no_eliminada(self) -> None:
        if self.estado is EstadoSuscripcion.ELIMINADA:
            raise ConflictoWebhook(
                "El suscriptor fue eliminado; registre uno nuevo si quiere volver a enviarle."
            )


def eventos_validos(eventos: Iterable[str]) -> tuple[EventoWebhook, ...]:
    """The asked events in catalog order; ErrorWebhook naming any unknown one."""
    pedidos = {e.strip() for e in eventos if e.strip()}
    conocidos = {e.value for e in EventoWebhook}
    desconocidos = sorted(pedidos - conocidos)
    opciones = " o ".join(e.value for e in EventoWebhook)
    if desconocidos:
        nombres = ", ".join(f"«{d[:40]}»" for d in desconocidos[:5])
        raise ErrorWebhook(f"Evento desconocido: {nombres}; elija {opciones}.")
    if not pedidos:
        raise ErrorWebhook(f"Elija al menos un evento: {opciones}.")
    return tuple(e for e in EventoWebhook if e.value in pedidos)


def id_de_entrega(evento_id: str, suscripcion_id: str) -> str:
    """One delivery per event and subscriber: the key that makes queuing idempotent."""
    return f"{evento_id}_{suscripcion_id}"


@dataclass
class Entrega:
    """One event on its way to one subscriber: attempts, retries, dead letter, replays."""

    id: str
    suscripcion_id: str
    evento_id: str
    tipo: EventoWebhook
    candidatura_id: str
    momento_evento: str
    # What the event says besides the profile: its version, and the reason of a withdrawal.
    datos: dict[str, Any]
    creada_en: float
    proximo_intento: float | None
    inicio_ventana: float
    estado: EstadoEntrega = EstadoEntrega.PENDIENTE
    intentos: int = 0
    reenvios: int = 0
    ultimo_codigo: int | None = None
    ultimo_error: str | None = None
    entregada_en: float | None = None
    reclamo: str | None = None
    historial: list[Intento] = field(default_factory=list)
    # The stored document's version this copy was read at (optimistic concurrency).
    version: int = 0

    @classmethod
    def nueva(
        cls,
        *,
        evento_id: str,
        suscripcion_id: str,
        tipo: EventoWebhook,
        candidatura_id: str,
        momento_evento: str,
        datos: Mapping[str, Any],
        ahora: float,
    ) -> "Entrega":
        """A delivery due now."""
        return cls(
            id=id_de_entrega(evento_id, suscripcion_id),
            suscripcion_id=suscripcion_id,
            evento_id=evento_id,
            tipo=tipo,
            candidatura_id=candidatura_id,
            momento_evento=momento_evento,
            datos=dict(datos),
            creada_en=ahora,
            proximo_intento=ahora,
            inicio_ventana=ahora,
        )

    def vencida(self, ahora: float) -> bool:
        """Due: waiting and its time came, or claimed by a sender that never reported back."""
        en_cola = self.estado in (EstadoEntrega.PENDIENTE, EstadoEntrega.EN_CURSO)
        return en_cola and self.proximo_intento is not None and self.proximo_intento <= ahora

    def reclamar(self, *, reclamo: str, ahora: float, arriendo_s: float) -> None:
        """Take the delivery for one attempt; after `arriendo_s` another sender may take it."""
        if not self.vencida(ahora):
            raise ConflictoWebhook("La entrega no está por enviarse.")
        self.estado, self.reclamo = EstadoEntrega.EN_CURSO, reclamo
        self.intentos += 1
        self.proximo_intento = ahora + arriendo_s

    def registrar(
        self, resultado: Resultado, *, ahora: float, politica: PoliticaReintentos, azar: float
    ) -> None:
        """The attempt's outcome: delivered, retried later, or dead once the window ran out."""
        if self.estado is not EstadoEntrega.EN_CURSO:
            raise ConflictoWebhook("La entrega no se estaba enviando.")
        intento = Intento(
            self.intentos, ahora, resultado.codigo, resultado.error, resultado.duracion_ms
        )
        self.historial = [*self.historial, intento][-MAX_HISTORIAL:]
        self.ultimo_codigo, self.ultimo_error = resultado.codigo, resultado.error
        self.reclamo = None
        limite = self.inicio_ventana + politica.ventana_s
        if resultado.exito:
            self.estado, self.entregada_en = EstadoEntrega.ENTREGADA, ahora
            self.proximo_intento = None
        elif resultado.sin_interes:
            # The subscriber is paused: the delivery waits for its resumption.
            self.estado, self.proximo_intento = EstadoEntrega.PENDIENTE, ahora
        elif ahora >= limite:
            self.estado, self.proximo_intento = EstadoEntrega.FALLIDA, None
        else:
            espera = politica.espera(self.intentos, azar, pedida=resultado.reintentar_en)
            self.estado = EstadoEntrega.PENDIENTE
            self.proximo_intento = min(ahora + espera, limite)

    def descartar(self, motivo: str, *, ahora: float) -> None:
        """Not sent: what it would say is no longer so, or its subscriber was deleted."""
        if self.estado not in (EstadoEntrega.PENDIENTE, EstadoEntrega.EN_CURSO):
            raise ConflictoWebhook("Solo se descarta una entrega pendiente.")
        self.estado, self.ultimo_error = EstadoEntrega.DESCARTADA, motivo
        self.proximo_intento = self.reclamo = None
        intento = Intento(self.intentos, ahora, None, motivo, 0)
        self.historial = [*self.historial, intento][-MAX_HISTORIAL:]

    def reenviar(self, *, ahora: float) -> None:
        """The administrator's replay of a delivered or dead delivery: a fresh retry window."""
        if self.estado not in REENVIABLES:
            raise ConflictoWebhook(
                "Solo se reenvían entregas entregadas o fallidas; esta está "
                f"«{ETIQUETAS_ENTREGA[self.estado].lower()}»."
            )
        self.estado = EstadoEntrega.PENDIENTE
        self.proximo_intento = self.inicio_ventana = ahora
        self.reenvios += 1
        self.entregada_en = None


# Why a delivery was discarded because what it would say is no longer so.
NO_PUBLICO = (
    "El perfil ya no está publicado; no se envía contenido que dejó de ser público "
    "(su retiro se entrega por separado)."
)
REPUBLICADO = "El perfil volvió a publicarse; este retiro ya no aplica."


def contenido(
    entrega: Entrega, *, publicado: bool, vista: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The `data` to send now, from the current public view; None when it no longer applies.

    Read at each attempt, so a retry never sends what stopped being public (a takedown after
    the event) and never undoes a later change at the receiver.
    """
    if entrega.tipo is EventoWebhook.PERFIL_PUBLICADO:
        return dict(vista) if publicado and vista is not None else None
    if publicado:
        return None
    return {
        "id": entrega.candidatura_id,
        "motivo": entrega.datos.get("motivo"),
        "url": url_de(entrega.candidatura_id),
    }
