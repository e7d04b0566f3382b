"""Distributed mode through the gateway: Keycloak login, Kafka delivery, one trace everywhere."""

import secrets
import uuid

import httpx
import pytest

from comun.auth.pruebas_keycloak import UsuarioDePrueba
from conoceles.receptor_otlp import ReceptorOtlp

from .conftest import URL_REGISTRO, entrar, esperar, formulas

pytestmark = pytest.mark.timeout(900)


async def test_todos_los_servicios_responden_a_traves_de_la_pasarela(
    cliente: httpx.AsyncClient,
) -> None:
    for servicio in ("identidad", "captura", "validacion", "publicacion", "estadistica"):
        respuesta = await cliente.get(f"/api/{servicio}/health/ready")
        assert respuesta.status_code == 200, (servicio, respuesta.text)
        assert respuesta.headers["x-request-id"]


async def test_una_accion_en_captura_cruza_kafka_con_una_sola_traza(
    cliente: httpx.AsyncClient, administradora: UsuarioDePrueba, trazas: ReceptorOtlp
) -> None:
    csrf = await entrar(cliente, administradora)
    antes = (await cliente.get("/api/publicacion/v1/resumen")).json()["candidaturas_registradas"]
    traza = secrets.token_hex(16)
    clave = f"E2E-{uuid.uuid4().hex[:10].upper()}"
    respuesta = await cliente.post(
        URL_REGISTRO,
        json={"candidaturas": formulas(clave, 1)},
        headers={"X-CSRF-Token": csrf, "traceparent": f"00-{traza}-{secrets.token_hex(8)}-01"},
    )
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["resumen"]["nuevas"] == 2, respuesta.text

    async def publicada() -> bool:
        resumen = (await cliente.get("/api/publicacion/v1/resumen")).json()
        return bool(resumen["candidaturas_registradas"] == antes + 2)

    async def auditada() -> bool:
        historial = (await cliente.get("/api/auditoria/v1/historial")).json()
        return any(e["sujeto"] == f"{clave}-00001-P" for e in historial["entradas"])

    async def trazada() -> bool:
        esperados = {"conoceles-captura", "conoceles-publicacion", "conoceles-auditoria"}
        return esperados <= {s.servicio for s in trazas.de_traza(traza)}

    await esperar(publicada)
    await esperar(auditada)
    await esperar(trazada)


async def test_un_token_ajeno_recibe_401(cliente: httpx.AsyncClient) -> None:
    ajeno = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"
    respuesta = await cliente.get("/api/captura/v1/candidaturas", headers={"Authorization": ajeno})
    assert respuesta.status_code == 401
