"""Notices (avisos) about a candidacy and their e-mail copies: plain Python, no frameworks."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from comun.eventos.vocabulario import CampoCurricular, MotivoContenido, etiqueta
from comun.roles import Rol
from validacion.domain import verificacion

MAX_ASUNTO = 200
MAX_MENSAJE = 4000
MAX_INTENTOS = 10
ESPERA_INICIAL = timedelta(minutes=1)
ESPERA_MAXIMA = timedelta(hours=1)

# DOMINIO §5, in the official order 1–7.
ETIQUETAS_MOTIVO: dict[MotivoContenido, str] = {
    MotivoContenido.COPIA_PROPUESTAS: "Copia íntegra de propuestas de otras candidaturas",
    MotivoContenido.OFENSIVO_PARTIDOS: (
        "Contenido ofensivo o discriminatorio hacia partidos o candidaturas"
    ),
    MotivoContenido.LENGUAJE_DISCRIMINATORIO: "Lenguaje sexista, ofensivo o discriminatorio",
    MotivoContenido.OTRA_CANDIDATURA: "Información o imágenes de otra candidatura",
    MotivoContenido.ALUSION_OTRO_PARTIDO: "Alusiones a otro partido o candidatura",
    MotivoContenido.RESTRINGIDO_LEGISLACION: "Contenido restringido por la legislación electoral",
    MotivoContenido.PROPAGANDA: "Lemas o imágenes de campaña, llamados al voto",
}


class AvisoInvalido(ValueError):
    """A notice that cannot be issued as written (422)."""


@dataclass(frozen=True, slots=True)
class Destinatario:
    """Who receives a notice: a party's supervisors, or one candidacy's own account."""

    rol: Rol
    partido: str | None = None
    candidatura_id: str | None = None

    @property
    def descripcion(self) -> str:
        """Spanish description for people to read."""
        if self.rol is Rol.SUPERVISOR:
            return f"Supervisión de {self.partido}"
        return f"Cuenta de la candidatura {self.candidatura_id}"

    def incluye(
        self, *, roles: Iterable[Rol], partido: str | None, candidatura: str | None
    ) -> bool:
        """Whether an account with these roles and scope is one of the recipients."""
        propios = set(roles)
        if self.rol is Rol.SUPERVISOR:
            return Rol.SUPERVISOR in propios and partido is not None and partido == self.partido
        return (
            Rol.CANDIDATURA in propios
            and candidatura is not None
            and candidatura == self.candidatura_id
        )


def destinatario_de(*, candidatura_id: str, partido: str | None) -> Destinatario:
    """Party candidacy → the party's supervisors; independent (no party) → its own account."""
    if partido:
        return Destinatario(Rol.SUPERVISOR, partido=partido)
    return Destinatario(Rol.CANDIDATURA, candidatura_id=candidatura_id)


def etiqueta_motivo(motivo: MotivoContenido | None) -> str | None:
    """Spanish label of a reason code (DOMINIO §5)."""
    return None if motivo is None else ETIQUETAS_MOTIVO[motivo]


