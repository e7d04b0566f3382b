"""For tests: sign in through Keycloak's own pages without a browser."""

import asyncio
import base64
import json
import secrets
import string
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
import pyotp
from keycloak import KeycloakAdmin, KeycloakOpenIDConnection

from comun.roles import ROLES_CON_OTP

# The realm's OTP policy (deploy/keycloak/realm-conoceles.json): TOTP, SHA-1, 6 digits, 30 s.
PERIODO_OTP = 30
# Keycloak refuses a code twice (otpPolicyCodeReusable false): the last time step used.
_ULTIMO_PASO: dict[str, int] = {}


class Navegador:
    """Talks to Keycloak like a browser on loopback, where Secure cookies travel over http.

    httpx's cookie jar never sends Secure cookies over http; browsers treat 127.0.0.1 as a
    secure context and do, and Keycloak marks its login cookies Secure.
    """

    def __init__(self, cliente: httpx.AsyncClient) -> None:
        self._cliente = cliente
        self._cookies: dict[str, str] = {}

    async def pedir(self, metodo: str, url: str, **opciones: Any) -> httpx.Response:
        """One request carrying the cookies this browser holds; keep the ones it sets."""
        cookies = "; ".join(f"{nombre}={valor}" for nombre, valor in self._cookies.items())
        cabeceras = {"Cookie": cookies} if cookies else {}
        respuesta = await self._cliente.request(metodo, url, headers=cabeceras, **opciones)
        for cabecera in respuesta.headers.get_list("set-cookie"):
            nombre, _, resto = cabecera.partition("=")
            valor = resto.split(";")[0]
            if valor and "max-age=0" not in cabecera.lower():
                self._cookies[nombre.strip()] = valor
            else:
                self._cookies.pop(nombre.strip(), None)
        return respuesta


