"""One all-in-one process per test module: factories of its module-scoped fixtures.

A module declares them in a few lines, under names the tests ask for::

    datos = proceso.datos_demo("validacion", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
    app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
    h = proceso.tokens(CUENTAS)

The async fixtures run on the module's event loop (`loop_scope="module"`), as the modules'
`pytestmark = pytest.mark.asyncio(loop_scope="module")` expects.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.bus.pruebas import exigir_kafka
from comun.servicios import Servicio
from comun.store.mongo import borrar_bases
from comun.store.pruebas import exigir_mongodb
from conoceles.todo_en_uno import create_app

from .captura_flujo import Espia
from .conftest import BASE, CLAVE, DEMO_CANDIDATURAS, token


def datos_demo(nombre: str, **extra: str) -> Any:
    """Fixture `datos`: a fresh data folder `nombre`, the demo settings and `extra` env vars."""

    @pytest.fixture(scope="module", name="datos")
    def datos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
        carpeta = tmp_path_factory.mktemp(nombre)
        with pytest.MonkeyPatch.context() as entorno:
            entorno.setenv("CONOCELES_DATOS", str(carpeta))
            entorno.setenv("CONOCELES_DEMO", "true")
            entorno.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
            entorno.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", str(DEMO_CANDIDATURAS))
            for variable, valor in extra.items():
                entorno.setenv(variable, valor)
            yield carpeta

    return datos


def datos_reales(nombre: str, prefijo: str, **extra: str) -> tuple[Any, Any]:
    """Fixtures `servidores` and `datos`: the demo on MongoDB/FerretDB and Kafka.

    The databases get a fresh `prefijo_…` name prefix and are dropped afterwards; the module
    is skipped (failed under CI) when a server does not answer. `extra` env vars are set too.
    """

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name="servidores")
    async def servidores() -> tuple[str, str]:
        return await exigir_mongodb(), await exigir_kafka()

    @pytest.fixture(scope="module", name="datos")
    def datos(
        tmp_path_factory: pytest.TempPathFactory, servidores: tuple[str, str]
    ) -> Iterator[Path]:
        mongodb, kafka = servidores
        carpeta = tmp_path_factory.mktemp(nombre)
        bases = f"{prefijo}_{uuid.uuid4().hex[:8]}"
        with pytest.MonkeyPatch.context() as entorno:
            entorno.setenv("CONOCELES_DATOS", str(carpeta))
            entorno.setenv("CONOCELES_DEMO", "true")
            entorno.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
            entorno.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", str(DEMO_CANDIDATURAS))
            entorno.setenv("CONOCELES_STORE", "mongodb")
            entorno.setenv("CONOCELES_BUS", "kafka")
            entorno.setenv("CONOCELES_MONGODB_URL", mongodb)
            entorno.setenv("CONOCELES_MONGODB_PREFIJO", bases)
            entorno.setenv("CONOCELES_KAFKA_URL", kafka)
            for variable, valor in extra.items():
                entorno.setenv(variable, valor)
            yield carpeta
        asyncio.run(borrar_bases(mongodb, bases))

    return servidores, datos


def todo_en_uno(
    servicio: Servicio, *, arranque: float = 60, cierre: float = 30
) -> tuple[Any, Any, Any]:
    """Fixtures `app`, `espia` and `cliente` over the module's `datos`.

    The all-in-one app runs under its lifespan; the spy records what `servicio` publishes on
    its bus from before the first request; the client speaks to the app through ASGI.
    """

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name="app")
    async def app(datos: Path) -> AsyncIterator[FastAPI]:
        aplicacion = create_app()
        async with LifespanManager(aplicacion, startup_timeout=arranque, shutdown_timeout=cierre):
            yield aplicacion

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name="espia")
    async def espia(app: FastAPI) -> Espia:
        espia = Espia()
        espia.instalar(app.state.recursos[servicio].bus)
        return espia

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name="cliente")
    async def cliente(app: FastAPI, espia: Espia) -> AsyncIterator[httpx.AsyncClient]:
        transporte = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transporte, base_url=BASE) as c:
            yield c

    return app, espia, cliente


def tokens(cuentas: Iterable[str]) -> Any:
    """Fixture `h`: bearer headers by demo account."""
    cuentas = tuple(cuentas)

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name="h")
    async def h(cliente: httpx.AsyncClient) -> dict[str, dict[str, str]]:
        return {cuenta: await token(cliente, cuenta) for cuenta in cuentas}

    return h
