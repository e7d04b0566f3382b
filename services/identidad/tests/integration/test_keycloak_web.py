"""Sign-in through Keycloak without a browser: the app (ASGI) and Keycloak's own login form.

Keycloak comes from CONOCELES_TEST_KEYCLOAK_URL (default http://127.0.0.1:8081, started by
`uv run conoceles infra up`); under CI=true its absence fails the tests instead of skipping them.
"""

import os
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from keycloak import KeycloakAdmin
from starlette.types import ASGIApp

from comun.auth.keycloak import ProveedorKeycloak
from comun.auth.pruebas import EmisorDePrueba
from comun.auth.pruebas_keycloak import admin_del_realm, exigir_realm, llenar_formularios
from comun.roles import Rol
from identidad.config import Settings
from identidad.main import create_app

URL_KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"
EMISOR = f"{URL_KEYCLOAK}/realms/{REALM}"
# One of the redirect URIs registered for conoceles-web in deploy/keycloak/realm-conoceles.json.
SITIO = "http://127.0.0.1:8000"
YO = "/api/identidad/v1/yo"


async def exigir_keycloak() -> None:
    """Fail under CI, skip elsewhere, when the Keycloak realm does not answer."""
    await exigir_realm(URL_KEYCLOAK, REALM)


@dataclass
class Cuenta:
    usuario: str
    clave: str


@dataclass
class Proceso:
    app: FastAPI
    asgi: ASGIApp


@pytest.fixture
async def proceso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Proceso]:
    """The identidad service alone in Keycloak mode, started."""
    await exigir_keycloak()
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_IDENTIDAD", "keycloak")
    monkeypatch.setenv("CONOCELES_KEYCLOAK_URL", URL_KEYCLOAK)
    monkeypatch.setenv("CONOCELES_KEYCLOAK_REALM", REALM)
    for variable in ("CONOCELES_EMISOR", "CONOCELES_JWKS_URL", "CONOCELES_DEMO"):
        monkeypatch.delenv(variable, raising=False)
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30) as gestor:
        yield Proceso(aplicacion, gestor.app)


@pytest.fixture
async def sitio(proceso: Proceso) -> AsyncIterator[httpx.AsyncClient]:
    """The browser's view of this site (the ASGI app, at a registered redirect URI's origin)."""
    transporte = httpx.ASGITransport(app=proceso.asgi)
    async with httpx.AsyncClient(transport=transporte, base_url=SITIO) as cliente:
        yield cliente


@pytest.fixture
async def admin() -> AsyncIterator[KeycloakAdmin]:
    """The realm's admin API with the identity adapter's service client."""
    settings = Settings()
    administracion = admin_del_realm(
        url=URL_KEYCLOAK,
        realm=REALM,
        cliente=settings.keycloak_cliente_admin,
        secreto=settings.keycloak_secreto_admin.get_secret_value(),
    )
    yield administracion
    await administracion.connection.aclose()


@pytest.fixture
async def cuenta(proceso: Proceso, admin: KeycloakAdmin) -> AsyncIterator[Cuenta]:
    """A party capture account created through the port, with its temporary password."""
    proveedor = proceso.app.state.modulos[0].extras["proveedor"]
    assert isinstance(proveedor, ProveedorKeycloak)
    usuario = f"prueba-{uuid.uuid4().hex[:10]}"
    clave = await proveedor.crear_cuenta(
        usuario=usuario,
        nombre="Rosa",
        apellidos="Hernández Cruz",
        correo=f"{usuario}@ejemplo.mx",
        roles=[Rol.PARTIDO],
        partido="MORENA",
    )
    yield Cuenta(usuario, clave)
    usuario_id = await admin.a_get_user_id(usuario)
    if usuario_id is not None:
        await admin.a_delete_user(usuario_id)


async def entrar(
    sitio: httpx.AsyncClient, cuenta: Cuenta, *, siguiente: str = YO
) -> httpx.Response:
    """Follow the whole login: app → Keycloak form → new password → app callback."""
    inicio = await sitio.get("/identidad/login", params={"siguiente": siguiente})
    assert inicio.status_code == 303
    retorno, cuenta.clave = await llenar_formularios(
        inicio.headers["location"], usuario=cuenta.usuario, clave=cuenta.clave, sitio=SITIO
    )
    assert retorno.startswith(f"{SITIO}/identidad/callback?")
    return await sitio.get(retorno)


def cookie(respuesta: httpx.Response, nombre: str) -> str:
    (cabecera,) = [
        valor for valor in respuesta.headers.get_list("set-cookie") if valor.startswith(nombre)
    ]
    return cabecera


async def csrf(sitio: httpx.AsyncClient) -> dict[str, str]:
    """The double-submit header, with the cookie a page with a form would have handed out."""
    await sitio.get("/identidad/", follow_redirects=True)
    token = sitio.cookies.get("conoceles_csrf") or secrets.token_urlsafe(32)
    sitio.cookies.set("conoceles_csrf", token)
    return {"X-CSRF-Token": token}


