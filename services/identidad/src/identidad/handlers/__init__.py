"""Use cases of the identidad service: sign in, issue tokens, create and seed accounts."""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from uuid6 import uuid7

from comun.eventos import SISTEMA, Actor, DatosEvento, Evento, nuevo_evento
from comun.eventos import identidad as eventos_identidad
from comun.roles import (
    CLAIM_ACCIONES,
    CLAIM_CANDIDATURA,
    CLAIM_PARTIDO,
    CLAIM_ROLES,
    CLAIM_USUARIO,
    AccionPendiente,
    Rol,
)
from identidad import domain
from identidad.adapters import TOPIC, ClaveFirma, CuentaRepository, Hasher
from identidad.adapters.seguridad import CifradorSecretos, InicioFallidoRepository
from identidad.domain import (
    POLITICA_PREDETERMINADA,
    CredencialesInvalidas,
    Cuenta,
    DatosCuentaInvalidos,
    PoliticaBloqueo,
    TipoCuenta,
)
from identidad.domain.totp import CodigoRequerido

CLAVE_MINIMA = 8
CLAVE_MAXIMA = 1024
# A system's secret is never typed by a person: it can be long (256 bits as generated).
SECRETO_CLIENTE_MINIMO = 32
REINTENTOS_CONFLICTO = 5
# The actor of a failed sign-in: nobody is signed in yet.
ROL_SIN_SESION = "sin_sesion"


class ConflictoConcurrente(domain.ErrorIdentidad):
    """The account kept changing under this request."""

    def __init__(self) -> None:
        super().__init__("La cuenta está recibiendo muchas solicitudes; intente de nuevo.")


@dataclass(frozen=True)
class TokenEmitido:
    """A signed access token, its lifetime in seconds and the actions it is limited to."""

    access_token: str
    expires_in: int
    acciones: frozenset[AccionPendiente] = frozenset()


@dataclass(frozen=True)
class CredencialDemo:
    """A demo account's username and password, to print at start-up."""

    usuario: str
    clave: str
    rol: Rol
    partido: str | None = None


def _sin_aviso() -> None:
    """Nobody to tell about new events."""


def actor_de(cuenta: Cuenta) -> Actor:
    """The event actor for something the account's holder did."""
    return Actor(usuario=cuenta.usuario, rol=cuenta.rol_principal.value, partido=cuenta.partido)


async def autenticar(
    *,
    repo: CuentaRepository,
    hasher: Hasher,
    usuario: str,
    clave: str,
    ahora: datetime,
    politica: PoliticaBloqueo = POLITICA_PREDETERMINADA,
    tipo: TipoCuenta = TipoCuenta.PERSONA,
    ip: str | None = None,
    agente: str | None = None,
    avisar: Callable[[], None] = _sin_aviso,
    codigo: str | None = None,
    cifrador: CifradorSecretos | None = None,
    fallidos: InicioFallidoRepository | None = None,
    vence_en: datetime | None = None,
    completa: bool = False,
    demo: bool = False,
) -> Cuenta:
    """Check username (or client id), secret and TOTP code; record the sign-in or the failure.

    Accounts with a second factor and no `codigo` raise CodigoRequerido, and with `completa`
    those with pending actions raise CuentaIncompleta: neither records anything.
    """
    if len(clave) > CLAVE_MAXIMA or len(usuario) > 128:
        raise CredencialesInvalidas()
    cuenta = await repo.por_usuario(usuario)
    if cuenta is None:
        await hasher.simular(clave)
        if fallidos is not None:
            await fallidos.registrar(evento_de_fallo(usuario, ip=ip), topic=TOPIC)
            avisar()
        raise CredencialesInvalidas()
    # A locked account's password is not even checked.
    correcta = not cuenta.esta_bloqueada(ahora) and await hasher.verificar(cuenta.hash_clave, clave)
    nuevo_hash = None
    if correcta and hasher.necesita_rehash(cuenta.hash_clave):
        nuevo_hash = await hasher.hash(clave)
    for _ in range(REINTENTOS_CONFLICTO):
        error: domain.ErrorIdentidad | None = None
        try:
            cuenta.intentar_acceso(
                ahora,
                clave_correcta=correcta,
                politica=politica,
                tipo=tipo,
                codigo=codigo,
                secreto_totp=_secreto_totp(cuenta, cifrador) if codigo is not None else None,
                vence_en=vence_en,
                completa=completa,
                demo=demo,
            )
        except (CodigoRequerido, domain.CuentaIncompleta):
            raise
        except domain.ErrorIdentidad as fallo:
            error = fallo
        if error is None and nuevo_hash is not None:
            cuenta.cambiar_hash(nuevo_hash)
        eventos = _a_eventos(cuenta, actor=actor_de(cuenta), ip=ip, agente=agente)
        if await repo.guardar(cuenta, eventos=eventos):
            avisar()
            break
        recargada = await repo.por_usuario(usuario)
        if recargada is None:
            raise CredencialesInvalidas()
        cuenta = recargada
    else:
        raise ConflictoConcurrente()
    if error is not None:
        raise error
    return cuenta