@dataclass(eq=False)
class Aviso:
    """A notice about a candidacy's content, read per account."""

    id: str
    candidatura_id: str
    destinatario: Destinatario
    asunto: str
    mensaje: str
    creado_en: datetime
    creado_por: str
    motivo: MotivoContenido | None = None
    campos: tuple[CampoCurricular, ...] = ()
    leido_por: dict[str, datetime] = field(default_factory=dict)
    version: int = 0

    @classmethod
    def emitir(
        cls,
        *,
        id: str,
        candidatura_id: str,
        partido: str | None,
        mensaje: str,
        creado_por: str,
        ahora: datetime,
        motivo: MotivoContenido | None = None,
        campos: Iterable[CampoCurricular] = (),
        asunto: str | None = None,
    ) -> "Aviso":
        """Check the text and address the notice to whoever answers for the candidacy."""
        mensaje = mensaje.strip()
        if not mensaje:
            raise AvisoInvalido("Escriba el mensaje del aviso: qué debe corregirse y por qué.")
        if len(mensaje) > MAX_MENSAJE:
            raise AvisoInvalido(
                f"El mensaje admite hasta {MAX_MENSAJE} caracteres; tiene {len(mensaje)}."
            )
        asunto = " ".join((asunto or "").split()) or asunto_por_defecto(candidatura_id, motivo)
        if len(asunto) > MAX_ASUNTO:
            raise AvisoInvalido(
                f"El asunto admite hasta {MAX_ASUNTO} caracteres; tiene {len(asunto)}."
            )
        return cls(
            id=id,
            candidatura_id=candidatura_id,
            destinatario=destinatario_de(candidatura_id=candidatura_id, partido=partido),
            asunto=asunto,
            mensaje=mensaje,
            creado_en=ahora,
            creado_por=creado_por,
            motivo=motivo,
            campos=tuple(dict.fromkeys(campos)),
        )

    def leido(self, usuario: str) -> bool:
        """Whether this account has read the notice."""
        return usuario in self.leido_por

    def marcar_leido(self, usuario: str, ahora: datetime) -> bool:
        """Record that the account read it; False (nothing changes) if it already had."""
        if usuario in self.leido_por:
            return False
        self.leido_por[usuario] = ahora
        return True

    @property
    def etiqueta_motivo(self) -> str | None:
        """Spanish label of the reason code, if any."""
        return etiqueta_motivo(self.motivo)

    @property
    def etiquetas_campos(self) -> list[str]:
        """Spanish labels of the fields the notice is about."""
        return [etiqueta(c) for c in self.campos]


def asunto_por_defecto(candidatura_id: str, motivo: MotivoContenido | None) -> str:
    """Subject line when the verifier writes none."""
    if motivo is None:
        return f"Aviso sobre la candidatura {candidatura_id}"
    return f"Aviso sobre la candidatura {candidatura_id}: {ETIQUETAS_MOTIVO[motivo]}"


@dataclass(frozen=True, slots=True)
class TextoAviso:
    """Subject and message of a notice the system writes."""

    asunto: str
    mensaje: str


def _que(campos: tuple[CampoCurricular, ...]) -> str:
    """How a takedown's target reads in a notice: no fields means the whole profile."""
    if not campos:
        return "el perfil completo"
    nombres = ", ".join(f"«{etiqueta(c)}»" for c in campos)
    return f"el campo {nombres}" if len(campos) == 1 else f"los campos {nombres}"


def aviso_de_deshabilitacion(
    *,
    nombre: str,
    candidatura_id: str,
    campos: tuple[CampoCurricular, ...],
    motivo: MotivoContenido,
    observacion: str,
) -> TextoAviso:
    """The notice of a verifier's takedown, with the reason and the verifier's note."""
    verbo = "deshabilitaron" if len(campos) > 1 else "deshabilitó"
    return TextoAviso(
        asunto=f"Contenido deshabilitado: {nombre}",
        mensaje=(
            f"Se {verbo} {_que(campos)} de la candidatura {nombre} ({candidatura_id}); "
            "ya no se muestra al público.\n"
            f"Motivo: {verificacion.ETIQUETAS_MOTIVO[motivo]}.\n"
            f"Observación de la persona verificadora: {observacion}"
        ),
    )


def aviso_de_habilitacion(
    *, nombre: str, candidatura_id: str, campos: tuple[CampoCurricular, ...]
) -> TextoAviso:
    """The notice that disabled content is shown again."""
    que = _que(campos)
    verbo = "vuelven" if len(campos) > 1 else "vuelve"
    return TextoAviso(
        asunto=f"Contenido visible de nuevo: {nombre}",
        mensaje=(
            f"{que[0].upper()}{que[1:]} de la candidatura {nombre} ({candidatura_id}) "
            f"{verbo} a mostrarse al público."
        ),
    )


def aviso_de_solicitud_aplicada(*, nombre: str, solicitud_id: str) -> TextoAviso:
    """The notice that the candidacy's change request was applied."""
    return TextoAviso(
        asunto=f"Solicitud de cambio aplicada: {nombre}",
        mensaje=(
            f"Se aplicó la solicitud de cambio {solicitud_id} de {nombre}: el perfil público "
            "ya muestra los nuevos textos y los anteriores quedan en el registro público de "
            "cambios (un campo deshabilitado por la verificación sigue oculto hasta que se "
            "vuelva a habilitar). Esta candidatura ya usó su única solicitud de cambio."
        ),
    )


