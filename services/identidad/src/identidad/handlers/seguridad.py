"""Use cases of «Mi cuenta» and the second sign-in step: new password, TOTP enrolment and code."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from identidad import domain
from identidad.adapters import CuentaRepository, Hasher
from identidad.adapters.seguridad import CifradorSecretos
from identidad.domain import (
    POLITICA_PREDETERMINADA,
    Cuenta,
    CuentaNoActiva,
    ErrorIdentidad,
    PoliticaBloqueo,
    TipoCuenta,
    totp,
)
from identidad.domain.claves import LONGITUD_MAXIMA, ClaveNoValida, PoliticaClaves
from identidad.handlers import (
    REINTENTOS_CONFLICTO,
    ConflictoConcurrente,
    _a_eventos,
    _sin_aviso,
    actor_de,
)


class SesionSinCuenta(ErrorIdentidad):
    """The session's account no longer exists (or is a service client)."""

    def __init__(self) -> None:
        super().__init__(
            "Su sesión ya no corresponde a una cuenta vigente; inicie sesión de nuevo."
        )


class ClaveActualIncorrecta(ErrorIdentidad):
    """The current password typed to confirm a change is wrong (counts as a failed attempt)."""

    def __init__(self) -> None:
        super().__init__(
            "La contraseña actual no es correcta; escríbala de nuevo (si es su primer acceso, "
            "es la contraseña temporal que le entregaron)."
        )


@dataclass(frozen=True)
class AltaSegundoFactor:
    """A TOTP secret waiting for its first code, and what the enrolment page shows."""

    secreto: str
    uri: str
    reemplaza: bool


async def cambiar_clave(
    *,
    repo: CuentaRepository,
    hasher: Hasher,
    politica: PoliticaClaves,
    cuenta_id: str,
    actual: str,
    nueva: str,
    confirmacion: str,
    ahora: datetime,
    bloqueo: PoliticaBloqueo = POLITICA_PREDETERMINADA,
    avisar: Callable[[], None] = _sin_aviso,
) -> Cuenta:
    """Replace the password after checking the current one and the policy (ends other sessions)."""
    cuenta = await _persona(repo, cuenta_id)
    if nueva != confirmacion:
        raise ClaveNoValida(
            ["La confirmación no coincide con la contraseña nueva; escríbala igual dos veces."]
        )
    politica.comprobar(nueva, usuario=cuenta.usuario)
    cuenta.comprobar_acceso(ahora)
    if len(actual) > LONGITUD_MAXIMA or not await hasher.verificar(cuenta.hash_clave, actual):
        await _contar_fallo(repo, cuenta, ahora=ahora, bloqueo=bloqueo, avisar=avisar)
        raise ClaveActualIncorrecta()
    if nueva == actual:
        raise ClaveNoValida(["La contraseña nueva debe ser distinta de la actual."])
    verificado = cuenta.hash_clave
    hash_nuevo = await hasher.hash(nueva)

    def cambiar(cuenta: Cuenta) -> None:
        if cuenta.hash_clave != verificado:
            raise ConflictoConcurrente()
        cuenta.cambiar_clave(hash_nuevo)

    return await _aplicar(repo, cuenta_id, cambiar, avisar=avisar)


async def preparar_segundo_factor(
    *,
    repo: CuentaRepository,
    cifrador: CifradorSecretos,
    cuenta_id: str,
    nuevo: bool = False,
) -> AltaSegundoFactor:
    """The secret being enrolled (a new one when there is none, or when `nuevo` asks for it)."""
    cuenta = await _persona(repo, cuenta_id)
    if cuenta.totp_pendiente is not None and not nuevo:
        secreto = cifrador.descifrar(cuenta.totp_pendiente, contexto=cuenta.id)
    else:
        secreto = totp.nuevo_secreto()
        cifrado = cifrador.cifrar(secreto, contexto=cuenta.id)
        cuenta = await _aplicar(repo, cuenta_id, lambda c: c.proponer_segundo_factor(cifrado))
    return AltaSegundoFactor(
        secreto=secreto,
        uri=totp.uri_de_alta(secreto, usuario=cuenta.usuario),
        reemplaza=cuenta.tiene_segundo_factor,
    )


