"""Composition root of validacion."""

from fastapi import FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.servicios import Servicio
from validacion import api, consumer, web
from validacion.adapters import RevisionRepository


def modulo() -> Modulo:
    """validacion's routers and subscriptions."""

    async def iniciar(recursos: Recursos) -> None:
        await RevisionRepository(recursos.store).preparar()
        consumer.suscribir_eventos(recursos.bus, recursos.store)

    return Modulo(servicio=Servicio.VALIDACION, routers=[api.router, web.router], iniciar=iniciar)


def create_app() -> FastAPI:
    """validacion alone in its process."""
    return crear_app([modulo()])
