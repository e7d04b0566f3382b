"""The webhooks inside publicacion's composition root: stores, subscription, delivery loop."""

import functools
import time
from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from comun.app import Recursos
from publicacion.adapters import PerfilRepository
from publicacion.config import Settings
from publicacion.domain.destinos import ErrorWebhook
from publicacion.domain.webhooks import ConflictoWebhook, PoliticaReintentos
from publicacion.webhooks import api, consumer, handlers, web
from publicacion.webhooks.adapters import (
    COLECCION_ENTREGAS,
    COLECCION_SUSCRIPCIONES,
    EmisorHttp,
    EntregaRepository,
    SuscripcionRepository,
    VistasPublicas,
    cifrador_de,
    resolver_dns,
)
from publicacion.webhooks.entrega import RepartoWebhooks

# Past the receiver's timeout, a claimed delivery goes back to the queue (its sender died).
MARGEN_ARRIENDO_S = 30.0


class Webhooks:
    """What the webhooks add to publicacion's module, and their start and stop."""

    routers: Sequence[APIRouter] = (api.router, web.router)
    colecciones_outbox: Sequence[str] = (COLECCION_SUSCRIPCIONES, COLECCION_ENTREGAS)
    # A subclass before its base: the first matching entry gives the status.
    errores: Mapping[type[Exception], int] = {ConflictoWebhook: 409, ErrorWebhook: 422}

    def __init__(self) -> None:
        self._reparto: RepartoWebhooks | None = None
        self._emisor: EmisorHttp | None = None

    async def iniciar(self, recursos: Recursos) -> None:
        """Indexes, the subscription to publicacion's own events and the delivery loop."""
        ajustes = Settings()

        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        suscripciones = SuscripcionRepository(
            recursos.store, cifrador=cifrador_de(recursos.plataforma), avisar_relay=avisar
        )
        entregas = EntregaRepository(recursos.store, avisar_relay=avisar)
        await suscripciones.preparar()
        await entregas.preparar()
        self._emisor = EmisorHttp(espera_s=ajustes.webhooks_espera_s)
        repartidor = handlers.Repartidor(
            suscripciones=suscripciones,
            entregas=entregas,
            fuente=VistasPublicas(PerfilRepository(recursos.store)),
            emisor=self._emisor,
            resolver=resolver_dns,
            politica=PoliticaReintentos(
                base_s=ajustes.webhooks_reintento_base_s,
                tope_s=ajustes.webhooks_reintento_tope_s,
                ventana_s=ajustes.webhooks_ventana_s,
            ),
            permitir_privadas=ajustes.webhooks_permitir_privadas,
            arriendo_s=ajustes.webhooks_espera_s + MARGEN_ARRIENDO_S,
        )
        self._reparto = RepartoWebhooks(
            functools.partial(handlers.entregar_pendientes, repartidor=repartidor),
            intervalo=ajustes.webhooks_intervalo_s,
            reloj=time.time,
        )
        consumer.suscribir_eventos(
            recursos.bus,
            suscripciones=suscripciones,
            entregas=entregas,
            despertar=self._reparto.avisar,
        )
        self._reparto.iniciar()

    async def detener(self) -> None:
        """Stop the loop and close the connections; queued deliveries stay in the store."""
        if self._reparto is not None:
            await self._reparto.detener()
            self._reparto = None
        if self._emisor is not None:
            await self._emisor.cerrar()
            self._emisor = None
