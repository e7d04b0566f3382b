"""Event subscriptions of estadistica."""

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import CandidaturaRegistrada, Evento
from comun.servicios import Servicio
from comun.store import Store
from estadistica import handlers
from estadistica.adapters import PerfilRepository


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """estadistica counts the candidacies captura registers."""
    repo = PerfilRepository(store)

    async def registrada(_evento: Evento, datos: CandidaturaRegistrada) -> None:
        await handlers.recibir_registro(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.ESTADISTICA,
        origenes=[Servicio.CAPTURA],
        manejadores={CandidaturaRegistrada: registrada},
    )
