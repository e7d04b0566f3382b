"""JSON API through create_app(): token endpoint, lockout, JWKS, current user."""

import re
import stat
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.auth.jwks import HttpJwksSource
from comun.auth.pruebas import EmisorDePrueba
from comun.auth.tokens import TokenVerifier
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from identidad.adapters import ClaveFirma
from identidad.main import create_app

BASE = "http://testserver"
CLAVE_DEMO = "clave-demo-pruebas"

TOKEN = "/api/identidad/v1/token"
YO = "/api/identidad/v1/yo"
JWKS = "/api/identidad/v1/jwks.json"
MENSAJE_CREDENCIALES = "El usuario o la contraseña no son correctos; revíselos e intente de nuevo."

SECRETO = b"cambiar-esto"


async def pedir_token(cliente: httpx.AsyncClient, usuario: str, clave: str) -> httpx.Response:
    return await cliente.post(TOKEN, data={"username": usuario, "password": clave})


async def test_token_con_credenciales_correctas(cliente: httpx.AsyncClient) -> None:
    respuesta = await pedir_token(cliente, "captura.pan", CLAVE_DEMO)

    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert set(cuerpo) == {"access_token", "token_type", "expires_in"}
    assert cuerpo["token_type"] == "bearer"
    assert cuerpo["expires_in"] == 900
    assert respuesta.headers["cache-control"] == "no-store"


async def test_token_emitido_se_verifica_contra_el_jwks_publicado(
    cliente: httpx.AsyncClient, app: FastAPI
) -> None:
    token = (await pedir_token(cliente, "supervisor.morena", CLAVE_DEMO)).json()["access_token"]
    plataforma = PlatformSettings()
    fuente = HttpJwksSource(f"{BASE}{JWKS}", transport=httpx.ASGITransport(app=app))
    verificador = TokenVerifier(fuente, emisor=plataforma.emisor, audiencia=plataforma.audiencia)

    usuario = await verificador.verificar(token)

    assert usuario.nombre_usuario == "supervisor.morena"
    assert usuario.roles == frozenset({Rol.SUPERVISOR})
    assert usuario.partido == "MORENA"


async def test_jwks_tiene_el_kid_de_los_tokens(cliente: httpx.AsyncClient) -> None:
    token = (await pedir_token(cliente, "admin", CLAVE_DEMO)).json()["access_token"]

    jwks = (await cliente.get(JWKS)).json()

    assert jwt.get_unverified_header(token)["kid"] in {k["kid"] for k in jwks["keys"]}
    assert all("d" not in clave for clave in jwks["keys"])


async def test_token_lleva_los_claims_de_rol_y_alcance(cliente: httpx.AsyncClient) -> None:
    token = (await pedir_token(cliente, "candidatura.demo", CLAVE_DEMO)).json()["access_token"]

    claims = jwt.decode(token, options={"verify_signature": False})

    assert claims["realm_access"] == {"roles": ["candidatura"]}
    assert claims["preferred_username"] == "candidatura.demo"
    assert claims["partido"] == "PRD"
    assert claims["candidatura"] == "DL-MR-41-FYCEM-P"
    assert claims["exp"] - claims["iat"] == 900


async def test_clave_erronea_da_401_problem_json_en_espanol(cliente: httpx.AsyncClient) -> None:
    respuesta = await pedir_token(cliente, "admin", "no-es-la-clave")

    assert respuesta.status_code == 401
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert respuesta.json()["detail"] == MENSAJE_CREDENCIALES


async def test_usuario_desconocido_recibe_el_mismo_mensaje(cliente: httpx.AsyncClient) -> None:
    respuesta = await pedir_token(cliente, "no.existe", CLAVE_DEMO)

    assert respuesta.status_code == 401
    assert respuesta.json()["detail"] == MENSAJE_CREDENCIALES


async def test_cinco_fallos_bloquean_y_dicen_hasta_cuando(cliente: httpx.AsyncClient) -> None:
    for _ in range(4):
        assert (await pedir_token(cliente, "verificador", "mal")).status_code == 401

    quinto = await pedir_token(cliente, "verificador", "mal")
    con_clave_correcta = await pedir_token(cliente, "verificador", CLAVE_DEMO)

    for respuesta in (quinto, con_clave_correcta):
        assert respuesta.status_code == 401
        problema = respuesta.json()
        assert problema["title"] == "Cuenta bloqueada"
        assert re.search(r"hasta las \d\d:\d\d del \d\d/\d\d/\d{4}", problema["detail"])
        assert "hora del centro de México" in problema["detail"]
        assert "bloqueada_hasta" in problema


