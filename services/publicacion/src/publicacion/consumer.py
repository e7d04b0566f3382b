"""Event subscriptions of publicacion."""

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import CandidaturaRegistrada, Evento
from comun.servicios import Servicio
from comun.store import Store
from publicacion import handlers
from publicacion.adapters import RegistroRepository


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """publicacion follows captura's registry."""
    repo = RegistroRepository(store)

    async def registrada(_evento: Evento, datos: CandidaturaRegistrada) -> None:
        await handlers.conocer_candidatura(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.PUBLICACION,
        origenes=[Servicio.CAPTURA],
        manejadores={CandidaturaRegistrada: registrada},
    )
