"""Through the gateway only: capture → send → validate → start date → public, and cached."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from comun.auth.pruebas_keycloak import UsuarioDePrueba
from comun.roles import Rol

from .conftest import entrar, esperar
from .flujo_pasarela import capturar_y_enviar, registrar

pytestmark = pytest.mark.timeout(900)
PROPUESTA = f"Agua potable para cada colonia {uuid.uuid4().hex[:10]}"
PUEBLO = f"Pueblo privado {uuid.uuid4().hex[:10]}"
VALIDACION = "/api/validacion/v1"
PUBLICA = "/api/publicacion/v1"


async def test_lo_validado_se_publica_al_llegar_la_fecha_y_la_pasarela_lo_guarda_en_cache(
    cliente: httpx.AsyncClient,
    distribuido: str,
    administradora: UsuarioDePrueba,
    persona_de: Any,
) -> None:
    admin_csrf = {"X-CSRF-Token": await entrar(cliente, administradora)}
    candidatura_id, partido = await registrar(cliente, admin_csrf["X-CSRF-Token"])
    capturista = await persona_de(Rol.PARTIDO.value, partido)
    supervisora = await persona_de(Rol.SUPERVISOR.value, partido)
    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as sesion:
        csrf = {"X-CSRF-Token": await entrar(sesion, capturista)}
        await capturar_y_enviar(sesion, csrf, candidatura_id, propuesta=PROPUESTA, pueblo=PUEBLO)
    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as sesion:
        csrf = {"X-CSRF-Token": await entrar(sesion, supervisora)}
        revision = f"{VALIDACION}/candidaturas/{candidatura_id}"

        async def por_validar() -> bool:
            respuesta = await sesion.get(revision)
            return respuesta.status_code == 200 and respuesta.json()["estado"] == "por_validar"

        await esperar(por_validar)
        validada = await sesion.post(f"{revision}/validacion", headers=csrf)
        assert validada.status_code == 200, validada.text
    pasada = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    fijada = await cliente.put(
        f"{VALIDACION}/publicacion/inicio", json={"fecha": pasada}, headers=admin_csrf
    )
    assert fijada.status_code == 200, fijada.text

    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as anonimo:

        async def publica() -> bool:
            perfil = await anonimo.get(f"{PUBLICA}/candidaturas/{candidatura_id}")
            return perfil.status_code == 200

        await esperar(publica)
        perfil = (await anonimo.get(f"{PUBLICA}/candidaturas/{candidatura_id}")).json()
        assert perfil["curricular"]["propuesta_1"] == PROPUESTA
        assert perfil["identidad"] is None or perfil["accion_afirmativa"] is not None
        ruta = f"/candidaturas/{candidatura_id}"
        primera = await anonimo.get(ruta)
        segunda = await anonimo.get(ruta)
        assert primera.status_code == 200 and PROPUESTA in primera.text
        assert PUEBLO not in primera.text
        assert segunda.headers.get("x-cache") == "HIT", segunda.headers
