"""Subscribers and deliveries on the document-store port, the HTTP sender and name lookup."""

import asyncio
import socket
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from comun.app import AvisoRelay
from comun.bus import outbox
from comun.cifrado import Cifrador, SobreIlegible
from comun.eventos import Evento
from comun.servicios import Servicio, topic
from comun.settings import PlatformSettings
from comun.store import Collection, Document, DuplicateKeyError, Filter, Store
from publicacion.adapters import PerfilRepository
from publicacion.api import PerfilOut
from publicacion.domain import EstadoPerfil
from publicacion.domain.destinos import Destino, DestinoNoPermitido, sin_consulta
from publicacion.domain.webhooks import (
    Entrega,
    EstadoEntrega,
    EstadoSuscripcion,
    EventoWebhook,
    Intento,
    Resultado,
    Suscripcion,
)

COLECCION_SUSCRIPCIONES = "suscripciones"
COLECCION_ENTREGAS = "entregas_webhook"
USER_AGENT = "Conoceles-Webhooks/1 (+https://www.standardwebhooks.com)"
EN_COLA = [EstadoEntrega.PENDIENTE.value, EstadoEntrega.EN_CURSO.value]
MAX_ERROR = 300


def cifrador_de(plataforma: PlatformSettings) -> Cifrador:
    """The cipher of the subscribers' signing secrets at rest (key derived from clave_secreta)."""
    return Cifrador("webhooks:" + plataforma.clave_secreta.get_secret_value())


def _sin_aviso(doc_id: str | None = None) -> None:
    """No relay to wake (tests, or before the relay starts)."""


async def _escribir(
    coleccion: Collection,
    doc: Document,
    *,
    eventos: Sequence[Evento],
    version: int | None,
    avisar: AvisoRelay,
) -> bool:
    """Insert (no version) or version-checked update of a document with its events, at once.

    False on a version conflict; the relay is woken when there are events to publish.
    """
    previo = None if version is None else {"_id": doc["_id"], "version": version}
    ok = await outbox.guardar(
        coleccion, doc, topic=topic(Servicio.PUBLICACION), eventos=eventos, previo=previo
    )
    if ok and eventos:
        avisar(str(doc["_id"]))
    return ok


