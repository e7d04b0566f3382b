"""Accounts: who may sign in, with which role and data scope, and when they are locked out."""

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from comun.roles import ROLES_CON_OTP, AccionPendiente, Rol, rol_principal

PATRON_USUARIO = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Roles of machines, never of people: only service accounts hold them.
ROLES_DE_SERVICIO = frozenset({Rol.SISTEMA_REGISTRO})
# Accounts of parties and candidacies exist for one electoral process and end with it.
ROLES_DEL_PROCESO = frozenset({Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA})
# Stored instead of a hash until the first delivery package: no password can match it.
SIN_CLAVE = "!sin-clave"
# Claim of the embedded provider's tokens: the account's session epoch (read by identidad).
CLAIM_EPOCA = "epoca_sesion"


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


class ProcesoTerminado(ErrorIdentidad):
    """The electoral process ended: party and candidacy accounts no longer sign in."""

    def __init__(self, vence_en: datetime) -> None:
        super().__init__(
            f"El proceso electoral terminó el {vence_en:%d/%m/%Y}: las cuentas de partidos, "
            "supervisión y candidaturas ya no tienen acceso. Si necesita información, "
            "comuníquese con la Unidad de Transparencia."
        )
        self.vence_en = vence_en


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


class CuentaIncompleta(ErrorIdentidad):
    """Right credentials, but the account has pending actions and the channel cannot do them."""

    def __init__(self, usuario: str, acciones: frozenset[AccionPendiente]) -> None:
        if AccionPendiente.CAMBIAR_CLAVE in acciones:
            mensaje = (
                f"La contraseña de «{usuario}» es temporal: inicie sesión en /identidad/login y "
                "elija una contraseña nueva antes de pedir tokens por la API."
            )
        else:
            mensaje = (
                f"La cuenta «{usuario}» debe configurar su segundo factor de autenticación "
                "(código de verificación) antes de pedir tokens por la API: inicie sesión en "
                "/identidad/login y siga las instrucciones."
            )
        super().__init__(mensaje)
        self.acciones = acciones


class MotivoFallo(StrEnum):
    """Why a sign-in failed, as the audit log records it (never whether the username exists)."""

    CREDENCIALES = "credenciales"
    BLOQUEADA = "bloqueada"
    DESHABILITADA = "deshabilitada"
    SEGUNDO_FACTOR = "segundo_factor"


@dataclass(frozen=True)
class InicioSesionFallido:
    """Fact: a sign-in of this account failed."""

    cuenta_id: str
    motivo: MotivoFallo


@dataclass(frozen=True)
class ClaveCambiada:
    """Fact: the holder chose a new password."""

    cuenta_id: str


@dataclass(frozen=True)
class SegundoFactorConfigurado:
    """Fact: the holder enrolled a TOTP second factor (or it was removed: activo False)."""

    cuenta_id: str
    activo: bool = True


