"""The administrator's webhook API and pages with the default settings (no private targets).

Bad input is refused with a Spanish message and nothing is saved; the secret is shown once;
pause, resume, rotation and deletion work from the API and from the pages without JavaScript.
"""

import re
from typing import Any

import httpx
import pytest

from comun.eventos import Evento
from comun.servicios import Servicio

from . import proceso
from .captura_flujo import Espia, como_texto
from .conftest import esperar, iniciar_sesion

pytestmark = pytest.mark.asyncio(loop_scope="module")

API = "/api/publicacion/v1/webhooks"
# A public address literal: no name to resolve (the tests run without DNS).
PUBLICA = "https://203.0.114.7/conoceles"

datos = proceso.datos_demo("webhooks_api")
app, espia, cliente = proceso.todo_en_uno(Servicio.PUBLICACION)
h = proceso.tokens(("admin",))


async def registrar(
    cliente: httpx.AsyncClient, admin: dict[str, str], **cuerpo: Any
) -> httpx.Response:
    datos = {"url": PUBLICA, "eventos": ["perfil_publicado"], **cuerpo}
    return await cliente.post(f"{API}/suscripciones", json=datos, headers=admin)


async def urls_registradas(cliente: httpx.AsyncClient, admin: dict[str, str]) -> set[str]:
    respuesta = await cliente.get(f"{API}/suscripciones", headers=admin)
    assert respuesta.status_code == 200, respuesta.text
    return {s["url"] for s in respuesta.json()}


def csrf(html: str) -> str:
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert encontrado is not None, "la página no trae código de seguridad"
    return encontrado.group(1)


@pytest.mark.parametrize(
    ("url", "mensaje"),
    [
        ("http://127.0.0.1:8000/api/identidad/v1/cuentas", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "enlace local"),
        ("http://[::ffff:10.0.0.1]/", "red privada"),
        ("http://192.168.1.1/", "red privada"),
        ("https://usuario:clave@203.0.114.7/", "usuario ni contraseña"),
        ("ftp://203.0.114.7/", "debe empezar con https://"),
        ("https://receptor.invalid/conoceles", "No se pudo resolver"),
    ],
)
async def test_una_direccion_no_permitida_se_rechaza_y_nada_se_guarda(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], url: str, mensaje: str
) -> None:
    respuesta = await registrar(cliente, h["admin"], url=url)
    assert respuesta.status_code == 422, respuesta.text
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert mensaje in respuesta.json()["detail"]
    assert url not in await urls_registradas(cliente, h["admin"])


async def test_un_evento_desconocido_se_rechaza_nombrandolo(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    respuesta = await registrar(
        cliente, h["admin"], url=f"{PUBLICA}/e", eventos=["perfil_publicado", "perfil_borrado"]
    )
    assert respuesta.status_code == 422, respuesta.text
    assert respuesta.json()["detail"] == (
        "Evento desconocido: «perfil_borrado»; elija perfil_publicado o perfil_retirado."
    )
    assert f"{PUBLICA}/e" not in await urls_registradas(cliente, h["admin"])


@pytest.mark.parametrize(
    "cambio",
    [
        {"descripcion": "x" * 201},
        {"eventos": ["perfil_publicado"] * 11},
        {"eventos": []},
        {"url": "https://203.0.114.7/" + "a" * 3000},
        {"secreto": "whsec_elegido_por_mi"},
    ],
)
async def test_valores_absurdos_se_rechazan_en_espanol(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], cambio: dict[str, Any]
) -> None:
    antes = await urls_registradas(cliente, h["admin"])
    respuesta = await registrar(cliente, h["admin"], **{"url": f"{PUBLICA}/absurdo", **cambio})
    assert respuesta.status_code == 422, respuesta.text
    detalle = respuesta.json()["detail"]
    assert detalle and not re.search(r"\b(field|should|must|value)\b", detalle), detalle
    assert await urls_registradas(cliente, h["admin"]) == antes


