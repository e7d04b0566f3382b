"""JSON API of the embedded identity provider: tokens, public keys, current user."""

import base64
import binascii
import logging
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Literal
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from comun.auth.dependencias import UsuarioActual
from comun.auth.jwks import JwksSource
from comun.errores import Problema, respuesta_problema
from comun.settings import url_realm
from identidad import handlers
from identidad.adapters import Componentes
from identidad.adapters.seguridad import (
    COLECCION_INICIOS_FALLIDOS,
    CifradorSecretos,
    InicioFallidoRepository,
)
from identidad.domain import (
    CredencialesInvalidas,
    Cuenta,
    CuentaBloqueada,
    CuentaIncompleta,
    CuentaNoActiva,
    DatosCuentaInvalidos,
    DemasiadosIntentos,
    ErrorIdentidad,
    ProcesoTerminado,
    TipoCuenta,
    TipoCuentaIncorrecto,
    UsuarioDuplicado,
)
from identidad.domain.claves import ClaveNoValida
from identidad.domain.totp import CodigoNoValido, CodigoRequerido, CodigoReutilizado
from identidad.handlers.seguridad import ClaveActualIncorrecta, SesionSinCuenta

PREFIJO = "/api/identidad/v1"
# RFC 6749 §5.2: a failed client authentication names the scheme the client may use.
AUTENTICAR_CLIENTE = 'Basic realm="conoceles", charset="UTF-8"'
SIN_CACHE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
TITULO_CLIENTE = "No fue posible autenticar al cliente"
MENSAJE_CLIENTE = (
    "El identificador del cliente (client_id) o su secreto (client_secret) no son correctos; "
    "revíselos e intente de nuevo."
)

try:
    ZONA_MEXICO: timezone | ZoneInfo = ZoneInfo("America/Mexico_City")
except ZoneInfoNotFoundError:  # pragma: no cover - systems without tzdata
    # Central Mexico has had no daylight saving time since 2022.
    ZONA_MEXICO = timezone(timedelta(hours=-6), "CST")

logger = logging.getLogger("identidad")


