"""A party captures and sends one candidacy through the gateway; nothing of it becomes public."""

import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image

from comun.auth.pruebas_keycloak import UsuarioDePrueba, admin_del_realm, crear_usuario_de_prueba
from comun.roles import Rol

from .conftest import KEYCLOAK, REALM, URL_REGISTRO, entrar, esperar, formulas

pytestmark = pytest.mark.timeout(900)
PROPUESTA = f"Propuesta privada {uuid.uuid4().hex[:10]}"
PUEBLO = f"Pueblo privado {uuid.uuid4().hex[:10]}"


def jpeg() -> bytes:
    """A real JPEG portrait."""
    salida = io.BytesIO()
    Image.new("RGB", (600, 800), (120, 140, 90)).save(salida, format="JPEG")
    return salida.getvalue()


async def registrar(cliente: httpx.AsyncClient, csrf: str) -> tuple[str, str]:
    """A new fórmula registered by the administrator: its propietaria's id and party."""
    clave = f"E2E-{uuid.uuid4().hex[:10].upper()}"
    respuesta = await cliente.post(
        URL_REGISTRO, json={"candidaturas": formulas(clave, 1)}, headers={"X-CSRF-Token": csrf}
    )
    assert respuesta.status_code == 200, respuesta.text
    candidatura_id = f"{clave}-00001-P"
    ficha = await cliente.get(f"/api/captura/v1/candidaturas/{candidatura_id}")
    assert ficha.status_code == 200, ficha.text
    return candidatura_id, str(ficha.json()["partido"])


@pytest.fixture
async def capturista_de() -> AsyncIterator[Any]:
    """Creates party capturers in Keycloak; removes them afterwards."""
    from identidad.config import Settings

    ajustes = Settings()
    admin = admin_del_realm(
        url=KEYCLOAK,
        realm=REALM,
        cliente=ajustes.keycloak_cliente_admin,
        secreto=ajustes.keycloak_secreto_admin.get_secret_value(),
    )
    creadas: list[UsuarioDePrueba] = []

    async def crear(partido: str) -> UsuarioDePrueba:
        persona = await crear_usuario_de_prueba(admin, rol=Rol.PARTIDO.value, partido=partido)
        creadas.append(persona)
        return persona

    yield crear
    for persona in creadas:
        await admin.a_delete_user(persona.id)
    await admin.connection.aclose()


async def test_un_partido_captura_y_envia_y_nada_se_publica(
    cliente: httpx.AsyncClient,
    distribuido: str,
    administradora: UsuarioDePrueba,
    capturista_de: Any,
) -> None:
    candidatura_id, partido = await registrar(cliente, await entrar(cliente, administradora))
    persona = await capturista_de(partido)
    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as sesion:
        csrf = {"X-CSRF-Token": await entrar(sesion, persona)}
        base = f"/api/captura/v1/candidaturas/{candidatura_id}"
        curricular = await sesion.put(
            f"{base}/cuestionarios/curricular",
            json={"revision": 0, "respuestas": {"propuesta_1": PROPUESTA}},
            headers=csrf,
        )
        assert curricular.status_code == 200, curricular.text
        identidad = await sesion.put(
            f"{base}/cuestionarios/identidad",
            json={
                "revision": 0,
                "respuestas": {
                    "indigena": "Sí",
                    "pueblo_indigena": "Otro",
                    "pueblo_indigena_otro": PUEBLO,
                },
            },
            headers=csrf,
        )
        assert identidad.status_code == 200, identidad.text
        foto = await sesion.put(
            f"{base}/fotografia",
            files={"archivo": ("retrato.jpg", jpeg(), "image/jpeg")},
            headers=csrf,
        )
        assert foto.status_code == 200, foto.text
        formato = await sesion.get(f"{base}/consentimiento/formato.pdf")
        assert formato.status_code == 200 and formato.content.startswith(b"%PDF")
        consentimiento = await sesion.put(
            f"{base}/consentimiento",
            data={
                "tratamiento": "true",
                "publicacion": "false",
                "uso_estadistico": "false",
                "revision": "0",
            },
            files={"documento": ("consentimiento.pdf", formato.content, "application/pdf")},
            headers=csrf,
        )
        assert consentimiento.status_code == 200, consentimiento.text
        envio = await sesion.post(
            f"{base}/envio",
            json={
                "revision_curricular": curricular.json()["revision"],
                "revision_identidad": identidad.json()["revision"],
            },
            headers=csrf,
        )
        assert envio.status_code == 200, envio.text
        assert envio.json()["estado"] == "enviada"

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
