"""Accounts: who may sign in, with which role and data scope, and when they are locked out."""

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from comun.roles import Rol, rol_principal

PATRON_USUARIO = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Roles of machines, never of people: only service accounts hold them.
ROLES_DE_SERVICIO = frozenset({Rol.SISTEMA_REGISTRO})


class TipoCuenta(StrEnum):
    """Who holds an account: a person (password, login form) or a system (client credentials)."""

    PERSONA = "persona"
    SERVICIO = "servicio"


class EstadoCuenta(StrEnum):
    """Whether an account may sign in at all."""

    ACTIVA = "activa"
    DESHABILITADA = "deshabilitada"


@dataclass(frozen=True)
class PoliticaBloqueo:
    """After `intentos_maximos` failures in a row the account is locked for `duracion`."""

    intentos_maximos: int = 5
    duracion: timedelta = timedelta(minutes=15)


POLITICA_PREDETERMINADA = PoliticaBloqueo()


class ErrorIdentidad(Exception):
    """Base of the identidad domain errors (Spanish message for the user)."""


class DatosCuentaInvalidos(ErrorIdentidad):
    """The account's data break a rule (username, roles, scope)."""


class UsuarioDuplicado(ErrorIdentidad):
    """Another account already has this username."""

    def __init__(self, usuario: str) -> None:
        super().__init__(f"Ya existe una cuenta con el usuario «{usuario}»; elija otro.")
        self.usuario = usuario


class CredencialesInvalidas(ErrorIdentidad):
    """Unknown user or wrong password (deliberately indistinguishable)."""

    def __init__(self) -> None:
        super().__init__(
            "El usuario o la contraseña no son correctos; revíselos e intente de nuevo."
        )


class CuentaBloqueada(ErrorIdentidad):
    """Too many failed attempts: no sign-in until `hasta`."""

    def __init__(self, hasta: datetime) -> None:
        super().__init__("La cuenta está bloqueada temporalmente por intentos fallidos.")
        self.hasta = hasta


class DemasiadosIntentos(ErrorIdentidad):
    """Too many failed sign-ins from one client address in the window."""

    def __init__(self, segundos: int) -> None:
        super().__init__(
            "Hubo demasiados intentos fallidos de inicio de sesión desde su red; espere "
            f"{segundos} segundos e inténtelo de nuevo."
        )
        self.segundos = segundos


class LimiteIntentos:
    """Failed sign-ins per client address in a sliding window, so nobody can lock every account."""

    def __init__(self, *, maximo: int, ventana_s: float, direcciones_max: int = 10_000) -> None:
        self._maximo = maximo
        self._ventana = ventana_s
        self._direcciones_max = direcciones_max
        self._fallos: dict[str, deque[float]] = {}

    def comprobar(self, direccion: str, ahora: float) -> None:
        """Raise DemasiadosIntentos while this address is over the limit."""
        fallos = self._vigentes(direccion, ahora)
        if len(fallos) >= self._maximo:
            raise DemasiadosIntentos(int(fallos[0] + self._ventana - ahora) + 1)

    def registrar_fallo(self, direccion: str, ahora: float) -> None:
        """Count one failed attempt from this address."""
        if direccion not in self._fallos and len(self._fallos) >= self._direcciones_max:
            # Bounded memory under a flood of addresses: forget the oldest one.
            self._fallos.pop(next(iter(self._fallos)))
        self._vigentes(direccion, ahora).append(ahora)

    def _vigentes(self, direccion: str, ahora: float) -> deque[float]:
        """This address's failures still inside the window."""
        fallos = self._fallos.setdefault(direccion, deque())
        while fallos and fallos[0] <= ahora - self._ventana:
            fallos.popleft()
        return fallos


