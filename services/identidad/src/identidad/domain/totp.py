"""TOTP second factor (RFC 6238): secrets, enrolment URIs and codes accepted once per time step."""

import hmac
from datetime import datetime

import pyotp

from identidad.domain import ErrorIdentidad

PERIODO_S = 30
DIGITOS = 6
# One step either side: the phone's clock may be up to 30 seconds off.
VENTANA = 1
EMISOR = "Conóceles"


class CodigoNoValido(ErrorIdentidad):
    """The TOTP code is malformed or does not match the account's secret."""


class CodigoReutilizado(ErrorIdentidad):
    """The TOTP code (or an earlier one) was already accepted: a replay."""

    def __init__(self) -> None:
        super().__init__(
            "Ese código de verificación ya se usó; espere a que su aplicación de autenticación "
            f"muestre uno nuevo (cambia cada {PERIODO_S} segundos) y escríbalo."
        )


class CodigoRequerido(ErrorIdentidad):
    """Right password, but the account has a second factor and no code was given."""

    def __init__(self, cuenta_id: str) -> None:
        super().__init__(
            "Falta el código de verificación: escriba los 6 dígitos que muestra su aplicación "
            "de autenticación (en la API, envíelos en el campo «totp»)."
        )
        self.cuenta_id = cuenta_id


CODIGO_INCORRECTO = (
    "El código de verificación no es correcto; escriba los 6 dígitos que muestra ahora su "
    "aplicación de autenticación y revise que la hora de su teléfono sea la correcta."
)


def nuevo_secreto() -> str:
    """A random 160-bit secret in Base32 (what authenticator apps expect)."""
    return pyotp.random_base32()


def uri_de_alta(secreto: str, *, usuario: str, emisor: str = EMISOR) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return _totp(secreto).provisioning_uri(name=usuario, issuer_name=emisor)


def secreto_legible(secreto: str) -> str:
    """The secret in groups of four, for typing it by hand."""
    return " ".join(secreto[i : i + 4] for i in range(0, len(secreto), 4))


def normalizar_codigo(codigo: str) -> str:
    """The code without spaces or hyphens; CodigoNoValido unless it is exactly 6 digits."""
    limpio = "".join(c for c in codigo if c not in " -\t")
    if not limpio:
        raise CodigoNoValido(
            "Escriba el código de verificación de 6 dígitos que muestra su aplicación de "
            "autenticación."
        )
    if len(limpio) != DIGITOS or not limpio.isascii() or not limpio.isdigit():
        raise CodigoNoValido(
            f"El código de verificación tiene {DIGITOS} dígitos (solo números); "
            f"recibimos «{limpio[:12]}», de {len(limpio)} caracteres."
        )
    return limpio


def paso_del_codigo(secreto: str, codigo: str, *, ahora: datetime, ultimo_paso: int | None) -> int:
    """The time step the code belongs to (±VENTANA); refuse wrong codes and replays."""
    limpio = normalizar_codigo(codigo)
    totp = _totp(secreto)
    actual = totp.timecode(ahora)
    coincide: int | None = None
    for paso in range(actual - VENTANA, actual + VENTANA + 1):
        if hmac.compare_digest(totp.generate_otp(paso), limpio):
            coincide = paso
    if coincide is None:
        raise CodigoNoValido(CODIGO_INCORRECTO)
    if ultimo_paso is not None and coincide <= ultimo_paso:
        raise CodigoReutilizado()
    return coincide


def codigo_en(secreto: str, momento: datetime) -> str:
    """The code an authenticator app shows at this moment (tests, demo tools)."""
    return _totp(secreto).at(momento)


def _totp(secreto: str) -> pyotp.TOTP:
    return pyotp.TOTP(secreto, digits=DIGITOS, interval=PERIODO_S)
