"""Composition root of validacion."""

from fastapi import FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.servicios import Servicio
from validacion import api, consumer, web
from validacion.adapters import (
    COLECCION,
    COLECCION_CONFIGURACION,
    PublicacionRepository,
    RevisionRepository,
)
from validacion.adapters.avisos import (
    COLECCION_AVISOS,
    AvisoRepository,
    ContactoRepository,
    EnvioRepository,
)
from validacion.adapters.correo import RepartoCorreo, correo_configurado
from validacion.adapters.moderacion import COLECCION_MODERACION, ModeracionRepository
from validacion.adapters.solicitudes import COLECCION_SOLICITUDES, SolicitudRepository
from validacion.api import avisos as api_avisos
from validacion.api import revisiones as api_revisiones
from validacion.api import solicitudes as api_solicitudes
from validacion.api import verificacion as api_verificacion
from validacion.config import Settings
from validacion.domain import ErrorValidacion
from validacion.domain.avisos import AvisoInvalido
from validacion.domain.solicitudes import ErrorSolicitud
from validacion.domain.verificacion import ErrorVerificacion, YaEnEseEstado
from validacion.handlers import avisos as handlers_avisos
from validacion.publicador import Publicador
from validacion.web import avisos as web_avisos
from validacion.web import solicitudes as web_solicitudes
from validacion.web import verificacion as web_verificacion


def modulo(settings: Settings | None = None) -> Modulo:
    """validacion's routers, subscriptions, outbox collections and publication task."""
    ajustes = settings or Settings()
    tareas: list[Publicador] = []
    repartos: list[RepartoCorreo] = []

    async def iniciar(recursos: Recursos) -> None:
        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        repo = RevisionRepository(recursos.store, avisar_relay=avisar)
        await repo.preparar()
        await ModeracionRepository(recursos.store).preparar()
        await SolicitudRepository(recursos.store).preparar()
        consumer.suscribir_eventos(recursos.bus, recursos.store)
        publicacion = PublicacionRepository(recursos.store, avisar_relay=avisar)
        publicador = Publicador(
            repo=repo, publicacion=publicacion, intervalo=ajustes.intervalo_publicacion_s
        )
        publicador.iniciar()
        tareas.append(publicador)
        repartos.append(await iniciar_avisos(recursos, ajustes))

    async def detener() -> None:
        while tareas:
            await tareas.pop().detener()
        while repartos:
            await repartos.pop().detener()

    return Modulo(
        servicio=Servicio.VALIDACION,
        routers=[
            api.router,
            api_avisos.router,
            api_revisiones.router,
            api_verificacion.router,
            api_solicitudes.router,
            web.router,
            web_avisos.router,
            web_verificacion.router,
            web_solicitudes.router,
        ],
        iniciar=iniciar,
        detener=detener,
        colecciones_outbox=[
            COLECCION,
            COLECCION_CONFIGURACION,
            COLECCION_AVISOS,
            COLECCION_MODERACION,
            COLECCION_SOLICITUDES,
        ],
        # A subclass before its base: the first matching entry gives the status.
        errores={
            ErrorValidacion: 409,
            AvisoInvalido: 422,
            YaEnEseEstado: 409,
            ErrorVerificacion: 422,
            ErrorSolicitud: 422,
        },
    )


async def iniciar_avisos(recursos: Recursos, ajustes: Settings) -> RepartoCorreo:
    """Notices: indexes, subscriptions (notices derived from events) and the e-mail loop."""
    await AvisoRepository(recursos.store).preparar()
    await ContactoRepository(recursos.store).preparar()
    envios = EnvioRepository(recursos.store)
    await envios.preparar()
    correo = correo_configurado(ajustes, recursos.store)

    async def entregar() -> int:
        return await handlers_avisos.entregar_correos(envios=envios, correo=correo)

    reparto = RepartoCorreo(entregar, intervalo=ajustes.correo_intervalo_s)

    def avisar(doc_id: str | None = None) -> None:
        # Looked up at call time: the relay starts after iniciar() returns.
        recursos.avisar_relay(doc_id)

    consumer.suscribir_avisos(
        recursos.bus,
        recursos.store,
        url_avisos=ajustes.url_avisos,
        despertar=reparto.avisar,
        avisar_relay=avisar,
    )
    reparto.iniciar()
    return reparto


def create_app() -> FastAPI:
    """validacion alone in its process."""
    return crear_app([modulo()])