class TokenOut(BaseModel):
    """An OAuth2-style token response."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int


class UsuarioOut(BaseModel):
    """The caller as the token describes them."""

    id: str
    usuario: str
    roles: list[str]
    partido: str | None = None
    candidatura: str | None = None


def hora_mexico(momento: datetime) -> str:
    """A moment as «14:35 del 28/11/2026» in America/Mexico_City."""
    local = momento.astimezone(ZONA_MEXICO)
    return f"{local:%H:%M} del {local:%d/%m/%Y}"


def problema_de(error: ErrorIdentidad) -> Problema:
    """The problem+json a domain error becomes."""
    if isinstance(error, CuentaBloqueada):
        return Problema(
            401,
            "Cuenta bloqueada",
            f"La cuenta está bloqueada por varios intentos fallidos hasta las "
            f"{hora_mexico(error.hasta)} (hora del centro de México); intente de nuevo después "
            "o pida ayuda a la Unidad de Transparencia.",
            bloqueada_hasta=error.hasta.isoformat(),
        )
    if isinstance(error, DemasiadosIntentos):
        return Problema(429, "Demasiados intentos", str(error))
    if isinstance(error, CodigoRequerido):
        return Problema(401, "Falta el código de verificación", str(error), segundo_factor=True)
    if isinstance(error, CodigoNoValido | CodigoReutilizado):
        return Problema(401, "Código de verificación no válido", str(error))
    if isinstance(error, CuentaIncompleta):
        return Problema(403, "Complete su cuenta", str(error), acciones=sorted(error.acciones))
    if isinstance(error, ClaveNoValida):
        return Problema(422, "Contraseña no válida", str(error), problemas=error.problemas)
    if isinstance(error, ClaveActualIncorrecta):
        return Problema(422, "Contraseña actual incorrecta", str(error))
    if isinstance(error, SesionSinCuenta):
        return Problema(401, "Sesión requerida", str(error))
    if isinstance(
        error, CredencialesInvalidas | CuentaNoActiva | TipoCuentaIncorrecto | ProcesoTerminado
    ):
        return Problema(401, "No fue posible iniciar sesión", str(error))
    if isinstance(error, UsuarioDuplicado):
        return Problema(409, "Usuario ya registrado", str(error))
    if isinstance(error, DatosCuentaInvalidos):
        return Problema(422, "Datos de la cuenta no válidos", str(error))
    return Problema(409, "Solicitud en conflicto", str(error))


def ip_de(request: Request) -> str | None:
    """The client address; uvicorn takes it from X-Forwarded-For only when the gateway sent it."""
    return request.client.host if request.client else None


def router(componentes: Componentes, *, jwks_realm: JwksSource | None = None) -> APIRouter:
    """Routes under /api/identidad/v1 (with Keycloak, `jwks_realm` is the realm's key set)."""
    rutas = APIRouter(prefix=PREFIJO, tags=["identidad"])
    settings = componentes.settings
    fuente: JwksSource = jwks_realm or componentes.llavero
    con_keycloak = settings.plataforma.identidad == "keycloak"

    @rutas.post(
        "/token",
        response_model=TokenOut,
        summary="Obtener un token de acceso",
        description=(
            "Personas: `grant_type=password` (u omitido) con `username` y `password`, y "
            "`totp` (el código de 6 dígitos de su aplicación de autenticación) si la cuenta "
            "tiene segundo factor; las cuentas con contraseña temporal o que deben configurar "
            "su segundo factor lo hacen antes en /identidad/login. "
            "Sistemas (cuentas de servicio, como el de registro): "
            "`grant_type=client_credentials` con `client_id` y `client_secret` en el formulario "
            "o en la cabecera `Authorization: Basic` (RFC 6749 §2.3.1)."
        ),
    )
    async def token(
        request: Request,
        grant_type: Annotated[str | None, Form()] = None,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        client_id: Annotated[str, Form()] = "",
        client_secret: Annotated[str, Form()] = "",
        totp: Annotated[str | None, Form(max_length=32)] = None,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Response:
        if con_keycloak:
            # Password grants would skip Keycloak's second factor and required actions.
            plataforma = componentes.plataforma()
            realm = url_realm(plataforma.keycloak_url, plataforma.keycloak_realm)
            raise Problema(
                404,
                "Los tokens los emite Keycloak",
                "En este despliegue los tokens los emite Keycloak: las personas inician sesión "
                "en /identidad/login; los sistemas (como el de registro, con el cliente "
                "confidencial conoceles-registro) piden el suyo con "
                f"grant_type=client_credentials a {realm}/protocol/openid-connect/token.",
            )
        if grant_type == "client_credentials":
            return await token_de_cliente(
                componentes,
                request,
                client_id=client_id,
                client_secret=client_secret,
                basic=authorization,
            )
        if grant_type not in (None, "", "password"):
            raise Problema(
                400,
                "Tipo de solicitud no admitido",
                f"grant_type «{grant_type[:40]}» no se admite; use «password» (personas, o "
                "sin grant_type) o «client_credentials» (sistemas con cuenta de servicio).",
                error="unsupported_grant_type",
            )
        if not username or not password:
            raise Problema(
                400,
                "Datos incompletos",
                "Envíe los campos «username» y «password» como formulario "
                "(application/x-www-form-urlencoded).",
            )
        try:
            emitido = await acceder(
                componentes,
                request,
                usuario=username,
                clave=password,
                vida_s=settings.vida_token_api_s,
                codigo=totp if totp else None,
            )
        except ErrorIdentidad as error:
            raise problema_de(error) from error
        return respuesta_token(emitido)

    @rutas.get("/jwks.json", summary="Claves públicas para verificar los tokens (JWKS)")
    async def jwks(response: Response) -> dict[str, object]:
        response.headers["Cache-Control"] = "public, max-age=300"
        return await fuente.obtener()

    @rutas.get("/yo", response_model=UsuarioOut, summary="La cuenta con la que se llama")
    async def yo(usuario: UsuarioActual) -> UsuarioOut:
        return UsuarioOut(
            id=usuario.id,
            usuario=usuario.nombre_usuario,
            roles=sorted(rol.value for rol in usuario.roles),
            partido=usuario.partido,
            candidatura=usuario.candidatura,
        )

    return rutas


async def token_de_cliente(
    componentes: Componentes,
    request: Request,
    *,
    client_id: str,
    client_secret: str,
    basic: str | None,
) -> Response:
    """The client credentials grant: a service account's id and secret, by form or Basic."""
    try:
        cliente, secreto = credenciales_de_cliente(
            client_id=client_id, client_secret=client_secret, basic=basic
        )
        emitido = await acceder(
            componentes,
            request,
            usuario=cliente,
            clave=secreto,
            vida_s=componentes.settings.vida_token_api_s,
            tipo=TipoCuenta.SERVICIO,
        )
    except CredencialesInvalidas:
        problema = Problema(401, TITULO_CLIENTE, MENSAJE_CLIENTE)
        return _cliente_rechazado(request, problema)
    except (ErrorIdentidad, Problema) as error:
        problema = problema_de(error) if isinstance(error, ErrorIdentidad) else error
        if problema.status != 401:
            raise problema from error
        return _cliente_rechazado(request, problema)
    return respuesta_token(emitido)


def _cliente_rechazado(request: Request, problema: Problema) -> Response:
    """401 for a failed client authentication: problem+json that OAuth clients also read."""
    return respuesta_problema(
        request,
        status=401,
        title=problema.title,
        detail=problema.detail,
        headers={"WWW-Authenticate": AUTENTICAR_CLIENTE, **SIN_CACHE},
        **{"error": "invalid_client", **problema.extra},
    )


def respuesta_token(emitido: handlers.TokenEmitido) -> JSONResponse:
    """The token response, never cached (RFC 6749 §5.1)."""
    cuerpo = TokenOut(access_token=emitido.access_token, expires_in=emitido.expires_in)
    return JSONResponse(cuerpo.model_dump(), headers=SIN_CACHE)


def credenciales_de_cliente(
    *, client_id: str, client_secret: str, basic: str | None
) -> tuple[str, str]:
    """The client's id and secret from the Basic header or the form (only one of them)."""
    esquema, _, valor = (basic or "").strip().partition(" ")
    if esquema.lower() != "basic":
        if not client_id or not client_secret:
            raise Problema(
                400,
                "Datos incompletos",
                "Envíe «client_id» y «client_secret» como formulario "
                "(application/x-www-form-urlencoded) o en la cabecera Authorization: Basic.",
                error="invalid_request",
            )
        return client_id, client_secret
    try:
        decodificado = base64.b64decode(valor.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError) as error:
        raise Problema(
            401,
            TITULO_CLIENTE,
            "La cabecera Authorization: Basic no es válida; envíe en Base64 "
            "«client_id:client_secret».",
        ) from error
    cliente, separador, secreto = decodificado.partition(":")
    if not separador:
        raise Problema(
            401,
            TITULO_CLIENTE,
            "La cabecera Authorization: Basic debe llevar «client_id:client_secret» en Base64.",
        )
    # RFC 6749 §2.3.1: both parts are form-urlencoded before Base64.
    cliente, secreto = unquote_plus(cliente), unquote_plus(secreto)
    if client_secret or (client_id and client_id != cliente):
        raise Problema(
            400,
            "Credenciales del cliente duplicadas",
            "Envíe las credenciales del cliente de una sola forma: en la cabecera "
            "Authorization: Basic o en el formulario, no en ambos.",
            error="invalid_request",
        )
    return cliente, secreto


async def acceder(
    componentes: Componentes,
    request: Request,
    *,
    usuario: str,
    clave: str,
    vida_s: int,
    tipo: TipoCuenta = TipoCuenta.PERSONA,
    codigo: str | None = None,
    web: bool = False,
) -> handlers.TokenEmitido:
    """Authenticate a sign-in (API, login form or service client) and issue its token.

    The login form (`web`) gets a token limited to the pending actions; the API refuses them.
    """
    ahora = datetime.now(UTC)
    direccion = ip_de(request) or "desconocida"
    limite = componentes.limite_intentos()
    limite.comprobar(direccion, time.monotonic())
    try:
        cuenta = await handlers.autenticar(
            repo=componentes.repositorio(),
            hasher=componentes.hasher,
            usuario=usuario,
            clave=clave,
            ahora=ahora,
            politica=componentes.settings.politica_bloqueo(),
            tipo=tipo,
            ip=ip_de(request),
            agente=request.headers.get("user-agent"),
            avisar=componentes.avisar_relay,
            codigo=codigo,
            cifrador=cifrador_de(componentes),
            fallidos=fallidos_de(componentes),
            completa=not web and tipo is TipoCuenta.PERSONA,
            demo=componentes.settings.demo_activo,
            vence_en=componentes.settings.vence_en,
        )
    except (CodigoRequerido, CuentaIncompleta):
        raise
    except ErrorIdentidad as error:
        limite.registrar_fallo(direccion, time.monotonic())
        # Support staff look for attacks and lockouts in the logs.
        logger.warning(
            "acceso rechazado: usuario=%r ip=%s motivo=%s",
            usuario[:64],
            ip_de(request),
            type(error).__name__,
        )
        raise
    return await emitir_sesion(componentes, cuenta, vida_s=vida_s, ahora=ahora)


async def emitir_sesion(
    componentes: Componentes, cuenta: Cuenta, *, vida_s: int, ahora: datetime
) -> handlers.TokenEmitido:
    """Sign the account's token, with the actions it still has pending (if any)."""
    plataforma = componentes.plataforma()
    return handlers.emitir_token(
        cuenta=cuenta,
        clave_firma=await componentes.llavero.cargar(),
        emisor=plataforma.emisor,
        audiencia=plataforma.audiencia,
        vida_s=vida_s,
        ahora=ahora,
        acciones=cuenta.acciones_pendientes(demo=componentes.settings.demo_activo),
    )


def cifrador_de(componentes: Componentes) -> CifradorSecretos:
    """The cipher of the TOTP secrets (key derived from CONOCELES_CLAVE_SECRETA)."""
    return CifradorSecretos(componentes.plataforma().clave_secreta)


def fallidos_de(componentes: Componentes) -> InicioFallidoRepository | None:
    """Where failed sign-ins of unknown usernames are recorded (None before start-up)."""
    recursos = componentes.recursos
    if recursos is None:
        return None
    return InicioFallidoRepository(recursos.store.collection(COLECCION_INICIOS_FALLIDOS))
