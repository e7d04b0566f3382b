"""Use cases of notices: issue, read, list, queue and deliver their e-mail copies."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from uuid6 import uuid7

from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
from comun.eventos import Actor, nuevo_evento
from comun.eventos.identidad import CuentaCreada
from comun.eventos.validacion import AvisoEmitido
from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from validacion.adapters.avisos import (
    AvisoRepository,
    ConflictoAviso,
    ContactoRepository,
    EnvioRepository,
    filtro_bandeja,
)
from validacion.adapters.correo import Correo, CorreoNoEnviado
from validacion.domain.avisos import (
    Aviso,
    Contacto,
    Envio,
    correo_de_aviso,
    ordenar_bandeja,
)

MODULO = "avisos"
PLAZO_RESERVA = timedelta(minutes=5)
REINTENTOS_LECTURA = 3


def _ahora() -> datetime:
    return datetime.now(UTC)


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
    aviso = Aviso.emitir(
        id=str(uuid7()),
        candidatura_id=candidatura_id,
        partido=partido,
        mensaje=mensaje,
        creado_por=actor.usuario,
        ahora=ahora or _ahora(),
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
    await avisos.agregar(aviso, [evento])
    return aviso


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
