"""Accounts on the document store, the RS256 signing key, argon2id hashing and local files."""

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import secrets
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr
from uuid6 import uuid7

from comun.app import Recursos
from comun.auth.jwks import Jwks
from comun.auth.proveedor import (
    MOTIVO_PREDETERMINADO,
    CuentaInexistente,
    DatosCuenta,
    DatosNoValidos,
    UsuarioYaRegistrado,
    comprobar_alta,
)
from comun.bus import outbox
from comun.errores import Problema
from comun.eventos import Evento
from comun.roles import Rol
from comun.servicios import Servicio, topic
from comun.settings import PlatformSettings
from comun.store import Collection, Document, DuplicateKeyError
from identidad.config import Settings
from identidad.domain import (
    SIN_CLAVE,
    Cuenta,
    DatosCuentaInvalidos,
    ErrorIdentidad,
    EstadoCuenta,
    LimiteIntentos,
    TipoCuenta,
    UsuarioDuplicado,
    normalizar_usuario,
)

COLECCION_CUENTAS = "cuentas"
REINTENTOS_MODIFICAR = 5
TOPIC = topic(Servicio.IDENTIDAD)


class CuentaRepository:
    """Accounts in the `cuentas` collection; events travel in the document's outbox."""

    def __init__(self, coleccion: Collection) -> None:
        self._coleccion = coleccion
        # The stored document each loaded Cuenta came from: its version and pending outbox.
        self._previos: weakref.WeakKeyDictionary[Cuenta, Document] = weakref.WeakKeyDictionary()

    async def crear_indices(self) -> None:
        """Usernames are unique."""
        await self._coleccion.create_index([("usuario", 1)], unique=True)

    async def por_usuario(self, usuario: str) -> Cuenta | None:
        """The account with this username, or None."""
        docs = await self._coleccion.find({"usuario": normalizar_usuario(usuario)}, limit=1)
        return self._cargar(docs[0]) if docs else None

    async def por_id(self, cuenta_id: str) -> Cuenta | None:
        """The account with this id, or None."""
        doc = await self._coleccion.get(cuenta_id)
        return self._cargar(doc) if doc is not None else None

    async def por_rol(self, rol: Rol) -> list[Cuenta]:
        """Every account holding this role, by username."""
        docs = await self._coleccion.find({"roles": rol.value}, sort=[("usuario", 1)])
        return [self._cargar(doc) for doc in docs]

    async def por_usuarios(self, usuarios: Sequence[str]) -> dict[str, Cuenta]:
        """The existing accounts among these usernames, by username."""
        nombres = [normalizar_usuario(usuario) for usuario in usuarios]
        docs = await self._coleccion.find({"usuario": {"$in": nombres}})
        return {cuenta.usuario: cuenta for cuenta in map(self._cargar, docs)}

    async def agregar(self, cuenta: Cuenta, *, eventos: Sequence[Evento]) -> None:
        """Insert a new account with its events; UsuarioDuplicado if the username is taken."""
        doc = _a_documento(cuenta)
        try:
            await outbox.guardar(self._coleccion, doc, topic=TOPIC, eventos=eventos, previo=None)
        except DuplicateKeyError as error:
            raise UsuarioDuplicado(cuenta.usuario) from error
        self._previos[cuenta] = outbox.adjuntar(doc, TOPIC, eventos)

    async def guardar(self, cuenta: Cuenta, *, eventos: Sequence[Evento] = ()) -> bool:
        """Write a loaded account and its new events at once; False on a version conflict."""
        previo = self._previos.get(cuenta)
        if previo is None:
            raise ValueError(f"La cuenta {cuenta.id} no se cargó con este repositorio")
        doc = _a_documento(cuenta)
        if not await outbox.guardar(
            self._coleccion, doc, topic=TOPIC, eventos=eventos, previo=previo
        ):
            return False
        cuenta.version = int(previo["version"]) + 1
        # What the store now holds, so a later save of this object keeps the pending events.
        guardado = {**doc, "version": cuenta.version, outbox.CAMPO: outbox.pendientes(previo)}
        self._previos[cuenta] = outbox.adjuntar(guardado, TOPIC, eventos)
        return True

    def _cargar(self, doc: Document) -> Cuenta:
        cuenta = _de_documento(doc)
        self._previos[cuenta] = doc
        return cuenta