def _secreto_totp(cuenta: Cuenta, cifrador: CifradorSecretos | None) -> str | None:
    """The account's TOTP secret in clear, to check a code against."""
    if cuenta.totp_cifrado is None:
        return None
    if cifrador is None:
        raise RuntimeError("autenticar necesita el cifrador para cuentas con segundo factor")
    return cifrador.descifrar(cuenta.totp_cifrado, contexto=cuenta.id)


def evento_de_fallo(
    usuario: str,
    *,
    motivo: domain.MotivoFallo = domain.MotivoFallo.CREDENCIALES,
    ip: str | None = None,
) -> Evento:
    """inicio_sesion_fallido, identical whether or not the username exists."""
    nombre = domain.normalizar_usuario(usuario)[:100]
    datos = eventos_identidad.InicioSesionFallido(nombre_usuario=nombre, motivo=motivo, ip=ip)
    # Nobody is signed in: the actor is the name typed, never the account's role or party.
    actor = Actor(usuario=nombre, rol=ROL_SIN_SESION)
    return nuevo_evento(datos, subject=nombre, actor=actor, accion="iniciar_sesion_fallido")


def emitir_token(
    *,
    cuenta: Cuenta,
    clave_firma: ClaveFirma,
    emisor: str,
    audiencia: str,
    vida_s: int,
    ahora: datetime,
    acciones: frozenset[AccionPendiente] = frozenset(),
) -> TokenEmitido:
    """Sign an RS256 access token with the account's roles, data scope and pending actions."""
    inicio = int(ahora.timestamp())
    claims: dict[str, Any] = {
        "iss": emisor,
        "aud": audiencia,
        "sub": cuenta.id,
        "iat": inicio,
        "exp": inicio + vida_s,
        "jti": uuid.uuid4().hex,
        "typ": "Bearer",
        "name": cuenta.nombre,
        CLAIM_USUARIO: cuenta.usuario,
        CLAIM_ROLES: {"roles": sorted(rol.value for rol in cuenta.roles)},
    }
    if cuenta.partido is not None:
        claims[CLAIM_PARTIDO] = cuenta.partido
    if cuenta.candidatura is not None:
        claims[CLAIM_CANDIDATURA] = cuenta.candidatura
    # identidad refuses tokens of an older epoch: logout everywhere, disabling, resets.
    claims[domain.CLAIM_EPOCA] = cuenta.epoca_sesion
    if acciones:
        claims[CLAIM_ACCIONES] = sorted(acciones)
    return TokenEmitido(
        access_token=clave_firma.firmar(claims), expires_in=vida_s, acciones=acciones
    )


async def crear_cuenta(
    *,
    repo: CuentaRepository,
    hasher: Hasher,
    usuario: str,
    nombre: str,
    roles: frozenset[Rol],
    clave: str,
    ahora: datetime,
    actor: Actor,
    partido: str | None = None,
    candidatura: str | None = None,
    avisar: Callable[[], None] = _sin_aviso,
) -> Cuenta:
    """Create an account with a password; UsuarioDuplicado if the username is taken."""
    if not CLAVE_MINIMA <= len(clave) <= CLAVE_MAXIMA:
        raise DatosCuentaInvalidos(
            f"La contraseña debe tener entre {CLAVE_MINIMA} y {CLAVE_MAXIMA} caracteres; "
            f"tiene {len(clave)}."
        )
    cuenta = Cuenta.crear(
        id=str(uuid7()),
        usuario=usuario,
        nombre=nombre,
        roles=roles,
        hash_clave=await hasher.hash(clave),
        ahora=ahora,
        partido=partido,
        candidatura=candidatura,
    )
    await repo.agregar(cuenta, eventos=_a_eventos(cuenta, actor=actor))
    avisar()
    return cuenta


