"""TokenVerifier: signature, algorithm, expiry, issuer, audience and claim mapping."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from comun.auth.jwks import Jwks
from comun.auth.pruebas import EmisorDePrueba
from comun.auth.tokens import TokenVerifier
from comun.auth.usuario import Usuario
from comun.errores import NoAutenticado
from comun.roles import Rol

SUPERVISORA = Usuario(
    id="c-1", nombre_usuario="supervisor.pan", roles=frozenset({Rol.SUPERVISOR}), partido="PAN"
)


class FakeJwks:
    """A JwksSource whose keys can change; counts forced refreshes."""

    def __init__(self, *juegos: Jwks) -> None:
        self._juegos = list(juegos)
        self.forzados = 0

    async def obtener(self, *, forzar: bool = False) -> Jwks:
        if forzar:
            self.forzados += 1
            if len(self._juegos) > 1:
                self._juegos.pop(0)
        return self._juegos[0]


@pytest.fixture(scope="module")
def emisor() -> EmisorDePrueba:
    return EmisorDePrueba(kid="clave-1")


def verificador(emisor: EmisorDePrueba, jwks: FakeJwks | None = None) -> TokenVerifier:
    return TokenVerifier(
        jwks or FakeJwks(emisor.jwks()), emisor=emisor.emisor, audiencia=emisor.audiencia
    )


def _b64(datos: dict[str, Any]) -> str:
    crudo = json.dumps(datos).encode()
    return base64.urlsafe_b64encode(crudo).rstrip(b"=").decode()


async def test_token_valido_da_el_usuario_con_roles_y_partido(emisor: EmisorDePrueba) -> None:
    usuario = await verificador(emisor).verificar(emisor.token(SUPERVISORA))

    assert usuario == SUPERVISORA


async def test_token_de_candidatura_lleva_su_candidatura(emisor: EmisorDePrueba) -> None:
    cuenta = Usuario(
        id="c-2",
        nombre_usuario="candidatura.demo",
        roles=frozenset({Rol.CANDIDATURA}),
        partido="PAN",
        candidatura="DL-MR-01-PAN-P",
    )

    usuario = await verificador(emisor).verificar(emisor.token(cuenta))

    assert usuario.candidatura == "DL-MR-01-PAN-P"
    assert usuario.tiene_rol(Rol.CANDIDATURA)


async def test_roles_desconocidos_se_ignoran(emisor: EmisorDePrueba) -> None:
    claims = emisor.claims(SUPERVISORA)
    claims["realm_access"] = {"roles": ["offline_access", "default-roles-conoceles", "supervisor"]}

    usuario = await verificador(emisor).verificar(emisor.firmar(claims))

    assert usuario.roles == frozenset({Rol.SUPERVISOR})


@pytest.mark.parametrize(
    "realm_access", [None, "administrador", {"roles": "administrador"}, {"roles": [1, None]}]
)
async def test_realm_access_malformado_no_da_roles(
    emisor: EmisorDePrueba, realm_access: object
) -> None:
    claims = emisor.claims(SUPERVISORA)
    claims["realm_access"] = realm_access

    usuario = await verificador(emisor).verificar(emisor.firmar(claims))

    assert usuario.roles == frozenset()


async def test_sin_preferred_username_usa_el_sub(emisor: EmisorDePrueba) -> None:
    claims = emisor.claims(SUPERVISORA)
    del claims["preferred_username"]

    usuario = await verificador(emisor).verificar(emisor.firmar(claims))

    assert usuario.nombre_usuario == "c-1"


async def test_token_expirado_da_401_con_mensaje_de_sesion_expirada(
    emisor: EmisorDePrueba,
) -> None:
    claims = emisor.claims(SUPERVISORA, iat=int(time.time()) - 7200, exp=int(time.time()) - 60)

    with pytest.raises(NoAutenticado) as error:
        await verificador(emisor).verificar(emisor.firmar(claims))

    assert error.value.status == 401
    assert error.value.detail == "La sesión expiró; inicie sesión de nuevo."


async def test_token_expirado_dentro_del_margen_se_acepta(emisor: EmisorDePrueba) -> None:
    claims = emisor.claims(SUPERVISORA, exp=int(time.time()) - 5)

    usuario = await verificador(emisor).verificar(emisor.firmar(claims))

    assert usuario.id == "c-1"


async def test_firma_de_otra_clave_con_el_mismo_kid_se_rechaza(emisor: EmisorDePrueba) -> None:
    impostor = EmisorDePrueba(kid=emisor.kid)

    with pytest.raises(NoAutenticado) as error:
        await verificador(emisor).verificar(impostor.token(SUPERVISORA))

    assert "firma" in error.value.detail


async def test_token_alterado_se_rechaza(emisor: EmisorDePrueba) -> None:
    cabecera, _, firma = emisor.token(SUPERVISORA).split(".")
    claims = emisor.claims(SUPERVISORA)
    claims["realm_access"] = {"roles": ["administrador"]}

    with pytest.raises(NoAutenticado):
        await verificador(emisor).verificar(f"{cabecera}.{_b64(claims)}.{firma}")


async def test_kid_desconocido_provoca_un_solo_refresco(emisor: EmisorDePrueba) -> None:
    nuevo = EmisorDePrueba(kid="clave-2")
    jwks = FakeJwks(emisor.jwks(), {"keys": [emisor.jwk(), nuevo.jwk()]})

    usuario = await verificador(emisor, jwks).verificar(nuevo.token(SUPERVISORA))

    assert usuario.id == "c-1"
    assert jwks.forzados == 1


async def test_kid_que_sigue_desconocido_tras_refrescar_da_401(emisor: EmisorDePrueba) -> None:
    jwks = FakeJwks(emisor.jwks())
    desconocido = EmisorDePrueba(kid="inventado")

    with pytest.raises(NoAutenticado) as error:
        await verificador(emisor, jwks).verificar(desconocido.token(SUPERVISORA))

    assert jwks.forzados == 1
    assert "clave" in error.value.detail


async def test_alg_none_se_rechaza(emisor: EmisorDePrueba) -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(emisor.claims(SUPERVISORA))}."

    with pytest.raises(NoAutenticado) as error:
        await verificador(emisor).verificar(token)

    assert "RS256" in error.value.detail


async def test_hs256_firmado_con_la_clave_publica_se_rechaza(emisor: EmisorDePrueba) -> None:
    secreto = emisor.clave.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    firmado = f"{_b64({'alg': 'HS256', 'kid': emisor.kid})}.{_b64(emisor.claims(SUPERVISORA))}"
    firma = hmac.new(secreto, firmado.encode(), hashlib.sha256).digest()
    token = f"{firmado}.{base64.urlsafe_b64encode(firma).rstrip(b'=').decode()}"

    with pytest.raises(NoAutenticado):
        await verificador(emisor).verificar(token)


async def test_audiencia_incorrecta_se_rechaza(emisor: EmisorDePrueba) -> None:
    token = emisor.token(SUPERVISORA, aud="otro-sistema")

    with pytest.raises(NoAutenticado) as error:
        await verificador(emisor).verificar(token)

    assert "audiencia" in error.value.detail


async def test_emisor_incorrecto_se_rechaza(emisor: EmisorDePrueba) -> None:
    token = emisor.token(SUPERVISORA, iss="https://otro.invalid/realms/x")

    with pytest.raises(NoAutenticado) as error:
        await verificador(emisor).verificar(token)

    assert "emisor" in error.value.detail


@pytest.mark.parametrize("claim", ["exp", "sub", "aud", "iss"])
async def test_falta_un_dato_obligatorio_se_rechaza(emisor: EmisorDePrueba, claim: str) -> None:
    claims = emisor.claims(SUPERVISORA)
    del claims[claim]

    with pytest.raises(NoAutenticado):
        await verificador(emisor).verificar(emisor.firmar(claims))


@pytest.mark.parametrize(
    "token",
    ["", "basura", "a.b.c", "...", "x" * 20_000, "eyJhbGciOiJSUzI1NiJ9.e30", "ñ.ñ.ñ"],
)
async def test_texto_que_no_es_token_da_401(emisor: EmisorDePrueba, token: str) -> None:
    with pytest.raises(NoAutenticado):
        await verificador(emisor).verificar(token)


async def test_sin_kid_se_usa_la_unica_clave(emisor: EmisorDePrueba) -> None:
    token = jwt.encode(emisor.claims(SUPERVISORA), emisor.clave, algorithm="RS256")

    usuario = await verificador(emisor).verificar(token)

    assert usuario.id == "c-1"


async def test_jwk_malformado_no_provoca_error_interno(emisor: EmisorDePrueba) -> None:
    jwks = FakeJwks({"keys": [{"kty": "RSA", "kid": emisor.kid, "n": "!!", "e": 3}, "x"]})

    with pytest.raises(NoAutenticado):
        await verificador(emisor, jwks).verificar(emisor.token(SUPERVISORA))