class SuscripcionRepository:
    """The subscribers; their secrets are stored sealed, never in clear, and never in events."""

    def __init__(
        self, store: Store, *, cifrador: Cifrador, avisar_relay: AvisoRelay = _sin_aviso
    ) -> None:
        self._coleccion: Collection = store.collection(COLECCION_SUSCRIPCIONES)
        self._cifrador = cifrador
        self._avisar = avisar_relay

    async def preparar(self) -> None:
        """Index for the active subscribers."""
        await self._coleccion.create_index([("estado", 1), ("creada_en", 1)])

    async def agregar(self, suscripcion: Suscripcion, *, eventos: Sequence[Evento] = ()) -> None:
        """Store a new subscriber and its events at once (DuplicateKeyError if its id is taken)."""
        suscripcion.version = 1
        doc = self._a_documento(suscripcion)
        await _escribir(self._coleccion, doc, eventos=eventos, version=None, avisar=self._avisar)

    async def obtener(self, suscripcion_id: str) -> Suscripcion | None:
        """One subscriber, or None."""
        doc = await self._coleccion.get(suscripcion_id)
        return None if doc is None else self._de_documento(doc)

    async def guardar(self, suscripcion: Suscripcion, *, eventos: Sequence[Evento] = ()) -> bool:
        """Write it and its events at once if nobody changed it meanwhile; False otherwise."""
        doc = self._a_documento(suscripcion)
        ok = await _escribir(
            self._coleccion, doc, eventos=eventos, version=suscripcion.version, avisar=self._avisar
        )
        if ok:
            suscripcion.version += 1
        return ok

    async def todas(self) -> list[Suscripcion]:
        """Every subscriber, deleted ones included, oldest first."""
        docs = await self._coleccion.find(sort=[("creada_en", 1), ("_id", 1)])
        return [self._de_documento(d) for d in docs]

    async def activas(self) -> list[Suscripcion]:
        """The subscribers that receive deliveries now."""
        docs = await self._coleccion.find(
            {"estado": EstadoSuscripcion.ACTIVA.value}, sort=[("creada_en", 1), ("_id", 1)]
        )
        return [self._de_documento(d) for d in docs]

    def _sellar(self, suscripcion: Suscripcion, secreto: str | None) -> str | None:
        if secreto is None:
            return None
        return self._cifrador.sellar(secreto.encode("ascii"), contexto=_contexto(suscripcion.id))

    def _abrir(self, suscripcion_id: str, sellado: str | None) -> str | None:
        if sellado is None:
            return None
        try:
            return self._cifrador.abrir(sellado, contexto=_contexto(suscripcion_id)).decode("ascii")
        except SobreIlegible:
            # The platform key changed: deliveries report it until the secret is rotated.
            return None

    def _a_documento(self, s: Suscripcion) -> Document:
        return {
            "_id": s.id,
            "url": s.url,
            "eventos": [e.value for e in s.eventos],
            "descripcion": s.descripcion,
            "secreto": self._sellar(s, s.secreto),
            "secreto_anterior": self._sellar(s, s.secreto_anterior),
            "anterior_vence": s.anterior_vence,
            "estado": s.estado.value,
            "creada_en": s.creada_en,
            "creada_por": s.creada_por,
            "actualizada_en": s.actualizada_en,
            "motivo_pausa": s.motivo_pausa,
            "version": s.version,
        }

    def _de_documento(self, doc: Document) -> Suscripcion:
        suscripcion_id = str(doc["_id"])
        return Suscripcion(
            id=suscripcion_id,
            url=str(doc["url"]),
            eventos=tuple(EventoWebhook(e) for e in doc["eventos"]),
            descripcion=str(doc.get("descripcion") or ""),
            secreto=self._abrir(suscripcion_id, doc.get("secreto")),
            secreto_anterior=self._abrir(suscripcion_id, doc.get("secreto_anterior")),
            anterior_vence=doc.get("anterior_vence"),
            estado=EstadoSuscripcion(doc["estado"]),
            creada_en=float(doc["creada_en"]),
            creada_por=str(doc["creada_por"]),
            actualizada_en=float(doc.get("actualizada_en") or doc["creada_en"]),
            motivo_pausa=doc.get("motivo_pausa"),
            version=int(doc["version"]),
        )


def _contexto(suscripcion_id: str) -> str:
    """What a sealed secret is bound to: it opens only for its own subscriber."""
    return f"webhook:{suscripcion_id}"


class EntregaRepository:
    """The deliveries; the one that succeeds carries `webhook_entregado` in its outbox."""

    def __init__(self, store: Store, *, avisar_relay: AvisoRelay = _sin_aviso) -> None:
        self._coleccion: Collection = store.collection(COLECCION_ENTREGAS)
        self._avisar = avisar_relay

    async def preparar(self) -> None:
        """Indexes for the due deliveries and for each subscriber's log."""
        await self._coleccion.create_index([("estado", 1), ("proximo_intento", 1)])
        await self._coleccion.create_index([("suscripcion_id", 1), ("creada_en", -1)])
        await self._coleccion.create_index([("creada_en", -1)])

    async def agregar(self, entrega: Entrega) -> bool:
        """Queue a delivery; False if this event was already queued for this subscriber."""
        entrega.version = 1
        try:
            await self._coleccion.insert(_entrega_a_documento(entrega))
        except DuplicateKeyError:
            if await self._coleccion.get(entrega.id) is None:
                raise
            return False
        return True

    async def obtener(self, entrega_id: str) -> Entrega | None:
        """One delivery, or None."""
        doc = await self._coleccion.get(entrega_id)
        return None if doc is None else _entrega_de_documento(doc)

    async def guardar(self, entrega: Entrega, *, eventos: Sequence[Evento] = ()) -> bool:
        """Write it and its events at once if nobody changed it meanwhile; False otherwise."""
        doc = _entrega_a_documento(entrega)
        ok = await _escribir(
            self._coleccion, doc, eventos=eventos, version=entrega.version, avisar=self._avisar
        )
        if ok:
            entrega.version += 1
        return ok

    async def vencidas(
        self, suscripciones: Sequence[str], *, ahora: float, limite: int
    ) -> list[Entrega]:
        """Due deliveries of these subscribers, the longest waiting first."""
        docs = await self._coleccion.find(
            {
                "estado": {"$in": EN_COLA},
                "proximo_intento": {"$lte": ahora},
                "suscripcion_id": {"$in": list(suscripciones)},
            },
            sort=[("proximo_intento", 1), ("_id", 1)],
            limit=limite,
        )
        return [_entrega_de_documento(d) for d in docs]

    async def proxima(self, suscripciones: Sequence[str]) -> float | None:
        """When the next queued delivery of these subscribers is due (None: nothing queued)."""
        docs = await self._coleccion.find(
            {"estado": {"$in": EN_COLA}, "suscripcion_id": {"$in": list(suscripciones)}},
            sort=[("proximo_intento", 1)],
            limit=1,
        )
        return float(docs[0]["proximo_intento"]) if docs else None

    async def en_cola(self, suscripcion_id: str) -> list[Entrega]:
        """A subscriber's deliveries still waiting or being sent."""
        docs = await self._coleccion.find(
            {"suscripcion_id": suscripcion_id, "estado": {"$in": EN_COLA}}
        )
        return [_entrega_de_documento(d) for d in docs]

    async def pagina(
        self,
        *,
        suscripcion_id: str | None,
        estado: EstadoEntrega | None,
        saltar: int,
        limite: int,
    ) -> tuple[int, list[Entrega]]:
        """One page of the delivery log, newest first, and how many match."""
        filtro: Filter = {}
        if suscripcion_id is not None:
            filtro["suscripcion_id"] = suscripcion_id
        if estado is not None:
            filtro["estado"] = estado.value
        total = await self._coleccion.count(filtro)
        docs = await self._coleccion.find(
            filtro, sort=[("creada_en", -1), ("_id", 1)], skip=saltar, limit=limite
        )
        return total, [_entrega_de_documento(d) for d in docs]

    async def conteos(self, suscripcion_id: str) -> dict[EstadoEntrega, int]:
        """How many of a subscriber's deliveries are in each state."""
        return {
            e: await self._coleccion.count({"suscripcion_id": suscripcion_id, "estado": e.value})
            for e in EstadoEntrega
        }


