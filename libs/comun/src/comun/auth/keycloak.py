"""Keycloak adapters: account administration (admin API) and the web client (code flow + PKCE)."""

import asyncio
import hmac
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from keycloak import KeycloakAdmin, KeycloakOpenID, KeycloakOpenIDConnection
from keycloak.exceptions import (
    KeycloakAuthenticationError,
    KeycloakConnectionError,
    KeycloakError,
)
from keycloak.pkce_utils import generate_code_challenge, generate_code_verifier

from comun.auth.jwks import JwksSource
from comun.auth.proveedor import (
    MOTIVO_PREDETERMINADO,
    ROLES_CON_OTP,
    CuentaInexistente,
    DatosCuenta,
    DatosNoValidos,
    UsuarioYaRegistrado,
    comprobar_alta,
    generar_clave_temporal,
    normalizar_usuario,
)
from comun.auth.tokens import ALGORITMO, _buscar_clave
from comun.errores import NoAutenticado, Problema
from comun.roles import CLAIM_CANDIDATURA, CLAIM_PARTIDO, Rol
from comun.settings import url_realm

logger = logging.getLogger(__name__)

ACCION_CAMBIAR_CLAVE = "UPDATE_PASSWORD"
ACCION_CONFIGURAR_OTP = "CONFIGURE_TOTP"
TIMEOUT_S = 10


# Keycloak's message keys for rejected user data, in Spanish for the person who typed them.
RECHAZOS = {
    "error-invalid-length": "El campo {campo} tiene una longitud no permitida por Keycloak.",
    "error-invalid-email": "El correo no es válido; escríbalo como nombre@dominio.mx.",
    "error-person-name-invalid-character": (
        'El campo {campo} tiene caracteres no permitidos (como < > & " $ % ! # ?).'
    ),
    "error-username-invalid-character": "El usuario tiene caracteres no permitidos.",
    "invalidPasswordMinLengthMessage": "La contraseña es más corta de lo que pide el realm.",
    "invalidPasswordNotUsernameMessage": "La contraseña no puede ser igual al usuario.",
}
CAMPOS = {"username": "usuario", "firstName": "nombre", "lastName": "apellidos", "email": "correo"}


class KeycloakNoDisponible(Problema):
    """503: Keycloak does not answer, or refuses this system's client credentials."""

    def __init__(self, detail: str) -> None:
        super().__init__(503, "Keycloak no disponible", detail)


def _base(url: str) -> str:
    # python-keycloak joins paths with urljoin: without the slash a path prefix would be lost.
    return url.rstrip("/") + "/"


def _cuerpo(error: KeycloakError) -> dict[str, Any]:
    try:
        datos = json.loads(error.response_body or b"")
    except ValueError:
        return {}
    return datos if isinstance(datos, dict) else {}


def _problema(error: KeycloakError, *, url: str, cliente: str, variable: str) -> Problema:
    """Turn a python-keycloak error into a Spanish Problema that says what to do."""
    if isinstance(error, KeycloakConnectionError) or error.response_code is None:
        return KeycloakNoDisponible(
            f"No fue posible comunicarse con Keycloak en {url}; compruebe que el servidor esté "
            "en marcha (en desarrollo: «uv run conoceles infra up») e intente de nuevo."
        )
    if isinstance(error, KeycloakAuthenticationError) or error.response_code == 401:
        return KeycloakNoDisponible(
            f"Keycloak rechazó las credenciales del cliente «{cliente}»; revise {variable} "
            "con el secreto del cliente en el realm."
        )
    if error.response_code == 403:
        return KeycloakNoDisponible(
            f"El cliente «{cliente}» no tiene permiso en Keycloak para administrar cuentas; "
            "asígnele manage-users, view-users, query-users y view-realm de realm-management."
        )
    if error.response_code >= 500:
        return KeycloakNoDisponible(
            f"Keycloak en {url} respondió con un error interno ({error.response_code}); "
            "intente de nuevo en unos minutos."
        )
    cuerpo = _cuerpo(error)
    mensaje = str(cuerpo.get("errorMessage") or cuerpo.get("error_description") or "")
    return Problema(
        502,
        "Error de Keycloak",
        f"Keycloak no aceptó la operación ({error.response_code}: "
        f"{mensaje[:200] or 'sin detalle'}).",
    )