async def crear_cliente_servicio(
    *,
    repo: CuentaRepository,
    hasher: Hasher,
    cliente: str,
    nombre: str,
    secreto: str,
    ahora: datetime,
    actor: Actor,
    rol: Rol = Rol.SISTEMA_REGISTRO,
    avisar: Callable[[], None] = _sin_aviso,
) -> Cuenta:
    """Create a system's account (client credentials) with one machine role and its secret."""
    _comprobar_secreto(secreto)
    cuenta = Cuenta.crear(
        id=str(uuid7()),
        usuario=cliente,
        nombre=nombre,
        roles=frozenset({rol}),
        hash_clave=await hasher.hash(secreto),
        ahora=ahora,
        tipo=TipoCuenta.SERVICIO,
    )
    await repo.agregar(cuenta, eventos=_a_eventos(cuenta, actor=actor))
    avisar()
    return cuenta


async def renovar_secreto_cliente(
    *, repo: CuentaRepository, hasher: Hasher, cliente: str, secreto: str
) -> Cuenta:
    """Replace a service client's secret; the old one stops working at once."""
    _comprobar_secreto(secreto)
    hash_clave = await hasher.hash(secreto)
    for _ in range(REINTENTOS_CONFLICTO):
        cuenta = await repo.por_usuario(cliente)
        if cuenta is None or cuenta.tipo is not TipoCuenta.SERVICIO:
            raise DatosCuentaInvalidos(
                f"No existe un cliente de servicio «{cliente[:64]}»; revise el identificador."
            )
        cuenta.cambiar_hash(hash_clave)
        if await repo.guardar(cuenta):
            return cuenta
    raise ConflictoConcurrente()


def _comprobar_secreto(secreto: str) -> None:
    """A service client's secret is long enough not to be guessed."""
    if not SECRETO_CLIENTE_MINIMO <= len(secreto) <= CLAVE_MAXIMA:
        raise DatosCuentaInvalidos(
            f"El secreto del cliente debe tener entre {SECRETO_CLIENTE_MINIMO} y {CLAVE_MAXIMA} "
            f"caracteres; tiene {len(secreto)}. Deje que el sistema lo genere."
        )


@dataclass(frozen=True)
class _CuentaDemo:
    usuario: str
    nombre: str
    rol: Rol
    partido: str | None = None
    candidatura: str | None = None
    tipo: TipoCuenta = TipoCuenta.PERSONA


def cuentas_demo(eleccion: Mapping[str, Any]) -> list[_CuentaDemo]:
    """The demo accounts an election file calls for, and the registration system's client."""
    cuentas = [
        _CuentaDemo("admin", "Unidad de Transparencia (demostración)", Rol.ADMINISTRADOR),
        _CuentaDemo("verificador", "Verificación (demostración)", Rol.VERIFICADOR),
        _CuentaDemo("soporte", "Unidad de Informática y Estadística (demostración)", Rol.SOPORTE),
    ]
    for partido in eleccion.get("partidos", []):
        siglas = str(partido["siglas"])
        nombre = str(partido.get("nombre") or siglas)
        cuentas += [
            _CuentaDemo(f"captura.{siglas.lower()}", f"Captura {nombre}", Rol.PARTIDO, siglas),
            _CuentaDemo(
                f"supervisor.{siglas.lower()}", f"Supervisión {nombre}", Rol.SUPERVISOR, siglas
            ),
        ]
    demo = eleccion.get("candidatura_demo")
    if isinstance(demo, Mapping) and demo.get("id"):
        cuentas.append(
            _CuentaDemo(
                "candidatura.demo",
                str(demo.get("nombre") or "Candidatura de demostración"),
                Rol.CANDIDATURA,
                demo.get("partido"),
                str(demo["id"]),
            )
        )
    cuentas.append(
        _CuentaDemo(
            "sistema.registro",
            "Sistema de registro de candidaturas (demostración)",
            Rol.SISTEMA_REGISTRO,
            tipo=TipoCuenta.SERVICIO,
        )
    )
    return cuentas


