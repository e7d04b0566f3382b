"""Event subscriptions of validacion."""

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import (
    CandidaturaActualizada,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    DatosCandidatura,
    Evento,
)
from comun.eventos.captura import DatosRegistro
from comun.servicios import Servicio
from comun.store import Store
from validacion import handlers
from validacion.adapters import RevisionRepository


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """validacion queues the candidacies captura registers."""
    repo = RevisionRepository(store)

    async def registrada(_evento: Evento, datos: DatosRegistro) -> None:
        await handlers.recibir_registro(repo=repo, datos=datos)

    async def baja(_evento: Evento, datos: DatosCandidatura) -> None:
        await handlers.dar_de_baja(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.VALIDACION,
        origenes=[Servicio.CAPTURA],
        manejadores={
            CandidaturaRegistrada: registrada,
            CandidaturaActualizada: registrada,
            CandidaturaSustituida: baja,
            CandidaturaCancelada: baja,
        },
    )
