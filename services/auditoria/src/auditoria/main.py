"""Composition root of auditoria."""

from fastapi import FastAPI

from auditoria import api, consumer, web
from auditoria.adapters import HistorialRepository
from comun.app import Modulo, Recursos, crear_app
from comun.servicios import Servicio


def modulo() -> Modulo:
    """auditoria's routers and subscriptions."""

    async def iniciar(recursos: Recursos) -> None:
        await HistorialRepository(recursos.store).preparar()
        consumer.suscribir_eventos(recursos.bus, recursos.store)

    return Modulo(servicio=Servicio.AUDITORIA, routers=[api.router, web.router], iniciar=iniciar)


def create_app() -> FastAPI:
    """auditoria alone in its process."""
    return crear_app([modulo()])