class TipoCuentaIncorrecto(ErrorIdentidad):
    """Right secret, wrong door: a system used a person's sign-in or the other way round."""

    def __init__(self, usuario: str, tipo: TipoCuenta) -> None:
        if tipo is TipoCuenta.SERVICIO:
            mensaje = (
                f"«{usuario}» es una cuenta de servicio (de un sistema, no de una persona) y no "
                "puede iniciar sesión con contraseña; el sistema debe pedir su token en "
                "/api/identidad/v1/token con grant_type=client_credentials."
            )
        else:
            mensaje = (
                f"«{usuario}» es la cuenta de una persona, no un cliente de servicio; inicie "
                "sesión en /identidad/login o pida el token con grant_type=password."
            )
        super().__init__(mensaje)
        self.tipo = tipo


class CuentaNoActiva(ErrorIdentidad):
    """The account was disabled."""

    def __init__(self) -> None:
        super().__init__(
            "La cuenta está deshabilitada; comuníquese con la Unidad de Transparencia."
        )


@dataclass(frozen=True)
class CuentaCreada:
    """Fact: an account exists."""

    cuenta_id: str


@dataclass(frozen=True)
class SesionIniciada:
    """Fact: the holder signed in."""

    cuenta_id: str
    momento: datetime


@dataclass(frozen=True)
class CuentaDeshabilitada:
    """Fact: the account can no longer sign in."""

    cuenta_id: str
    motivo: str


Hecho = CuentaCreada | SesionIniciada | CuentaDeshabilitada


