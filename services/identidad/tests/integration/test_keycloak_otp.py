"""Keycloak's second factor and password policy, as deploy/keycloak/realm-conoceles.json sets them.

Keycloak comes from CONOCELES_TEST_KEYCLOAK_URL (default http://127.0.0.1:8081, started by
`uv run conoceles infra up`); under CI=true its absence fails the tests instead of skipping them.
"""

import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from asgi_lifespan import LifespanManager
from keycloak import KeycloakAdmin
from keycloak.exceptions import KeycloakError
from starlette.types import ASGIApp

from comun.auth.keycloak import ProveedorKeycloak
from comun.auth.pruebas_keycloak import (
    Navegador,
    UsuarioDePrueba,
    admin_del_realm,
    crear_usuario_de_prueba,
    exigir_realm,
    formularios_de,
    ingresar,
)
from comun.roles import ROLES_CON_OTP, Rol
from comun.settings import archivo_de_datos
from identidad.config import Settings
from identidad.main import create_app

URL_KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"
SITIO = "http://127.0.0.1:8000"
ARCHIVO_REALM = Path(__file__).resolve().parents[4] / "deploy" / "keycloak" / "realm-conoceles.json"
YO = "/api/identidad/v1/yo"


def realm() -> dict[str, Any]:
    return dict(json.loads(ARCHIVO_REALM.read_text(encoding="utf-8")))


def test_el_navegador_pide_otp_a_los_tres_roles_con_subflujos_condicionales() -> None:
    datos = realm()
    flujos = {flujo["alias"]: flujo for flujo in datos["authenticationFlows"]}
    configuraciones = {c["alias"]: c["config"] for c in datos["authenticatorConfig"]}

    assert datos["browserFlow"] == "conoceles-navegador"
    formularios = flujos["conoceles-formularios"]["authenticationExecutions"]
    subflujos = [e["flowAlias"] for e in formularios if e.get("authenticatorFlow")]
    roles_con_otp: set[str] = set()
    for alias in subflujos:
        ejecuciones = flujos[alias]["authenticationExecutions"]
        assert ejecuciones[-1]["authenticator"] == "auth-otp-form"
        assert ejecuciones[-1]["requirement"] == "REQUIRED"
        for ejecucion in ejecuciones[:-1]:
            config = configuraciones.get(ejecucion.get("authenticatorConfig", ""), {})
            if (
                ejecucion["authenticator"] == "conditional-user-role"
                and config["negate"] == "false"
            ):
                roles_con_otp.add(config["condUserRole"])
    assert roles_con_otp == {rol.value for rol in ROLES_CON_OTP}
    # Every flow the file names exists in it (Keycloak does not create them when flows are given).
    for enlace in ("browserFlow", "directGrantFlow", "registrationFlow"):
        assert datos[enlace] in flujos


def test_la_politica_de_claves_del_realm_usa_la_lista_del_proyecto() -> None:
    politica = realm()["passwordPolicy"]

    assert politica == "length(12) and notUsername and passwordBlacklist(contrasenas-comunes.txt)"
    assert archivo_de_datos("seguridad/contrasenas-comunes.txt").is_file()


@pytest.fixture
async def admin() -> AsyncIterator[KeycloakAdmin]:
    """The realm's admin API with the identity adapter's service client."""
    await exigir_realm(URL_KEYCLOAK, REALM)
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
async def sitio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admin: KeycloakAdmin
) -> AsyncIterator[tuple[httpx.AsyncClient, ProveedorKeycloak]]:
    """The identidad service alone in Keycloak mode, and the browser's view of it."""
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_IDENTIDAD", "keycloak")
    monkeypatch.setenv("CONOCELES_KEYCLOAK_URL", URL_KEYCLOAK)
    monkeypatch.setenv("CONOCELES_KEYCLOAK_REALM", REALM)
    for variable in ("CONOCELES_EMISOR", "CONOCELES_JWKS_URL", "CONOCELES_DEMO"):
        monkeypatch.delenv(variable, raising=False)
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30) as gestor:
        asgi: ASGIApp = gestor.app
        proveedor = aplicacion.state.modulos[0].extras["proveedor"]
        transporte = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transporte, base_url=SITIO) as cliente:
            yield cliente, proveedor


@pytest.fixture
async def borrar(admin: KeycloakAdmin) -> AsyncIterator[list[str]]:
    """Usernames to delete from the realm after the test."""
    usuarios: list[str] = []
    yield usuarios
    for usuario in usuarios:
        usuario_id = await admin.a_get_user_id(usuario)
        if usuario_id is not None:
            await admin.a_delete_user(usuario_id)


async def iniciar(cliente: httpx.AsyncClient) -> str:
    """Keycloak's login URL the site redirects to."""
    inicio = await cliente.get("/identidad/login", params={"siguiente": YO})
    assert inicio.status_code == 303
    return str(inicio.headers["location"])


