"""Composition root of publicacion."""

import asyncio

from fastapi import FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.cifrado import Cifrador
from comun.servicios import Servicio
from publicacion import api, api_datos, consumer, web
from publicacion.adapters import COLECCION, PerfilRepository
from publicacion.config import Settings
from publicacion.indice import indice_de
from publicacion.regenerador import Regenerador, regenerador
from publicacion.web import datos_abiertos as web_datos
from publicacion.webhooks.main import Webhooks


def modulo() -> Modulo:
    """publicacion's routers, subscriptions and outbox collection."""
    tareas: list[Regenerador] = []
    calentar: list[asyncio.Task[object]] = []
    webhooks = Webhooks()

    async def iniciar(recursos: Recursos) -> None:
        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        indice = indice_de(recursos.store)
        repo = PerfilRepository(recursos.store, avisar_relay=avisar, al_guardar=indice.invalidar)
        await repo.preparar()
        cifrador = Cifrador(recursos.plataforma.secreto_identidad())
        consumer.suscribir_eventos(recursos.bus, repo, cifrador)
        datos_abiertos = regenerador(recursos, repo, Settings())
        datos_abiertos.iniciar()
        tareas.append(datos_abiertos)
        # The first search would otherwise wait for the whole index to load.
        calentar.append(asyncio.create_task(indice.tabla(), name="publicacion-indice"))
        await webhooks.iniciar(recursos)

    async def detener() -> None:
        for tarea in calentar:
            tarea.cancel()
        while tareas:
            await tareas.pop().detener()
        await webhooks.detener()

    return Modulo(
        servicio=Servicio.PUBLICACION,
        routers=[api.router, *web.routers, api_datos.router, web_datos.router, *webhooks.routers],
        iniciar=iniciar,
        detener=detener,
        colecciones_outbox=[COLECCION, *webhooks.colecciones_outbox],
        errores=webhooks.errores,
    )


def create_app() -> FastAPI:
    """publicacion alone in its process."""
    return crear_app([modulo()])
