"""Composition of services into one FastAPI process (one service, or all six)."""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.middleware import Middleware

from comun.archivos import FileStore
from comun.bus import EventBus
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.store import Store

log = logging.getLogger(__name__)


class AvisoRelay(Protocol):
    """How a repository tells the relay it saved a document with pending events."""

    def __call__(self, doc_id: str | None = None) -> None:
        """Wake the relay for this document (None: have it look at every document)."""
        ...


def _sin_aviso(doc_id: str | None = None) -> None:
    """Default relay notifier before the relay exists."""


@dataclass
class Recursos:
    """What the process hands a service at start-up: its store and files, the bus, the settings."""

    servicio: Servicio
    plataforma: PlatformSettings
    store: Store
    bus: EventBus
    archivos: FileStore
    avisar_relay: AvisoRelay = _sin_aviso


@dataclass
class Modulo:
    """What a service contributes to a process; built by the service's `main.py`."""

    servicio: Servicio
    routers: Sequence[APIRouter] = ()
    iniciar: Callable[[Recursos], Awaitable[None]] | None = None
    detener: Callable[[], Awaitable[None]] | None = None
    colecciones_outbox: Sequence[str] = ()
    errores: Mapping[type[Exception], int] = field(default_factory=dict)
    extras: dict[str, object] = field(default_factory=dict)
    # Path prefix → body limit in bytes, for routes that receive files.
    limites_cuerpo: Mapping[str, int] = field(default_factory=dict)
    # ASGI middleware of the service around everything, telemetry included (sees requests first).
    intermedios: Sequence[Middleware] = ()


def recursos_de(request: Request, servicio: Servicio) -> Recursos:
    """The resources of one service in this process."""
    recursos: dict[Servicio, Recursos] = request.app.state.recursos
    return recursos[servicio]


def crear_app(modulos: Sequence[Modulo], *, plataforma: PlatformSettings | None = None) -> FastAPI:
    """Build one FastAPI app serving the given services with shared plumbing."""
    from comun import telemetria, web
    from comun.auth.jwks import HttpJwksSource, JwksSource
    from comun.auth.tokens import TokenVerifier
    from comun.errores import instalar_errores_de_dominio
    from comun.web import estaticos

    ajustes = plataforma or PlatformSettings()
    nombre = "conoceles" if len(modulos) > 1 else f"conoceles-{modulos[0].servicio.value}"
    telemetria.configurar_proceso(nombre, otlp_url=ajustes.otlp_url)
    app = FastAPI(
        title="Conóceles",
        lifespan=_lifespan(modulos, ajustes),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.plataforma = ajustes
    app.state.recursos = {}
    app.state.modulos = list(modulos)
    jwks = next((m.extras["jwks"] for m in modulos if "jwks" in m.extras), None)
    fuente: JwksSource = jwks if jwks is not None else HttpJwksSource(ajustes.jwks_url)  # type: ignore[assignment]
    app.state.verificador = TokenVerifier(
        fuente, emisor=ajustes.emisor, audiencia=ajustes.audiencia
    )
    web.instalar(app, ajustes, limites={k: v for m in modulos for k, v in m.limites_cuerpo.items()})
    for modulo in modulos:
        telemetria.configurar(app, modulo.servicio)
        instalar_errores_de_dominio(app, modulo.errores)
        estaticos.montar(app, modulo.servicio)
        for router in modulo.routers:
            app.include_router(router)
        app.add_api_route(
            f"/api/{modulo.servicio.value}/openapi.json",
            _openapi_de(modulo),
            include_in_schema=False,
        )
    _envolver(app, [i for m in modulos for i in m.intermedios])
    return app


def _envolver(app: FastAPI, intermedios: Sequence[Middleware]) -> None:
    """The services' own middleware around the whole stack, telemetry included."""
    if not intermedios:
        return
    construir = app.build_middleware_stack

    def construir_envuelta() -> Any:
        pila = construir()
        for intermedio in reversed(intermedios):
            pila = intermedio.cls(pila, *intermedio.args, **intermedio.kwargs)
        return pila

    app.build_middleware_stack = construir_envuelta  # type: ignore[method-assign]


def _openapi_de(modulo: Modulo) -> Callable[[], Awaitable[dict[str, Any]]]:
    """Each service documents only its own routes, in every run mode."""
    esquema: dict[str, Any] = {}

    async def openapi() -> dict[str, Any]:
        if not esquema:
            rutas = [ruta for router in modulo.routers for ruta in router.routes]
            esquema.update(
                get_openapi(
                    title=f"Conóceles — {modulo.servicio.value}",
                    version="1",
                    description=f"API del servicio {modulo.servicio.value}.",
                    routes=rutas,
                )
            )
        return esquema

    return openapi


def _lifespan(
    modulos: Sequence[Modulo], ajustes: PlatformSettings
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Open stores, start the bus and the relays; close everything in reverse order."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as pila:
            await _arrancar(app, modulos, ajustes, pila)
            yield

    return lifespan


async def _arrancar(
    app: FastAPI, modulos: Sequence[Modulo], ajustes: PlatformSettings, pila: AsyncExitStack
) -> None:
    """Start-up sequence; every step registers its own shutdown on the stack."""
    from comun.bus.relay import OutboxRelay
    from comun.factories import create_bus, database_name, open_files, open_store

    bus = await create_bus(ajustes, pila, servicios=[m.servicio for m in modulos])
    for modulo in modulos:
        store = await open_store(ajustes, database_name(modulo.servicio))
        pila.push_async_callback(store.close)
        archivos = await open_files(ajustes, modulo.servicio, store)
        app.state.recursos[modulo.servicio] = Recursos(
            modulo.servicio, ajustes, store, bus, archivos
        )
    for modulo in modulos:
        if modulo.iniciar is not None:
            await modulo.iniciar(app.state.recursos[modulo.servicio])
        if modulo.detener is not None:
            pila.push_async_callback(modulo.detener)
    await bus.start()
    for modulo in modulos:
        if modulo.colecciones_outbox:
            recursos = app.state.recursos[modulo.servicio]
            relay = OutboxRelay(recursos.store, bus, modulo.colecciones_outbox)
            recursos.avisar_relay = relay.notify
            relay.start()
            pila.push_async_callback(relay.stop)
    log.info("servicios iniciados: %s", ", ".join(m.servicio.value for m in modulos))
