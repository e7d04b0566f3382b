"""Composition root of estadistica."""

from fastapi import FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.servicios import Servicio
from estadistica import api, consumer, web


def modulo() -> Modulo:
    """estadistica's routers and subscriptions."""

    async def iniciar(recursos: Recursos) -> None:
        consumer.suscribir_eventos(recursos.bus, recursos.store)

    return Modulo(servicio=Servicio.ESTADISTICA, routers=[api.router, web.router], iniciar=iniciar)


def create_app() -> FastAPI:
    """estadistica alone in its process."""
    return crear_app([modulo()])
