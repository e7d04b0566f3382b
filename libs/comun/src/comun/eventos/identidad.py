"""Events of the identidad service: accounts, credential delivery and sessions."""

from datetime import datetime

from pydantic import Field

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
    correo: str | None = Field(
        default=None,
        description="The holder's e-mail for notices, when the account has a person's address.",
    )


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


class CuentaHabilitada(DatosEvento):
    """A disabled account may sign in again."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "cuenta_habilitada"

    cuenta_id: str
    nombre_usuario: str


class ClaveRestablecida(DatosEvento):
    """An account got a new temporary password (reset, loss report or re-issued delivery)."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "clave_restablecida"

    cuenta_id: str
    nombre_usuario: str
    motivo: str = Field(description="restablecimiento, extravio or reentrega.")


class ClaveCambiada(DatosEvento):
    """The holder chose a new password (first sign-in or later)."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "clave_cambiada"

    cuenta_id: str
    nombre_usuario: str


class SegundoFactorConfigurado(DatosEvento):
    """The holder enrolled (or removed) a TOTP second factor."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "segundo_factor_configurado"

    cuenta_id: str
    nombre_usuario: str
    activo: bool = True


class InicioSesionFallido(DatosEvento):
    """A sign-in failed; the reason never says whether the username exists."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "inicio_sesion_fallido"

    nombre_usuario: str = Field(max_length=100)
    motivo: str = Field(description="credenciales, bloqueada, deshabilitada or segundo_factor.")
    ip: str | None = None


class DesignacionRegistrada(DatosEvento):
    """A party designated a supervisor (PTO 24); the account is created from it."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "designacion_registrada"

    designacion_id: str
    partido: str
    nombre: str
    oficio: str | None = Field(default=None, description="Reference of the designation letter.")


class SesionesCerradas(DatosEvento):
    """Every open session of an account was ended («cerrar sesión en todos lados»)."""

    SERVICIO = Servicio.IDENTIDAD
    NOMBRE = "sesiones_cerradas"

    cuenta_id: str
    nombre_usuario: str
