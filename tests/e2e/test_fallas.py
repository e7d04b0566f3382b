"""Faults in distributed mode: a consumer killed, the broker restarted, the database stopped."""

import asyncio
import os
import signal
import uuid

import httpx
import pytest

from comun.auth.pruebas_keycloak import UsuarioDePrueba
from conoceles.infra import InfraSettings, Paths

from .conftest import URL_REGISTRO, conoceles, entrar, esperar, formulas

pytestmark = pytest.mark.timeout(900)
EVENTOS = 500


def pid_de(nombre: str) -> int:
    """PID recorded for a server or service process."""
    archivo = Paths.from_settings(InfraSettings()).pid_file(nombre)
    return int(archivo.read_text().strip())


async def registrar_lote(
    cliente: httpx.AsyncClient, csrf: str, prefijo: str, cuantos: int
) -> list[str]:
    """Register candidacies one fórmula (two events) per request, as a registry push would."""
    filas = formulas(prefijo, cuantos // 2)
    for i in range(0, len(filas), 2):
        respuesta = await cliente.post(
            URL_REGISTRO, json={"candidaturas": filas[i : i + 2]}, headers={"X-CSRF-Token": csrf}
        )
        assert respuesta.status_code == 200, respuesta.text
        assert respuesta.json()["resumen"]["nuevas"] == 2, respuesta.text
    return [str(f["folio"]) for f in filas]


async def cuantas_publicacion(cliente: httpx.AsyncClient) -> int:
    """Registered candidacies as publicacion's read model counts them."""
    respuesta = await cliente.get("/api/publicacion/v1/resumen")
    return int(respuesta.json()["candidaturas_registradas"]) if respuesta.status_code == 200 else -1


async def auditadas(cliente: httpx.AsyncClient, prefijo: str) -> int:
    """Registrations of this batch in the history (each event must be there exactly once)."""
    # Pages run newest first while other events keep arriving, so an entry can show up on two
    # pages: count event ids, not lines.
    vistas: set[str] = set()
    pagina = 1
    while True:
        respuesta = await cliente.get("/api/auditoria/v1/historial", params={"pagina": pagina})
        entradas = respuesta.json()["entradas"]
        if not entradas:
            return len(vistas)
        vistas |= {
            e["evento_id"]
            for e in entradas
            if e["sujeto"].startswith(prefijo) and e["accion"] == "registrar_candidatura"
        }
        pagina += 1


async def test_matar_publicacion_a_mitad_no_pierde_ni_duplica_eventos(
    cliente: httpx.AsyncClient, administradora: UsuarioDePrueba
) -> None:
    csrf = await entrar(cliente, administradora)
    antes = await cuantas_publicacion(cliente)
    prefijo = f"K9-{uuid.uuid4().hex[:6].upper()}"
    lote = asyncio.create_task(registrar_lote(cliente, csrf, prefijo, EVENTOS))

    async def a_medias() -> bool:
        return await cuantas_publicacion(cliente) >= antes + EVENTOS // 5 or lote.done()

    await esperar(a_medias)
    os.kill(pid_de("publicacion"), signal.SIGKILL)
    await lote
    conoceles("up")

    async def completas() -> bool:
        return await cuantas_publicacion(cliente) == antes + EVENTOS

    await esperar(completas, plazo=300)
    assert await auditadas(cliente, prefijo) == EVENTOS


async def test_reiniciar_kafka_a_mitad_no_pierde_eventos(
    cliente: httpx.AsyncClient, administradora: UsuarioDePrueba
) -> None:
    csrf = await entrar(cliente, administradora)
    antes = await cuantas_publicacion(cliente)
    prefijo = f"KF-{uuid.uuid4().hex[:6].upper()}"
    await registrar_lote(cliente, csrf, f"{prefijo}-A", 50)
    conoceles("infra", "down", "kafka")
    await registrar_lote(cliente, csrf, f"{prefijo}-B", 50)
    conoceles("infra", "up", "kafka")
    await registrar_lote(cliente, csrf, f"{prefijo}-C", 50)

    async def completas() -> bool:
        return await cuantas_publicacion(cliente) == antes + 150

    await esperar(completas, plazo=300)
    assert await auditadas(cliente, prefijo) == 150


async def test_sin_base_de_datos_la_disponibilidad_es_503_y_se_recupera(
    cliente: httpx.AsyncClient,
) -> None:
    conoceles("infra", "down", "ferretdb")
    try:
        respuesta = await cliente.get("/api/captura/health/ready")
        assert respuesta.status_code == 503
        assert "store" in respuesta.text
        assert respuesta.headers["content-type"].startswith("application/problem+json")
    finally:
        conoceles("infra", "up", "ferretdb")

    async def lista() -> bool:
        return (await cliente.get("/api/captura/health/ready")).status_code == 200

    await esperar(lista, plazo=120)