def _a_documento(cuenta: Cuenta) -> Document:
    return {
        "_id": cuenta.id,
        "usuario": cuenta.usuario,
        "nombre": cuenta.nombre,
        "roles": sorted(rol.value for rol in cuenta.roles),
        "partido": cuenta.partido,
        "candidatura": cuenta.candidatura,
        "tipo": cuenta.tipo.value,
        "hash_clave": cuenta.hash_clave,
        "estado": cuenta.estado.value,
        "fallos": cuenta.fallos,
        "bloqueada_hasta": _iso(cuenta.bloqueada_hasta),
        "motivo_deshabilitada": cuenta.motivo_deshabilitada,
        "ultimo_acceso": _iso(cuenta.ultimo_acceso),
        "creada": _iso(cuenta.creada),
        "debe_cambiar_clave": cuenta.debe_cambiar_clave,
        "epoca_sesion": cuenta.epoca_sesion,
        "totp_cifrado": cuenta.totp_cifrado,
        "totp_pendiente": cuenta.totp_pendiente,
        "totp_ultimo_paso": cuenta.totp_ultimo_paso,
        "de_demostracion": cuenta.de_demostracion,
        "version": cuenta.version,
    }


def _de_documento(doc: Document) -> Cuenta:
    return Cuenta(
        id=doc["_id"],
        usuario=doc["usuario"],
        nombre=doc["nombre"],
        roles=frozenset(Rol(rol) for rol in doc.get("roles", [])),
        hash_clave=doc["hash_clave"],
        partido=doc.get("partido"),
        candidatura=doc.get("candidatura"),
        # Accounts stored before service clients existed are all people's.
        tipo=TipoCuenta(doc.get("tipo", TipoCuenta.PERSONA.value)),
        estado=EstadoCuenta(doc.get("estado", EstadoCuenta.ACTIVA.value)),
        fallos=int(doc.get("fallos", 0)),
        bloqueada_hasta=_fecha(doc.get("bloqueada_hasta")),
        motivo_deshabilitada=doc.get("motivo_deshabilitada"),
        ultimo_acceso=_fecha(doc.get("ultimo_acceso")),
        creada=_fecha(doc.get("creada")),
        # Accounts stored before the forced change chose their password already.
        debe_cambiar_clave=bool(doc.get("debe_cambiar_clave", False)),
        epoca_sesion=int(doc.get("epoca_sesion", 0)),
        totp_cifrado=doc.get("totp_cifrado"),
        totp_pendiente=doc.get("totp_pendiente"),
        totp_ultimo_paso=doc.get("totp_ultimo_paso"),
        de_demostracion=bool(doc.get("de_demostracion", False)),
        version=int(doc.get("version", 0)),
    )


def _iso(momento: datetime | None) -> str | None:
    return momento.isoformat() if momento is not None else None


def _fecha(texto: str | None) -> datetime | None:
    return datetime.fromisoformat(texto) if texto else None


class Hasher:
    """argon2id password hashes, computed off the event loop with bounded concurrency."""

    def __init__(self, hasher: PasswordHasher | None = None, *, concurrencia: int = 4) -> None:
        self._ph = hasher or PasswordHasher()
        # Each hash takes tens of MiB of memory: a login storm must not exhaust it.
        self._turnos = asyncio.Semaphore(concurrencia)
        self._hash_simulado: str | None = None

    async def hash(self, clave: str) -> str:
        """Hash a password."""
        async with self._turnos:
            return await asyncio.to_thread(self._ph.hash, clave)

    async def verificar(self, hash_clave: str, clave: str) -> bool:
        """Whether the password matches the hash (False also for a corrupt hash)."""
        if hash_clave == SIN_CLAVE:
            # Same time as a real check: accounts awaiting their package are not told apart.
            await self.simular(clave)
            return False
        async with self._turnos:
            return await asyncio.to_thread(self._verificar, hash_clave, clave)

    async def preparar(self) -> None:
        """Compute the decoy hash now, so the first unknown user is not slower than the rest."""
        if self._hash_simulado is None:
            self._hash_simulado = await self.hash(secrets.token_urlsafe(16))

    async def simular(self, clave: str) -> None:
        """Spend the same time as a real check, so unknown users are not told apart by timing."""
        await self.preparar()
        assert self._hash_simulado is not None
        await self.verificar(self._hash_simulado, clave)

    def necesita_rehash(self, hash_clave: str) -> bool:
        """Whether the hash used weaker parameters than the current ones."""
        try:
            return self._ph.check_needs_rehash(hash_clave)
        except InvalidHashError:
            return True

    def _verificar(self, hash_clave: str, clave: str) -> bool:
        try:
            return self._ph.verify(hash_clave, clave)
        except (VerificationError, InvalidHashError):
            return False


