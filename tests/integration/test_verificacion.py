"""Verifier takedowns through the all-in-one process: capture → validate → publish → take down."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import Espia, capturar_y_validar
from .conftest import esperar, iniciar_sesion

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLICADA = "AY-15007-PM-CC-FYCEM-P"
INTACTA = "AY-15007-PM-CC-FYCEM-S"
API = "/api/validacion/v1"
VERIFICACION = f"{API}/verificacion"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin", "verificador")
NOTA = "La propuesta 1 incluye un llamado expreso al voto."
TOMA = {"objetivo": "propuesta_1", "motivo": "propaganda", "observacion": NOTA}


datos = proceso.datos_demo("verificacion", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
h = proceso.tokens(CUENTAS)


async def en_verificacion(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> Any:
    respuesta = await cliente.get(f"{VERIFICACION}/{PUBLICADA}", headers=h["verificador"])
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicada(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> None:
    await capturar_y_validar(cliente, h, PUBLICADA, inicio_hace=timedelta(minutes=1))

    async def en_la_cola() -> bool:
        return bool((await en_verificacion(cliente, h))["publicada"])

    await esperar(en_la_cola)


async def test_la_cola_del_verificador_tiene_solo_candidaturas_publicadas(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    for cuenta in ("verificador", "admin"):
        cola = await cliente.get(VERIFICACION, headers=h[cuenta])
        assert cola.status_code == 200, cola.text
        assert [f["candidatura_id"] for f in cola.json()["resultados"]] == [PUBLICADA]


async def test_deshabilitar_sin_motivo_da_422_y_nada_cambia(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia, publicada: None
) -> None:
    for cuerpo in ({**TOMA, "motivo": ""}, {**TOMA, "observacion": ""}, {**TOMA, "objetivo": "x"}):
        respuesta = await cliente.post(
            f"{VERIFICACION}/{PUBLICADA}/deshabilitar", json=cuerpo, headers=h["verificador"]
        )
        assert respuesta.status_code == 422, respuesta.text
    assert (
        "Elija el motivo"
        in (
            await cliente.post(
                f"{VERIFICACION}/{PUBLICADA}/deshabilitar",
                json={**TOMA, "motivo": ""},
                headers=h["verificador"],
            )
        ).json()["detail"]
    )
    assert (await en_verificacion(cliente, h))["vigentes"] == []
    assert not espia.de(PUBLICADA, "contenido_deshabilitado")


async def test_una_candidatura_sin_publicar_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    respuesta = await cliente.post(
        f"{VERIFICACION}/{INTACTA}/deshabilitar", json=TOMA, headers=h["verificador"]
    )
    assert respuesta.status_code == 409, respuesta.text
    assert "todavía no se publica" in respuesta.json()["detail"]


async def test_otros_roles_no_deshabilitan(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    for cuenta in ("admin", "supervisor.PRD", "captura.PRD"):
        respuesta = await cliente.post(
            f"{VERIFICACION}/{PUBLICADA}/deshabilitar", json=TOMA, headers=h[cuenta]
        )
        assert respuesta.status_code == 403, (cuenta, respuesta.text)


async def test_el_verificador_deshabilita_un_campo_y_el_supervisor_recibe_el_aviso(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia, publicada: None
) -> None:
    respuesta = await cliente.post(
        f"{VERIFICACION}/{PUBLICADA}/deshabilitar", json=TOMA, headers=h["verificador"]
    )
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["deshabilitados"] == ["propuesta_1"]

    async def emitido() -> bool:
        return bool(espia.de(PUBLICADA, "contenido_deshabilitado"))

    await esperar(emitido)
    (evento,) = espia.de(PUBLICADA, "contenido_deshabilitado")
    assert evento.data["campos"] == ["propuesta_1"] and evento.data["motivo"] == "propaganda"
    bandeja = await cliente.get(f"{API}/avisos", headers=h["supervisor.PRD"])
    (aviso,) = [a for a in bandeja.json()["avisos"] if a["candidatura_id"] == PUBLICADA]
    assert aviso["motivo"] == "propaganda" and NOTA in aviso["mensaje"]
    assert aviso["campos"] == ["propuesta_1"]


async def test_deshabilitar_dos_veces_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia
) -> None:
    respuesta = await cliente.post(
        f"{VERIFICACION}/{PUBLICADA}/deshabilitar", json=TOMA, headers=h["verificador"]
    )
    assert respuesta.status_code == 409, respuesta.text
    assert "ya está deshabilitado" in respuesta.json()["detail"]
    assert len(espia.de(PUBLICADA, "contenido_deshabilitado")) == 1


async def test_la_cola_filtra_las_candidaturas_con_contenido_deshabilitado(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    con = await cliente.get(VERIFICACION, params={"deshabilitada": "true"}, headers=h["admin"])
    sin = await cliente.get(VERIFICACION, params={"deshabilitada": "false"}, headers=h["admin"])
    assert [f["candidatura_id"] for f in con.json()["resultados"]] == [PUBLICADA]
    assert sin.json()["resultados"] == []


async def test_habilitar_vuelve_a_mostrar_el_campo_y_avisa(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia
) -> None:
    respuesta = await cliente.post(
        f"{VERIFICACION}/{PUBLICADA}/habilitar",
        json={"objetivo": "propuesta_1"},
        headers=h["verificador"],
    )
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["vigentes"] == []
    assert [m["accion"] for m in cuerpo["historial"]] == ["deshabilitado", "habilitado"]

    async def emitido() -> bool:
        return bool(espia.de(PUBLICADA, "contenido_habilitado"))

    await esperar(emitido)
    (evento,) = espia.de(PUBLICADA, "contenido_habilitado")
    (antes,) = espia.de(PUBLICADA, "contenido_deshabilitado")
    assert evento.data["version"] > antes.data["version"]
    bandeja = (await cliente.get(f"{API}/avisos", headers=h["supervisor.PRD"])).json()
    assert any("vuelve a mostrarse" in a["mensaje"] for a in bandeja["avisos"])


async def test_la_pagina_del_verificador_deshabilita_el_perfil_con_su_formulario(
    cliente: httpx.AsyncClient, espia: Espia, publicada: None
) -> None:
    cliente.cookies.clear()
    assert (await iniciar_sesion(cliente, "verificador")).status_code == 303
    pagina = await cliente.get(f"/validacion/verificacion/{PUBLICADA}")
    assert pagina.status_code == 200, pagina.text
    assert "Deshabilitar el perfil completo" in pagina.text
    assert "Lemas o imágenes de campaña" in pagina.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert csrf is not None
    accion = f"/validacion/verificacion/{PUBLICADA}/deshabilitar"
    sin_nota = await cliente.post(
        accion,
        data={"csrf_token": csrf.group(1), "objetivo": "perfil", "motivo": "propaganda"},
    )
    assert sin_nota.status_code == 422 and "observación de 10" in sin_nota.text
    hecho = await cliente.post(
        accion,
        data={
            "csrf_token": csrf.group(1),
            "objetivo": "perfil",
            "motivo": "otra_candidatura",
            "observacion": NOTA,
        },
    )
    assert hecho.status_code == 303, hecho.text
    despues = await cliente.get(f"/validacion/verificacion/{PUBLICADA}")
    assert "Volver a mostrar el perfil completo" in despues.text
    cola = await cliente.get("/validacion/verificacion")
    assert cola.status_code == 200 and "Perfil completo" in cola.text
    cliente.cookies.clear()

    async def emitido() -> bool:
        return any(e.data["campos"] == [] for e in espia.de(PUBLICADA, "contenido_deshabilitado"))

    await esperar(emitido)
