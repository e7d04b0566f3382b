"""The registration system's client `conoceles-registro` on the real Keycloak realm.

Keycloak comes from CONOCELES_TEST_KEYCLOAK_URL (default http://127.0.0.1:8081, started by
`uv run conoceles infra up`); under CI=true its absence fails the tests instead of skipping them.
"""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from comun.auth.jwks import HttpJwksSource
from comun.auth.pruebas_keycloak import exigir_realm
from comun.auth.tokens import TokenVerifier
from comun.roles import Rol
from identidad.config import SECRETO_REGISTRO_DESARROLLO
from identidad.main import create_app
from identidad.web import SecretoDeDesarrolloVigente

URL_KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"
EMISOR = f"{URL_KEYCLOAK}/realms/{REALM}"
URL_TOKEN = f"{EMISOR}/protocol/openid-connect/token"
CLIENTE = "conoceles-registro"
# The value the realm file's placeholder took when `conoceles infra up` imported it.
SECRETO = os.environ.get("CONOCELES_KEYCLOAK_REGISTRO_SECRETO", SECRETO_REGISTRO_DESARROLLO)


@pytest.fixture
async def keycloak() -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the realm, once it answers."""
    await exigir_realm(URL_KEYCLOAK, REALM)
    async with httpx.AsyncClient(timeout=30) as cliente:
        yield cliente


async def pedir_token(keycloak: httpx.AsyncClient, **campos: str) -> httpx.Response:
    datos = {"grant_type": "client_credentials", "client_id": CLIENTE, "client_secret": SECRETO}
    return await keycloak.post(URL_TOKEN, data={**datos, **campos})


async def test_client_credentials_de_keycloak_da_el_rol_sistema_registro_que_comun_acepta(
    keycloak: httpx.AsyncClient,
) -> None:
    respuesta = await pedir_token(keycloak)

    assert respuesta.status_code == 200, respuesta.text
    assert "refresh_token" not in respuesta.json()
    verificador = TokenVerifier(
        HttpJwksSource(f"{EMISOR}/protocol/openid-connect/certs"),
        emisor=EMISOR,
        audiencia="conoceles",
    )
    usuario = await verificador.verificar(respuesta.json()["access_token"])
    # Only the client's scope: no default realm roles, nothing a person's account holds.
    assert usuario.roles == frozenset({Rol.SISTEMA_REGISTRO})
    assert usuario.nombre_usuario == f"service-account-{CLIENTE}"
    assert usuario.partido is None


async def test_secreto_erroneo_no_obtiene_token_de_keycloak(keycloak: httpx.AsyncClient) -> None:
    respuesta = await pedir_token(keycloak, client_secret="no-es-el-secreto")

    assert respuesta.status_code == 401
    assert respuesta.json()["error"] == "unauthorized_client"


async def test_el_cliente_de_registro_no_admite_contrasenas_de_personas(
    keycloak: httpx.AsyncClient,
) -> None:
    respuesta = await pedir_token(
        keycloak, grant_type="password", username="admin", password="cualquiera-123"
    )

    assert respuesta.status_code in (400, 401)
    assert respuesta.json()["error"] == "unauthorized_client"


@pytest.fixture
def modo_keycloak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """identidad configured for the realm of `conoceles infra up`."""
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_IDENTIDAD", "keycloak")
    monkeypatch.setenv("CONOCELES_KEYCLOAK_URL", URL_KEYCLOAK)
    monkeypatch.setenv("CONOCELES_KEYCLOAK_REALM", REALM)
    for variable in ("CONOCELES_EMISOR", "CONOCELES_JWKS_URL", "CONOCELES_DEMO"):
        monkeypatch.delenv(variable, raising=False)


@pytest.mark.usefixtures("modo_keycloak")
async def test_con_keycloak_el_token_local_remite_a_client_credentials_del_realm(
    keycloak: httpx.AsyncClient,
) -> None:
    app = create_app()
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as gestor:
        transporte = httpx.ASGITransport(app=gestor.app)
        async with httpx.AsyncClient(transport=transporte, base_url="http://testserver") as sitio:
            respuesta = await sitio.post(
                "/api/identidad/v1/token",
                data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
            )
            token = (await pedir_token(keycloak)).json()["access_token"]
            yo = await sitio.get(
                "/api/identidad/v1/yo", headers={"Authorization": f"Bearer {token}"}
            )

    assert respuesta.status_code == 404
    assert "grant_type=client_credentials" in respuesta.json()["detail"]
    assert URL_TOKEN in respuesta.json()["detail"]
    assert yo.status_code == 200
    assert yo.json()["roles"] == ["sistema_registro"]


@pytest.mark.usefixtures("modo_keycloak")
async def test_en_produccion_no_inicia_mientras_keycloak_acepte_el_secreto_de_desarrollo(
    keycloak: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    if (await pedir_token(keycloak, client_secret=SECRETO_REGISTRO_DESARROLLO)).status_code != 200:
        pytest.fail("Este Keycloak no tiene el secreto de desarrollo de conoceles-registro.")
    monkeypatch.setenv("CONOCELES_ENTORNO", "produccion")
    monkeypatch.setenv("CONOCELES_CLAVE_SECRETA", "p" * 40)
    monkeypatch.setenv("CONOCELES_CLAVE_IDENTIDAD", "i" * 40)
    monkeypatch.setenv("CONOCELES_KEYCLOAK_WEB_SECRETO", "w" * 32)
    monkeypatch.setenv("CONOCELES_KEYCLOAK_ADMIN_SECRETO", "a" * 32)
    app = create_app()

    with pytest.raises(SecretoDeDesarrolloVigente, match="Regenere su secreto"):
        async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
            pass