def _entrega_a_documento(e: Entrega) -> Document:
    return {
        "_id": e.id,
        "suscripcion_id": e.suscripcion_id,
        "evento_id": e.evento_id,
        "tipo": e.tipo.value,
        "candidatura_id": e.candidatura_id,
        "momento_evento": e.momento_evento,
        "datos": e.datos,
        "creada_en": e.creada_en,
        "proximo_intento": e.proximo_intento,
        "inicio_ventana": e.inicio_ventana,
        "estado": e.estado.value,
        "intentos": e.intentos,
        "reenvios": e.reenvios,
        "ultimo_codigo": e.ultimo_codigo,
        "ultimo_error": e.ultimo_error,
        "entregada_en": e.entregada_en,
        "reclamo": e.reclamo,
        "historial": [
            {
                "numero": i.numero,
                "momento": i.momento,
                "codigo": i.codigo,
                "error": i.error,
                "duracion_ms": i.duracion_ms,
            }
            for i in e.historial
        ],
        "version": e.version,
    }


def _entrega_de_documento(doc: Document) -> Entrega:
    return Entrega(
        id=str(doc["_id"]),
        suscripcion_id=str(doc["suscripcion_id"]),
        evento_id=str(doc["evento_id"]),
        tipo=EventoWebhook(doc["tipo"]),
        candidatura_id=str(doc["candidatura_id"]),
        momento_evento=str(doc["momento_evento"]),
        datos=dict(doc.get("datos") or {}),
        creada_en=float(doc["creada_en"]),
        proximo_intento=doc.get("proximo_intento"),
        inicio_ventana=float(doc.get("inicio_ventana") or doc["creada_en"]),
        estado=EstadoEntrega(doc["estado"]),
        intentos=int(doc.get("intentos", 0)),
        reenvios=int(doc.get("reenvios", 0)),
        ultimo_codigo=doc.get("ultimo_codigo"),
        ultimo_error=doc.get("ultimo_error"),
        entregada_en=doc.get("entregada_en"),
        reclamo=doc.get("reclamo"),
        historial=[
            Intento(
                numero=int(i["numero"]),
                momento=float(i["momento"]),
                codigo=i.get("codigo"),
                error=i.get("error"),
                duracion_ms=int(i.get("duracion_ms", 0)),
            )
            for i in doc.get("historial", [])
        ],
        version=int(doc["version"]),
    )


