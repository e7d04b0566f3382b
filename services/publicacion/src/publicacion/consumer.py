"""Event subscriptions of publicacion: captura's registry and validacion's publication."""

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import (
    CandidaturaActualizada,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    Evento,
)
from comun.eventos.captura import DatosRegistro
from comun.eventos.validacion import (
    CandidaturaPublicable,
    ContenidoDeshabilitado,
    ContenidoHabilitado,
    SolicitudCambioAplicada,
)
from comun.servicios import Servicio
from publicacion import handlers
from publicacion.adapters import PerfilRepository
from publicacion.handlers import Descifrador


def suscribir_eventos(bus: EventBus, repo: PerfilRepository, cifrador: Descifrador) -> None:
    """publicacion follows captura's registry and validacion's published content."""

    async def conocida(_evento: Evento, datos: DatosRegistro) -> None:
        await handlers.conocer_registro(repo=repo, datos=datos)

    async def sustituida(_evento: Evento, datos: CandidaturaSustituida) -> None:
        await handlers.dar_de_baja(repo=repo, candidatura_id=datos.candidatura_id,
                                   motivo="sustituida", version=datos.version)  # fmt: skip

    async def cancelada(_evento: Evento, datos: CandidaturaCancelada) -> None:
        await handlers.dar_de_baja(repo=repo, candidatura_id=datos.candidatura_id,
                                   motivo="cancelada", version=datos.version)  # fmt: skip

    async def publicable(evento: Evento, datos: CandidaturaPublicable) -> None:
        await handlers.hacer_publicable(repo=repo, evento=evento, datos=datos, cifrador=cifrador)

    async def deshabilitado(_evento: Evento, datos: ContenidoDeshabilitado) -> None:
        await handlers.deshabilitar(repo=repo, datos=datos)

    async def habilitado(_evento: Evento, datos: ContenidoHabilitado) -> None:
        await handlers.habilitar(repo=repo, datos=datos)

    async def cambio(evento: Evento, datos: SolicitudCambioAplicada) -> None:
        await handlers.anotar_cambio(repo=repo, evento=evento, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.PUBLICACION,
        origenes=[Servicio.CAPTURA, Servicio.VALIDACION],
        manejadores={
            CandidaturaRegistrada: conocida,
            CandidaturaActualizada: conocida,
            CandidaturaSustituida: sustituida,
            CandidaturaCancelada: cancelada,
            CandidaturaPublicable: publicable,
            ContenidoDeshabilitado: deshabilitado,
            ContenidoHabilitado: habilitado,
            SolicitudCambioAplicada: cambio,
        },
    )
