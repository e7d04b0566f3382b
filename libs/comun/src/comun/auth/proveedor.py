"""Port of the identity provider's account administration (embedded provider or Keycloak)."""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from comun.errores import NoEncontrado, Problema
from comun.roles import ROLES_CON_OTP as ROLES_CON_OTP  # where the adapters import it from
from comun.roles import Rol

# Keycloak's user profile asks for at least 3 characters; both adapters follow it.
PATRON_USUARIO = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
# Enough to catch typos; the address is confirmed by use, not by a regular expression.
PATRON_CORREO = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MOTIVO_PREDETERMINADO = "Deshabilitada por la Unidad de Transparencia."
ALFABETO_CLAVE = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True, slots=True)
class DatosCuenta:
    """An account as the provider reports it (`correo` is None where it keeps none)."""

    id: str
    usuario: str
    nombre: str
    apellidos: str
    roles: frozenset[Rol]
    habilitada: bool
    correo: str | None = None
    partido: str | None = None
    candidatura: str | None = None
    acciones_pendientes: frozenset[str] = field(default_factory=frozenset)

    @property
    def nombre_completo(self) -> str:
        """Given name and surnames, as one line."""
        return f"{self.nombre} {self.apellidos}".strip()


class ProveedorIdentidad(Protocol):
    """Creates, disables and resets accounts; both adapters pass the same contract tests.

    The adapters record no events: identidad's account management records them, the same
    whichever provider keeps the accounts.
    """

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
        """Create the account and return its temporary password; 409 if the username is taken."""
        ...

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
        """Create the account with no password: it cannot sign in until `restablecer_clave`."""
        ...

    async def deshabilitar(self, *, usuario: str, motivo: str = MOTIVO_PREDETERMINADO) -> None:
        """Stop the account from signing in (idempotent); 404 if it does not exist."""
        ...

    async def habilitar(self, *, usuario: str) -> None:
        """Let a disabled account sign in again (idempotent); 404 if it does not exist."""
        ...

    async def restablecer_clave(self, *, usuario: str) -> str:
        """New temporary password (returned; changed at next sign-in), sessions ended; 404."""
        ...

    async def cerrar_sesiones(self, *, usuario: str) -> None:
        """End every open session of the account (logout everywhere); 404 if unknown."""
        ...

    async def listar(self, *, rol: Rol) -> list[DatosCuenta]:
        """Every person's account holding this role (`roles` may list only this one)."""
        ...

    async def cuenta(self, *, usuario: str) -> DatosCuenta | None:
        """The account with this username, or None."""
        ...


def normalizar_usuario(usuario: str) -> str:
    """Usernames are case-insensitive and ignore surrounding spaces (as in Keycloak)."""
    return usuario.strip().lower()


def comprobar_alta(
    *,
    usuario: str,
    nombre: str,
    apellidos: str,
    correo: str,
    roles: frozenset[Rol],
    partido: str | None,
    candidatura: str | None,
) -> None:
    """Raise a 422 Problema when the data cannot make a complete account in every provider."""
    if not PATRON_USUARIO.fullmatch(normalizar_usuario(usuario)):
        raise DatosNoValidos(
            f"El usuario «{usuario[:70]}» no es válido: use de 3 a 64 letras minúsculas sin "
            "acentos, dígitos, punto, guion o guion bajo, empezando por letra o dígito."
        )
    # Keycloak refuses the first sign-in of accounts without them ("not fully set up").
    if not nombre.strip() or not apellidos.strip():
        raise DatosNoValidos("Escriba el nombre y los apellidos de la persona titular.")
    if not PATRON_CORREO.fullmatch(correo.strip()):
        raise DatosNoValidos(
            f"El correo «{correo[:100]}» no es válido; escríbalo como nombre@dominio.mx."
        )
    if not roles:
        raise DatosNoValidos("Asigne al menos un rol a la cuenta.")
    if roles & {Rol.PARTIDO, Rol.SUPERVISOR} and not partido:
        raise DatosNoValidos(
            "Las cuentas de partido y de supervisión deben indicar las siglas del partido."
        )
    if Rol.CANDIDATURA in roles and not candidatura:
        raise DatosNoValidos(
            "Las cuentas de candidatura deben indicar el identificador de la candidatura."
        )


def generar_clave_temporal() -> str:
    """A random password easy to read aloud: xxxx-xxxx-xxxx (14 characters, about 59 bits)."""
    grupos = ("".join(secrets.choice(ALFABETO_CLAVE) for _ in range(4)) for _ in range(3))
    return "-".join(grupos)


class DatosNoValidos(Problema):
    """422: the account's data are incomplete or malformed."""

    def __init__(self, detail: str) -> None:
        super().__init__(422, "Datos de la cuenta no válidos", detail)


class UsuarioYaRegistrado(Problema):
    """409: another account has this username (or e-mail)."""

    def __init__(self, detail: str) -> None:
        super().__init__(409, "Usuario ya registrado", detail)


class CuentaInexistente(NoEncontrado):
    """404: no account with this username."""

    def __init__(self, usuario: str) -> None:
        super().__init__(f"No existe ninguna cuenta con el usuario «{usuario[:70]}».")