async def sembrar_cuentas_demo(
    *,
    repo: CuentaRepository,
    hasher: Hasher,
    eleccion: Mapping[str, Any],
    clave: str,
    ahora: datetime,
    avisar: Callable[[], None] = _sin_aviso,
) -> list[CredencialDemo]:
    """Create the missing demo accounts; reset the password of those that have another one."""
    deseadas = cuentas_demo(eleccion)
    existentes = await repo.por_usuarios([demo.usuario for demo in deseadas])
    hash_nuevo = await hasher.hash(clave)
    # Accounts seeded together share one hash: verify each distinct hash only once.
    coincide: dict[str, bool] = {}
    for demo in deseadas:
        cuenta = existentes.get(demo.usuario)
        if cuenta is None:
            nueva = Cuenta.crear(
                id=str(uuid7()),
                usuario=demo.usuario,
                nombre=demo.nombre,
                roles=frozenset({demo.rol}),
                hash_clave=hash_nuevo,
                ahora=ahora,
                partido=demo.partido,
                candidatura=demo.candidatura,
                tipo=demo.tipo,
            )
            nueva.marcar_de_demostracion()
            try:
                await repo.agregar(nueva, eventos=_a_eventos(nueva, actor=SISTEMA))
            except domain.UsuarioDuplicado:
                continue  # another process seeded it at the same moment
            continue
        if cuenta.hash_clave not in coincide:
            coincide[cuenta.hash_clave] = await hasher.verificar(cuenta.hash_clave, clave)
        cambiada = not coincide[cuenta.hash_clave]
        if cambiada:
            cuenta.cambiar_hash(hash_nuevo)
        if cuenta.debe_cambiar_clave or not cuenta.de_demostracion:
            cuenta.marcar_de_demostracion()
            cambiada = True
        if cambiada and not await repo.guardar(cuenta):
            raise ConflictoConcurrente()
    avisar()
    return [CredencialDemo(d.usuario, clave, d.rol, d.partido) for d in deseadas]


def _a_eventos(
    cuenta: Cuenta, *, actor: Actor, ip: str | None = None, agente: str | None = None
) -> list[Evento]:
    """Turn the facts the account recorded into integration events."""
    persona = cuenta.tipo is TipoCuenta.PERSONA
    eventos: list[Evento] = []
    for hecho in cuenta.sacar_eventos():
        datos: DatosEvento
        match hecho:
            case domain.CuentaCreada():
                datos = eventos_identidad.CuentaCreada(
                    cuenta_id=cuenta.id,
                    nombre_usuario=cuenta.usuario,
                    rol=cuenta.rol_principal,
                    partido=cuenta.partido,
                    candidatura_id=cuenta.candidatura,
                )
                accion = "crear_cuenta" if persona else "crear_cliente_servicio"
            case domain.SesionIniciada():
                datos = eventos_identidad.SesionIniciada(
                    cuenta_id=cuenta.id,
                    nombre_usuario=cuenta.usuario,
                    ip=ip,
                    agente=agente[:500] if agente else None,
                )
                accion = "iniciar_sesion" if persona else "obtener_token"
            case domain.CuentaDeshabilitada(motivo=motivo):
                datos = eventos_identidad.CuentaDeshabilitada(
                    cuenta_id=cuenta.id, nombre_usuario=cuenta.usuario, motivo=motivo
                )
                accion = "deshabilitar_cuenta"
            case domain.InicioSesionFallido(motivo=motivo_fallo):
                eventos.append(evento_de_fallo(cuenta.usuario, motivo=motivo_fallo, ip=ip))
                continue
            case domain.ClaveCambiada():
                datos = eventos_identidad.ClaveCambiada(
                    cuenta_id=cuenta.id, nombre_usuario=cuenta.usuario
                )
                accion = "cambiar_clave"
            case domain.SegundoFactorConfigurado(activo=activo):
                datos = eventos_identidad.SegundoFactorConfigurado(
                    cuenta_id=cuenta.id, nombre_usuario=cuenta.usuario, activo=activo
                )
                accion = "configurar_segundo_factor" if activo else "quitar_segundo_factor"
        eventos.append(nuevo_evento(datos, subject=cuenta.id, actor=actor, accion=accion))
    return eventos