async def confirmar_segundo_factor(
    *,
    repo: CuentaRepository,
    hasher: Hasher,
    cifrador: CifradorSecretos,
    cuenta_id: str,
    codigo: str,
    ahora: datetime,
    clave_actual: str | None = None,
    bloqueo: PoliticaBloqueo = POLITICA_PREDETERMINADA,
    avisar: Callable[[], None] = _sin_aviso,
) -> Cuenta:
    """Activate the proposed TOTP secret with its first code; replacing one needs the password."""
    cuenta = await _persona(repo, cuenta_id)
    if cuenta.totp_pendiente is None:
        raise domain.DatosCuentaInvalidos(
            "No hay un segundo factor por confirmar; vuelva a abrir la página de configuración "
            "para obtener un código QR nuevo."
        )
    cuenta.comprobar_acceso(ahora)
    if cuenta.tiene_segundo_factor:
        # Whoever holds an open session must not swap the factor without the password.
        correcta = clave_actual is not None and await hasher.verificar(
            cuenta.hash_clave, clave_actual
        )
        if not correcta:
            await _contar_fallo(repo, cuenta, ahora=ahora, bloqueo=bloqueo, avisar=avisar)
            raise ClaveActualIncorrecta()
    pendiente = cuenta.totp_pendiente
    secreto = cifrador.descifrar(pendiente, contexto=cuenta.id)
    paso = totp.paso_del_codigo(secreto, codigo, ahora=ahora, ultimo_paso=None)

    def activar(cuenta: Cuenta) -> None:
        if cuenta.totp_pendiente != pendiente:
            raise domain.DatosCuentaInvalidos(
                "El código QR cambió mientras confirmaba (¿otra pestaña?); escanee el que se "
                "muestra ahora y escriba su código."
            )
        cuenta.activar_segundo_factor(paso)

    return await _aplicar(repo, cuenta_id, activar, avisar=avisar)


async def verificar_segundo_paso(
    *,
    repo: CuentaRepository,
    cifrador: CifradorSecretos,
    cuenta_id: str,
    codigo: str,
    ahora: datetime,
    politica: PoliticaBloqueo = POLITICA_PREDETERMINADA,
    ip: str | None = None,
    agente: str | None = None,
    avisar: Callable[[], None] = _sin_aviso,
    vence_en: datetime | None = None,
) -> Cuenta:
    """Second sign-in step (the password was right): check the code, record the outcome."""
    for _ in range(REINTENTOS_CONFLICTO):
        cuenta = await _persona(repo, cuenta_id)
        secreto = (
            cifrador.descifrar(cuenta.totp_cifrado, contexto=cuenta.id)
            if cuenta.totp_cifrado is not None
            else None
        )
        error: ErrorIdentidad | None = None
        try:
            cuenta.intentar_acceso(
                ahora,
                clave_correcta=True,
                politica=politica,
                codigo=codigo,
                secreto_totp=secreto,
                vence_en=vence_en,
            )
        except totp.CodigoRequerido:
            raise
        except ErrorIdentidad as fallo:
            error = fallo
        eventos = _a_eventos(cuenta, actor=actor_de(cuenta), ip=ip, agente=agente)
        if await repo.guardar(cuenta, eventos=eventos):
            avisar()
            if error is not None:
                raise error
            return cuenta
    raise ConflictoConcurrente()


async def _persona(repo: CuentaRepository, cuenta_id: str) -> Cuenta:
    """The session's account, a person's and enabled; SesionSinCuenta or CuentaNoActiva."""
    cuenta = await repo.por_id(cuenta_id)
    if cuenta is None or cuenta.tipo is not TipoCuenta.PERSONA:
        raise SesionSinCuenta()
    if cuenta.estado is not domain.EstadoCuenta.ACTIVA:
        raise CuentaNoActiva()
    return cuenta


async def _contar_fallo(
    repo: CuentaRepository,
    cuenta: Cuenta,
    *,
    ahora: datetime,
    bloqueo: PoliticaBloqueo,
    avisar: Callable[[], None],
) -> None:
    """A wrong current password counts toward the lockout, like a failed sign-in."""
    contada = await _aplicar(
        repo, cuenta.id, lambda c: c.registrar_fallo(ahora, bloqueo), avisar=avisar
    )
    # The failure that reaches the limit says so.
    contada.comprobar_acceso(ahora)


async def _aplicar(
    repo: CuentaRepository,
    cuenta_id: str,
    cambio: Callable[[Cuenta], None],
    *,
    avisar: Callable[[], None] = _sin_aviso,
) -> Cuenta:
    """Load, change and save the account with its events, retrying on version conflicts."""
    for _ in range(REINTENTOS_CONFLICTO):
        cuenta = await _persona(repo, cuenta_id)
        cambio(cuenta)
        if await repo.guardar(cuenta, eventos=_a_eventos(cuenta, actor=actor_de(cuenta))):
            avisar()
            return cuenta
    raise ConflictoConcurrente()
