"""Account management: readable usernames, supervisor designations and delivery packages."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from comun.roles import Rol
from identidad.domain import PATRON_USUARIO, DatosCuentaInvalidos, ErrorIdentidad

PREFIJO_CANDIDATURA = "cand."
LONGITUD_USUARIO = 64
ROLES_INSTITUCIONALES = frozenset({Rol.ADMINISTRADOR, Rol.VERIFICADOR, Rol.SOPORTE})
PATRON_CORREO = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
LONGITUD_TEXTO = 120
# A clock a little ahead of the server's must not make a delivery "in the future".
TOLERANCIA_RELOJ = timedelta(minutes=5)


class Conflicto(ErrorIdentidad):
    """The action clashes with the current state (HTTP 409)."""


class CuentaDesconocida(ErrorIdentidad):
    """No managed account with this username (HTTP 404)."""

    def __init__(self, usuario: str) -> None:
        super().__init__(f"No existe ninguna cuenta con el usuario «{usuario[:70]}».")
        self.usuario = usuario


class PaqueteDesconocido(ErrorIdentidad):
    """No delivery package with this folio (HTTP 404)."""

    def __init__(self, folio: str) -> None:
        super().__init__(f"No existe ningún paquete de entrega con el folio «{folio[:80]}».")


class ParticipanteDesconocido(DatosCuentaInvalidos):
    """The party or independent is not in the election's catalog (HTTP 422)."""

    def __init__(self, clave: str) -> None:
        super().__init__(
            f"«{clave[:40]}» no es un partido ni una candidatura independiente del catálogo de "
            "la elección; revise las siglas o cargue primero la elección en Captura."
        )
        self.clave = clave


class TipoParticipante(StrEnum):
    """Who receives a package of accounts: a party or an independent candidacy (slate)."""

    PARTIDO = "partido"
    INDEPENDIENTE = "independiente"


class OrigenCuenta(StrEnum):
    """Why an account exists."""

    CAPTURA = "captura"  # generic capture account of a party
    SUPERVISION = "supervision"  # from a party's designation record (PTO 24)
    CANDIDATURA = "candidatura"  # individual account of one candidacy
    INSTITUCIONAL = "institucional"  # verificador, soporte, administrador
    EXISTENTE = "existente"  # found in the identity provider (demo seed, console, CLI)


class MotivoClave(StrEnum):
    """Why an account got a temporary password (the `motivo` of clave_restablecida)."""

    ENTREGA = "entrega"  # first delivery package
    REENTREGA = "reentrega"
    RESTABLECIMIENTO = "restablecimiento"
    EXTRAVIO = "extravio"


class EstadoPaquete(StrEnum):
    """A package is generated, then delivered; a newer one for its accounts replaces it."""

    GENERADO = "generado"
    ENTREGADO = "entregado"
    REEMPLAZADO = "reemplazado"


@dataclass(frozen=True)
class Participante:
    """A party or independent of the election catalog (learned from eleccion_cargada)."""

    clave: str
    nombre: str
    tipo: TipoParticipante


def sin_acentos(texto: str) -> str:
    """The text without diacritics (Peña → Pena)."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def siglas_para_usuario(siglas: str) -> str:
    """A party's acronym as it appears in usernames: lowercase letters and digits only."""
    limpio = re.sub(r"[^a-z0-9]", "", sin_acentos(siglas).lower())
    if not limpio:
        raise DatosCuentaInvalidos(
            f"Las siglas «{siglas[:40]}» no tienen letras ni dígitos para formar un usuario."
        )
    return limpio


def usuario_captura(siglas: str, numero: int) -> str:
    """`pan.captura.03`: the n-th generic capture account of a party."""
    return f"{siglas_para_usuario(siglas)}.captura.{numero:02d}"


def usuario_supervision(siglas: str, numero: int) -> str:
    """`pan.supervision.01`: the n-th supervisor designated by a party."""
    return f"{siglas_para_usuario(siglas)}.supervision.{numero:02d}"