async def test_la_supervision_nueva_configura_su_otp_al_entrar_y_luego_se_le_pide(
    sitio: tuple[httpx.AsyncClient, ProveedorKeycloak], borrar: list[str]
) -> None:
    cliente, proveedor = sitio
    usuario = f"prueba-sup-{uuid.uuid4().hex[:8]}"
    borrar.append(usuario)
    clave = await proveedor.crear_cuenta(
        usuario=usuario,
        nombre="Laura",
        apellidos="Gómez Ruiz",
        correo=f"{usuario}@ejemplo.mx",
        roles=[Rol.SUPERVISOR],
        partido="PT",
    )

    primero = await ingresar(await iniciar(cliente), usuario=usuario, clave=clave, sitio=SITIO)

    assert primero.totp is not None, "Keycloak no pidió configurar el segundo factor"
    assert (await cliente.get(primero.retorno)).status_code == 303
    assert (await cliente.get(YO)).json()["roles"] == ["supervisor"]
    cliente.cookies.clear()
    with pytest.raises(AssertionError, match="pide el código OTP"):
        await ingresar(await iniciar(cliente), usuario=usuario, clave=primero.clave, sitio=SITIO)
    segundo = await ingresar(
        await iniciar(cliente),
        usuario=usuario,
        clave=primero.clave,
        sitio=SITIO,
        totp=primero.totp,
    )
    assert (await cliente.get(segundo.retorno)).status_code == 303
    assert (await cliente.get(YO)).status_code == 200


@pytest.mark.parametrize("rol", [Rol.ADMINISTRADOR, Rol.VERIFICADOR])
async def test_los_otros_roles_con_otp_tambien_lo_piden(
    admin: KeycloakAdmin, sitio: tuple[httpx.AsyncClient, ProveedorKeycloak], rol: Rol
) -> None:
    cliente, _ = sitio
    persona = await crear_usuario_de_prueba(admin, rol=rol.value)
    try:
        with pytest.raises(AssertionError, match="pide el código OTP"):
            await ingresar(
                await iniciar(cliente), usuario=persona.usuario, clave=persona.clave, sitio=SITIO
            )
        ingreso = await ingresar(
            await iniciar(cliente),
            usuario=persona.usuario,
            clave=persona.clave,
            sitio=SITIO,
            totp=persona.totp,
        )
        assert (await cliente.get(ingreso.retorno)).status_code == 303
    finally:
        await admin.a_delete_user(persona.id)


async def test_la_captura_de_partido_entra_sin_otp_y_cambia_su_clave_en_keycloak(
    admin: KeycloakAdmin, sitio: tuple[httpx.AsyncClient, ProveedorKeycloak]
) -> None:
    cliente, _ = sitio
    persona = await crear_usuario_de_prueba(admin, rol=Rol.PARTIDO.value, partido="PAN")
    try:
        assert persona.totp is None
        ingreso = await ingresar(
            await iniciar(cliente), usuario=persona.usuario, clave=persona.clave, sitio=SITIO
        )
        assert (await cliente.get(ingreso.retorno)).status_code == 303
        cuenta = await cliente.get("/identidad/cuenta")
        clave = await cliente.get("/identidad/cuenta/clave")
    finally:
        await admin.a_delete_user(persona.id)

    consola = f"{URL_KEYCLOAK}/realms/{REALM}/account/account-security/signing-in"
    assert cuenta.status_code == 200
    assert "<dd>PAN</dd>" in cuenta.text
    assert f'href="{consola}"' in cuenta.text
    assert clave.status_code == 303
    assert clave.headers["location"] == consola


async def codigo_dos_veces(
    persona: UsuarioDePrueba, urls: list[str], codigo: str
) -> list[httpx.Response]:
    """In a new browser each time: password, then the same OTP code; Keycloak's answers."""
    respuestas = []
    for url in urls:
        async with httpx.AsyncClient(timeout=30) as http:
            navegador = Navegador(http)
            pagina = await navegador.pedir("GET", url)
            accion = formularios_de(pagina.text).acciones["kc-form-login"]
            datos = {"username": persona.usuario, "password": persona.clave, "credentialId": ""}
            otp = await navegador.pedir("POST", accion, data=datos)
            accion = formularios_de(otp.text).acciones["kc-otp-login-form"]
            respuestas.append(await navegador.pedir("POST", accion, data={"otp": codigo}))
    return respuestas


async def test_keycloak_no_acepta_el_mismo_codigo_dos_veces(
    admin: KeycloakAdmin, sitio: tuple[httpx.AsyncClient, ProveedorKeycloak]
) -> None:
    cliente, _ = sitio
    persona = await crear_usuario_de_prueba(admin, rol=Rol.SUPERVISOR.value, partido="PAN")
    assert persona.totp is not None
    codigo = pyotp.TOTP(persona.totp).now()
    try:
        urls = [await iniciar(cliente), await iniciar(cliente)]
        respuestas = await codigo_dos_veces(persona, urls, codigo)
    finally:
        await admin.a_delete_user(persona.id)

    primera, segunda = respuestas
    assert primera.is_redirect
    assert primera.headers["location"].startswith(f"{SITIO}/identidad/callback?")
    assert segunda.status_code == 200
    assert "kc-otp-login-form" in formularios_de(segunda.text).acciones


@pytest.mark.parametrize(
    ("clave", "error"),
    [
        ("Corta-123", "invalidPasswordMinLengthMessage"),
        ("transparencia2024", "invalidPasswordBlacklistedMessage"),
        (None, "invalidPasswordNotUsernameMessage"),
    ],
)
async def test_keycloak_aplica_la_politica_de_claves(
    admin: KeycloakAdmin, clave: str | None, error: str
) -> None:
    persona = await crear_usuario_de_prueba(admin, rol=Rol.PARTIDO.value, partido="PAN")
    try:
        with pytest.raises(KeycloakError) as rechazo:
            await admin.a_set_user_password(
                persona.id, clave or persona.usuario.upper(), temporary=False
            )
    finally:
        await admin.a_delete_user(persona.id)

    assert rechazo.value.response_code == 400
    assert json.loads(rechazo.value.error_message)["error"] == error
