"""Realm roles and token claim names, defined once for every service."""

from enum import StrEnum


class Rol(StrEnum):
    """Realm roles of DOMINIO §1."""

    ADMINISTRADOR = "administrador"
    PARTIDO = "partido"
    SUPERVISOR = "supervisor"
    CANDIDATURA = "candidatura"
    VERIFICADOR = "verificador"
    SOPORTE = "soporte"


CLAIM_ROLES = "realm_access"
CLAIM_PARTIDO = "partido"
CLAIM_CANDIDATURA = "candidatura"
CLAIM_USUARIO = "preferred_username"
