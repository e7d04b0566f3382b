"""Composition root of publicacion."""

from fastapi import FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.servicios import Servicio
from publicacion import api, consumer, web


def modulo() -> Modulo:
    """publicacion's routers and subscriptions."""

    async def iniciar(recursos: Recursos) -> None:
        consumer.suscribir_eventos(recursos.bus, recursos.store)

    return Modulo(servicio=Servicio.PUBLICACION, routers=[api.router, web.router], iniciar=iniciar)


def create_app() -> FastAPI:
    """publicacion alone in its process."""
    return crear_app([modulo()])
