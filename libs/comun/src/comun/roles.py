"""Realm roles and token claim names, defined once for every service."""

from collections.abc import Iterable
from enum import StrEnum


class Rol(StrEnum):
    """Realm roles of DOMINIO §1."""

    ADMINISTRADOR = "administrador"
    PARTIDO = "partido"
    SUPERVISOR = "supervisor"
    CANDIDATURA = "candidatura"
    VERIFICADOR = "verificador"
    SOPORTE = "soporte"
    # A machine account, not a person: the registration system pushing candidacies.
    SISTEMA_REGISTRO = "sistema_registro"


# Highest first: the role an action is recorded under when an account holds several.
PRIORIDAD_ROLES = (
    Rol.ADMINISTRADOR,
    Rol.VERIFICADOR,
    Rol.SOPORTE,
    Rol.SUPERVISOR,
    Rol.PARTIDO,
    Rol.CANDIDATURA,
    Rol.SISTEMA_REGISTRO,
)


# People with these roles sign in with a second factor (TOTP) besides the password.
ROLES_CON_OTP = frozenset({Rol.ADMINISTRADOR, Rol.SUPERVISOR, Rol.VERIFICADOR})


def rol_principal(roles: Iterable[Rol]) -> Rol:
    """The highest of an account's roles."""
    propios = set(roles)
    return next(rol for rol in PRIORIDAD_ROLES if rol in propios)


CLAIM_ROLES = "realm_access"
CLAIM_PARTIDO = "partido"
CLAIM_CANDIDATURA = "candidatura"
CLAIM_USUARIO = "preferred_username"
# Only in the embedded provider's tokens: what the holder must do before anything else.
CLAIM_ACCIONES = "acciones"


class AccionPendiente(StrEnum):
    """Values of the `acciones` claim: a token that carries any only opens the account pages."""

    CAMBIAR_CLAVE = "cambiar_clave"
    CONFIGURAR_SEGUNDO_FACTOR = "configurar_segundo_factor"