async def test_login_lleva_a_keycloak_con_pkce_state_y_nonce(sitio: httpx.AsyncClient) -> None:
    respuesta = await sitio.get("/identidad/login", params={"siguiente": "https://otro.mx/"})

    assert respuesta.status_code == 303
    destino = urlsplit(respuesta.headers["location"])
    consulta = parse_qs(destino.query)
    assert f"{destino.scheme}://{destino.netloc}{destino.path}" == (
        f"{EMISOR}/protocol/openid-connect/auth"
    )
    assert consulta["response_type"] == ["code"]
    assert consulta["client_id"] == ["conoceles-web"]
    assert consulta["redirect_uri"] == [f"{SITIO}/identidad/callback"]
    assert consulta["code_challenge_method"] == ["S256"]
    assert len(consulta["code_challenge"][0]) == 43
    assert len(consulta["state"][0]) >= 32
    assert len(consulta["nonce"][0]) >= 32
    estado = cookie(respuesta, "conoceles_oidc=")
    assert "HttpOnly" in estado
    assert "Path=/identidad/" in estado
    assert "samesite=lax" in estado.lower()


async def test_entrar_por_el_formulario_de_keycloak_da_la_sesion_con_roles_y_partido(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    respuesta = await entrar(sitio, cuenta)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == YO
    sesion = cookie(respuesta, "conoceles_sesion=")
    assert "HttpOnly" in sesion
    assert "Path=/;" in sesion or sesion.endswith("Path=/")
    renovacion = cookie(respuesta, "conoceles_renovacion=")
    assert "HttpOnly" in renovacion
    assert "Path=/identidad/" in renovacion
    assert "samesite=lax" in renovacion.lower()
    assert "Secure" not in renovacion
    yo = await sitio.get(YO)
    assert yo.status_code == 200
    assert yo.json() | {"id": None} == {
        "id": None,
        "usuario": cuenta.usuario,
        "roles": ["partido"],
        "partido": "MORENA",
        "candidatura": None,
    }


async def test_tras_entrar_va_al_destino_local_pedido_y_no_a_otro_sitio(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    respuesta = await entrar(sitio, cuenta, siguiente="//otro.mx/robar")

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/"


async def test_callback_sin_el_estado_de_este_navegador_da_400(
    sitio: httpx.AsyncClient,
) -> None:
    await sitio.get("/identidad/login")

    respuesta = await sitio.get(
        "/identidad/callback",
        params={"code": "abc", "state": "otro"},
        headers={"Accept": "application/json"},
    )

    assert respuesta.status_code == 400
    assert "no corresponde a este navegador" in respuesta.json()["detail"]
    assert "conoceles_sesion" not in sitio.cookies


async def test_callback_con_codigo_inventado_da_400(sitio: httpx.AsyncClient) -> None:
    inicio = await sitio.get("/identidad/login")
    state = parse_qs(urlsplit(inicio.headers["location"]).query)["state"][0]

    respuesta = await sitio.get(
        "/identidad/callback",
        params={"code": "inventado", "state": state},
        headers={"Accept": "application/json"},
    )

    assert respuesta.status_code == 400
    assert "inicie sesión de nuevo" in respuesta.json()["detail"]


async def test_renovar_da_una_sesion_nueva(sitio: httpx.AsyncClient, cuenta: Cuenta) -> None:
    await entrar(sitio, cuenta)
    anterior = sitio.cookies["conoceles_sesion"]

    respuesta = await sitio.post("/identidad/renovar", headers=await csrf(sitio))

    assert respuesta.status_code == 204
    assert sitio.cookies["conoceles_sesion"] != anterior
    assert (await sitio.get(YO)).status_code == 200


async def test_sesion_vencida_se_renueva_sin_volver_a_keycloak(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    await entrar(sitio, cuenta)
    # What the browser does once the session cookie's Max-Age is over; a page then sends it
    # to /identidad/login?siguiente=… (comun.errores, 401 for browsers).
    sitio.cookies.delete("conoceles_sesion")

    respuesta = await sitio.get("/identidad/login", params={"siguiente": "/captura/"})

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/captura/"
    assert (await sitio.get(YO)).status_code == 200


async def test_salir_cierra_la_sesion_de_keycloak_y_borra_las_cookies(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    await entrar(sitio, cuenta)
    renovacion = sitio.cookies["conoceles_renovacion"]
    cabeceras = await csrf(sitio)

    respuesta = await sitio.post("/identidad/logout", headers=cabeceras)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/"
    assert "conoceles_sesion" not in sitio.cookies
    assert "conoceles_renovacion" not in sitio.cookies
    # The refresh token no longer works: Keycloak's session is over.
    sitio.cookies.set("conoceles_renovacion", renovacion, domain="127.0.0.1", path="/identidad/")
    renovar = await sitio.post("/identidad/renovar", headers=cabeceras)
    assert renovar.status_code == 401
    assert renovar.headers["content-type"].startswith("application/problem+json")


async def test_salir_sin_renovacion_pasa_por_el_cierre_de_sesion_de_keycloak(
    sitio: httpx.AsyncClient,
) -> None:
    respuesta = await sitio.post("/identidad/logout", headers=await csrf(sitio))

    destino = urlsplit(respuesta.headers["location"])
    assert respuesta.status_code == 303
    assert f"{destino.scheme}://{destino.netloc}{destino.path}" == (
        f"{EMISOR}/protocol/openid-connect/logout"
    )
    assert parse_qs(destino.query)["post_logout_redirect_uri"] == [f"{SITIO}/"]


async def test_el_endpoint_de_token_local_no_se_sirve_con_keycloak(
    sitio: httpx.AsyncClient,
) -> None:
    respuesta = await sitio.post(
        "/api/identidad/v1/token", data={"username": "admin", "password": "x" * 12}
    )

    assert respuesta.status_code == 404
    assert "Keycloak" in respuesta.json()["detail"]


async def test_jwks_publica_las_claves_del_realm(sitio: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(timeout=10) as cliente:
        realm = (await cliente.get(f"{EMISOR}/protocol/openid-connect/certs")).json()

    respuesta = await sitio.get("/api/identidad/v1/jwks.json")

    assert {k["kid"] for k in respuesta.json()["keys"]} == {k["kid"] for k in realm["keys"]}


# Token checks: every service verifies Keycloak tokens the same way (comun.auth.tokens).


async def test_token_de_keycloak_alterado_da_401(sitio: httpx.AsyncClient, cuenta: Cuenta) -> None:
    await entrar(sitio, cuenta)
    token = sitio.cookies["conoceles_sesion"]
    sitio.cookies.clear()
    cabecera, cuerpo, firma = token.split(".")
    alterado = f"{cabecera}.{cuerpo[:-4]}AAAA.{firma}"

    respuesta = await sitio.get(YO, headers={"Authorization": f"Bearer {alterado}"})

    assert respuesta.status_code == 401


async def test_token_con_la_forma_de_keycloak_firmado_con_otra_clave_da_401(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    await entrar(sitio, cuenta)
    genuino = sitio.cookies["conoceles_sesion"]
    sitio.cookies.clear()
    kid = jwt.get_unverified_header(genuino)["kid"]
    falsificador = EmisorDePrueba(kid=kid, emisor=EMISOR)
    claims = jwt.decode(genuino, options={"verify_signature": False})

    respuesta = await sitio.get(
        YO, headers={"Authorization": f"Bearer {falsificador.firmar(claims)}"}
    )

    assert respuesta.status_code == 401
    assert "firma" in respuesta.json()["detail"]


async def test_token_expirado_da_401_aunque_el_resto_sea_del_realm(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    await entrar(sitio, cuenta)
    claims = jwt.decode(sitio.cookies["conoceles_sesion"], options={"verify_signature": False})
    sitio.cookies.clear()
    caducado = EmisorDePrueba(emisor=EMISOR)
    ahora = int(time.time())
    token = caducado.firmar({**claims, "iat": ahora - 7200, "exp": ahora - 3600})

    respuesta = await sitio.get(YO, headers={"Authorization": f"Bearer {token}"})

    assert respuesta.status_code == 401


async def test_token_de_otro_realm_da_401(sitio: httpx.AsyncClient) -> None:
    otro = EmisorDePrueba(emisor=f"{URL_KEYCLOAK}/realms/otro-realm")
    token = otro.firmar(
        {
            "iss": otro.emisor,
            "aud": "conoceles",
            "sub": str(uuid.uuid4()),
            "exp": int(time.time()) + 300,
            "iat": int(time.time()),
            "preferred_username": "intrusa",
            "realm_access": {"roles": ["administrador"]},
        }
    )

    respuesta = await sitio.get(YO, headers={"Authorization": f"Bearer {token}"})

    assert respuesta.status_code == 401


async def test_token_genuino_del_realm_para_otra_audiencia_da_401(
    sitio: httpx.AsyncClient,
) -> None:
    settings = Settings()
    async with httpx.AsyncClient(timeout=10) as cliente:
        emitido = await cliente.post(
            f"{EMISOR}/protocol/openid-connect/token",
            data={
                "grant_type": "client_credentials",
                "client_id": settings.keycloak_cliente_admin,
                "client_secret": settings.keycloak_secreto_admin.get_secret_value(),
            },
        )
    token = emitido.json()["access_token"]
    assert "conoceles" not in jwt.decode(token, options={"verify_signature": False}).get("aud", [])

    respuesta = await sitio.get(YO, headers={"Authorization": f"Bearer {token}"})

    assert respuesta.status_code == 401


async def test_mi_cuenta_con_la_sesion_vencida_la_renueva_y_muestra_los_datos(
    sitio: httpx.AsyncClient, cuenta: Cuenta
) -> None:
    await entrar(sitio, cuenta)
    sitio.cookies.delete("conoceles_sesion")

    respuesta = await sitio.get("/identidad/", follow_redirects=True)

    assert respuesta.status_code == 200
    assert cuenta.usuario in respuesta.text
    assert "MORENA" in respuesta.text