Hecho = (
    CuentaCreada
    | SesionIniciada
    | CuentaDeshabilitada
    | InicioSesionFallido
    | ClaveCambiada
    | SegundoFactorConfigurado
)


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
    # A temporary password (new account, reset, delivery package) must be replaced at sign-in.
    debe_cambiar_clave: bool = True
    # Tokens carry this number: raising it ends every session opened before (logout everywhere).
    epoca_sesion: int = 0
    # Second factor: the TOTP secret (encrypted by the adapter), one being enrolled, and the
    # last accepted time step (a code is accepted once).
    totp_cifrado: str | None = None
    totp_pendiente: str | None = None
    totp_ultimo_paso: int | None = None
    # Seeded by `--demo`: may skip the second factor while demo mode is on.
    de_demostracion: bool = False
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
            # A system's secret is generated, never typed by a person: nothing to change.
            debe_cambiar_clave=tipo is TipoCuenta.PERSONA,
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

    def registrar_exito(
        self,
        ahora: datetime,
        *,
        tipo: TipoCuenta = TipoCuenta.PERSONA,
        vence_en: datetime | None = None,
    ) -> None:
        """Record a sign-in of this kind of account; another kind, disabled or locked refuse."""
        self.comprobar_acceso(ahora)
        if self.tipo is not tipo:
            raise TipoCuentaIncorrecto(self.usuario, self.tipo)
        if self.estado is not EstadoCuenta.ACTIVA:
            raise CuentaNoActiva()
        if self.vencida(ahora, vence_en):
            assert vence_en is not None
            raise ProcesoTerminado(vence_en)
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
        self.epoca_sesion += 1
        self.eventos.append(CuentaDeshabilitada(cuenta_id=self.id, motivo=motivo))

    def habilitar(self) -> None:
        """Let a disabled account sign in again (gestión records the event)."""
        if self.estado is EstadoCuenta.ACTIVA:
            raise DatosCuentaInvalidos("La cuenta ya está habilitada.")
        self.estado = EstadoCuenta.ACTIVA
        self.motivo_deshabilitada = None

    def restablecer_clave(self, hash_clave: str) -> None:
        """Give the account a temporary password: unlocked, to be changed, old sessions ended."""
        self.hash_clave = hash_clave
        self.debe_cambiar_clave = True
        self.fallos = 0
        self.bloqueada_hasta = None
        self.epoca_sesion += 1

    def cerrar_sesiones(self) -> None:
        """End every session opened so far (their tokens carry an older epoch)."""
        self.epoca_sesion += 1

    def sesion_vigente(self, epoca: int | None) -> bool:
        """Whether a token of this epoch (None: issued before epochs, 0) is still honoured."""
        return self.estado is EstadoCuenta.ACTIVA and (epoca or 0) == self.epoca_sesion

    def vencida(self, ahora: datetime, vence_en: datetime | None) -> bool:
        """Whether the electoral process ended for this account (party and candidacy roles)."""
        return proceso_terminado(self.roles, ahora, vence_en)

    def cambiar_hash(self, hash_clave: str) -> None:
        """Replace the password hash (new password, or stronger hashing parameters)."""
        self.hash_clave = hash_clave

    @property
    def requiere_segundo_factor(self) -> bool:
        """Whether the account's roles call for TOTP (administrador, supervisor, verificador)."""
        return self.tipo is TipoCuenta.PERSONA and bool(self.roles & ROLES_CON_OTP)

    @property
    def tiene_segundo_factor(self) -> bool:
        """Whether a TOTP second factor is enrolled."""
        return self.totp_cifrado is not None

    def acciones_pendientes(self, *, demo: bool) -> frozenset[AccionPendiente]:
        """What the holder must do before using the system (demo accounts may skip TOTP)."""
        acciones: set[AccionPendiente] = set()
        if self.tipo is TipoCuenta.PERSONA and self.debe_cambiar_clave:
            acciones.add(AccionPendiente.CAMBIAR_CLAVE)
        exenta = demo and self.de_demostracion
        if self.requiere_segundo_factor and not self.tiene_segundo_factor and not exenta:
            acciones.add(AccionPendiente.CONFIGURAR_SEGUNDO_FACTOR)
        return frozenset(acciones)

    def intentar_acceso(
        self,
        ahora: datetime,
        *,
        clave_correcta: bool,
        politica: PoliticaBloqueo = POLITICA_PREDETERMINADA,
        tipo: TipoCuenta = TipoCuenta.PERSONA,
        codigo: str | None = None,
        secreto_totp: str | None = None,
        vence_en: datetime | None = None,
        completa: bool = False,
        demo: bool = False,
    ) -> None:
        """Apply one sign-in attempt: record the session, or count the failure, say why, raise.

        With a second factor and no code, CodigoRequerido is raised and nothing is recorded;
        so is CuentaIncompleta when `completa` asks for no pending actions (API tokens).
        """
        from identidad.domain import totp

        try:
            self.comprobar_acceso(ahora)
            if not clave_correcta:
                self.registrar_fallo(ahora, politica)
                raise CredencialesInvalidas()
            if self.tipo is not tipo:
                raise TipoCuentaIncorrecto(self.usuario, self.tipo)
            if self.estado is not EstadoCuenta.ACTIVA:
                raise CuentaNoActiva()
            if tipo is TipoCuenta.PERSONA and self.totp_cifrado is not None:
                if codigo is None or secreto_totp is None:
                    raise totp.CodigoRequerido(self.id)
                try:
                    paso = totp.paso_del_codigo(
                        secreto_totp, codigo, ahora=ahora, ultimo_paso=self.totp_ultimo_paso
                    )
                except ErrorIdentidad:
                    self.registrar_fallo(ahora, politica)
                    raise
                self.totp_ultimo_paso = paso
            if completa and (acciones := self.acciones_pendientes(demo=demo)):
                raise CuentaIncompleta(self.usuario, acciones)
            self.registrar_exito(ahora, tipo=tipo, vence_en=vence_en)
        except (totp.CodigoRequerido, CuentaIncompleta):
            raise
        except ErrorIdentidad as error:
            self.eventos.append(InicioSesionFallido(cuenta_id=self.id, motivo=motivo_de(error)))
            if self.esta_bloqueada(ahora) and not isinstance(error, CuentaBloqueada):
                # The failure that reaches the limit tells the holder the account is now locked.
                assert self.bloqueada_hasta is not None
                raise CuentaBloqueada(self.bloqueada_hasta) from error
            raise

    def cambiar_clave(self, hash_clave: str) -> None:
        """The holder chose a new password: no longer temporary; older sessions end."""
        self.hash_clave = hash_clave
        self.debe_cambiar_clave = False
        self.epoca_sesion += 1
        self.eventos.append(ClaveCambiada(cuenta_id=self.id))

    def proponer_segundo_factor(self, secreto_cifrado: str) -> None:
        """Keep a new TOTP secret until the holder confirms it with a first code."""
        if self.tipo is not TipoCuenta.PERSONA:
            raise DatosCuentaInvalidos("Las cuentas de servicio no usan segundo factor.")
        self.totp_pendiente = secreto_cifrado

    def activar_segundo_factor(self, paso: int) -> None:
        """The first code matched the proposed secret: it replaces any earlier one."""
        if self.totp_pendiente is None:
            raise DatosCuentaInvalidos(
                "No hay un segundo factor por confirmar; vuelva a abrir la página de "
                "configuración para obtener un código QR nuevo."
            )
        self.totp_cifrado = self.totp_pendiente
        self.totp_pendiente = None
        self.totp_ultimo_paso = paso
        self.eventos.append(SegundoFactorConfigurado(cuenta_id=self.id, activo=True))

    def marcar_de_demostracion(self) -> None:
        """A `--demo` account: its known password is kept, and TOTP is optional in demo mode."""
        self.de_demostracion = True
        self.debe_cambiar_clave = False

    def quitar_segundo_factor(self) -> None:
        """Remove the TOTP factor (lost phone); accounts that need one enrol again at sign-in."""
        if self.totp_cifrado is None and self.totp_pendiente is None:
            return
        habia = self.totp_cifrado is not None
        self.totp_cifrado = None
        self.totp_pendiente = None
        self.totp_ultimo_paso = None
        if habia:
            self.eventos.append(SegundoFactorConfigurado(cuenta_id=self.id, activo=False))

    def sacar_eventos(self) -> list[Hecho]:
        """Return and forget the facts recorded since the last call."""
        eventos, self.eventos = self.eventos, []
        return eventos


def motivo_de(error: ErrorIdentidad) -> MotivoFallo:
    """The audit reason of a failed sign-in."""
    from identidad.domain import totp

    match error:
        case CuentaBloqueada():
            return MotivoFallo.BLOQUEADA
        case CuentaNoActiva() | ProcesoTerminado():
            return MotivoFallo.DESHABILITADA
        case totp.CodigoNoValido() | totp.CodigoReutilizado():
            return MotivoFallo.SEGUNDO_FACTOR
        case _:
            return MotivoFallo.CREDENCIALES


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


def proceso_terminado(roles: frozenset[Rol], ahora: datetime, vence_en: datetime | None) -> bool:
    """Whether accounts with these roles lost their access because the process ended."""
    return vence_en is not None and ahora >= vence_en and bool(roles & ROLES_DEL_PROCESO)


def normalizar_usuario(usuario: str) -> str:
    """Usernames are case-insensitive and ignore surrounding spaces."""
    return usuario.strip().lower()
