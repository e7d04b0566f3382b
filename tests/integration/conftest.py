"""The all-in-one process (`conoceles dev --demo`) on a fresh data folder, through ASGI."""

import re
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from captura.adapters import leer_directorio_eleccion
from captura.domain import Eleccion, armar_eleccion
from captura.generador import generar

# Re-exported: the integration tests import their polling helper from here.
from comun.pruebas import esperar as esperar
from comun.settings import archivo_de_datos
from conoceles.todo_en_uno import create_app

CLAVE = "clave-demo-de-pruebas"
DEMO_CANDIDATURAS = 40
BASE = "http://testserver"


@pytest.fixture
def datos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_DEMO", "true")
    monkeypatch.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
    monkeypatch.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", str(DEMO_CANDIDATURAS))
    return tmp_path


@pytest.fixture
async def app(datos: Path) -> AsyncIterator[FastAPI]:
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30):
        yield aplicacion


@pytest.fixture
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transporte, base_url=BASE) as c:
        yield c


async def iniciar_sesion(cliente: httpx.AsyncClient, usuario: str) -> httpx.Response:
    """Sign in through the login form as a browser would (CSRF token included)."""
    formulario = await cliente.get("/identidad/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', formulario.text)
    assert token is not None, "el formulario de inicio de sesión no trae código de seguridad"
    return await cliente.post(
        "/identidad/login",
        data={"usuario": usuario, "clave": CLAVE, "csrf_token": token.group(1)},
    )


async def token(cliente: httpx.AsyncClient, usuario: str) -> dict[str, str]:
    """Bearer header of an API token of a demo account."""
    respuesta = await cliente.post(
        "/api/identidad/v1/token", data={"username": usuario, "password": CLAVE}
    )
    assert respuesta.status_code == 200, respuesta.text
    return {"Authorization": f"Bearer {respuesta.json()['access_token']}"}


@cache
def edomex() -> Eleccion:
    """The Estado de México 2024 catalog the demo loads."""
    return armar_eleccion(leer_directorio_eleccion(archivo_de_datos("elecciones/edomex-2024")))


def nuevas(cuantas: int) -> list[dict[str, Any]]:
    """Generated rows the demo registry does not hold yet (the generator nests by N)."""
    demo = {f["FOLIO"] for f in generar(edomex(), candidaturas=DEMO_CANDIDATURAS)}
    filas = generar(edomex(), candidaturas=DEMO_CANDIDATURAS + cuantas)
    return [{k.lower(): v for k, v in f.items()} for f in filas if f["FOLIO"] not in demo]
