"""The identidad app (`create_app()`) with demo accounts, on a fresh data directory."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.bus import outbox
from comun.servicios import Servicio
from identidad.main import create_app

CLAVE_DEMO = "clave-demo-pruebas"
BASE = "http://testserver"


@pytest.fixture
def datos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_DEMO", "1")
    monkeypatch.setenv("CONOCELES_DEMO_CLAVE", CLAVE_DEMO)
    return tmp_path


async def esperar_outbox_vacio(app: FastAPI, *, intentos: int = 500) -> None:
    """Poll until the relay has published every pending account event."""
    cuentas = app.state.recursos[Servicio.IDENTIDAD].store.collection("cuentas")
    for _ in range(intentos):
        if await cuentas.count(outbox.FILTRO_PENDIENTES) == 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("El relay no publicó los eventos pendientes de las cuentas")


@pytest.fixture
async def app(datos: Path) -> AsyncIterator[FastAPI]:
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30) as gestor:
        yield gestor.app  # type: ignore[misc]
        # Every event reaches the bus; and the relay is idle before it is cancelled.
        await esperar_outbox_vacio(aplicacion)


@pytest.fixture
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


@pytest.fixture
def esperar_outbox() -> Callable[[FastAPI], Awaitable[None]]:
    """The outbox poller, for tests that build their own app."""
    return esperar_outbox_vacio
