"""Event subscriptions of publicacion."""

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
from publicacion import handlers
from publicacion.adapters import RegistroRepository


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """publicacion follows captura's registry."""
    repo = RegistroRepository(store)

    async def conocida(_evento: Evento, datos: DatosRegistro) -> None:
        await handlers.conocer_candidatura(repo=repo, datos=datos)

    async def baja(_evento: Evento, datos: DatosCandidatura) -> None:
        await handlers.retirar_candidatura(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.PUBLICACION,
        origenes=[Servicio.CAPTURA],
        manejadores={
            CandidaturaRegistrada: conocida,
            CandidaturaActualizada: conocida,
            CandidaturaSustituida: baja,
            CandidaturaCancelada: baja,
        },
    )