def usuario_candidatura(candidatura_id: str, *, con_huella: bool = False) -> str:
    """`cand.dl-mr-06-pan-p`: the candidacy's id, lowercase; a hash suffix if that is lossy."""
    bajo = sin_acentos(candidatura_id).lower()
    texto = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9.-]+", "-", bajo)).strip(".-")
    disponible = LONGITUD_USUARIO - len(PREFIJO_CANDIDATURA)
    if con_huella or texto != candidatura_id.lower() or len(texto) > disponible or not texto:
        # Two ids that read alike (accents, symbols, truncation) must not share a username.
        huella = hashlib.sha256(candidatura_id.encode("utf-8")).hexdigest()[:6]
        texto = f"{texto[: disponible - 7].rstrip('.-')}-{huella}".lstrip("-")
    return PREFIJO_CANDIDATURA + texto


def usuario_de_correo(correo: str) -> str:
    """A staff username from the e-mail's local part (`ana.perez@ieem.org.mx` → `ana.perez`)."""
    local = sin_acentos(correo.strip().split("@", 1)[0]).lower()
    usuario = re.sub(r"[^a-z0-9._-]", "", local).strip("._-")[:LONGITUD_USUARIO]
    if len(usuario) < 3 or not PATRON_USUARIO.fullmatch(usuario):
        raise DatosCuentaInvalidos(
            f"No se pudo formar un usuario a partir del correo «{correo[:100]}»; escriba el "
            "usuario (de 3 a 64 letras minúsculas sin acentos, dígitos, punto o guion)."
        )
    return usuario


def numeros_usados(usuarios: Iterable[str], prefijo: str) -> list[int]:
    """The numbers NN of the usernames `<prefijo>NN` already taken, in order."""
    patron = re.compile(re.escape(prefijo) + r"(\d{2,})")
    encontrados = (patron.fullmatch(usuario) for usuario in usuarios)
    return sorted(int(m.group(1)) for m in encontrados if m)


def separar_nombre(nombre: str) -> tuple[str, str]:
    """A full name split for the provider: first word(s) as given name, the rest as surnames."""
    partes = nombre.split()
    if len(partes) < 2:
        return (nombre.strip() or "Sin nombre", "(sin apellidos)")
    if len(partes) == 2:
        return partes[0], partes[1]
    # Spanish names usually end in two surnames.
    return " ".join(partes[:-2]), " ".join(partes[-2:])


def comprobar_correo(correo: str) -> str:
    """The e-mail, trimmed and lowercase; DatosCuentaInvalidos if it is not one."""
    limpio = correo.strip().lower()
    if not PATRON_CORREO.fullmatch(limpio):
        raise DatosCuentaInvalidos(
            f"El correo «{correo[:100]}» no es válido; escríbalo como nombre@dominio.mx."
        )
    return limpio


def comprobar_telefono(telefono: str) -> str:
    """Ten digits (spaces, dashes and parentheses ignored)."""
    digitos = re.sub(r"[\s()\-.]", "", telefono)
    if digitos.startswith("+52"):
        digitos = digitos[3:]
    if not digitos.isdigit() or len(digitos) != 10:
        cuenta = sum(c.isdigit() for c in digitos)
        raise DatosCuentaInvalidos(f"El teléfono debe tener 10 dígitos; recibimos {cuenta}.")
    return digitos


def _texto(valor: str, campo: str) -> str:
    limpio = " ".join(valor.split())
    if not limpio:
        raise DatosCuentaInvalidos(f"Escriba {campo}.")
    if len(limpio) > LONGITUD_TEXTO:
        raise DatosCuentaInvalidos(
            f"{campo[0].upper()}{campo[1:]} admite hasta {LONGITUD_TEXTO} caracteres; "
            f"tiene {len(limpio)}."
        )
    return limpio


