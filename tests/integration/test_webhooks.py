"""Outgoing webhooks end to end in the all-in-one process (issue 8, item 5; PTO 29).

A real HTTP receiver on 127.0.0.1 (allowed by CONOCELES_PUBLICACION_WEBHOOKS_PERMITIR_PRIVADAS)
subscribes through the administrator's API; a candidacy is captured, validated and published;
each subscriber path answers differently (200, 500 then 200, a redirect, always 500, 410).
The retry window is shortened to a few seconds so that the dead letter is reached in the test.
"""

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from comun.eventos.publicacion import EntregaReenviada, SuscriptorPausado, WebhookEntregado
from comun.servicios import Servicio

from . import proceso
from .captura_flujo import PUEBLO_MARCADO, Espia, capturar_y_validar, como_texto
from .conftest import esperar, iniciar_sesion
from .receptor_webhooks import Receptor, Respuesta, firma_valida, receptor_http

pytestmark = pytest.mark.asyncio(loop_scope="module")

CID = "DL-MR-41-FYCEM-P"
API = "/api/publicacion/v1/webhooks"
PUBLICA = "/api/publicacion/v1/candidaturas"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin", "verificador")
RUTAS = {
    "ok": "/ok",
    "una_falla": "/una-falla",
    "redirige": "/redirige",
    "caida": "/caida",
    "sin_interes": "/sin-interes",
}
PLAZO = 20.0

datos = proceso.datos_demo(
    "webhooks",
    CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05",
    CONOCELES_PUBLICACION_WEBHOOKS_PERMITIR_PRIVADAS="true",
    CONOCELES_PUBLICACION_WEBHOOKS_INTERVALO_S="0.05",
    CONOCELES_PUBLICACION_WEBHOOKS_REINTENTO_BASE_S="0.05",
    CONOCELES_PUBLICACION_WEBHOOKS_REINTENTO_TOPE_S="0.2",
    CONOCELES_PUBLICACION_WEBHOOKS_VENTANA_S="3",
    CONOCELES_PUBLICACION_WEBHOOKS_ESPERA_S="2",
)
app, espia, cliente = proceso.todo_en_uno(Servicio.PUBLICACION)
h = proceso.tokens(CUENTAS)