class ClaveIlegible(Exception):
    """The signing key file cannot be decrypted with the configured secret."""


class ClaveFirma:
    """The RS256 key pair that signs this provider's tokens; kid = RFC 7638 thumbprint."""

    def __init__(self, privada: rsa.RSAPrivateKey) -> None:
        self._privada = privada
        numeros = privada.public_key().public_numbers()
        self._publica = {"e": _b64_entero(numeros.e), "kty": "RSA", "n": _b64_entero(numeros.n)}
        self.kid = _huella_rfc7638(self._publica)

    @classmethod
    def generar(cls) -> "ClaveFirma":
        """A fresh 2048-bit key pair."""
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def cargar_o_crear(cls, ruta: Path, *, secreto: bytes) -> "ClaveFirma":
        """Load the PEM key at ruta, or generate it and save it there, 0600 and encrypted."""
        if not ruta.exists():
            nueva = cls.generar()
            pem = nueva._privada.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(secreto),
            )
            if escribir_privado(ruta, pem):
                return nueva
        # Someone else (another process) may have written it first: theirs wins.
        _restringir_permisos(ruta)
        try:
            privada = serialization.load_pem_private_key(ruta.read_bytes(), password=secreto)
        except (ValueError, TypeError) as exc:
            raise ClaveIlegible(
                f"La clave de firma {ruta} no se pudo descifrar con CONOCELES_CLAVE_SECRETA; "
                "use el mismo secreto con el que se creó o borre el archivo para generar una "
                "nueva (las sesiones abiertas tendrán que iniciarse otra vez)."
            ) from exc
        if not isinstance(privada, rsa.RSAPrivateKey):
            raise ValueError(f"{ruta} no contiene una clave RSA")
        return cls(privada)

    def jwk(self) -> dict[str, str]:
        """The public key as a JWK."""
        return {**self._publica, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def firmar(self, claims: dict[str, Any]) -> str:
        """Sign claims as an RS256 JWT with this kid."""
        return jwt.encode(
            claims, self._privada, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"}
        )


def _b64_entero(numero: int) -> str:
    crudo = numero.to_bytes((numero.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(crudo).rstrip(b"=").decode("ascii")


def _huella_rfc7638(publica: dict[str, str]) -> str:
    """SHA-256 of the required members in lexicographic order, no spaces (RFC 7638 §3)."""
    canonico = json.dumps(
        {k: publica[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True
    )
    resumen = hashlib.sha256(canonico.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(resumen).rstrip(b"=").decode("ascii")


class LlaveroLocal:
    """The provider's signing key, loaded on first use; also the in-process JwksSource."""

    def __init__(self, ruta: Path, *, secreto: SecretStr) -> None:
        self.ruta = ruta
        self._secreto = secreto
        self._clave: ClaveFirma | None = None
        self._lock = threading.Lock()

    def clave(self) -> ClaveFirma:
        """The signing key (loaded or created once)."""
        with self._lock:
            clave = self._clave
            if clave is None:
                clave = self._clave = ClaveFirma.cargar_o_crear(
                    self.ruta, secreto=self._secreto.get_secret_value().encode()
                )
            return clave

    async def cargar(self) -> ClaveFirma:
        """Load or create the key without blocking the event loop."""
        if self._clave is not None:
            return self._clave
        return await asyncio.to_thread(self.clave)

    async def obtener(self, *, forzar: bool = False) -> Jwks:
        """The public key set (JwksSource)."""
        return {"keys": [(await self.cargar()).jwk()]}


def escribir_privado(ruta: Path, contenido: bytes) -> bool:
    """Create ruta with 0600 permissions, atomically; False (untouched) if it already exists."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    temporal = ruta.with_name(f".{ruta.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as archivo:
            archivo.write(contenido)
            archivo.flush()
            os.fsync(archivo.fileno())
        try:
            # link() never replaces an existing file, unlike rename().
            os.link(temporal, ruta)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporal.unlink()


def _restringir_permisos(ruta: Path) -> None:
    if ruta.stat().st_mode & 0o077:
        ruta.chmod(0o600)


ALFABETO_CLAVE = "abcdefghjkmnpqrstuvwxyz23456789"


def generar_clave() -> str:
    """A random password that is easy to read aloud: xxxx-xxxx-xxxx (about 59 bits)."""
    grupos = ("".join(secrets.choice(ALFABETO_CLAVE) for _ in range(4)) for _ in range(3))
    return "-".join(grupos)


def generar_secreto_cliente() -> str:
    """A service client's secret: 256 random bits, URL-safe (no «+», «/» or «=» to escape)."""
    return secrets.token_urlsafe(32)


def clave_demo(*, configurada: SecretStr | None, directorio: Path) -> str:
    """CONOCELES_DEMO_CLAVE, else the password generated once in `<directorio>/demo-clave.txt`."""
    if configurada is not None and configurada.get_secret_value():
        return configurada.get_secret_value()
    ruta = directorio / "demo-clave.txt"
    if not ruta.exists():
        escribir_privado(ruta, (generar_clave() + "\n").encode("utf-8"))
    _restringir_permisos(ruta)
    return ruta.read_text(encoding="utf-8").strip()


def leer_eleccion_demo(ruta: Path) -> dict[str, Any]:
    """The demo election JSON (partidos and candidatura_demo)."""
    try:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RuntimeError(
            f"No se pudo leer la elección de demostración en {ruta}: {error}. "
            "Fije CONOCELES_IDENTIDAD_ELECCION_DEMO con la ruta correcta."
        ) from error
    if not isinstance(datos, dict):
        raise RuntimeError(f"La elección de demostración en {ruta} no es un objeto JSON.")
    return datos


@dataclass
class Componentes:
    """What the routes of this service need, built by `main.modulo`."""

    settings: Settings
    llavero: LlaveroLocal
    hasher: Hasher
    recursos: Recursos | None = None
    repo: CuentaRepository | None = None
    credenciales_demo: list[Any] = field(default_factory=list)
    limite: LimiteIntentos | None = None

    def limite_intentos(self) -> LimiteIntentos:
        """The per-address limit of failed sign-ins (one per process)."""
        if self.limite is None:
            self.limite = LimiteIntentos(
                maximo=self.settings.fallos_por_direccion,
                ventana_s=self.settings.ventana_fallos_s,
            )
        return self.limite

    def plataforma(self) -> PlatformSettings:
        """The process's platform settings (those given at start-up win over the service's)."""
        return self.recursos.plataforma if self.recursos is not None else self.settings.plataforma

    def directorio(self) -> Path:
        """Where this service keeps its files (signing key, demo password)."""
        return self.plataforma().datos / "identidad"

    def repositorio(self) -> CuentaRepository:
        """The account repository; 503 while the service is still starting."""
        if self.repo is None:
            raise Problema(
                503,
                "Servicio de identidad no disponible",
                "El servicio de identidad está iniciando; intente de nuevo en unos segundos.",
            )
        return self.repo

    def avisar_relay(self) -> None:
        """Tell the outbox relay there are new events to publish."""
        if self.recursos is not None:
            self.recursos.avisar_relay()


class ProveedorLocal:
    """The embedded accounts behind the `ProveedorIdentidad` port (same contract as Keycloak).

    Like Keycloak it records no events: identidad's account management does, in both modes.
    """

    def __init__(self, componentes: Componentes) -> None:
        self._componentes = componentes

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
        """Create the account with a generated temporary password and return it."""
        clave = generar_clave()
        await self._crear(
            usuario=usuario,
            nombre=nombre,
            apellidos=apellidos,
            correo=correo,
            roles=roles,
            partido=partido,
            candidatura=candidatura,
            hash_clave=await self._componentes.hasher.hash(clave),
        )
        return clave

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
        """Create the account with no password (no argon2 work: none can match)."""
        await self._crear(
            usuario=usuario,
            nombre=nombre,
            apellidos=apellidos,
            correo=correo,
            roles=roles,
            partido=partido,
            candidatura=candidatura,
            hash_clave=SIN_CLAVE,
        )

    async def _crear(
        self,
        *,
        usuario: str,
        nombre: str,
        apellidos: str,
        correo: str,
        roles: Iterable[Rol],
        partido: str | None,
        candidatura: str | None,
        hash_clave: str,
    ) -> None:
        conjunto = frozenset(roles)
        comprobar_alta(
            usuario=usuario,
            nombre=nombre,
            apellidos=apellidos,
            correo=correo,
            roles=conjunto,
            partido=partido,
            candidatura=candidatura,
        )
        try:
            cuenta = Cuenta.crear(
                id=str(uuid7()),
                usuario=usuario,
                nombre=f"{nombre.strip()} {apellidos.strip()}",
                roles=conjunto,
                hash_clave=hash_clave,
                ahora=datetime.now(UTC),
                partido=partido,
                candidatura=candidatura,
            )
            cuenta.sacar_eventos()
            await self._componentes.repositorio().agregar(cuenta, eventos=())
        except ErrorIdentidad as error:
            raise _problema(error) from error

    async def deshabilitar(self, *, usuario: str, motivo: str = MOTIVO_PREDETERMINADO) -> None:
        """Disable the account (no-op if it already is); its sessions end."""

        def cambiar(cuenta: Cuenta) -> bool:
            if cuenta.estado is EstadoCuenta.DESHABILITADA:
                return False
            cuenta.deshabilitar(motivo)
            return True

        await self._modificar(usuario, cambiar)

    async def habilitar(self, *, usuario: str) -> None:
        """Enable the account again (no-op if it already is)."""

        def cambiar(cuenta: Cuenta) -> bool:
            if cuenta.estado is EstadoCuenta.ACTIVA:
                return False
            cuenta.habilitar()
            return True

        await self._modificar(usuario, cambiar)

    async def restablecer_clave(self, *, usuario: str) -> str:
        """Give the account a new temporary password (to change at sign-in) and return it."""
        clave = generar_clave()
        hash_clave = await self._componentes.hasher.hash(clave)

        def cambiar(cuenta: Cuenta) -> bool:
            if cuenta.tipo is TipoCuenta.SERVICIO:
                # A short readable password would weaken a system's secret and reveal it here.
                raise DatosNoValidos(
                    f"«{cuenta.usuario}» es un cliente de servicio: su secreto se renueva con "
                    "`python -m identidad.cli renovar-secreto`, no con una contraseña."
                )
            cuenta.restablecer_clave(hash_clave)
            return True

        await self._modificar(usuario, cambiar)
        return clave

    async def cerrar_sesiones(self, *, usuario: str) -> None:
        """Raise the account's session epoch: tokens issued before no longer count."""

        def cambiar(cuenta: Cuenta) -> bool:
            cuenta.cerrar_sesiones()
            return True

        await self._modificar(usuario, cambiar)

    async def listar(self, *, rol: Rol) -> list[DatosCuenta]:
        """Every person's account holding this role."""
        cuentas = await self._componentes.repositorio().por_rol(rol)
        return [_datos_cuenta(cuenta) for cuenta in cuentas if cuenta.tipo is TipoCuenta.PERSONA]

    async def cuenta(self, *, usuario: str) -> DatosCuenta | None:
        """The account's data (the embedded provider keeps one name field and no e-mail)."""
        cuenta = await self._componentes.repositorio().por_usuario(usuario)
        return _datos_cuenta(cuenta) if cuenta is not None else None

    async def _modificar(self, usuario: str, cambiar: Callable[[Cuenta], bool]) -> None:
        """Load, change and save the account, retrying on concurrent writes; 404 if unknown."""
        repo = self._componentes.repositorio()
        for _ in range(REINTENTOS_MODIFICAR):
            cuenta = await repo.por_usuario(usuario)
            if cuenta is None:
                raise CuentaInexistente(usuario)
            try:
                if not cambiar(cuenta):
                    return
            except ErrorIdentidad as error:
                raise _problema(error) from error
            cuenta.sacar_eventos()
            if await repo.guardar(cuenta):
                return
        raise Problema(
            409,
            "Solicitud en conflicto",
            "La cuenta está recibiendo muchas solicitudes; intente de nuevo.",
        )


def _datos_cuenta(cuenta: Cuenta) -> DatosCuenta:
    """The port's view of an embedded account."""
    return DatosCuenta(
        id=cuenta.id,
        usuario=cuenta.usuario,
        nombre=cuenta.nombre,
        apellidos="",
        roles=cuenta.roles,
        habilitada=cuenta.estado is EstadoCuenta.ACTIVA,
        partido=cuenta.partido,
        candidatura=cuenta.candidatura,
    )


def _problema(error: ErrorIdentidad) -> Problema:
    """The port's problem for a domain error of the embedded provider."""
    if isinstance(error, UsuarioDuplicado):
        return UsuarioYaRegistrado(str(error))
    if isinstance(error, DatosCuentaInvalidos):
        return DatosNoValidos(str(error))
    return Problema(409, "Solicitud en conflicto", str(error))
