"""Supervisor review and validation through the all-in-one process (embedded adapters)."""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from comun.servicios import Servicio
from validacion import handlers
from validacion.adapters import PublicacionRepository, RevisionRepository

from . import proceso
from .captura_flujo import PUEBLO_MARCADO, Espia, capturar_y_enviar, url
from .conftest import esperar, iniciar_sesion

pytestmark = pytest.mark.asyncio(loop_scope="module")

ENVIADA = "AY-15007-PM-CC-FYCEM-P"
INTACTA = "AY-15007-PM-CC-FYCEM-S"
API = "/api/validacion/v1"
CUENTAS = ("captura.PRD", "supervisor.PRD", "supervisor.PAN", "admin", "verificador")


datos = proceso.datos_demo("validacion", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
h = proceso.tokens(CUENTAS)


async def revision(cliente: httpx.AsyncClient, cabecera: dict[str, str]) -> dict[str, Any]:
    respuesta = await cliente.get(f"{API}/candidaturas/{ENVIADA}", headers=cabecera)
    assert respuesta.status_code == 200, respuesta.text
    datos: dict[str, Any] = respuesta.json()
    return datos


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def por_validar(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> None:
    await capturar_y_enviar(cliente, h["captura.PRD"], ENVIADA)

    async def llego() -> bool:
        return (await revision(cliente, h["supervisor.PRD"]))["estado"] == "por_validar"

    await esperar(llego)


def validacion(candidatura_id: str) -> str:
    return f"{API}/candidaturas/{candidatura_id}/validacion"


async def test_la_cola_del_supervisor_filtra_y_cuenta_por_estado(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], por_validar: None
) -> None:
    cola = await cliente.get(
        f"{API}/revisiones", params={"estado": "por_validar"}, headers=h["supervisor.PRD"]
    )
    cuerpo = cola.json()
    assert [r["candidatura_id"] for r in cuerpo["resultados"]] == [ENVIADA]
    assert cuerpo["conteos"]["por_validar"] == 1 and cuerpo["conteos"]["en_espera"] > 0
    assert {r["partido"] for r in cuerpo["resultados"]} == {"PRD"}


async def test_el_supervisor_ve_la_identidad_y_el_instituto_no(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], por_validar: None
) -> None:
    propia = await revision(cliente, h["supervisor.PRD"])
    assert propia["identidad"]["pueblo_indigena_otro"] == PUEBLO_MARCADO
    for cuenta in ("verificador", "admin"):
        respuesta = await cliente.get(f"{API}/candidaturas/{ENVIADA}", headers=h[cuenta])
        assert respuesta.json()["identidad"] is None
        assert PUEBLO_MARCADO not in respuesta.text


async def test_la_pagina_de_revision_muestra_la_identidad_solo_al_supervisor(
    cliente: httpx.AsyncClient, por_validar: None
) -> None:
    for cuenta, ve in (("supervisor.prd", True), ("verificador", False), ("admin", False)):
        cliente.cookies.clear()
        await iniciar_sesion(cliente, cuenta)
        pagina = await cliente.get(f"/validacion/candidaturas/{ENVIADA}")
        assert pagina.status_code == 200, pagina.text
        assert (PUEBLO_MARCADO in pagina.text) is ve, cuenta
        assert ("Validar" in pagina.text and "revisado" in pagina.text) is ve
    cliente.cookies.clear()


async def test_la_correccion_del_supervisor_llega_a_validacion(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], por_validar: None
) -> None:
    ruta = url(ENVIADA, "cuestionarios/curricular")
    actual = (await cliente.get(ruta, headers=h["supervisor.PRD"])).json()
    cambio = actual["respuestas"] | {"propuesta_2": "Corregida por la supervisora."}
    guardado = await cliente.put(
        ruta, json={"revision": actual["revision"], "respuestas": cambio},
        headers=h["supervisor.PRD"],
    )  # fmt: skip
    assert guardado.status_code == 200, guardado.text

    async def corregida() -> bool:
        r = await revision(cliente, h["supervisor.PRD"])
        return bool(r["curricular"]["propuesta_2"] == "Corregida por la supervisora.")

    await esperar(corregida)
    assert (await revision(cliente, h["supervisor.PRD"]))["campos_editados"] == ["propuesta_2"]


async def test_validar_antes_del_envio_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    respuesta = await cliente.post(validacion(INTACTA), headers=h["supervisor.PRD"])
    assert respuesta.status_code == 409, respuesta.text
    assert "todavía no se envía" in respuesta.json()["detail"]