@dataclass(frozen=True)
class Designacion:
    """A party's designation of a supervisor (PTO 24): who, how to reach them, which letter."""

    id: str
    partido: str
    nombre: str
    apellidos: str
    correo: str
    telefono: str
    oficio: str
    fecha_oficio: date
    usuario: str
    registrada: datetime
    registrada_por: str

    @property
    def nombre_completo(self) -> str:
        """Given name and surnames."""
        return f"{self.nombre} {self.apellidos}"

    @classmethod
    def registrar(
        cls,
        *,
        id: str,
        partido: str,
        nombre: str,
        apellidos: str,
        correo: str,
        telefono: str,
        oficio: str,
        fecha_oficio: date,
        usuario: str,
        ahora: datetime,
        registrada_por: str,
    ) -> "Designacion":
        """Check the record's data (every field is required) and build it."""
        if fecha_oficio > ahora.date():
            raise DatosCuentaInvalidos(
                f"La fecha del oficio ({fecha_oficio:%d/%m/%Y}) es posterior a hoy; revísela."
            )
        return cls(
            id=id,
            partido=partido,
            nombre=_texto(nombre, "el nombre de la persona designada"),
            apellidos=_texto(apellidos, "los apellidos de la persona designada"),
            correo=comprobar_correo(correo),
            telefono=comprobar_telefono(telefono),
            oficio=_texto(oficio, "la referencia del oficio de designación"),
            fecha_oficio=fecha_oficio,
            usuario=usuario,
            registrada=ahora,
            registrada_por=registrada_por,
        )


@dataclass(eq=False)
class Ficha:
    """The management record of one account: origin, scope, contact, state and last package."""

    usuario: str
    cuenta_id: str
    nombre: str
    rol: Rol
    origen: OrigenCuenta
    creada: datetime
    partido: str | None = None
    candidatura: str | None = None
    participante: str | None = None
    nombre_postulante: str | None = None
    correo: str | None = None
    telefono: str | None = None
    habilitada: bool = True
    motivo_deshabilitada: str | None = None
    paquete: str | None = None
    version: int = 0

    def deshabilitar(self, motivo: str) -> None:
        """Record that the account can no longer sign in, and why."""
        motivo = " ".join(motivo.split())
        if not motivo:
            raise DatosCuentaInvalidos("Indique el motivo para deshabilitar la cuenta.")
        if not self.habilitada:
            raise Conflicto(f"La cuenta «{self.usuario}» ya está deshabilitada.")
        self.habilitada = False
        self.motivo_deshabilitada = motivo[:500]

    def habilitar(self) -> None:
        """Record that the account may sign in again."""
        if self.habilitada:
            raise Conflicto(f"La cuenta «{self.usuario}» ya está habilitada.")
        self.habilitada = True
        self.motivo_deshabilitada = None

    def comprobar_restablecible(self) -> None:
        """A reset gives a password to someone: never to a disabled account."""
        if not self.habilitada:
            raise Conflicto(
                f"La cuenta «{self.usuario}» está deshabilitada: habilítela antes de restablecer "
                "su contraseña o, si se extravió, use «Reportar extravío»."
            )


@dataclass(frozen=True)
class CuentaPaquete:
    """One account in a delivery package (never its password: that lives only in the files)."""

    usuario: str
    nombre: str
    rol: Rol
    cuenta_id: str
    motivo: MotivoClave
    partido: str | None = None
    candidatura: str | None = None


def motivo_de(ficha: Ficha, motivo: MotivoClave) -> MotivoClave:
    """An account's first package is its delivery; later ones carry the package's reason."""
    return MotivoClave.ENTREGA if ficha.paquete is None else motivo


