"""`conoceles dev --demo` publishes part of the generated election through the services' APIs.

A few candidacies of the demo registry are captured, sent, validated (an independent by its own
account) and published; the public API lists them, with and without identity, and no published
text triggers validacion's automatic checks. Running the flow again changes nothing.
"""

from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from comun.servicios import Servicio
from conoceles.demo_publicacion import Resumen, publicar_demo
from conoceles.demo_textos import textos_libres

from . import proceso
from .conftest import esperar

pytestmark = pytest.mark.asyncio(loop_scope="module")

CANTIDAD = 6
PUBLICA = "/api/publicacion/v1"
API_VALIDACION = "/api/validacion/v1"

datos = proceso.datos_demo("demo_publicacion", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
h = proceso.tokens(("admin",))


async def publicos(cliente: httpx.AsyncClient) -> dict[str, Any]:
    respuesta = await cliente.get(f"{PUBLICA}/candidaturas", params={"por_pagina": 100})
    assert respuesta.status_code == 200, respuesta.text
    pagina: dict[str, Any] = respuesta.json()
    return pagina


async def paquetes(cliente: httpx.AsyncClient, admin: dict[str, str]) -> int:
    respuesta = await cliente.get("/api/identidad/v1/paquetes", headers=admin)
    assert respuesta.status_code == 200, respuesta.text
    return len(respuesta.json())


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def primera(app: FastAPI, cliente: httpx.AsyncClient) -> Resumen:
    """The demo flow once, until its profiles are public."""
    resumen = await publicar_demo(app, cantidad=CANTIDAD)

    async def publicados() -> bool:
        return bool((await publicos(cliente))["total"] >= CANTIDAD)

    await esperar(publicados, plazo=30)
    return resumen


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def perfiles(cliente: httpx.AsyncClient, primera: Resumen) -> list[dict[str, Any]]:
    """Each listed card's whole profile, fetched from the card's own API link."""
    perfiles: list[dict[str, Any]] = []
    for ficha in (await publicos(cliente))["resultados"]:
        respuesta = await cliente.get(ficha["api_url"])
        assert respuesta.status_code == 200, respuesta.text
        perfil = respuesta.json()
        assert ficha["identidad_publica"] is (perfil["identidad"] is not None)
        assert ficha["fotografia"] == perfil["curricular"]["fotografia"]
        perfiles.append(perfil)
    return perfiles


async def test_la_demostracion_publica_las_candidaturas_que_eligio(
    primera: Resumen, perfiles: list[dict[str, Any]]
) -> None:
    assert primera.elegidas == primera.capturadas == primera.validadas == CANTIDAD
    assert primera.omitidas == 0
    assert len(perfiles) == CANTIDAD
    assert all(p["estado"] == "publicado" for p in perfiles)
    # The candidatura.demo account's candidacy is left for the newcomer to capture.
    assert "DL-MR-41-FYCEM-P" not in {p["id"] for p in perfiles}


async def test_publica_varios_partidos_y_una_candidatura_independiente(
    perfiles: list[dict[str, Any]],
) -> None:
    partidos = {p["partido"] for p in perfiles if p["partido"]}
    assert len(partidos) >= 3
    assert any(p["postulante"] == "independiente" for p in perfiles)


async def test_algunos_perfiles_muestran_identidad_y_otros_no(
    perfiles: list[dict[str, Any]],
) -> None:
    con_identidad = [p for p in perfiles if p["identidad"] is not None]
    assert 0 < len(con_identidad) < len(perfiles)


async def test_cada_perfil_trae_cuestionario_completo_y_fotografia(
    cliente: httpx.AsyncClient, perfiles: list[dict[str, Any]]
) -> None:
    for perfil in perfiles:
        curricular = perfil["curricular"]
        for campo in ("historia_profesional", "motivo_cargo_publico", "propuesta_1"):
            assert len(curricular[campo]) > 100, (perfil["id"], campo)
        assert curricular["propuesta_genero"] and curricular["grado_maximo_estudios"]
        foto = await cliente.get(curricular["fotografia"])
        assert foto.status_code == 200 and foto.headers["content-type"] == "image/jpeg"


async def test_ningun_texto_publicado_activa_una_revision_automatica(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], perfiles: list[dict[str, Any]]
) -> None:
    for perfil in perfiles:
        for campo, texto in textos_libres(perfil["curricular"]):
            revision = await cliente.post(
                f"{API_VALIDACION}/revisiones/texto",
                json={"texto": texto, "campo": campo},
                headers=h["admin"],
            )
            assert revision.status_code == 200, revision.text
            assert revision.json()["hallazgos"] == [], (perfil["id"], campo, texto)
    cola = await cliente.get(
        f"{API_VALIDACION}/revisiones",
        params={"estado": "validada", "por_pagina": 100},
        headers=h["admin"],
    )
    # Alusiones with the whole catalog and near copies across candidacies included.
    assert {r["candidatura_id"]: r["hallazgos"] for r in cola.json()["resultados"]} == {
        p["id"]: 0 for p in perfiles
    }


async def test_repetir_la_demostracion_no_cambia_nada(
    app: FastAPI,
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    perfiles: list[dict[str, Any]],
) -> None:
    antes = await paquetes(cliente, h["admin"])
    resumen_publico = (await cliente.get(f"{PUBLICA}/resumen")).json()

    segunda = await publicar_demo(app, cantidad=CANTIDAD)

    assert segunda.elegidas == segunda.ya_validadas == CANTIDAD
    assert segunda.capturadas == segunda.validadas == segunda.omitidas == 0
    assert (await cliente.get(f"{PUBLICA}/resumen")).json() == resumen_publico
    assert {p["id"] for p in (await publicos(cliente))["resultados"]} == {p["id"] for p in perfiles}
    # No independent account was reset again.
    assert await paquetes(cliente, h["admin"]) == antes


async def test_una_fecha_de_inicio_ya_fijada_no_se_cambia(
    app: FastAPI, cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], primera: Resumen
) -> None:
    ruta = f"{API_VALIDACION}/publicacion/inicio"
    fijada = (await cliente.get(ruta, headers=h["admin"])).json()["fecha"]
    await publicar_demo(app, cantidad=CANTIDAD)
    assert (await cliente.get(ruta, headers=h["admin"])).json()["fecha"] == fijada
