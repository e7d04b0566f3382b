"""Test helpers: an in-memory RS256 issuer whose tokens every service's verifier accepts."""

import base64
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from comun.auth.jwks import Jwks, StaticJwksSource
from comun.auth.tokens import TokenVerifier
from comun.auth.usuario import Usuario
from comun.roles import CLAIM_CANDIDATURA, CLAIM_PARTIDO, CLAIM_ROLES, CLAIM_USUARIO

EMISOR_PRUEBA = "http://pruebas.invalid/identidad"
AUDIENCIA_PRUEBA = "conoceles"


def _b64(numero: int) -> str:
    crudo = numero.to_bytes((numero.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(crudo).rstrip(b"=").decode("ascii")


class EmisorDePrueba:
    """Generates a key pair and signs tokens for tests (never use outside tests)."""

    def __init__(
        self,
        *,
        kid: str | None = None,
        emisor: str = EMISOR_PRUEBA,
        audiencia: str = AUDIENCIA_PRUEBA,
    ) -> None:
        self.clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = kid or uuid.uuid4().hex
        self.emisor = emisor
        self.audiencia = audiencia

    def jwk(self) -> dict[str, str]:
        """The public key as a JWK."""
        publicos = self.clave.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": _b64(publicos.n),
            "e": _b64(publicos.e),
        }

    def jwks(self) -> Jwks:
        """The public key set."""
        return {"keys": [self.jwk()]}

    def verificador(self) -> TokenVerifier:
        """A TokenVerifier that trusts this issuer."""
        return TokenVerifier(
            StaticJwksSource(self.jwks()), emisor=self.emisor, audiencia=self.audiencia
        )

    def claims(self, usuario: Usuario, *, vida_s: int = 3600, **extra: Any) -> dict[str, Any]:
        """The claims the embedded provider puts in a token for this user."""
        ahora = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.emisor,
            "aud": self.audiencia,
            "sub": usuario.id,
            "iat": ahora,
            "exp": ahora + vida_s,
            CLAIM_USUARIO: usuario.nombre_usuario,
            CLAIM_ROLES: {"roles": sorted(rol.value for rol in usuario.roles)},
        }
        if usuario.partido is not None:
            claims[CLAIM_PARTIDO] = usuario.partido
        if usuario.candidatura is not None:
            claims[CLAIM_CANDIDATURA] = usuario.candidatura
        claims.update(extra)
        return claims

    def firmar(self, claims: dict[str, Any], *, cabecera: dict[str, Any] | None = None) -> str:
        """Sign arbitrary claims with this key (RS256, this kid unless the header overrides)."""
        return jwt.encode(
            claims, self.clave, algorithm="RS256", headers={"kid": self.kid, **(cabecera or {})}
        )

    def token(self, usuario: Usuario, *, vida_s: int = 3600, **extra: Any) -> str:
        """A valid signed token for this user."""
        return self.firmar(self.claims(usuario, vida_s=vida_s, **extra))
