"""For tests: sign in through Keycloak's own pages without a browser."""

import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
from keycloak import KeycloakAdmin, KeycloakOpenIDConnection


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
    """Collects the action of every form by id."""

    def __init__(self) -> None:
        super().__init__()
        self.acciones: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember each form's action."""
        if tag == "form":
            atributos = dict(attrs)
            self.acciones[atributos.get("id") or ""] = atributos.get("action") or ""


def accion_de(html: str, formulario: str) -> str:
    """The (unescaped) action URL of the form with this id on a Keycloak page."""
    lector = _Formularios()
    lector.feed(html)
    if formulario not in lector.acciones:
        raise AssertionError(f"no hay formulario {formulario}: {lector.acciones}")
    return lector.acciones[formulario]


async def llenar_formularios(
    url_keycloak: str, *, usuario: str, clave: str, sitio: str
) -> tuple[str, str]:
    """From Keycloak's login URL to the site's callback URL; return it and the final password.

    A first sign-in with a temporary password gets Keycloak's new-password form, answered here.
    """
    async with httpx.AsyncClient(timeout=30) as cliente:
        navegador = Navegador(cliente)
        pagina = await navegador.pedir("GET", url_keycloak)
        if pagina.status_code != 200:
            raise AssertionError(f"Keycloak no mostró su formulario: {pagina.text[:500]}")
        datos = {"username": usuario, "password": clave, "credentialId": ""}
        respuesta = await navegador.pedir(
            "POST", accion_de(pagina.text, "kc-form-login"), data=datos
        )
        for _ in range(5):
            if respuesta.is_redirect:
                retorno = respuesta.headers["location"]
                if retorno.startswith(sitio):
                    return retorno, clave
                respuesta = await navegador.pedir("GET", retorno)
                continue
            if respuesta.status_code != 200:
                raise AssertionError(f"Keycloak respondió {respuesta.status_code}")
            clave = f"Nueva-{uuid.uuid4().hex[:12]}"
            respuesta = await navegador.pedir(
                "POST",
                accion_de(respuesta.text, "kc-passwd-update-form"),
                data={"password-new": clave, "password-confirm": clave},
            )
    raise AssertionError(f"Keycloak no volvió al sitio: {respuesta.text[:500]}")


@dataclass(frozen=True)
class UsuarioDePrueba:
    """A realm account made for one test or benchmark run, with a permanent password."""

    id: str
    usuario: str
    clave: str


async def crear_usuario_de_prueba(
    admin: KeycloakAdmin, *, rol: str, partido: str | None = None
) -> UsuarioDePrueba:
    """Create an enabled account with one realm role (no OTP enrolment: not for production)."""
    usuario = f"prueba-{uuid.uuid4().hex[:8]}"
    clave = f"Clave-{uuid.uuid4().hex}"
    atributos = {"partido": [partido]} if partido else {}
    usuario_id = await admin.a_create_user(
        {
            "username": usuario,
            "enabled": True,
            "firstName": "Persona",
            "lastName": "De Prueba",
            "email": f"{usuario}@ejemplo.mx",
            "emailVerified": True,
            "attributes": atributos,
            "credentials": [{"type": "password", "value": clave, "temporary": False}],
        }
    )
    await admin.a_assign_realm_roles(usuario_id, [await admin.a_get_realm_role(rol)])
    return UsuarioDePrueba(usuario_id, usuario, clave)


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
