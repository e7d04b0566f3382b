"""The SMTP port: an outbox kept in the store (default) or any SMTP server."""

import asyncio
import contextlib
import logging
import smtplib
import ssl
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from comun.store import Collection, DuplicateKeyError, Store
from comun.tareas import TareaPeriodica
from validacion.config import Settings
from validacion.domain.avisos import MensajeCorreo

COLECCION_BUZON = "correos_salida"
log = logging.getLogger(__name__)


class CorreoNoEnviado(Exception):
    """The server refused or could not be reached; the message is retried later."""


class Correo(Protocol):
    """Hands an e-mail message to a server; raises CorreoNoEnviado when it could not."""

    async def enviar(self, mensaje: MensajeCorreo) -> None:
        """Deliver the message (idempotent by its id where the adapter can tell)."""
        ...


class BuzonDeSalida:
    """Embedded adapter: messages stay in the store for the administrator to read."""

    def __init__(self, store: Store) -> None:
        self._coleccion: Collection = store.collection(COLECCION_BUZON)

    async def enviar(self, mensaje: MensajeCorreo) -> None:
        """Keep the message; a repeated id is kept once."""
        doc = {
            "_id": mensaje.id,
            "para": list(mensaje.para),
            "asunto": mensaje.asunto,
            "cuerpo": mensaje.cuerpo,
            "guardado_en": datetime.now(UTC).isoformat(),
        }
        with contextlib.suppress(DuplicateKeyError):
            await self._coleccion.insert(doc)

    async def mensajes(self, *, limite: int = 200) -> list[MensajeCorreo]:
        """The latest kept messages, newest first."""
        docs = await self._coleccion.find(sort=[("guardado_en", -1), ("_id", 1)], limit=limite)
        return [
            MensajeCorreo(
                id=d["_id"], para=tuple(d["para"]), asunto=d["asunto"], cuerpo=d["cuerpo"]
            )
            for d in docs
        ]


class SmtpCorreo:
    """Real adapter: any SMTP server, `smtp://user:pass@host:port` (smtps:// for TLS)."""

    def __init__(
        self, url: str, *, remitente: str, starttls: bool = False, espera: float = 30.0
    ) -> None:
        partes = urlsplit(url)
        if partes.scheme not in ("smtp", "smtps") or not partes.hostname:
            raise ValueError(
                "CONOCELES_VALIDACION_SMTP_URL debe tener la forma "
                "smtp://usuario:clave@servidor:puerto (o smtps:// para TLS directo)."
            )
        self._tls = partes.scheme == "smtps"
        self._servidor = partes.hostname
        self._puerto = partes.port or (465 if self._tls else 25)
        self._usuario = unquote(partes.username) if partes.username else None
        self._clave = unquote(partes.password) if partes.password else None
        self._remitente = remitente
        self._starttls = starttls
        self._espera = espera

    async def enviar(self, mensaje: MensajeCorreo) -> None:
        """Send in a worker thread (stdlib smtplib)."""
        try:
            await asyncio.to_thread(self._enviar, mensaje)
        except (smtplib.SMTPException, OSError) as exc:
            raise CorreoNoEnviado(f"{type(exc).__name__}: {exc}") from exc

    def _enviar(self, mensaje: MensajeCorreo) -> None:
        correo = EmailMessage()
        correo["From"] = self._remitente
        correo["To"] = ", ".join(mensaje.para)
        correo["Subject"] = mensaje.asunto
        correo["Date"] = formatdate(localtime=False)
        correo["Message-ID"] = make_msgid(idstring=mensaje.id.replace(":", "."))
        correo.set_content(mensaje.cuerpo)
        contexto = ssl.create_default_context()
        smtp = (
            smtplib.SMTP_SSL(self._servidor, self._puerto, timeout=self._espera, context=contexto)
            if self._tls
            else smtplib.SMTP(self._servidor, self._puerto, timeout=self._espera)
        )
        with smtp:
            if self._starttls and not self._tls:
                smtp.starttls(context=contexto)
            if self._usuario is not None:
                smtp.login(self._usuario, self._clave or "")
            smtp.send_message(correo)


class RepartoCorreo(TareaPeriodica):
    """Background delivery: runs `entregar` at start, when woken and every `intervalo` seconds."""

    def __init__(self, entregar: Callable[[], Awaitable[int]], *, intervalo: float) -> None:
        super().__init__(
            "validacion-reparto-correo",
            self._repartir,
            intervalo=intervalo,
            mensaje_fallo="No se pudieron repartir los correos de avisos",
            registro=log,
        )
        self._entregar = entregar

    async def _repartir(self) -> None:
        """One delivery of the queued copies; those that fail stay queued for the next one."""
        await self._entregar()


def correo_configurado(ajustes: Settings, store: Store) -> Correo:
    """SmtpCorreo when CONOCELES_VALIDACION_SMTP_URL is set, the outbox otherwise."""
    if ajustes.smtp_url is None or not ajustes.smtp_url.get_secret_value():
        return BuzonDeSalida(store)
    return SmtpCorreo(
        ajustes.smtp_url.get_secret_value(),
        remitente=ajustes.correo_remitente,
        starttls=ajustes.smtp_starttls,
    )