@dataclass(eq=False)
class Paquete:
    """A delivery package (PTO 10): accounts handed over together with one signed receipt."""

    folio: str
    destinatario: str
    cuentas: tuple[CuentaPaquete, ...]
    motivo: MotivoClave
    generado: datetime
    generado_por: str
    participante: str | None = None
    estado: EstadoPaquete = EstadoPaquete.GENERADO
    entregado: datetime | None = None
    recibio: str | None = None
    entrego: str | None = None
    reemplazado_por: str | None = None
    version: int = 0
    usuarios: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.usuarios = frozenset(c.usuario for c in self.cuentas)

    @classmethod
    def generar(
        cls,
        *,
        clave: str,
        destinatario: str,
        cuentas: Iterable[CuentaPaquete],
        motivo: MotivoClave,
        ahora: datetime,
        generado_por: str,
        participante: str | None = None,
    ) -> "Paquete":
        """A new package; its folio reads `<clave>-<fecha>-<hora>-<milisegundos>`."""
        lista = tuple(sorted(cuentas, key=_orden_cuenta))
        if not lista:
            raise Conflicto(
                f"No hay cuentas pendientes de entregar para {destinatario}: todas se entregaron "
                "ya. Para entregarlas de nuevo elija «Reemitir» (sus contraseñas se restablecen)."
            )
        # Milliseconds: two packages of one party generated in the same second stay distinct.
        folio = f"{clave.lower()}-{ahora:%Y%m%d-%H%M%S}-{ahora.microsecond // 1000:03d}"
        return cls(
            folio=folio,
            destinatario=destinatario,
            cuentas=lista,
            motivo=motivo,
            generado=ahora,
            generado_por=generado_por,
            participante=participante,
        )

    def registrar_entrega(
        self, *, recibio: str, entrego: str, momento: datetime, ahora: datetime
    ) -> None:
        """Record who received the package and when; only once, and only the current one."""
        if self.estado is EstadoPaquete.ENTREGADO:
            assert self.entregado is not None
            raise Conflicto(
                f"El paquete {self.folio} ya se entregó el {self.entregado:%d/%m/%Y} a "
                f"{self.recibio}. Para entregar otra vez esas cuentas genere un paquete nuevo "
                "(«Reemitir»): sus contraseñas se restablecen."
            )
        if self.estado is EstadoPaquete.REEMPLAZADO:
            raise Conflicto(
                f"El paquete {self.folio} fue reemplazado por el {self.reemplazado_por}: sus "
                "contraseñas ya no sirven. Entregue el paquete más reciente."
            )
        if momento > ahora + TOLERANCIA_RELOJ:
            raise DatosCuentaInvalidos("La fecha y hora de la entrega no pueden ser futuras.")
        if momento < self.generado - TOLERANCIA_RELOJ:
            raise DatosCuentaInvalidos(
                "La fecha y hora de la entrega son anteriores a la generación del paquete; "
                "revíselas."
            )
        self.recibio = _texto(recibio, "el nombre de quien recibe")
        self.entrego = entrego
        self.entregado = momento
        self.estado = EstadoPaquete.ENTREGADO

    def reemplazar(self, *, por: str) -> bool:
        """A newer package reset these passwords: an undelivered one can no longer be delivered."""
        if self.estado is not EstadoPaquete.GENERADO:
            return False
        self.estado = EstadoPaquete.REEMPLAZADO
        self.reemplazado_por = por
        return True


ORDEN_ROLES = (
    Rol.SUPERVISOR,
    Rol.PARTIDO,
    Rol.CANDIDATURA,
    Rol.ADMINISTRADOR,
    Rol.VERIFICADOR,
    Rol.SOPORTE,
)


def _orden_cuenta(cuenta: CuentaPaquete) -> tuple[int, str]:
    """Supervisors first, then capture accounts, then candidacies; by username."""
    rango = ORDEN_ROLES.index(cuenta.rol) if cuenta.rol in ORDEN_ROLES else len(ORDEN_ROLES)
    return rango, cuenta.usuario


def pendiente(ficha: Ficha, estado_paquete: EstadoPaquete | None) -> bool:
    """An active account whose latest package was not delivered (or that never had one)."""
    return ficha.habilitada and estado_paquete is not EstadoPaquete.ENTREGADO


def participante_de_candidatura(
    *,
    partido: str | None,
    nombre_postulante: str | None,
    independientes: Iterable[Participante],
) -> str | None:
    """The package a candidacy's account goes in: its party, or its independent's key."""
    if partido:
        return partido
    if not nombre_postulante:
        return None
    buscado = _comparable(nombre_postulante)
    for independiente in independientes:
        if _comparable(independiente.nombre) == buscado:
            return independiente.clave
    return None


def _comparable(nombre: str) -> str:
    return " ".join(sin_acentos(nombre).lower().split())
