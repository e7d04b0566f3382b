"""Event subscriptions of validacion."""

from collections.abc import Callable

from comun.app import AvisoRelay
from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import (
    CandidaturaActualizada,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    ConsentimientoCargado,
    CuestionarioEnviado,
    CuestionarioGuardado,
    DatosCandidatura,
    Evento,
)
from comun.eventos.captura import DatosRegistro, EleccionCargada
from comun.eventos.identidad import CuentaCreada
from comun.eventos.validacion import (
    AvisoEmitido,
    ContenidoDeshabilitado,
    ContenidoHabilitado,
    SolicitudCambioAplicada,
    SolicitudCambioRechazada,
)
from comun.servicios import Servicio
from comun.store import Store
from validacion import handlers
from validacion.adapters import RevisionRepository
from validacion.adapters.avisos import AvisoRepository, ContactoRepository, EnvioRepository
from validacion.adapters.catalogo import CatalogoRepository
from validacion.adapters.solicitudes import SolicitudRepository
from validacion.handlers import avisos as handlers_avisos
from validacion.handlers import solicitudes as handlers_solicitudes


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """validacion follows captura: registry, sent questionnaires, supervisor edits, consent."""
    repo = RevisionRepository(store)

    catalogo = CatalogoRepository(store)

    async def registrada(_evento: Evento, datos: DatosRegistro) -> None:
        await handlers.recibir_registro(repo=repo, datos=datos)
        await catalogo.recibir_registro(datos)

    async def eleccion(_evento: Evento, datos: EleccionCargada) -> None:
        await catalogo.recibir_eleccion(datos)

    async def baja(_evento: Evento, datos: DatosCandidatura) -> None:
        await handlers.dar_de_baja(repo=repo, datos=datos)

    async def enviado(evento: Evento, datos: CuestionarioEnviado) -> None:
        await handlers.recibir_envio(repo=repo, datos=datos, enviada_en=evento.time)

    async def guardado(_evento: Evento, datos: CuestionarioGuardado) -> None:
        await handlers.recibir_guardado(repo=repo, datos=datos)

    async def consentimiento(_evento: Evento, datos: ConsentimientoCargado) -> None:
        await handlers.recibir_consentimiento(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.VALIDACION,
        origenes=[Servicio.CAPTURA],
        manejadores={
            CandidaturaRegistrada: registrada,
            CandidaturaActualizada: registrada,
            CandidaturaSustituida: baja,
            CandidaturaCancelada: baja,
            CuestionarioEnviado: enviado,
            CuestionarioGuardado: guardado,
            ConsentimientoCargado: consentimiento,
            EleccionCargada: eleccion,
        },
    )


def _sin_aviso(doc_id: str | None = None) -> None:
    """No relay to wake (tests)."""


def suscribir_avisos(
    bus: EventBus,
    store: Store,
    *,
    url_avisos: str,
    despertar: Callable[[], None],
    avisar_relay: AvisoRelay = _sin_aviso,
) -> None:
    """Notices: addresses from identidad; one notice per takedown or resolved request; e-mail.

    validacion reads its own topic here (one handler per group and topic, on either bus): a
    takedown or a resolution saves only its event, and the notice is derived from it, keyed
    by the event id, so neither a crash nor a redelivery loses or repeats one.
    """
    contactos = ContactoRepository(store)
    avisos = AvisoRepository(store, avisar_relay=avisar_relay)
    envios = EnvioRepository(store)

    async def cuenta(_evento: Evento, datos: CuentaCreada) -> None:
        await handlers_avisos.registrar_contacto(contactos=contactos, datos=datos)

    async def aviso(_evento: Evento, datos: AvisoEmitido) -> None:
        nuevos = await handlers_avisos.encolar_correos(
            avisos=avisos,
            contactos=contactos,
            envios=envios,
            aviso_id=datos.aviso_id,
            url_avisos=url_avisos,
        )
        if nuevos:
            despertar()

    # Fresh read repositories per event: they remember what they load until a save.
    async def deshabilitado(evento: Evento, datos: ContenidoDeshabilitado) -> None:
        await handlers_avisos.avisar_deshabilitado(
            avisos=avisos, repo=RevisionRepository(store), evento=evento, datos=datos
        )

    async def habilitado(evento: Evento, datos: ContenidoHabilitado) -> None:
        await handlers_avisos.avisar_habilitado(
            avisos=avisos, repo=RevisionRepository(store), evento=evento, datos=datos
        )

    async def aplicada(evento: Evento, datos: SolicitudCambioAplicada) -> None:
        # The republication is a second write after the request's: finish it if it was lost.
        await handlers_solicitudes.completar_aplicacion(
            repo=RevisionRepository(store, avisar_relay=avisar_relay),
            solicitudes=SolicitudRepository(store),
            solicitud_id=datos.solicitud_id,
            actor=evento.actor,
        )
        await handlers_avisos.avisar_solicitud_aplicada(
            avisos=avisos, solicitudes=SolicitudRepository(store), evento=evento, datos=datos
        )

    async def rechazada(evento: Evento, datos: SolicitudCambioRechazada) -> None:
        await handlers_avisos.avisar_solicitud_rechazada(
            avisos=avisos, solicitudes=SolicitudRepository(store), evento=evento, datos=datos
        )

    suscribir(
        bus,
        consumidor=Servicio.VALIDACION,
        origenes=[Servicio.IDENTIDAD, Servicio.VALIDACION],
        manejadores={
            CuentaCreada: cuenta,
            AvisoEmitido: aviso,
            ContenidoDeshabilitado: deshabilitado,
            ContenidoHabilitado: habilitado,
            SolicitudCambioAplicada: aplicada,
            SolicitudCambioRechazada: rechazada,
        },
    )
