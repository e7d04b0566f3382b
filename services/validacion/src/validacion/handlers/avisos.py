"""Use cases of notices: issue (also from events), read, list, queue and deliver e-mail."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from uuid6 import uuid7

from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
from comun.eventos import Actor, DatosCandidatura, Evento, nuevo_evento
from comun.eventos.identidad import CuentaCreada
from comun.eventos.validacion import (
    AvisoEmitido,
    ContenidoDeshabilitado,
    ContenidoHabilitado,
    SolicitudCambioAplicada,
    SolicitudCambioRechazada,
)
from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from validacion.adapters import RevisionRepository
from validacion.adapters.avisos import (
    AvisoRepository,
    ConflictoAviso,
    ContactoRepository,
    EnvioRepository,
    filtro_bandeja,
)
from validacion.adapters.correo import Correo, CorreoNoEnviado
from validacion.adapters.solicitudes import Expediente, SolicitudRepository
from validacion.domain import Revision
from validacion.domain.avisos import (
    Aviso,
    Contacto,
    Envio,
    TextoAviso,
    aviso_de_deshabilitacion,
    aviso_de_habilitacion,
    aviso_de_solicitud_aplicada,
    aviso_de_solicitud_rechazada,
    correo_de_aviso,
    ordenar_bandeja,
)

MODULO = "avisos"
PLAZO_RESERVA = timedelta(minutes=5)
REINTENTOS_LECTURA = 3


def _ahora() -> datetime:
    return datetime.now(UTC)


def _nuevo_aviso(
    *,
    aviso_id: str,
    candidatura_id: str,
    version: int,
    partido: str | None,
    mensaje: str,
    actor: Actor,
    ahora: datetime,
    motivo: MotivoContenido | None,
    campos: Iterable[CampoCurricular],
    asunto: str | None,
) -> tuple[Aviso, Evento]:
    """A notice to whoever answers for the candidacy and its aviso_emitido event."""
    aviso = Aviso.emitir(
        id=aviso_id,
        candidatura_id=candidatura_id,
        partido=partido,
        mensaje=mensaje,
        creado_por=actor.usuario,
        ahora=ahora,
        motivo=motivo,
        campos=campos,
        asunto=asunto,
    )
    evento = nuevo_evento(
        AvisoEmitido(
            candidatura_id=candidatura_id,
            version=version,
            aviso_id=aviso.id,
            mensaje=aviso.mensaje,
            motivo=aviso.motivo,
            campos=aviso.campos,
        ),
        subject=candidatura_id,
        actor=actor,
        accion="emitir_aviso",
        modulo=MODULO,
    )
    return aviso, evento


async def emitir_aviso(
    *,
    avisos: AvisoRepository,
    candidatura_id: str,
    version: int,
    partido: str | None,
    mensaje: str,
    actor: Actor,
    motivo: MotivoContenido | None = None,
    campos: Iterable[CampoCurricular] = (),
    asunto: str | None = None,
    ahora: datetime | None = None,
) -> Aviso:
    """Issue a notice to whoever answers for the candidacy, with aviso_emitido in the same write."""
    aviso, evento = _nuevo_aviso(
        aviso_id=str(uuid7()),
        candidatura_id=candidatura_id,
        version=version,
        partido=partido,
        mensaje=mensaje,
        actor=actor,
        ahora=ahora or _ahora(),
        motivo=motivo,
        campos=campos,
        asunto=asunto,
    )
    await avisos.agregar(aviso, [evento])
    return aviso


async def _avisar_de(
    avisos: AvisoRepository,
    causa: Evento,
    datos: DatosCandidatura,
    texto: TextoAviso,
    *,
    partido: str | None,
    motivo: MotivoContenido | None = None,
    campos: Iterable[CampoCurricular] = (),
) -> bool:
    """The notice an event causes, keyed by the event's id; False if it was already written."""
    aviso, evento = _nuevo_aviso(
        aviso_id=causa.id,
        candidatura_id=datos.candidatura_id,
        version=datos.version,
        partido=partido,
        mensaje=texto.mensaje,
        actor=causa.actor,
        ahora=causa.time,
        motivo=motivo,
        campos=campos,
        asunto=texto.asunto,
    )
    return await avisos.agregar(aviso, [evento])


async def _revision(repo: RevisionRepository, candidatura_id: str) -> Revision:
    """The candidacy a notice is about; missing means the event must wait and be retried."""
    revision = await repo.obtener(candidatura_id)
    if revision is None:
        raise LookupError(f"No existe la revisión de la candidatura «{candidatura_id}».")
    return revision


async def _expediente(solicitudes: SolicitudRepository, solicitud_id: str) -> Expediente:
    """The change request a notice is about (saved in the same write as its event)."""
    expediente = await solicitudes.obtener(solicitud_id)
    if expediente is None:
        raise LookupError(f"No existe la solicitud de cambio «{solicitud_id}».")
    return expediente


def _partido_destino(revision: Revision) -> str | None:
    """Party candidacies notify the party's supervisors; independents, their own account."""
    return None if revision.independiente else revision.partido


async def avisar_deshabilitado(
    *,
    avisos: AvisoRepository,
    repo: RevisionRepository,
    evento: Evento,
    datos: ContenidoDeshabilitado,
) -> bool:
    """Notify a takedown with its reason and the verifier's note, once per event."""
    revision = await _revision(repo, datos.candidatura_id)
    texto = aviso_de_deshabilitacion(
        nombre=revision.nombre,
        candidatura_id=datos.candidatura_id,
        campos=datos.campos,
        motivo=datos.motivo,
        observacion=datos.observacion or "",
    )
    return await _avisar_de(
        avisos,
        evento,
        datos,
        texto,
        partido=_partido_destino(revision),
        motivo=datos.motivo,
        campos=datos.campos,
    )