@dataclass(eq=False)
class Cuenta:
    """An account of the embedded identity provider (aggregate)."""

    id: str
    usuario: str
    nombre: str
    roles: frozenset[Rol]
    hash_clave: str
    partido: str | None = None
    candidatura: str | None = None
    tipo: TipoCuenta = TipoCuenta.PERSONA
    estado: EstadoCuenta = EstadoCuenta.ACTIVA
    fallos: int = 0
    bloqueada_hasta: datetime | None = None
    motivo_deshabilitada: str | None = None
    ultimo_acceso: datetime | None = None
    creada: datetime | None = None
    version: int = 0
    eventos: list[Hecho] = field(default_factory=list)

    @classmethod
    def crear(
        cls,
        *,
        id: str,
        usuario: str,
        nombre: str,
        roles: frozenset[Rol],
        hash_clave: str,
        ahora: datetime,
        partido: str | None = None,
        candidatura: str | None = None,
        tipo: TipoCuenta = TipoCuenta.PERSONA,
    ) -> "Cuenta":
        """Create an account after checking its username, kind, roles and scope."""
        usuario = normalizar_usuario(usuario)
        if not PATRON_USUARIO.fullmatch(usuario):
            raise DatosCuentaInvalidos(
                f"El usuario «{usuario}» no es válido: use de 2 a 64 letras minúsculas sin "
                "acentos, dígitos, punto, guion o guion bajo, empezando por letra o dígito."
            )
        if not nombre.strip():
            raise DatosCuentaInvalidos("Escriba el nombre de la persona o área titular.")
        if not roles:
            raise DatosCuentaInvalidos("Asigne al menos un rol a la cuenta.")
        _comprobar_roles_del_tipo(tipo, roles, partido=partido, candidatura=candidatura)
        if roles & {Rol.PARTIDO, Rol.SUPERVISOR} and not partido:
            raise DatosCuentaInvalidos(
                "Las cuentas de partido y de supervisión deben indicar las siglas del partido."
            )
        if Rol.CANDIDATURA in roles and not candidatura:
            raise DatosCuentaInvalidos(
                "Las cuentas de candidatura deben indicar el identificador de la candidatura."
            )
        cuenta = cls(
            id=id,
            usuario=usuario,
            nombre=nombre.strip(),
            roles=roles,
            hash_clave=hash_clave,
            partido=partido,
            candidatura=candidatura,
            tipo=tipo,
            creada=ahora,
        )
        cuenta.eventos.append(CuentaCreada(cuenta_id=id))
        return cuenta

    @property
    def rol_principal(self) -> Rol:
        """The account's highest role."""
        return rol_principal(self.roles)

    def esta_bloqueada(self, ahora: datetime) -> bool:
        """Whether failed attempts keep the account locked at this moment."""
        return self.bloqueada_hasta is not None and ahora < self.bloqueada_hasta

    def comprobar_acceso(self, ahora: datetime) -> None:
        """Raise CuentaBloqueada when locked out (checked before looking at the password)."""
        if self.bloqueada_hasta is not None and self.esta_bloqueada(ahora):
            raise CuentaBloqueada(self.bloqueada_hasta)

    def registrar_fallo(
        self, ahora: datetime, politica: PoliticaBloqueo = POLITICA_PREDETERMINADA
    ) -> None:
        """Count a wrong password; lock the account when the limit is reached."""
        self.comprobar_acceso(ahora)
        if self.bloqueada_hasta is not None:
            # The previous lock ran out: the count starts over.
            self.bloqueada_hasta = None
            self.fallos = 0
        self.fallos += 1
        if self.fallos >= politica.intentos_maximos:
            self.bloqueada_hasta = ahora + politica.duracion
            self.fallos = 0

    def registrar_exito(self, ahora: datetime, *, tipo: TipoCuenta = TipoCuenta.PERSONA) -> None:
        """Record a sign-in of this kind of account; another kind, disabled or locked refuse."""
        self.comprobar_acceso(ahora)
        if self.tipo is not tipo:
            raise TipoCuentaIncorrecto(self.usuario, self.tipo)
        if self.estado is not EstadoCuenta.ACTIVA:
            raise CuentaNoActiva()
        self.fallos = 0
        self.bloqueada_hasta = None
        self.ultimo_acceso = ahora
        self.eventos.append(SesionIniciada(cuenta_id=self.id, momento=ahora))

    def deshabilitar(self, motivo: str) -> None:
        """Stop the account from signing in, with a reason."""
        motivo = motivo.strip()
        if not motivo:
            raise DatosCuentaInvalidos("Indique el motivo para deshabilitar la cuenta.")
        if self.estado is EstadoCuenta.DESHABILITADA:
            raise DatosCuentaInvalidos("La cuenta ya está deshabilitada.")
        self.estado = EstadoCuenta.DESHABILITADA
        self.motivo_deshabilitada = motivo
        self.eventos.append(CuentaDeshabilitada(cuenta_id=self.id, motivo=motivo))

    def cambiar_hash(self, hash_clave: str) -> None:
        """Replace the password hash (new password, or stronger hashing parameters)."""
        self.hash_clave = hash_clave

    def sacar_eventos(self) -> list[Hecho]:
        """Return and forget the facts recorded since the last call."""
        eventos, self.eventos = self.eventos, []
        return eventos


def _comprobar_roles_del_tipo(
    tipo: TipoCuenta, roles: frozenset[Rol], *, partido: str | None, candidatura: str | None
) -> None:
    """Machine roles only on service accounts, and service accounts hold nothing else."""
    if tipo is TipoCuenta.PERSONA:
        if roles & ROLES_DE_SERVICIO:
            nombres = ", ".join(sorted(rol.value for rol in roles & ROLES_DE_SERVICIO))
            raise DatosCuentaInvalidos(
                f"El rol {nombres} es de sistemas, no de personas; cree un cliente de servicio "
                "en lugar de una cuenta personal."
            )
        return
    if not roles <= ROLES_DE_SERVICIO:
        permitidos = ", ".join(sorted(rol.value for rol in ROLES_DE_SERVICIO))
        raise DatosCuentaInvalidos(
            f"Un cliente de servicio solo puede tener el rol {permitidos}; los demás roles son "
            "de personas."
        )
    if partido or candidatura:
        raise DatosCuentaInvalidos(
            "Un cliente de servicio no se limita a un partido ni a una candidatura; quite ese "
            "alcance."
        )


def normalizar_usuario(usuario: str) -> str:
    """Usernames are case-insensitive and ignore surrounding spaces."""
    return usuario.strip().lower()
