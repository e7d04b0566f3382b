"""Composition root of captura."""

import asyncio
import logging
import time

from fastapi import FastAPI

from captura import api, consumer, handlers, web
from captura.adapters import (
    COLECCION,
    COLECCION_ELECCIONES,
    CandidaturaRepository,
    ConflictoVersion,
    EleccionRepository,
    ImportacionRepository,
    leer_directorio_eleccion,
)
from captura.api import cuestionarios as api_cuestionarios
from captura.api import precarga as api_precarga
from captura.config import Settings
from captura.domain import CandidaturaDuplicada, ErrorDominio
from captura.domain.errores import CapturaCerrada, ConflictoEdicion
from captura.handlers import importacion
from captura.web import captura as web_captura
from captura.web import precarga as web_precarga
from comun.app import Modulo, Recursos, crear_app
from comun.eventos import SISTEMA
from comun.servicios import Servicio

log = logging.getLogger(__name__)
MARGEN_MULTIPART = 64 * 1024


def modulo(settings: Settings | None = None) -> Modulo:
    """captura's routers, start-up and outbox collections."""
    ajustes = settings or Settings()

    async def iniciar(recursos: Recursos) -> None:
        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        repo = CandidaturaRepository(recursos.store, avisar_relay=avisar)
        await repo.preparar()
        importaciones = ImportacionRepository(recursos.store)
        await importaciones.preparar()
        await importacion.marcar_interrumpidas(importaciones=importaciones)
        precargas = ImportacionRepository.precargas(recursos.store)
        await precargas.preparar()
        await importacion.marcar_interrumpidas(importaciones=precargas)
        # Jobs still running belong to this process only: what is left is from a stopped one.
        importacion.borrar_subidas(ajustes.carpeta_importaciones())
        consumer.suscribir_eventos(recursos, eleccion_id=ajustes.eleccion)
        if recursos.plataforma.demo:
            elecciones = EleccionRepository(recursos.store, avisar_relay=avisar)
            await sembrar_demo(ajustes, repo=repo, elecciones=elecciones)

    limite = ajustes.max_archivo_mb * api.MB + MARGEN_MULTIPART
    foto = ajustes.max_fotografia_mb * api.MB + MARGEN_MULTIPART
    consentimiento = ajustes.max_consentimiento_mb * api.MB + MARGEN_MULTIPART
    return Modulo(
        servicio=Servicio.CAPTURA,
        routers=[
            api.router,
            api_cuestionarios.router,
            api_precarga.router,
            web_precarga.router,
            # Before web.router: its /candidaturas/{id:path} page would catch our sub-pages.
            web_captura.router,
            web.router,
        ],
        iniciar=iniciar,
        colecciones_outbox=[COLECCION, COLECCION_ELECCIONES],
        errores={
            CandidaturaDuplicada: 409,
            ConflictoEdicion: 409,
            CapturaCerrada: 409,
            ConflictoVersion: 409,
            handlers.EleccionNoCargada: 409,
            ErrorDominio: 422,
        },
        limites_cuerpo={
            "/api/captura/v1/registro/importaciones": limite,
            "/captura/registro": limite,
            "/api/captura/v1/precarga": limite,
            "/captura/precarga": limite,
            "/api/captura/v1/candidaturas/": max(foto, consentimiento),
            "/captura/candidaturas/": max(foto, consentimiento),
        },
    )


async def sembrar_demo(
    ajustes: Settings, *, repo: CandidaturaRepository, elecciones: EleccionRepository
) -> None:
    """Load the demo catalog and, on an empty registry, generated candidacies."""
    from captura.generador import generar

    inicio = time.monotonic()
    datos = await asyncio.to_thread(leer_directorio_eleccion, ajustes.catalogo)
    eleccion, _ = await handlers.cargar_eleccion(repo=elecciones, datos=datos, actor=SISTEMA)
    if ajustes.demo_candidaturas == 0 or await repo.hay_de_eleccion(eleccion.id):
        return
    filas = generar(eleccion, candidaturas=ajustes.demo_candidaturas, semilla=ajustes.demo_semilla)
    resultado = await handlers.importar_registro(
        repo=repo, eleccion=eleccion, filas=list(enumerate(filas, start=2)), actor=SISTEMA
    )
    log.info(
        "Registro de demostración: %s candidaturas en %.1f s",
        len(resultado.plan.nuevas),
        time.monotonic() - inicio,
    )


def create_app() -> FastAPI:
    """captura alone in its process."""
    return crear_app([modulo()])