@pytest.fixture(scope="module")
def receptor() -> Iterator[Receptor]:
    with receptor_http() as servidor:
        yield servidor


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def suscriptores(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], receptor: Receptor
) -> dict[str, dict[str, Any]]:
    """One subscriber per receiver path, registered through the API (secret shown once)."""
    receptor.programar(RUTAS["una_falla"], 500, 200)
    redireccion = Respuesta(302, {"location": receptor.url("/redirigido")})
    receptor.programar(RUTAS["redirige"], redireccion)
    receptor.programar(RUTAS["caida"], 500)
    receptor.programar(RUTAS["sin_interes"], 410)
    registrados = {}
    for nombre, ruta in RUTAS.items():
        respuesta = await cliente.post(
            f"{API}/suscripciones",
            json={
                "url": receptor.url(ruta),
                "eventos": ["perfil_publicado", "perfil_retirado"],
                "descripcion": f"Receptor de pruebas «{nombre}»",
            },
            headers=h["admin"],
        )
        assert respuesta.status_code == 201, respuesta.text
        assert respuesta.headers["cache-control"] == "no-store"
        registrados[nombre] = respuesta.json()
    return registrados


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicada(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    suscriptores: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The candidacy captured, validated and public; its profile as the public API shows it."""
    await capturar_y_validar(cliente, h, CID, inicio_hace=timedelta(minutes=1))

    async def visible() -> bool:
        return (await cliente.get(f"{PUBLICA}/{CID}")).status_code == 200

    await esperar(visible)
    perfil: dict[str, Any] = (await cliente.get(f"{PUBLICA}/{CID}")).json()
    return perfil


async def entregas_de(
    cliente: httpx.AsyncClient, admin: dict[str, str], suscripcion: dict[str, Any]
) -> list[dict[str, Any]]:
    respuesta = await cliente.get(
        f"{API}/entregas", params={"suscripcion_id": suscripcion["id"]}, headers=admin
    )
    assert respuesta.status_code == 200, respuesta.text
    resultados: list[dict[str, Any]] = respuesta.json()["resultados"]
    return resultados


async def esperar_entregas(
    cliente: httpx.AsyncClient,
    admin: dict[str, str],
    suscripcion: dict[str, Any],
    estado: str,
) -> list[dict[str, Any]]:
    """Poll until every delivery of the subscriber is in `estado`; those deliveries."""

    async def listas() -> bool:
        entregas = await entregas_de(cliente, admin, suscripcion)
        return bool(entregas) and all(e["estado"] == estado for e in entregas)

    await esperar(listas, plazo=PLAZO)
    return await entregas_de(cliente, admin, suscripcion)


async def recibidas(receptor: Receptor, ruta: str, tipo: str = "perfil_publicado") -> list[Any]:
    async def llegaron() -> bool:
        return any(json.loads(r.cuerpo)["type"] == tipo for r in receptor.de(ruta))

    await esperar(llegaron, plazo=PLAZO)
    return [r for r in receptor.de(ruta) if json.loads(r.cuerpo)["type"] == tipo]


async def test_el_suscriptor_recibe_el_perfil_publicado_firmado(
    receptor: Receptor, suscriptores: dict[str, dict[str, Any]], publicada: dict[str, Any]
) -> None:
    llegadas = await recibidas(receptor, RUTAS["ok"])
    ultima = llegadas[-1]
    assert firma_valida(suscriptores["ok"]["secreto"], ultima)
    assert abs(int(ultima.cabeceras["webhook-timestamp"]) - time.time()) < 300
    assert ultima.cabeceras["content-type"] == "application/json"
    mensaje = json.loads(ultima.cuerpo)
    assert mensaje["type"] == "perfil_publicado" and mensaje["timestamp"].endswith("Z")
    assert mensaje["data"] == publicada


async def test_sin_consentimiento_la_entrega_no_trae_respuestas_de_identidad(
    receptor: Receptor, publicada: dict[str, Any]
) -> None:
    for llegada in await recibidas(receptor, RUTAS["ok"]):
        datos = json.loads(llegada.cuerpo)["data"]
        assert datos["accion_afirmativa"] is None and datos["identidad"] is None
        assert PUEBLO_MARCADO.encode() not in llegada.cuerpo
        assert b"aclaraciones@ejemplo.mx" not in llegada.cuerpo and b"curp" not in llegada.cuerpo


async def test_una_firma_con_otro_secreto_no_verifica(
    receptor: Receptor, suscriptores: dict[str, dict[str, Any]], publicada: dict[str, Any]
) -> None:
    (llegada, *_) = await recibidas(receptor, RUTAS["ok"])
    assert not firma_valida(suscriptores["caida"]["secreto"], llegada)


async def test_la_entrega_exitosa_emite_webhook_entregado(
    espia: Espia, suscriptores: dict[str, dict[str, Any]], publicada: dict[str, Any]
) -> None:
    ok = suscriptores["ok"]["id"]

    async def emitido() -> bool:
        return any(
            e.type == WebhookEntregado.tipo() and e.data["suscripcion_id"] == ok
            for e in espia.eventos
        )

    await esperar(emitido, plazo=PLAZO)
    evento = next(e for e in espia.eventos if e.type == WebhookEntregado.tipo())
    assert evento.subject == CID and evento.data["codigo_http"] == 200
    assert evento.data["url"] == suscriptores["ok"]["url"]


async def test_un_500_se_reintenta_y_despues_se_entrega(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    receptor: Receptor,
    suscriptores: dict[str, dict[str, Any]],
    publicada: dict[str, Any],
) -> None:
    entregas = await esperar_entregas(cliente, h["admin"], suscriptores["una_falla"], "entregada")
    reintentada = next(e for e in entregas if e["intentos"] == 2)
    assert [i["codigo_http"] for i in reintentada["historial"]] == [500, 200]
    llegadas = [
        r
        for r in receptor.de(RUTAS["una_falla"])
        if r.cabeceras["webhook-id"] == reintentada["evento_id"]
    ]
    assert len(llegadas) == 2


async def test_una_redireccion_no_se_sigue(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    receptor: Receptor,
    suscriptores: dict[str, dict[str, Any]],
    publicada: dict[str, Any],
) -> None:
    async def intentada() -> bool:
        entregas = await entregas_de(cliente, h["admin"], suscriptores["redirige"])
        return any(e["ultimo_codigo_http"] == 302 for e in entregas)

    await esperar(intentada, plazo=PLAZO)
    (entrega, *_) = await entregas_de(cliente, h["admin"], suscriptores["redirige"])
    assert entrega["estado"] != "entregada" and "no se siguen" in entrega["ultimo_error"]
    assert receptor.de("/redirigido") == []


async def test_agotada_la_ventana_la_entrega_falla_y_el_reenvio_la_envia_otra_vez(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    receptor: Receptor,
    suscriptores: dict[str, dict[str, Any]],
    publicada: dict[str, Any],
) -> None:
    fallidas = await esperar_entregas(cliente, h["admin"], suscriptores["caida"], "fallida")
    muerta = fallidas[0]
    assert muerta["intentos"] >= 2 and muerta["proximo_intento"] is None
    assert muerta["ultimo_error"] == "El receptor respondió 500."
    receptor.programar(RUTAS["caida"], 200)
    antes = len(receptor.de(RUTAS["caida"]))
    reenvio = await cliente.post(f"{API}/entregas/{muerta['id']}/reenviar", headers=h["admin"])
    assert reenvio.status_code == 200, reenvio.text
    assert reenvio.json()["estado"] == "pendiente"

    async def entregada() -> bool:
        entregas = await entregas_de(cliente, h["admin"], suscriptores["caida"])
        return any(e["id"] == muerta["id"] and e["estado"] == "entregada" for e in entregas)

    await esperar(entregada, plazo=PLAZO)
    nueva = receptor.de(RUTAS["caida"])[antes:]
    assert [r.cabeceras["webhook-id"] for r in nueva] == [muerta["evento_id"]]
    assert firma_valida(suscriptores["caida"]["secreto"], nueva[0])


async def test_410_pone_al_suscriptor_en_pausa(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    suscriptores: dict[str, dict[str, Any]],
    publicada: dict[str, Any],
) -> None:
    ruta = f"{API}/suscripciones/{suscriptores['sin_interes']['id']}"

    async def pausado() -> bool:
        return bool((await cliente.get(ruta, headers=h["admin"])).json()["estado"] == "pausada")

    await esperar(pausado, plazo=PLAZO)
    suscriptor = (await cliente.get(ruta, headers=h["admin"])).json()
    assert "410" in suscriptor["motivo_pausa"]


async def test_la_pausa_por_410_llega_al_bus_como_accion_del_sistema(
    espia: Espia, suscriptores: dict[str, dict[str, Any]], publicada: dict[str, Any]
) -> None:
    sin_interes = suscriptores["sin_interes"]["id"]

    async def anotada() -> bool:
        return bool(espia.de(sin_interes, "suscriptor_pausado"))

    await esperar(anotada, plazo=PLAZO)
    (pausa,) = espia.de(sin_interes, "suscriptor_pausado")
    assert pausa.type == SuscriptorPausado.tipo()
    assert pausa.actor.usuario == "sistema" and "410" in pausa.data["motivo"]


async def test_la_pagina_del_suscriptor_muestra_su_registro_de_entregas(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    suscriptores: dict[str, dict[str, Any]],
    publicada: dict[str, Any],
) -> None:
    await esperar_entregas(cliente, h["admin"], suscriptores["ok"], "entregada")
    async with httpx.AsyncClient(transport=cliente._transport, base_url=cliente.base_url) as nav:
        assert (await iniciar_sesion(nav, "admin")).status_code == 303
        lista = await nav.get("/webhooks")
        assert lista.status_code == 200 and "Receptor de pruebas «ok»" in lista.text
        pagina = await nav.get(f"/webhooks/{suscriptores['ok']['id']}")
    assert pagina.status_code == 200, pagina.text
    assert pagina.headers["cache-control"] == "no-store"
    assert "Registro de entregas" in pagina.text and CID in pagina.text
    assert "Entregada" in pagina.text and "Reenviar" in pagina.text
    assert suscriptores["ok"]["secreto"] not in pagina.text


async def test_al_retirar_el_perfil_se_entrega_su_retiro_con_clave_y_motivo(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    receptor: Receptor,
    publicada: dict[str, Any],
) -> None:
    toma = {
        "objetivo": "perfil",
        "motivo": "propaganda",
        "observacion": "El perfil completo incluye un llamado expreso al voto.",
    }
    baja = await cliente.post(
        f"/api/validacion/v1/verificacion/{CID}/deshabilitar", json=toma, headers=h["verificador"]
    )
    assert baja.status_code == 200, baja.text
    (retiro,) = await recibidas(receptor, RUTAS["ok"], "perfil_retirado")
    assert json.loads(retiro.cuerpo)["data"] == {
        "id": CID,
        "motivo": "deshabilitada",
        "url": f"/candidaturas/{CID}",
    }


async def test_el_reenvio_llega_al_bus_como_entrega_reenviada_por_quien_lo_pidio(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    espia: Espia,
    suscriptores: dict[str, dict[str, Any]],
    publicada: dict[str, Any],
) -> None:
    (entrega, *_) = await esperar_entregas(cliente, h["admin"], suscriptores["ok"], "entregada")
    reenvio = await cliente.post(f"{API}/entregas/{entrega['id']}/reenviar", headers=h["admin"])
    assert reenvio.status_code == 200, reenvio.text

    async def publicada_en_el_bus() -> bool:
        return bool(espia.de(entrega["id"], "entrega_reenviada"))

    await esperar(publicada_en_el_bus, plazo=PLAZO)
    (evento,) = espia.de(entrega["id"], "entrega_reenviada")
    assert evento.type == EntregaReenviada.tipo()
    assert (evento.actor.usuario, evento.actor.rol) == ("admin", "administrador")
    assert evento.data["entrega_id"] == entrega["id"]
    assert evento.data["suscripcion_id"] == suscriptores["ok"]["id"]
    assert suscriptores["ok"]["secreto"].removeprefix("whsec_") not in como_texto(evento)
