"""Composition root of publicacion."""

import asyncio

from fastapi import FastAPI
from starlette.middleware import Middleware

from comun.app import Modulo, Recursos, crear_app
from comun.cifrado import Cifrador
from comun.rutas import servicio_de_ruta
from comun.servicios import Servicio
from comun.tareas import TareaPeriodica
from publicacion import api, api_datos, consumer, web
from publicacion.adapters import COLECCION, PerfilRepository
from publicacion.cache_http import CacheRespuestas, Generacion
from publicacion.config import Settings
from publicacion.indice import indice_de
from publicacion.regenerador import regenerador
from publicacion.web import datos_abiertos as web_datos
from publicacion.webhooks.main import Webhooks


def modulo() -> Modulo:
    """publicacion's routers, subscriptions and outbox collection."""
    tareas: list[TareaPeriodica] = []
    calentar: list[asyncio.Task[object]] = []
    webhooks = Webhooks()
    generacion = Generacion()

    async def iniciar(recursos: Recursos) -> None:
        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        indice = indice_de(recursos.store)

        def al_guardar() -> None:
            indice.invalidar()
            generacion.avisar()

        repo = PerfilRepository(recursos.store, avisar_relay=avisar, al_guardar=al_guardar)
        await repo.preparar()
        cifrador = Cifrador(recursos.plataforma.secreto_identidad())
        consumer.suscribir_eventos(recursos.bus, repo, cifrador)
        datos_abiertos = regenerador(recursos, repo, Settings())
        datos_abiertos.iniciar()
        tareas.append(datos_abiertos)
        # The first search would otherwise wait for the whole index to load.
        calentar.append(asyncio.create_task(indice.tabla(), name="publicacion-indice"))
        await webhooks.iniciar(recursos)
        tareas.append(vigia_de_cambios(repo, generacion))
        tareas[-1].iniciar()

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
        intermedios=[Middleware(CacheRespuestas, generacion=generacion, es_publica=es_publica)],
    )


def es_publica(ruta: str) -> bool:
    """Whether a path is publicacion's (the public site and API)."""
    return servicio_de_ruta(ruta) is Servicio.PUBLICACION


def vigia_de_cambios(repo: PerfilRepository, generacion: Generacion) -> TareaPeriodica:
    """Twice a second, whether any replica changed the read model (drops cached responses)."""

    async def mirar() -> None:
        generacion.fijar(await repo.ultimo_cambio())

    return TareaPeriodica(
        "publicacion-cache",
        mirar,
        intervalo=0.5,
        mensaje_fallo="No se pudo revisar si cambió el contenido público",
    )


def create_app() -> FastAPI:
    """publicacion alone in its process."""
    return crear_app([modulo()])