class _Formularios(HTMLParser):
    """Collects the action of every form by id, and the value of every input by name."""

    def __init__(self) -> None:
        super().__init__()
        self.acciones: dict[str, str] = {}
        self.valores: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember each form's action and each input's value."""
        atributos = dict(attrs)
        if tag == "form":
            self.acciones[atributos.get("id") or ""] = atributos.get("action") or ""
        elif tag == "input" and atributos.get("name"):
            self.valores[atributos["name"] or ""] = atributos.get("value") or ""


def accion_de(html: str, formulario: str) -> str:
    """The (unescaped) action URL of the form with this id on a Keycloak page."""
    lector = _Formularios()
    lector.feed(html)
    if formulario not in lector.acciones:
        raise AssertionError(f"no hay formulario {formulario}: {lector.acciones}")
    return lector.acciones[formulario]


def formularios_de(html: str) -> _Formularios:
    """The forms and input values of a Keycloak page."""
    lector = _Formularios()
    lector.feed(html)
    return lector


async def codigo_totp(secreto: str) -> str:
    """A TOTP code of this Base32 secret that Keycloak has not seen yet (it allows ±1 step)."""
    while True:
        actual = int(time.time()) // PERIODO_OTP
        paso = max(actual, _ULTIMO_PASO.get(secreto, actual - 1) + 1)
        if paso <= actual + 1:
            _ULTIMO_PASO[secreto] = paso
            return pyotp.TOTP(secreto, interval=PERIODO_OTP).generate_otp(paso)
        # Both usable steps are spent: wait for the next one.
        await asyncio.sleep(PERIODO_OTP - time.time() % PERIODO_OTP + 0.05)


def secreto_base32(crudo: str) -> str:
    """Keycloak keeps the TOTP key as text; apps (and pyotp) want its bytes in Base32."""
    return base64.b32encode(crudo.encode("utf-8")).decode("ascii").rstrip("=")


@dataclass
class Ingreso:
    """Where Keycloak sent the browser back, the password and TOTP secret the account ends with."""

    retorno: str
    clave: str
    totp: str | None


async def llenar_formularios(
    url_keycloak: str, *, usuario: str, clave: str, sitio: str, totp: str | None = None
) -> tuple[str, str]:
    """From Keycloak's login URL to the site's callback URL; return it and the final password.

    A first sign-in with a temporary password gets Keycloak's new-password form, answered here;
    accounts with a second factor need their Base32 TOTP secret (`totp`).
    """
    ingreso = await ingresar(url_keycloak, usuario=usuario, clave=clave, sitio=sitio, totp=totp)
    return ingreso.retorno, ingreso.clave


async def ingresar(
    url_keycloak: str, *, usuario: str, clave: str, sitio: str, totp: str | None = None
) -> Ingreso:
    """Answer Keycloak's forms up to the site's callback: password, new password, OTP code or
    set-up (an account that must configure OTP gets a secret, returned in `totp`)."""
    async with httpx.AsyncClient(timeout=30) as cliente:
        navegador = Navegador(cliente)
        pagina = await navegador.pedir("GET", url_keycloak)
        if pagina.status_code != 200:
            raise AssertionError(f"Keycloak no mostró su formulario: {pagina.text[:500]}")
        datos = {"username": usuario, "password": clave, "credentialId": ""}
        respuesta = await navegador.pedir(
            "POST", accion_de(pagina.text, "kc-form-login"), data=datos
        )
        for _ in range(8):
            if respuesta.is_redirect:
                retorno = respuesta.headers["location"]
                if retorno.startswith(sitio):
                    return Ingreso(retorno, clave, totp)
                respuesta = await navegador.pedir("GET", retorno)
                continue
            if respuesta.status_code != 200:
                raise AssertionError(f"Keycloak respondió {respuesta.status_code}")
            formularios = formularios_de(respuesta.text)
            if "kc-otp-login-form" in formularios.acciones:
                if totp is None:
                    raise AssertionError(f"Keycloak pide el código OTP de {usuario}; pase totp=")
                accion, datos = (
                    formularios.acciones["kc-otp-login-form"],
                    {"otp": await codigo_totp(totp)},
                )
            elif "kc-totp-settings-form" in formularios.acciones:
                totp = secreto_base32(formularios.valores["totpSecret"])
                accion = formularios.acciones["kc-totp-settings-form"]
                datos = {
                    "totp": await codigo_totp(totp),
                    "totpSecret": formularios.valores["totpSecret"],
                    "userLabel": "pruebas",
                }
            elif "kc-passwd-update-form" in formularios.acciones:
                clave = f"Nueva-{uuid.uuid4().hex[:12]}"
                accion = formularios.acciones["kc-passwd-update-form"]
                datos = {"password-new": clave, "password-confirm": clave}
            else:
                raise AssertionError(f"Keycloak mostró otra página: {respuesta.text[:800]}")
            respuesta = await navegador.pedir("POST", accion, data=datos)
    raise AssertionError(f"Keycloak no volvió al sitio: {respuesta.text[:500]}")


@dataclass(frozen=True)
class UsuarioDePrueba:
    """A realm account made for one test or benchmark run, with a permanent password."""

    id: str
    usuario: str
    clave: str
    # Base32 TOTP secret of the accounts whose role signs in with a second factor.
    totp: str | None = None


async def crear_usuario_de_prueba(
    admin: KeycloakAdmin, *, rol: str, partido: str | None = None
) -> UsuarioDePrueba:
    """Create an enabled account with one realm role; the roles that need OTP get it enrolled."""
    usuario = f"prueba-{uuid.uuid4().hex[:8]}"
    clave = f"Clave-{uuid.uuid4().hex}"
    atributos = {"partido": [partido]} if partido else {}
    credenciales: list[dict[str, Any]] = [{"type": "password", "value": clave, "temporary": False}]
    totp = None
    if rol in {r.value for r in ROLES_CON_OTP}:
        # Stored like Keycloak's own enrolment does: the key is this text's bytes.
        crudo = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(20))
        totp = secreto_base32(crudo)
        credenciales.append(
            {
                "type": "otp",
                "userLabel": "pruebas",
                "secretData": json.dumps({"value": crudo}),
                "credentialData": json.dumps(
                    {
                        "subType": "totp",
                        "digits": 6,
                        "counter": 0,
                        "period": PERIODO_OTP,
                        "algorithm": "HmacSHA1",
                    }
                ),
            }
        )
    usuario_id = await admin.a_create_user(
        {
            "username": usuario,
            "enabled": True,
            "firstName": "Persona",
            "lastName": "De Prueba",
            "email": f"{usuario}@ejemplo.mx",
            "emailVerified": True,
            "attributes": atributos,
            "credentials": credenciales,
        }
    )
    await admin.a_assign_realm_roles(usuario_id, [await admin.a_get_realm_role(rol)])
    return UsuarioDePrueba(usuario_id, usuario, clave, totp)


def admin_del_realm(*, url: str, realm: str, cliente: str, secreto: str) -> KeycloakAdmin:
    """The realm's admin API through a confidential service client (client credentials)."""
    conexion = KeycloakOpenIDConnection(
        server_url=url.rstrip("/") + "/",
        realm_name=realm,
        client_id=cliente,
        client_secret_key=secreto,
        grant_type="client_credentials",
    )
    return KeycloakAdmin(connection=conexion)


async def realm_responde(url: str, realm: str) -> bool:
    """Whether the realm publishes its OpenID configuration."""
    try:
        async with httpx.AsyncClient(timeout=5) as cliente:
            respuesta = await cliente.get(
                f"{url.rstrip('/')}/realms/{realm}/.well-known/openid-configuration"
            )
    except httpx.HTTPError:
        return False
    return respuesta.status_code == 200


async def exigir_realm(url: str, realm: str) -> None:
    """In a test: fail under CI, skip elsewhere, when the realm does not answer."""
    import os

    import pytest

    if await realm_responde(url, realm):
        return
    mensaje = (
        f"Keycloak no responde en {url} (realm {realm}); inícielo con "
        "`uv run conoceles infra up` o fije CONOCELES_TEST_KEYCLOAK_URL."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(mensaje)
    pytest.skip(mensaje)