async def test_otro_partido_no_ve_ni_valida_la_candidatura(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], por_validar: None
) -> None:
    respuesta = await cliente.post(validacion(ENVIADA), headers=h["supervisor.PAN"])
    assert respuesta.status_code == 404, respuesta.text
    detalle = await cliente.get(f"{API}/candidaturas/{ENVIADA}", headers=h["supervisor.PAN"])
    assert detalle.status_code == 404


async def test_con_fecha_futura_se_valida_sin_hacerse_publicable(
    app: FastAPI,
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    espia: Espia,
    por_validar: None,
) -> None:
    futura = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    fijada = await cliente.put(
        f"{API}/publicacion/inicio", json={"fecha": futura}, headers=h["admin"]
    )
    assert fijada.status_code == 200, fijada.text
    validada = await cliente.post(validacion(ENVIADA), headers=h["supervisor.PRD"])
    assert validada.status_code == 200, validada.text
    assert validada.json()["estado"] == "validada"

    async def publicado() -> bool:
        return bool(espia.de(ENVIADA, "candidatura_validada"))

    await esperar(publicado)
    (evento,) = espia.de(ENVIADA, "candidatura_validada")
    assert evento.data["campos_editados"] == ["propuesta_2"]
    assert evento.data["curricular"]["propuesta_2"] == "Corregida por la supervisora."
    store = app.state.recursos[Servicio.VALIDACION].store
    barrido = await handlers.publicar_pendientes(
        repo=RevisionRepository(store), publicacion=PublicacionRepository(store)
    )
    assert barrido == 0 and not espia.de(ENVIADA, "candidatura_publicable")


async def test_validar_dos_veces_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    respuesta = await cliente.post(validacion(ENVIADA), headers=h["supervisor.PRD"])
    assert respuesta.status_code == 409, respuesta.text
    assert "ya se validó" in respuesta.json()["detail"]


async def test_una_vez_validada_captura_no_deja_editar_ni_al_supervisor(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    async def cerrada() -> bool:
        estado = await cliente.get(url(ENVIADA, "captura"), headers=h["supervisor.PRD"])
        return bool(estado.json()["estado"] == "validada")

    await esperar(cerrada)
    ruta = url(ENVIADA, "cuestionarios/curricular")
    actual = (await cliente.get(ruta, headers=h["supervisor.PRD"])).json()
    intento = await cliente.put(
        ruta, json={"revision": actual["revision"], "respuestas": actual["respuestas"]
                    | {"propuesta_2": "Otra."}}, headers=h["supervisor.PRD"],
    )  # fmt: skip
    assert intento.status_code == 409, intento.text


async def test_con_fecha_pasada_se_hace_publicable_una_sola_vez(
    app: FastAPI, cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia
) -> None:
    pasada = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    fijada = await cliente.put(
        f"{API}/publicacion/inicio", json={"fecha": pasada}, headers=h["admin"]
    )
    assert fijada.status_code == 200, fijada.text

    async def publicable() -> bool:
        return bool(espia.de(ENVIADA, "candidatura_publicable"))

    await esperar(publicable)
    store = app.state.recursos[Servicio.VALIDACION].store
    barrido = await handlers.publicar_pendientes(
        repo=RevisionRepository(store), publicacion=PublicacionRepository(store)
    )
    assert barrido == 0
    (evento,) = espia.de(ENVIADA, "candidatura_publicable")
    assert evento.data["identidad_cifrada"] and evento.data["identidad_publica"] is False


async def test_la_fotografia_se_vuelve_publica_solo_al_publicarse(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia
) -> None:
    await esperar(lambda: _publicada(cliente, h))
    foto = (await cliente.get(url(ENVIADA, "fotografia"), headers=h["captura.PRD"])).content
    archivo_id = hashlib.sha256(foto).hexdigest()
    publica = await cliente.get(f"/api/captura/v1/fotografias/{archivo_id}.jpg")
    assert publica.status_code == 200 and publica.content == foto
    assert "immutable" in publica.headers["cache-control"]
    intacta = await cliente.get(f"/api/captura/v1/fotografias/{'0' * 64}.jpg")
    assert intacta.status_code == 404


async def _publicada(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> bool:
    """captura has learned that the sent candidacy is published."""
    estado = await cliente.get(url(ENVIADA, "captura"), headers=h["captura.PRD"])
    return bool(estado.json()["estado"] == "publicada")