class VistasPublicas:
    """The profile as the public API returns it, read from the read model at sending time."""

    def __init__(self, repo: PerfilRepository) -> None:
        self._repo = repo

    async def perfil(self, candidatura_id: str) -> tuple[bool, dict[str, Any] | None]:
        """Whether it is published now, and its public JSON (None while it is not public)."""
        estado, vista = await self._repo.vista(candidatura_id)
        if vista is None:
            return False, None
        publica = PerfilOut.model_validate(vista).model_dump(mode="json")
        return estado is EstadoPerfil.PUBLICADO, publica


async def resolver_dns(host: str, puerto: int) -> list[str]:
    """Every address of a host name, in the resolver's order, without repeats."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, puerto, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (OSError, UnicodeError) as exc:
        raise DestinoNoPermitido(
            f"No se pudo resolver el nombre «{host}»; revise la dirección."
        ) from exc
    ips: list[str] = []
    for *_, direccion in infos:
        ip = str(direccion[0])
        if ip not in ips:
            ips.append(ip)
    return ips


class EmisorHttp:
    """POSTs a signed delivery to the checked address: no redirects, no proxies, one timeout."""

    def __init__(self, *, espera_s: float) -> None:
        self._espera = espera_s
        # trust_env off: an HTTP(S)_PROXY variable must not route deliveries around the check.
        self._cliente = httpx.AsyncClient(
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(espera_s),
            headers={"user-agent": USER_AGENT},
        )

    async def enviar(
        self, destino: Destino, *, cabeceras: Mapping[str, str], cuerpo: bytes
    ) -> Resultado:
        """One attempt: the status, or why there was none; never raises for network errors."""
        url = httpx.URL(destino.url.texto)
        # Connect to the address that was checked; Host and TLS (SNI, certificate) keep the name.
        objetivo = url.copy_with(host=destino.ip)
        extensiones = {"sni_hostname": destino.url.host} if destino.url.esquema == "https" else {}
        inicio = time.monotonic()
        try:
            async with asyncio.timeout(self._espera):
                async with self._cliente.stream(
                    "POST",
                    objetivo,
                    content=cuerpo,
                    headers={**cabeceras, "host": url.netloc.decode("ascii")},
                    extensions=extensiones,
                ) as respuesta:
                    codigo, recibidas = respuesta.status_code, respuesta.headers
        except (TimeoutError, httpx.TimeoutException):
            error = f"El receptor no respondió en {self._espera:g} s."
            return Resultado(None, error, duracion_ms=_ms(inicio))
        except httpx.HTTPError as exc:
            error = f"No se pudo conectar con el receptor: {_breve(exc)}"
            return Resultado(None, error, duracion_ms=_ms(inicio))
        return Resultado(
            codigo,
            _error_de(codigo, recibidas),
            reintentar_en=_reintentar_en(recibidas.get("retry-after")),
            duracion_ms=_ms(inicio),
        )

    async def cerrar(self) -> None:
        """Close the connections."""
        await self._cliente.aclose()


def _ms(inicio: float) -> int:
    return int((time.monotonic() - inicio) * 1000)


def _breve(exc: Exception) -> str:
    texto = str(exc) or type(exc).__name__
    return texto[:MAX_ERROR]


def _error_de(codigo: int, cabeceras: httpx.Headers) -> str | None:
    """What the log says of a non-2xx answer."""
    if 200 <= codigo < 300:
        return None
    if 300 <= codigo < 400:
        destino = cabeceras.get("location")
        hacia = f" hacia «{sin_consulta(destino)[:200]}»" if destino else ""
        return (
            f"El receptor respondió {codigo} (redirección{hacia}); las redirecciones no se "
            "siguen: registre la dirección final."
        )
    if codigo == 410:
        return (
            "El receptor respondió 410 (Gone): ya no quiere recibir entregas; el suscriptor "
            "quedó en pausa."
        )
    return f"El receptor respondió {codigo}."


def _reintentar_en(valor: str | None) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date)."""
    if not valor:
        return None
    valor = valor.strip()
    if valor.isdigit():
        return float(valor)
    try:
        cuando = parsedate_to_datetime(valor)
    except (TypeError, ValueError):
        return None
    if cuando.tzinfo is None:
        cuando = cuando.replace(tzinfo=UTC)
    return max(0.0, (cuando - datetime.now(UTC)).total_seconds())