class ProveedorKeycloak:
    """Accounts in a Keycloak realm through the admin API, as the `conoceles-admin` client."""

    def __init__(
        self,
        *,
        url: str,
        realm: str,
        cliente: str,
        secreto: str,
        timeout_s: int = TIMEOUT_S,
    ) -> None:
        self._url = url.rstrip("/")
        self._cliente = cliente
        self._conexion = KeycloakOpenIDConnection(
            server_url=_base(url),
            realm_name=realm,
            client_id=cliente,
            client_secret_key=secreto,
            grant_type="client_credentials",
            timeout=timeout_s,
        )
        self._admin = KeycloakAdmin(connection=self._conexion)
        self._roles: dict[Rol, dict[str, Any]] = {}
        self._lock = asyncio.Lock()

    async def cerrar(self) -> None:
        """Close the HTTP connections."""
        await self._conexion.aclose()
        if self._conexion._keycloak_openid is not None:
            await self._conexion._keycloak_openid.connection.aclose()

    async def crear_cuenta(
        self,
        *,
        usuario: str,
        nombre: str,
        apellidos: str,
        correo: str,
        roles: Iterable[Rol],
        partido: str | None = None,
        candidatura: str | None = None,
    ) -> str:
        """Create the user with roles, scope attributes and a temporary password; return it."""
        clave = generar_clave_temporal()
        await self._crear(
            usuario=usuario,
            nombre=nombre,
            apellidos=apellidos,
            correo=correo,
            roles=roles,
            partido=partido,
            candidatura=candidatura,
            clave=clave,
        )
        return clave

    async def crear_cuenta_sin_clave(
        self,
        *,
        usuario: str,
        nombre: str,
        apellidos: str,
        correo: str,
        roles: Iterable[Rol],
        partido: str | None = None,
        candidatura: str | None = None,
    ) -> None:
        """Create the user without credentials (no sign-in until a password is set)."""
        await self._crear(
            usuario=usuario,
            nombre=nombre,
            apellidos=apellidos,
            correo=correo,
            roles=roles,
            partido=partido,
            candidatura=candidatura,
            clave=None,
        )

    async def _crear(
        self,
        *,
        usuario: str,
        nombre: str,
        apellidos: str,
        correo: str,
        roles: Iterable[Rol],
        partido: str | None,
        candidatura: str | None,
        clave: str | None,
    ) -> None:
        conjunto = frozenset(roles)
        comprobar_alta(
            usuario=usuario,
            nombre=nombre,
            apellidos=apellidos,
            correo=correo,
            roles=conjunto,
            partido=partido,
            candidatura=candidatura,
        )
        usuario = normalizar_usuario(usuario)
        acciones = [ACCION_CAMBIAR_CLAVE]
        if conjunto & ROLES_CON_OTP:
            acciones.append(ACCION_CONFIGURAR_OTP)
        atributos = {
            nombre_atributo: [valor]
            for nombre_atributo, valor in (
                (CLAIM_PARTIDO, partido),
                (CLAIM_CANDIDATURA, candidatura),
            )
            if valor
        }
        representacion = {
            "username": usuario,
            "firstName": nombre.strip(),
            "lastName": apellidos.strip(),
            "email": correo.strip().lower(),
            # The institute registers the address from official documents.
            "emailVerified": True,
            "enabled": True,
            "attributes": atributos,
            "requiredActions": acciones,
        }
        if clave is not None:
            representacion["credentials"] = [
                {"type": "password", "value": clave, "temporary": True}
            ]
        try:
            roles_kc = [await self._rol(rol) for rol in sorted(conjunto)]
            usuario_id = await self._admin.a_create_user(representacion)
        except KeycloakError as error:
            if error.response_code == 409:
                raise self._duplicado(error, usuario=usuario, correo=correo) from error
            if error.response_code == 400:
                raise DatosNoValidos(self._rechazo(error)) from error
            raise self._error(error) from error
        try:
            await self._admin.a_assign_realm_roles(usuario_id, roles_kc)
        except KeycloakError as error:
            # An account without its roles must not stay behind half made.
            try:
                await self._admin.a_delete_user(usuario_id)
            except KeycloakError:
                logger.exception("No se pudo borrar la cuenta incompleta %s", usuario)
            raise self._error(error) from error

    async def deshabilitar(self, *, usuario: str, motivo: str = MOTIVO_PREDETERMINADO) -> None:
        """Disable the user and end their open sessions."""
        try:
            representacion = await self._buscar(usuario)
            if representacion is None:
                raise CuentaInexistente(usuario)
            if representacion.get("enabled", True):
                # A full representation: partial updates may trip the user-profile validation.
                await self._admin.a_update_user(
                    representacion["id"], {**representacion, "enabled": False}
                )
            await self._admin.a_user_logout(representacion["id"])
        except KeycloakError as error:
            raise self._error(error) from error
        logger.info("cuenta %s deshabilitada en Keycloak: %s", normalizar_usuario(usuario), motivo)

    async def habilitar(self, *, usuario: str) -> None:
        """Enable the user again (no-op if it already is)."""
        try:
            representacion = await self._buscar(usuario)
            if representacion is None:
                raise CuentaInexistente(usuario)
            if not representacion.get("enabled", True):
                await self._admin.a_update_user(
                    representacion["id"], {**representacion, "enabled": True}
                )
        except KeycloakError as error:
            raise self._error(error) from error

    async def cerrar_sesiones(self, *, usuario: str) -> None:
        """End every Keycloak session of the user (their refresh tokens stop working)."""
        try:
            representacion = await self._buscar(usuario)
            if representacion is None:
                raise CuentaInexistente(usuario)
            await self._admin.a_user_logout(representacion["id"])
        except KeycloakError as error:
            raise self._error(error) from error

    async def listar(self, *, rol: Rol) -> list[DatosCuenta]:
        """The realm role's members with their scope attributes (roles: this one)."""
        try:
            await self._autenticar()
            miembros = await self._admin.a_get_realm_role_members(
                rol.value, {"briefRepresentation": "false"}
            )
        except KeycloakError as error:
            raise self._error(error) from error
        return [_datos(representacion, frozenset({rol})) for representacion in miembros]

    async def restablecer_clave(self, *, usuario: str) -> str:
        """Set a new temporary password (Keycloak then asks for a new one) and end sessions."""
        clave = generar_clave_temporal()
        try:
            representacion = await self._buscar(usuario)
            if representacion is None:
                raise CuentaInexistente(usuario)
            await self._admin.a_set_user_password(representacion["id"], clave, temporary=True)
            await self._admin.a_user_logout(representacion["id"])
        except KeycloakError as error:
            if error.response_code == 400:
                raise DatosNoValidos(self._rechazo(error)) from error
            raise self._error(error) from error
        return clave

    async def cuenta(self, *, usuario: str) -> DatosCuenta | None:
        """The user's data, realm roles of DOMINIO §1 and scope attributes, or None."""
        try:
            representacion = await self._buscar(usuario)
            if representacion is None:
                return None
            asignados = await self._admin.a_get_realm_roles_of_user(representacion["id"])
        except KeycloakError as error:
            raise self._error(error) from error
        conocidos = {rol.value for rol in Rol}
        roles = frozenset(Rol(r["name"]) for r in asignados if r.get("name") in conocidos)
        return _datos(representacion, roles)

    async def _buscar(self, usuario: str) -> dict[str, Any] | None:
        await self._autenticar()
        encontrados = await self._admin.a_get_users(
            {"username": normalizar_usuario(usuario), "exact": "true", "max": 1}
        )
        return encontrados[0] if encontrados else None

    async def _rol(self, rol: Rol) -> dict[str, Any]:
        if rol not in self._roles:
            await self._autenticar()
            self._roles[rol] = await self._admin.a_get_realm_role(rol.value)
        return self._roles[rol]

    async def _autenticar(self) -> None:
        # Without a token first, every first call would be refused once with 401 and retried.
        if self._conexion.token is None:
            async with self._lock:
                if self._conexion.token is None:
                    await self._conexion.a_get_token()

    def _error(self, error: KeycloakError) -> Problema:
        return _problema(
            error,
            url=self._url,
            cliente=self._cliente,
            variable="CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_ADMIN",
        )

    def _duplicado(self, error: KeycloakError, *, usuario: str, correo: str) -> Problema:
        mensaje = str(_cuerpo(error).get("errorMessage", "")).lower()
        if "email" in mensaje:
            return UsuarioYaRegistrado(
                f"Ya existe una cuenta con el correo «{correo.strip()[:100]}»; use otro."
            )
        return UsuarioYaRegistrado(f"Ya existe una cuenta con el usuario «{usuario}»; elija otro.")

    def _rechazo(self, error: KeycloakError) -> str:
        cuerpo = _cuerpo(error)
        codigo = str(cuerpo.get("errorMessage") or cuerpo.get("error_description") or "")
        campo = str(cuerpo.get("field") or "")
        explicacion = RECHAZOS.get(codigo)
        if explicacion is not None:
            return explicacion.format(campo=CAMPOS.get(campo, campo or "un dato"))
        return f"Keycloak rechazó los datos de la cuenta: {codigo[:200] or 'sin detalle'}."


