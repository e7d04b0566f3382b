"""A party captures and sends one candidacy through the gateway; nothing of it becomes public."""

import uuid
from typing import Any

import httpx
import pytest

from comun.auth.pruebas_keycloak import UsuarioDePrueba
from comun.roles import Rol

from .conftest import entrar, esperar
from .flujo_pasarela import capturar_y_enviar, registrar

pytestmark = pytest.mark.timeout(900)
PROPUESTA = f"Propuesta privada {uuid.uuid4().hex[:10]}"
PUEBLO = f"Pueblo privado {uuid.uuid4().hex[:10]}"


async def test_un_partido_captura_y_envia_y_nada_se_publica(
    cliente: httpx.AsyncClient,
    distribuido: str,
    administradora: UsuarioDePrueba,
    persona_de: Any,
) -> None:
    candidatura_id, partido = await registrar(cliente, await entrar(cliente, administradora))
    persona = await persona_de(Rol.PARTIDO.value, partido)
    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as sesion:
        csrf = {"X-CSRF-Token": await entrar(sesion, persona)}
        await capturar_y_enviar(sesion, csrf, candidatura_id, propuesta=PROPUESTA, pueblo=PUEBLO)

    async def auditado() -> bool:
        historial = (await cliente.get("/api/auditoria/v1/historial")).json()
        return any(
            e["sujeto"] == candidatura_id and e["accion"] == "enviar_a_validacion"
            for e in historial["entradas"]
        )

    # The sending crossed Kafka (auditoria saw it) before the public side is looked at.
    await esperar(auditado)
    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as anonimo:
        ficha = await anonimo.get(f"/api/publicacion/v1/candidaturas/{candidatura_id}")
        assert ficha.status_code == 404 or "propuesta_1" not in ficha.text, ficha.text
        for ruta in ("/", f"/candidaturas/{candidatura_id}", "/api/publicacion/v1/resumen"):
            pagina = await anonimo.get(ruta)
            assert PROPUESTA not in pagina.text and PUEBLO not in pagina.text, ruta
        privada = await anonimo.get(f"/api/captura/v1/candidaturas/{candidatura_id}/captura")
        assert privada.status_code == 401
