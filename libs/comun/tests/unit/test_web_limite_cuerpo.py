"""Bodies over the configured size get a 413 problem, whether announced or streamed."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request

from comun.settings import PlatformSettings
from comun.web import instalar

MAXIMO = 1000


def crear_app() -> FastAPI:
    app = FastAPI()
    instalar(app, PlatformSettings(max_cuerpo_bytes=MAXIMO))

    @app.post("/api/captura/v1/datos")
    async def datos(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/api/captura/v1/objeto")
    async def objeto(cuerpo: dict[str, str]) -> dict[str, int]:
        return {"claves": len(cuerpo)}

    return app


@pytest.fixture
async def cliente() -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=crear_app())
    async with httpx.AsyncClient(transport=transporte, base_url="http://prueba") as cliente:
        yield cliente


async def trozos(total: int, tamano: int = 300) -> AsyncIterator[bytes]:
    for inicio in range(0, total, tamano):
        yield b"x" * min(tamano, total - inicio)


async def test_cuerpo_con_content_length_excesivo_es_413(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post("/api/captura/v1/datos", content=b"x" * (MAXIMO + 1))

    assert respuesta.status_code == 413
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert respuesta.json()["title"] == "Cuerpo demasiado grande"
    assert respuesta.json()["detail"] == "El cuerpo de la petición supera el máximo de 1000 bytes."


async def test_cuerpo_en_trozos_sin_content_length_se_corta_al_pasar_el_limite(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.post("/api/captura/v1/datos", content=trozos(MAXIMO * 3))

    assert respuesta.status_code == 413
    assert respuesta.json()["detail"] == "El cuerpo de la petición supera el máximo de 1000 bytes."


async def test_json_en_trozos_excesivo_es_413_y_no_400(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        "/api/captura/v1/objeto",
        content=trozos(MAXIMO * 2),
        headers={"content-type": "application/json"},
    )

    assert respuesta.status_code == 413


async def test_cuerpo_en_el_limite_pasa(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post("/api/captura/v1/datos", content=trozos(MAXIMO))

    assert respuesta.status_code == 200
    assert respuesta.json() == {"bytes": MAXIMO}


async def test_navegador_ve_una_pagina_413(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        "/captura/foto", content=b"x" * (MAXIMO + 1), headers={"accept": "text/html"}
    )

    assert respuesta.status_code == 413
    assert respuesta.headers["content-type"].startswith("text/html")
    assert "supera el máximo de 1000 bytes" in respuesta.text


async def test_formulario_excesivo_es_413_aunque_la_proteccion_csrf_lo_este_leyendo(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.post(
        "/captura/formulario",
        content=trozos(MAXIMO * 3),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert respuesta.status_code == 413