def _datos(representacion: dict[str, Any], roles: frozenset[Rol]) -> DatosCuenta:
    """The port's view of a Keycloak user representation."""
    atributos = representacion.get("attributes") or {}
    return DatosCuenta(
        id=representacion["id"],
        usuario=representacion["username"],
        nombre=representacion.get("firstName") or "",
        apellidos=representacion.get("lastName") or "",
        correo=representacion.get("email"),
        roles=roles,
        habilitada=bool(representacion.get("enabled", False)),
        partido=_atributo(atributos, CLAIM_PARTIDO),
        candidatura=_atributo(atributos, CLAIM_CANDIDATURA),
        acciones_pendientes=frozenset(representacion.get("requiredActions") or ()),
    )


def _atributo(atributos: dict[str, Any], nombre: str) -> str | None:
    valores = atributos.get(nombre)
    if isinstance(valores, list) and valores and isinstance(valores[0], str) and valores[0]:
        return valores[0]
    return None


@dataclass(frozen=True, slots=True)
class Tokens:
    """What Keycloak's token endpoint returned (lifetimes in seconds; 0 = no expiry)."""

    access_token: str
    expires_in: int
    refresh_token: str | None
    refresh_expires_in: int
    id_token: str | None


@dataclass(frozen=True, slots=True)
class SolicitudAutorizacion:
    """Where to send the browser, and the secrets to keep until the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str


class ClienteOidcKeycloak:
    """The confidential web client: authorization URL, code exchange, refresh and logout."""

    def __init__(
        self,
        *,
        url: str,
        realm: str,
        cliente: str,
        secreto: str,
        jwks: JwksSource,
        emisor: str | None = None,
        url_navegador: str | None = None,
        timeout_s: int = TIMEOUT_S,
        leeway_s: int = 30,
    ) -> None:
        self._url = url.rstrip("/")
        self.cliente = cliente
        # Keycloak behind a fixed public hostname issues tokens under that name, not `url`.
        self.emisor = emisor or url_realm(url, realm)
        # The browser may reach Keycloak at another address than this process (a gateway).
        self._realm_navegador = url_realm(url_navegador or url, realm)
        self._jwks = jwks
        self._leeway_s = leeway_s
        self._oidc = KeycloakOpenID(
            server_url=_base(url),
            realm_name=realm,
            client_id=cliente,
            client_secret_key=secreto,
            timeout=timeout_s,
        )

    async def cerrar(self) -> None:
        """Close the HTTP connections."""
        await self._oidc.connection.aclose()

    def autorizacion(self, *, redirect_uri: str) -> SolicitudAutorizacion:
        """Build the authorization request (code flow, PKCE S256, fresh state and nonce)."""
        verifier = generate_code_verifier(96)
        challenge, metodo = generate_code_challenge(verifier, "S256")
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        # Built here rather than with a_auth_url: that one fetches the discovery document on
        # every call and does not URL-encode its parameters.
        consulta = urlencode(
            {
                "client_id": self.cliente,
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "scope": "openid",
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": metodo,
            }
        )
        url = f"{self._realm_navegador}/protocol/openid-connect/auth?{consulta}"
        return SolicitudAutorizacion(url=url, state=state, nonce=nonce, code_verifier=verifier)

    def url_fin_sesion(self, *, post_logout_redirect_uri: str, id_token: str | None = None) -> str:
        """Keycloak's end-session URL (front channel), for when no refresh token is left."""
        parametros = {
            "client_id": self.cliente,
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
        if id_token:
            parametros["id_token_hint"] = id_token
        return f"{self._realm_navegador}/protocol/openid-connect/logout?{urlencode(parametros)}"

    async def canjear_codigo(self, *, code: str, redirect_uri: str, code_verifier: str) -> Tokens:
        """Exchange an authorization code (with its PKCE verifier) for tokens."""
        try:
            respuesta = await self._oidc.a_token(
                grant_type="authorization_code",
                code=code,
                redirect_uri=redirect_uri,
                code_verifier=code_verifier,
            )
        except KeycloakError as error:
            if error.response_code == 400:
                raise NoAutenticado(
                    "El código de inicio de sesión ya se usó o expiró; inicie sesión de nuevo."
                ) from error
            raise self._error(error) from error
        return _tokens(respuesta)

    async def renovar(self, *, refresh_token: str) -> Tokens:
        """New tokens from a refresh token; 401 when the Keycloak session is over."""
        try:
            respuesta = await self._oidc.a_refresh_token(refresh_token)
        except KeycloakError as error:
            if error.response_code == 400:
                raise NoAutenticado("La sesión expiró; inicie sesión de nuevo.") from error
            raise self._error(error) from error
        return _tokens(respuesta)

    async def cerrar_sesion(self, *, refresh_token: str) -> bool:
        """End the user's Keycloak session (back channel); False if it was already over."""
        try:
            await self._oidc.a_logout(refresh_token)
        except KeycloakError as error:
            if error.response_code == 400:
                return False
            raise self._error(error) from error
        return True

    async def verificar_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """Check the ID token's signature, issuer, audience, expiry and nonce; return its claims."""
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise NoAutenticado(_IDENTIFICACION_INVALIDA) from error
        clave = _buscar_clave(await self._jwks.obtener(), kid)
        if clave is None:
            clave = _buscar_clave(await self._jwks.obtener(forzar=True), kid)
        if clave is None:
            raise NoAutenticado(_IDENTIFICACION_INVALIDA)
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                clave,
                algorithms=[ALGORITMO],
                audience=self.cliente,
                issuer=self.emisor,
                leeway=self._leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
            )
        except jwt.PyJWTError as error:
            raise NoAutenticado(_IDENTIFICACION_INVALIDA) from error
        if not hmac.compare_digest(str(claims["nonce"]), nonce):
            raise NoAutenticado(_IDENTIFICACION_INVALIDA)
        if claims.get("azp", self.cliente) != self.cliente:
            raise NoAutenticado(_IDENTIFICACION_INVALIDA)
        return claims

    def _error(self, error: KeycloakError) -> Problema:
        return _problema(
            error,
            url=self._url,
            cliente=self.cliente,
            variable="CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_WEB",
        )


_IDENTIFICACION_INVALIDA = (
    "Keycloak devolvió una identificación que no pudimos comprobar; inicie sesión de nuevo."
)


def _tokens(respuesta: dict[str, Any]) -> Tokens:
    acceso = respuesta.get("access_token")
    if not isinstance(acceso, str) or not acceso:
        raise Problema(502, "Error de Keycloak", "Keycloak no devolvió un token de acceso.")
    return Tokens(
        access_token=acceso,
        expires_in=int(respuesta.get("expires_in") or 300),
        refresh_token=respuesta.get("refresh_token") or None,
        refresh_expires_in=int(respuesta.get("refresh_expires_in") or 0),
        id_token=respuesta.get("id_token") or None,
    )
