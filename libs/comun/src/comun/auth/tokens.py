"""Verification of RS256 access tokens (embedded provider or Keycloak) into a `Usuario`."""

from typing import Any

import jwt

from comun.auth.jwks import Jwks, JwksSource
from comun.auth.usuario import Usuario
from comun.errores import NoAutenticado
from comun.roles import (
    CLAIM_ACCIONES,
    CLAIM_CANDIDATURA,
    CLAIM_PARTIDO,
    CLAIM_ROLES,
    CLAIM_USUARIO,
    Rol,
)

ALGORITMO = "RS256"
# A real token is 1–2 KB; anything far larger is garbage or an attempt to waste CPU.
LONGITUD_MAXIMA = 16_384

MENSAJE_INVALIDO = "El token de acceso no es válido; inicie sesión de nuevo."
MENSAJE_EXPIRADO = "La sesión expiró; inicie sesión de nuevo."


class TokenVerifier:
    """Checks signature (RS256 only), expiry, issuer and audience, and maps the claims."""

    def __init__(
        self, jwks: JwksSource, *, emisor: str, audiencia: str, leeway_s: int = 30
    ) -> None:
        self._jwks = jwks
        self._emisor = emisor
        self._audiencia = audiencia
        self._leeway_s = leeway_s

    async def verificar(self, token: str) -> Usuario:
        """Return the token's user; raise NoAutenticado (401) with a Spanish reason otherwise."""
        if not token or len(token) > LONGITUD_MAXIMA:
            raise NoAutenticado(MENSAJE_INVALIDO)
        try:
            cabecera = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise NoAutenticado(MENSAJE_INVALIDO) from error
        if cabecera.get("alg") != ALGORITMO:
            raise NoAutenticado(
                "El token de acceso no está firmado con el algoritmo aceptado (RS256); "
                "inicie sesión de nuevo."
            )
        kid = cabecera.get("kid")
        clave = _buscar_clave(await self._jwks.obtener(), kid)
        if clave is None:
            # The provider may have rotated its keys since the last fetch.
            clave = _buscar_clave(await self._jwks.obtener(forzar=True), kid)
        if clave is None:
            raise NoAutenticado(
                "El token de acceso fue firmado con una clave que el servicio de identidad "
                "no reconoce; inicie sesión de nuevo."
            )
        claims = self._decodificar(token, clave)
        return _usuario(claims)

    def _decodificar(self, token: str, clave: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                clave,
                algorithms=[ALGORITMO],
                audience=self._audiencia,
                issuer=self._emisor,
                leeway=self._leeway_s,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise NoAutenticado(MENSAJE_EXPIRADO) from error
        except jwt.InvalidSignatureError as error:
            raise NoAutenticado(
                "La firma del token de acceso no es válida (el token fue alterado o no lo emitió "
                "el servicio de identidad); inicie sesión de nuevo."
            ) from error
        except jwt.InvalidAudienceError as error:
            raise NoAutenticado(
                "El token de acceso no fue emitido para este sistema (audiencia incorrecta); "
                "solicite un token nuevo."
            ) from error
        except jwt.InvalidIssuerError as error:
            raise NoAutenticado(
                "El token de acceso lo emitió un proveedor de identidad que este sistema no "
                "acepta (emisor incorrecto); solicite un token nuevo."
            ) from error
        except jwt.MissingRequiredClaimError as error:
            raise NoAutenticado(
                f"Al token de acceso le falta el dato obligatorio «{error.claim}»; "
                "solicite un token nuevo."
            ) from error
        except jwt.ImmatureSignatureError as error:
            raise NoAutenticado(
                "El token de acceso todavía no es válido; revise la hora del equipo que lo emitió."
            ) from error
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise NoAutenticado(MENSAJE_INVALIDO) from error
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise NoAutenticado(MENSAJE_INVALIDO)
        return claims


def _buscar_clave(jwks: Jwks, kid: object) -> Any | None:
    """Return the RSA signing key with this kid (or the only one when the token has no kid)."""
    candidatas = [
        jwk
        for jwk in jwks.get("keys", [])
        if isinstance(jwk, dict)
        and jwk.get("kty") == "RSA"
        and jwk.get("use", "sig") == "sig"
        and jwk.get("alg", ALGORITMO) == ALGORITMO
    ]
    if kid is None:
        if len(candidatas) != 1:
            return None
        elegida = candidatas[0]
    else:
        coinciden = [jwk for jwk in candidatas if jwk.get("kid") == kid]
        if not coinciden:
            return None
        elegida = coinciden[0]
    try:
        return jwt.PyJWK(elegida, algorithm=ALGORITMO).key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None


def _usuario(claims: dict[str, Any]) -> Usuario:
    """Map verified claims to a Usuario; unknown roles (e.g. Keycloak defaults) are ignored."""
    acceso = claims.get(CLAIM_ROLES)
    nombres = acceso.get("roles") if isinstance(acceso, dict) else None
    conocidos = {rol.value for rol in Rol}
    roles = frozenset(
        Rol(nombre)
        for nombre in (nombres if isinstance(nombres, list) else [])
        if isinstance(nombre, str) and nombre in conocidos
    )
    sub: str = claims["sub"]
    nombre_usuario = claims.get(CLAIM_USUARIO)
    return Usuario(
        id=sub,
        nombre_usuario=nombre_usuario if isinstance(nombre_usuario, str) else sub,
        roles=roles,
        partido=_texto(claims.get(CLAIM_PARTIDO)),
        candidatura=_texto(claims.get(CLAIM_CANDIDATURA)),
        acciones=_acciones(claims.get(CLAIM_ACCIONES)),
    )


def _acciones(valor: object) -> frozenset[str]:
    """The pending actions; a malformed claim still blocks (fail closed)."""
    if valor is None:
        return frozenset()
    if isinstance(valor, list) and all(isinstance(accion, str) for accion in valor):
        return frozenset(valor)
    return frozenset({"desconocida"})


def _texto(valor: object) -> str | None:
    return valor if isinstance(valor, str) and valor else None
