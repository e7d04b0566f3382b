"""JSON API of the embedded identity provider: tokens, public keys, current user."""

import logging
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from comun.auth.dependencias import UsuarioActual
from comun.auth.jwks import JwksSource
from comun.errores import Problema
from comun.settings import url_realm
from identidad import handlers
from identidad.adapters import Componentes
from identidad.domain import (
    CredencialesInvalidas,
    CuentaBloqueada,
    CuentaNoActiva,
    DatosCuentaInvalidos,
    DemasiadosIntentos,
    ErrorIdentidad,
    UsuarioDuplicado,
)

PREFIJO = "/api/identidad/v1"

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
    if isinstance(error, CredencialesInvalidas | CuentaNoActiva):
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
        summary="Obtener un token de acceso con usuario y contraseña",
    )
    async def token(
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        grant_type: Annotated[str | None, Form()] = None,
    ) -> JSONResponse:
        if con_keycloak:
            # Password grants would skip Keycloak's second factor and required actions.
            plataforma = componentes.plataforma()
            realm = url_realm(plataforma.keycloak_url, plataforma.keycloak_realm)
            raise Problema(
                404,
                "Los tokens los emite Keycloak",
                "En este despliegue las sesiones las emite Keycloak: inicie sesión en "
                "/identidad/login, o pida un token a "
                f"{realm}/protocol/openid-connect/token con un cliente propio.",
            )
        if grant_type not in (None, "", "password"):
            raise Problema(
                400,
                "Tipo de solicitud no admitido",
                f"grant_type «{grant_type[:40]}» no se admite; use «password» u omítalo.",
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
            )
        except ErrorIdentidad as error:
            raise problema_de(error) from error
        cuerpo = TokenOut(access_token=emitido.access_token, expires_in=emitido.expires_in)
        return JSONResponse(
            cuerpo.model_dump(), headers={"Cache-Control": "no-store", "Pragma": "no-cache"}
        )

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


async def acceder(
    componentes: Componentes, request: Request, *, usuario: str, clave: str, vida_s: int
) -> handlers.TokenEmitido:
    """Authenticate a sign-in attempt and issue its token (API and login form alike)."""
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
            ip=ip_de(request),
            agente=request.headers.get("user-agent"),
            avisar=componentes.avisar_relay,
        )
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
    plataforma = componentes.plataforma()
    return handlers.emitir_token(
        cuenta=cuenta,
        clave_firma=await componentes.llavero.cargar(),
        emisor=plataforma.emisor,
        audiencia=plataforma.audiencia,
        vida_s=vida_s,
        ahora=ahora,
    )
