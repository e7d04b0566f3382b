"""Post-publication change requests (issue 7, item 6) through the all-in-one app."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import PROPUESTA, Espia, capturar_y_validar
from .conftest import esperar, iniciar_sesion

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLICADA = "AY-15007-PM-CC-FYCEM-P"
SIN_PUBLICAR = "AY-15007-PM-CC-FYCEM-S"
API = "/api/validacion/v1"
SOLICITUDES = f"{API}/solicitudes"
CUENTAS = ("captura.PRD", "supervisor.PRD", "supervisor.PAN", "admin")
NUEVA = "Agua potable y drenaje en cada colonia, con metas trimestrales."


datos = proceso.datos_demo("solicitudes", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
h = proceso.tokens(CUENTAS)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicada(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia) -> None:
    """Capture → send → validate → publication date in the past → publishable."""
    await capturar_y_validar(cliente, h, PUBLICADA, inicio_hace=timedelta(days=1))

    async def publicable() -> bool:
        return bool(espia.de(PUBLICADA, "candidatura_publicable"))

    await esperar(publicable)


def codigo_csrf(pagina: httpx.Response) -> str:
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert encontrado is not None, "la página no trae código de seguridad"
    return encontrado.group(1)


async def test_pedir_un_cambio_antes_de_publicar_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    cuerpo = {"candidatura_id": SIN_PUBLICAR, "cambios": [{"campo": "propuesta_1", "texto": NUEVA}]}
    respuesta = await cliente.post(SOLICITUDES, json=cuerpo, headers=h["supervisor.PRD"])
    assert respuesta.status_code == 409, respuesta.text
    assert "todavía no está publicada" in respuesta.json()["detail"]


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [([], "al menos un campo"), ([{"campo": "apodo", "texto": "Ana"}], "no existe")],
)
async def test_una_solicitud_sin_campos_o_con_un_campo_inexistente_da_422(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    publicada: None,
    cambios: list[dict[str, str]],
    mensaje: str,
) -> None:
    cuerpo = {"candidatura_id": PUBLICADA, "cambios": cambios}
    respuesta = await cliente.post(SOLICITUDES, json=cuerpo, headers=h["supervisor.PRD"])
    assert respuesta.status_code == 422, respuesta.text
    assert mensaje in respuesta.json()["detail"]


async def test_otro_partido_no_pide_cambios_de_la_candidatura(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    cuerpo = {"candidatura_id": PUBLICADA, "cambios": [{"campo": "propuesta_1", "texto": NUEVA}]}
    respuesta = await cliente.post(SOLICITUDES, json=cuerpo, headers=h["supervisor.PAN"])
    assert respuesta.status_code == 404, respuesta.text


async def test_el_supervisor_pide_el_cambio_desde_la_pagina_con_su_advertencia(
    cliente: httpx.AsyncClient, publicada: None
) -> None:
    cliente.cookies.clear()
    await iniciar_sesion(cliente, "supervisor.prd")
    formulario = await cliente.get(f"/validacion/candidaturas/{PUBLICADA}/solicitud")
    assert formulario.status_code == 200, formulario.text
    assert "una sola oportunidad" in formulario.text
    assert "1,600 caracteres" in formulario.text
    enviado = await cliente.post(
        f"/validacion/candidaturas/{PUBLICADA}/solicitud",
        data={
            "csrf_token": codigo_csrf(formulario),
            "campo": "propuesta_1",
            "texto_propuesta_1": NUEVA,
        },
    )
    assert enviado.status_code == 303, enviado.text
    assert enviado.headers["location"] == f"/validacion/solicitudes/SC-{PUBLICADA}"
    cliente.cookies.clear()


async def test_una_segunda_solicitud_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    cuerpo = {"candidatura_id": PUBLICADA, "cambios": [{"campo": "propuesta_2", "texto": NUEVA}]}
    respuesta = await cliente.post(SOLICITUDES, json=cuerpo, headers=h["supervisor.PRD"])
    assert respuesta.status_code == 409, respuesta.text
    assert "única solicitud" in respuesta.json()["detail"]


async def test_la_cola_del_administrador_muestra_el_plazo_y_ambos_textos(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    cola = await cliente.get(SOLICITUDES, params={"estado": "presentada"}, headers=h["admin"])
    (fila,) = cola.json()["resultados"]
    assert fila["id"] == f"SC-{PUBLICADA}" and fila["partido"] == "PRD"
    ajena = await cliente.get(SOLICITUDES, headers=h["supervisor.PAN"])
    assert ajena.json()["resultados"] == []
    cliente.cookies.clear()
    await iniciar_sesion(cliente, "admin")
    pagina = await cliente.get("/validacion/solicitudes")
    assert "vence el" in pagina.text and f"SC-{PUBLICADA}" in pagina.text
    detalle = await cliente.get(f"/validacion/solicitudes/SC-{PUBLICADA}")
    assert NUEVA in detalle.text and "Agua potable en cada colonia" in detalle.text
    sin_motivo = await cliente.post(
        f"/validacion/solicitudes/SC-{PUBLICADA}/rechazar",
        data={"csrf_token": codigo_csrf(detalle), "motivo": ""},
    )
    assert sin_motivo.status_code == 422 and "Explique el rechazo" in sin_motivo.text
    cliente.cookies.clear()


async def test_aplicar_republica_guarda_el_texto_anterior_y_avisa_al_supervisor(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], espia: Espia, publicada: None
) -> None:
    antes = espia.de(PUBLICADA, "candidatura_publicable")[-1]
    aplicada = await cliente.post(f"{SOLICITUDES}/SC-{PUBLICADA}/aplicar", headers=h["admin"])
    assert aplicada.status_code == 200, aplicada.text
    assert aplicada.json()["estado"] == "aplicada"

    async def republicada() -> bool:
        return len(espia.de(PUBLICADA, "candidatura_publicable")) == 2 and bool(
            espia.de(PUBLICADA, "solicitud_cambio_aplicada")
        )

    await esperar(republicada)
    (evento,) = espia.de(PUBLICADA, "solicitud_cambio_aplicada")
    assert evento.data["anteriores"] == [{"campo": "propuesta_1", "texto": PROPUESTA}]
    assert evento.data["cambios"] == [{"campo": "propuesta_1", "texto": NUEVA}]
    nueva: Any = espia.de(PUBLICADA, "candidatura_publicable")[-1]
    assert nueva.data["curricular"]["propuesta_1"] == NUEVA
    assert nueva.data["version"] > antes.data["version"]
    bandeja = await cliente.get(f"{API}/avisos", headers=h["supervisor.PRD"])
    asuntos = [a["asunto"] for a in bandeja.json()["avisos"]]
    assert any(a.startswith("Solicitud de cambio aplicada") for a in asuntos), asuntos
    otra = await cliente.get(f"{API}/avisos", headers=h["supervisor.PAN"])
    assert all("Solicitud de cambio" not in a["asunto"] for a in otra.json()["avisos"])


async def test_resolver_dos_veces_da_409(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: None
) -> None:
    respuesta = await cliente.post(
        f"{SOLICITUDES}/SC-{PUBLICADA}/rechazar",
        json={"motivo": "El texto nuevo no procede."},
        headers=h["admin"],
    )
    assert respuesta.status_code == 409, respuesta.text
    assert "ya fue aplicada" in respuesta.json()["detail"]