def aviso_de_solicitud_rechazada(*, nombre: str, solicitud_id: str, motivo: str) -> TextoAviso:
    """The notice that the candidacy's change request was rejected, with the reason."""
    return TextoAviso(
        asunto=f"Solicitud de cambio rechazada: {nombre}",
        mensaje=(
            f"Se rechazó la solicitud de cambio {solicitud_id} de {nombre}. Motivo: "
            f"{motivo} El perfil público no cambia."
        ),
    )


def ordenar_bandeja(avisos: Iterable[Aviso], usuario: str) -> list[Aviso]:
    """Unread first, newest first within each group."""
    recientes = sorted(avisos, key=lambda a: (a.creado_en, a.id), reverse=True)
    return sorted(recientes, key=lambda a: a.leido(usuario))


@dataclass(frozen=True, slots=True)
class MensajeCorreo:
    """An e-mail message as the SMTP port sends it."""

    id: str
    para: tuple[str, ...]
    asunto: str
    cuerpo: str


def correo_de_aviso(aviso: Aviso, *, url_avisos: str) -> tuple[str, str]:
    """Subject and plain-text body of a notice's e-mail: only what the notice itself says."""
    lineas = [f"Candidatura: {aviso.candidatura_id}"]
    if aviso.etiqueta_motivo:
        lineas.append(f"Motivo: {aviso.etiqueta_motivo}")
    if aviso.campos:
        lineas.append(f"Campos: {', '.join(aviso.etiquetas_campos)}")
    cuerpo = "\n".join(
        [
            "El Instituto Electoral del Estado de México le envía un aviso en Conóceles.",
            "",
            *lineas,
            "",
            aviso.mensaje,
            "",
            f"Consulte el aviso y sus avisos anteriores en {url_avisos}",
            "Este mensaje se envió automáticamente; no lo responda.",
        ]
    )
    return f"Conóceles: {aviso.asunto}", cuerpo


class EstadoEnvio(StrEnum):
    """Delivery state of one e-mail copy of a notice."""

    PENDIENTE = "pendiente"
    ENVIADO = "enviado"
    FALLIDO = "fallido"


ETIQUETAS_ENVIO = {
    EstadoEnvio.PENDIENTE: "Pendiente",
    EstadoEnvio.ENVIADO: "Enviado",
    EstadoEnvio.FALLIDO: "Falló (sin más reintentos)",
}


@dataclass(eq=False)
class Envio:
    """One e-mail copy of a notice to one address, retried with growing waits."""

    id: str
    aviso_id: str
    para: str
    asunto: str
    cuerpo: str
    creado_en: datetime
    siguiente_intento: datetime
    estado: EstadoEnvio = EstadoEnvio.PENDIENTE
    intentos: int = 0
    error: str | None = None
    enviado_en: datetime | None = None
    version: int = 0

    def tomar(self, ahora: datetime, plazo: timedelta) -> None:
        """Reserve the delivery for one sender: nobody else tries it before `plazo` ends."""
        self.siguiente_intento = ahora + plazo

    def entregado(self, ahora: datetime) -> None:
        """The SMTP server accepted the message."""
        self.intentos += 1
        self.estado = EstadoEnvio.ENVIADO
        self.enviado_en = ahora
        self.error = None

    def fallo(self, error: str, ahora: datetime) -> None:
        """A failed attempt: wait longer each time, give up after MAX_INTENTOS."""
        self.intentos += 1
        self.error = error[:500]
        if self.intentos >= MAX_INTENTOS:
            self.estado = EstadoEnvio.FALLIDO
            return
        self.siguiente_intento = ahora + min(
            ESPERA_INICIAL * 2 ** (self.intentos - 1), ESPERA_MAXIMA
        )

    def mensaje(self) -> MensajeCorreo:
        """The message to hand to the SMTP port."""
        return MensajeCorreo(id=self.id, para=(self.para,), asunto=self.asunto, cuerpo=self.cuerpo)

    @property
    def etiqueta(self) -> str:
        """Spanish label of the state."""
        return ETIQUETAS_ENVIO[self.estado]


@dataclass(frozen=True, slots=True)
class Contacto:
    """An account's e-mail address as identidad announced it."""

    cuenta_id: str
    usuario: str
    rol: Rol
    correo: str
    partido: str | None = None
    candidatura_id: str | None = None