async def avisar_habilitado(
    *,
    avisos: AvisoRepository,
    repo: RevisionRepository,
    evento: Evento,
    datos: ContenidoHabilitado,
) -> bool:
    """Notify that disabled content is shown again, once per event."""
    revision = await _revision(repo, datos.candidatura_id)
    texto = aviso_de_habilitacion(
        nombre=revision.nombre, candidatura_id=datos.candidatura_id, campos=datos.campos
    )
    return await _avisar_de(
        avisos, evento, datos, texto, partido=_partido_destino(revision), campos=datos.campos
    )


async def avisar_solicitud_aplicada(
    *,
    avisos: AvisoRepository,
    solicitudes: SolicitudRepository,
    evento: Evento,
    datos: SolicitudCambioAplicada,
) -> bool:
    """Notify the requester that their change request was applied, once per event."""
    expediente = await _expediente(solicitudes, datos.solicitud_id)
    texto = aviso_de_solicitud_aplicada(nombre=expediente.nombre, solicitud_id=datos.solicitud_id)
    campos = [c.campo for c in expediente.solicitud.cambios]
    return await _avisar_de(avisos, evento, datos, texto, partido=expediente.partido, campos=campos)


async def avisar_solicitud_rechazada(
    *,
    avisos: AvisoRepository,
    solicitudes: SolicitudRepository,
    evento: Evento,
    datos: SolicitudCambioRechazada,
) -> bool:
    """Notify the requester that their change request was rejected and why, once per event."""
    expediente = await _expediente(solicitudes, datos.solicitud_id)
    texto = aviso_de_solicitud_rechazada(
        nombre=expediente.nombre, solicitud_id=datos.solicitud_id, motivo=datos.motivo
    )
    campos = [c.campo for c in expediente.solicitud.cambios]
    return await _avisar_de(avisos, evento, datos, texto, partido=expediente.partido, campos=campos)


async def bandeja(
    *, avisos: AvisoRepository, usuario: Usuario, solo_no_leidos: bool = False
) -> list[Aviso]:
    """The account's notices, unread first."""
    lista = await avisos.bandeja(usuario, solo_no_leidos=solo_no_leidos)
    return ordenar_bandeja(lista, usuario.nombre_usuario)


async def no_leidos(*, avisos: AvisoRepository, usuario: Usuario) -> int:
    """How many of the account's notices it has not read."""
    return await avisos.no_leidos(usuario)


async def marcar_leido(
    *, avisos: AvisoRepository, usuario: Usuario, aviso_id: str, ahora: datetime | None = None
) -> Aviso:
    """Mark a notice read for this account (idempotent); out of scope looks missing (404)."""
    for _ in range(REINTENTOS_LECTURA):
        aviso = await avisos.obtener(aviso_id)
        if aviso is None or not _ve(usuario, aviso):
            raise NoEncontrado("El aviso solicitado no existe.")
        if not aviso.marcar_leido(usuario.nombre_usuario, ahora or _ahora()):
            return aviso
        try:
            await avisos.guardar(aviso)
        except ConflictoAviso:
            continue
        return aviso
    raise ConflictoAviso(aviso_id)


def _ve(usuario: Usuario, aviso: Aviso) -> bool:
    """Whether the account sees the notice (the same rule as the inbox filter)."""
    if filtro_bandeja(usuario) is None:
        return True
    return aviso.destinatario.incluye(
        roles=usuario.roles, partido=usuario.partido, candidatura=usuario.candidatura
    )


async def registrar_contacto(*, contactos: ContactoRepository, datos: CuentaCreada) -> bool:
    """Keep a new account's e-mail address, if identidad sent one (idempotent)."""
    if not datos.correo:
        return False
    contacto = Contacto(
        cuenta_id=datos.cuenta_id,
        usuario=datos.nombre_usuario,
        rol=datos.rol,
        correo=datos.correo,
        partido=datos.partido,
        candidatura_id=datos.candidatura_id,
    )
    return await contactos.registrar(contacto)


async def encolar_correos(
    *,
    avisos: AvisoRepository,
    contactos: ContactoRepository,
    envios: EnvioRepository,
    aviso_id: str,
    url_avisos: str,
    ahora: datetime | None = None,
) -> int:
    """Queue one e-mail copy of a notice per recipient address; how many were new."""
    aviso = await avisos.obtener(aviso_id)
    if aviso is None:
        return 0
    asunto, cuerpo = correo_de_aviso(aviso, url_avisos=url_avisos)
    momento = ahora or _ahora()
    nuevos = 0
    for contacto in await contactos.de(aviso.destinatario):
        envio = Envio(
            id=f"{aviso.id}:{contacto.cuenta_id}",
            aviso_id=aviso.id,
            para=contacto.correo,
            asunto=asunto,
            cuerpo=cuerpo,
            creado_en=momento,
            siguiente_intento=momento,
        )
        nuevos += await envios.agregar(envio)
    return nuevos


async def entregar_correos(
    *, envios: EnvioRepository, correo: Correo, ahora: datetime | None = None
) -> int:
    """Try every copy that is due; failures wait and retry. How many were sent."""
    momento = ahora or _ahora()
    enviados = 0
    for envio in await envios.vencidos(momento):
        envio.tomar(momento, PLAZO_RESERVA)
        if not await envios.guardar(envio):
            continue  # another process took it
        try:
            await correo.enviar(envio.mensaje())
        except CorreoNoEnviado as exc:
            envio.fallo(str(exc), momento)
        else:
            envio.entregado(momento)
            enviados += 1
        await envios.guardar(envio)
    return enviados
