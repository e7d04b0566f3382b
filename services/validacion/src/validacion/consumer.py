"""Event subscriptions of validacion."""

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import CandidaturaRegistrada, Evento
from comun.servicios import Servicio
from comun.store import Store
from validacion import handlers
from validacion.adapters import RevisionRepository


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """validacion queues the candidacies captura registers."""
    repo = RevisionRepository(store)

    async def registrada(_evento: Evento, datos: CandidaturaRegistrada) -> None:
        await handlers.recibir_registro(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.VALIDACION,
        origenes=[Servicio.CAPTURA],
        manejadores={CandidaturaRegistrada: registrada},
    )