async def test_otras_cuentas_siguen_entrando_durante_un_bloqueo(
    cliente: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        await pedir_token(cliente, "soporte", "mal")

    respuesta = await pedir_token(cliente, "admin", CLAVE_DEMO)

    assert respuesta.status_code == 200


@pytest.mark.parametrize(
    "campos",
    [{}, {"username": "admin"}, {"password": CLAVE_DEMO}],
    ids=["vacio", "sin-clave", "sin-usuario"],
)
async def test_faltan_campos_da_400_en_espanol(
    cliente: httpx.AsyncClient, campos: dict[str, str]
) -> None:
    respuesta = await cliente.post(TOKEN, data=campos)

    assert respuesta.status_code == 400
    assert "username" in respuesta.json()["detail"]


async def test_json_en_lugar_de_formulario_no_da_500(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(TOKEN, json={"username": "admin", "password": CLAVE_DEMO})

    assert respuesta.status_code == 400


async def test_grant_type_no_admitido_da_400_y_nombra_los_admitidos(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.post(
        TOKEN,
        data={"username": "admin", "password": CLAVE_DEMO, "grant_type": "authorization_code"},
    )

    assert respuesta.status_code == 400
    problema = respuesta.json()
    assert problema["error"] == "unsupported_grant_type"
    assert "«password»" in problema["detail"]
    assert "«client_credentials»" in problema["detail"]


async def test_clave_enorme_da_401_sin_error_interno(cliente: httpx.AsyncClient) -> None:
    respuesta = await pedir_token(cliente, "admin", "x" * 5000)

    assert respuesta.status_code == 401


async def test_yo_devuelve_la_cuenta_del_token(cliente: httpx.AsyncClient) -> None:
    token = (await pedir_token(cliente, "captura.pri", CLAVE_DEMO)).json()["access_token"]

    respuesta = await cliente.get(YO, headers={"Authorization": f"Bearer {token}"})

    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["usuario"] == "captura.pri"
    assert cuerpo["roles"] == ["partido"]
    assert cuerpo["partido"] == "PRI"
    assert cuerpo["candidatura"] is None


async def test_yo_sin_token_da_401(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get(YO)

    assert respuesta.status_code == 401
    assert respuesta.headers["content-type"].startswith("application/problem+json")


async def test_yo_con_token_falsificado_da_401(cliente: httpx.AsyncClient) -> None:
    plataforma = PlatformSettings()
    impostor = EmisorDePrueba(emisor=plataforma.emisor, audiencia=plataforma.audiencia)
    admin = Usuario(id="x", nombre_usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}))

    respuesta = await cliente.get(YO, headers={"Authorization": f"Bearer {impostor.token(admin)}"})

    assert respuesta.status_code == 401
    assert "clave" in respuesta.json()["detail"]


async def test_yo_con_token_expirado_da_401_sesion_expirada(
    cliente: httpx.AsyncClient, datos: Path
) -> None:
    token = (await pedir_token(cliente, "admin", CLAVE_DEMO)).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["exp"] = int(time.time()) - 3600
    clave = ClaveFirma.cargar_o_crear(datos / "identidad" / "clave-jwt.pem", secreto=SECRETO)

    respuesta = await cliente.get(YO, headers={"Authorization": f"Bearer {clave.firmar(claims)}"})

    assert respuesta.status_code == 401
    assert respuesta.json()["detail"] == "La sesión expiró; inicie sesión de nuevo."


async def test_reiniciar_conserva_la_clave_y_no_duplica_cuentas(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> None:
    kids = []
    for _ in range(2):
        app = create_app()
        async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as gestor:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=gestor.app), base_url=BASE
            ) as cliente:
                jwks = (await cliente.get(JWKS)).json()
                kids.append(jwks["keys"][0]["kid"])
                assert (await pedir_token(cliente, "admin", CLAVE_DEMO)).status_code == 200
            await esperar_outbox(app)
            cuentas = app.state.recursos[Servicio.IDENTIDAD].store.collection("cuentas")
            assert await cuentas.count() == 21

    assert kids[0] == kids[1]
    clave = datos / "identidad" / "clave-jwt.pem"
    assert stat.S_IMODE(clave.stat().st_mode) == 0o600


async def test_sin_clave_demo_configurada_se_genera_y_se_ofrece_para_imprimir(
    datos: Path,
    monkeypatch: pytest.MonkeyPatch,
    esperar_outbox: Callable[[FastAPI], Awaitable[None]],
) -> None:
    monkeypatch.delenv("CONOCELES_DEMO_CLAVE")
    app = create_app()
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as gestor:
        generada = (datos / "identidad" / "demo-clave.txt").read_text().strip()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gestor.app), base_url=BASE
        ) as cliente:
            respuesta = await pedir_token(cliente, "supervisor.pan", generada)
        await esperar_outbox(app)

    assert respuesta.status_code == 200
    modulo_identidad = app.state.modulos[0]
    assert {c.clave for c in modulo_identidad.extras["credenciales_demo"]} == {generada}
