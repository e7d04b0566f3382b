"""Event subscriptions of auditoria: every service's topic."""

from auditoria import handlers
from auditoria.adapters import HistorialRepository
from comun.bus import EventBus
from comun.bus.despacho import suscribir_todo
from comun.eventos import Evento
from comun.servicios import Servicio
from comun.store import Store


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """Every action of every user reaches the activity history."""
    repo = HistorialRepository(store)

    async def anotar(evento: Evento) -> None:
        await handlers.anotar_evento(repo=repo, evento=evento)

    otros = [s for s in Servicio if s is not Servicio.AUDITORIA]
    suscribir_todo(bus, consumidor=Servicio.AUDITORIA, origenes=otros, manejar=anotar)