async def test_el_ciclo_de_un_suscriptor_por_la_api(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    creada = await registrar(cliente, h["admin"], url=f"{PUBLICA}/ciclo", descripcion="INE")
    assert creada.status_code == 201, creada.text
    suscriptor = creada.json()
    secreto = suscriptor["secreto"]
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", secreto)
    ruta = f"{API}/suscripciones/{suscriptor['id']}"
    leida = await cliente.get(ruta, headers=h["admin"])
    assert leida.status_code == 200 and "secreto" not in leida.json()
    assert secreto not in (await cliente.get(f"{API}/suscripciones", headers=h["admin"])).text

    pausada = await cliente.post(f"{ruta}/pausar", headers=h["admin"])
    assert pausada.json()["estado"] == "pausada" and "admin" in pausada.json()["motivo_pausa"]
    otra_vez = await cliente.post(f"{ruta}/pausar", headers=h["admin"])
    assert (
        otra_vez.status_code == 409
        and otra_vez.json()["detail"] == "El suscriptor ya está en pausa."
    )
    assert (await cliente.post(f"{ruta}/reanudar", headers=h["admin"])).json()["estado"] == "activa"

    rotada = await cliente.post(f"{ruta}/rotar-secreto", headers=h["admin"])
    assert rotada.status_code == 200, rotada.text
    assert rotada.json()["secreto"] != secreto
    assert rotada.json()["secreto_anterior_vigente_hasta"] is not None

    assert (await cliente.delete(ruta, headers=h["admin"])).status_code == 204
    eliminada = await cliente.get(ruta, headers=h["admin"])
    assert eliminada.json()["estado"] == "eliminada"
    tarde = await cliente.post(f"{ruta}/reanudar", headers=h["admin"])
    assert tarde.status_code == 409 and "fue eliminado" in tarde.json()["detail"]


async def test_cada_accion_sobre_un_suscriptor_llega_al_bus_con_quien_la_hizo_y_sin_secretos(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia
) -> None:
    creada = await registrar(cliente, h["admin"], url=f"{PUBLICA}/historial?clave=no-viaja")
    suscriptor = creada.json()
    ruta = f"{API}/suscripciones/{suscriptor['id']}"
    assert (await cliente.post(f"{ruta}/pausar", headers=h["admin"])).status_code == 200
    assert (await cliente.post(f"{ruta}/pausar", headers=h["admin"])).status_code == 409
    assert (await cliente.post(f"{ruta}/reanudar", headers=h["admin"])).status_code == 200
    rotada = await cliente.post(f"{ruta}/rotar-secreto", headers=h["admin"])
    assert (await cliente.delete(ruta, headers=h["admin"])).status_code == 204
    assert (await cliente.delete(ruta, headers=h["admin"])).status_code == 409

    def del_suscriptor() -> list[Evento]:
        return [e for e in espia.eventos if e.subject == suscriptor["id"]]

    async def eliminado_publicado() -> bool:
        return any(e.type.endswith(".suscriptor_eliminado.v1") for e in del_suscriptor())

    await esperar(eliminado_publicado)
    # One document's outbox is published in order: a refused action's event would be here.
    assert [e.type.split(".")[3] for e in del_suscriptor()] == [
        "suscriptor_registrado",
        "suscriptor_pausado",
        "suscriptor_reanudado",
        "secreto_rotado",
        "suscriptor_eliminado",
    ]
    for evento in del_suscriptor():
        assert (evento.actor.usuario, evento.actor.rol) == ("admin", "administrador")
        assert evento.modulo == "webhooks"
        assert evento.data["url"] == f"{PUBLICA}/historial"
        for secreto in (suscriptor["secreto"], rotada.json()["secreto"]):
            assert secreto.removeprefix("whsec_") not in como_texto(evento)


async def test_el_historial_de_actividad_anota_quien_registro_un_suscriptor(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    suscriptor = (await registrar(cliente, h["admin"], url=f"{PUBLICA}/auditado")).json()

    async def anotado() -> list[dict[str, Any]]:
        historial = await cliente.get("/api/auditoria/v1/historial", headers=h["admin"])
        assert historial.status_code == 200, historial.text
        entradas: list[dict[str, Any]] = historial.json()["entradas"]
        return [e for e in entradas if e["sujeto"] == suscriptor["id"]]

    async def hay_entrada() -> bool:
        return bool(await anotado())

    await esperar(hay_entrada)
    (entrada,) = await anotado()
    assert (entrada["usuario"], entrada["rol"]) == ("admin", "administrador")
    assert (entrada["modulo"], entrada["accion"]) == ("webhooks", "registrar_suscriptor")


async def test_la_misma_direccion_no_se_registra_dos_veces(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    assert (await registrar(cliente, h["admin"], url=f"{PUBLICA}/doble")).status_code == 201
    segunda = await registrar(cliente, h["admin"], url=f"{PUBLICA}/doble")
    assert segunda.status_code == 409 and "Ya hay un suscriptor" in segunda.json()["detail"]


async def test_una_entrega_o_un_suscriptor_inexistentes_responden_404(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    nada = await cliente.get(f"{API}/suscripciones/sus-0000000000", headers=h["admin"])
    assert nada.status_code == 404 and nada.json()["detail"] == (
        "No hay ningún suscriptor con ese identificador."
    )
    reenvio = await cliente.post(f"{API}/entregas/no-existe/reenviar", headers=h["admin"])
    assert reenvio.status_code == 404


async def test_el_formulario_registra_y_muestra_el_secreto_una_sola_vez(
    cliente: httpx.AsyncClient,
) -> None:
    async with httpx.AsyncClient(transport=cliente._transport, base_url=cliente.base_url) as nav:
        assert (await iniciar_sesion(nav, "admin")).status_code == 303
        formulario = await nav.get("/webhooks")
        assert formulario.status_code == 200 and "Registrar un suscriptor" in formulario.text
        alta = await nav.post(
            "/webhooks",
            data={
                "url": f"{PUBLICA}/formulario",
                "descripcion": "INE: sistema Conóceles",
                "eventos": ["perfil_publicado", "perfil_retirado"],
                "csrf_token": csrf(formulario.text),
            },
        )
        assert alta.status_code == 201, alta.text
        assert alta.headers["cache-control"] == "no-store"
        secreto = re.search(r'value="(whsec_[^"]+)"', alta.text)
        assert secreto is not None
        enlace = re.search(r'href="(/webhooks/sus-[0-9a-f]+)"', alta.text)
        assert enlace is not None
        detalle = await nav.get(enlace.group(1))
        lista = await nav.get("/webhooks")
    assert detalle.status_code == 200 and "INE: sistema Conóceles" in detalle.text
    assert secreto.group(1) not in detalle.text and secreto.group(1) not in lista.text


async def test_el_formulario_con_una_direccion_privada_vuelve_con_el_error(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    async with httpx.AsyncClient(transport=cliente._transport, base_url=cliente.base_url) as nav:
        await iniciar_sesion(nav, "admin")
        formulario = await nav.get("/webhooks")
        rechazo = await nav.post(
            "/webhooks",
            data={
                "url": "http://10.0.0.7/interno",
                "eventos": "perfil_publicado",
                "csrf_token": csrf(formulario.text),
            },
        )
    assert rechazo.status_code == 422
    assert "No se registró el suscriptor" in rechazo.text and "red privada" in rechazo.text
    assert 'value="http://10.0.0.7/interno"' in rechazo.text
    assert "http://10.0.0.7/interno" not in await urls_registradas(cliente, h["admin"])


async def test_eliminar_desde_la_pagina_pide_confirmacion(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    suscriptor = (await registrar(cliente, h["admin"], url=f"{PUBLICA}/pagina")).json()
    ruta = f"/webhooks/{suscriptor['id']}"
    async with httpx.AsyncClient(transport=cliente._transport, base_url=cliente.base_url) as nav:
        await iniciar_sesion(nav, "admin")
        pagina = await nav.get(ruta)
        sin_confirmar = await nav.post(f"{ruta}/eliminar", data={"csrf_token": csrf(pagina.text)})
        assert sin_confirmar.status_code == 422
        assert "Marque la casilla de confirmación" in sin_confirmar.text
        pausa = await nav.post(f"{ruta}/pausar", data={"csrf_token": csrf(pagina.text)})
        assert pausa.status_code == 303
        confirmado = await nav.post(
            f"{ruta}/eliminar", data={"confirmo": "si", "csrf_token": csrf(pagina.text)}
        )
        assert confirmado.status_code == 303
        despues = await nav.get(confirmado.headers["location"])
    assert "Se eliminó el suscriptor" in despues.text and "Eliminado" in despues.text
