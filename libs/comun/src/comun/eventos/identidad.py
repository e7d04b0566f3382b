"""Events of the identidad service: accounts, credential delivery and sessions."""

from datetime import datetime

from comun.eventos.envelope import DatosEvento
from comun.roles import Rol
from comun.servicios import Servicio


class CuentaCreada(DatosEvento):
    """An account was created with its role and data scope."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "cuenta_creada"

    cuenta_id: str
    nombre_usuario: str
    rol: Rol
    partido: str | None = None
    candidatura_id: str | None = None


class CuentaDeshabilitada(DatosEvento):
    """An account can no longer sign in."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "cuenta_deshabilitada"

    cuenta_id: str
    nombre_usuario: str
    motivo: str | None = None


class CredencialesEntregadas(DatosEvento):
    """An account's credentials reached its holder; capture deadlines count from here (PTO 14)."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "credenciales_entregadas"

    cuenta_id: str
    nombre_usuario: str
    rol: Rol
    partido: str | None = None
    candidatura_id: str | None = None
    entregadas_en: datetime


class SesionIniciada(DatosEvento):
    """A user signed in."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "sesion_iniciada"

    cuenta_id: str
    nombre_usuario: str
    ip: str | None = None
    agente: str | None = None
