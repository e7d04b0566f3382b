"""Event subscriptions of estadistica."""

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
from estadistica import handlers
from estadistica.adapters import PerfilRepository


def suscribir_eventos(bus: EventBus, store: Store) -> None:
    """estadistica counts the candidacies captura registers."""
    repo = PerfilRepository(store)

    async def registrada(_evento: Evento, datos: DatosRegistro) -> None:
        await handlers.recibir_registro(repo=repo, datos=datos)

    async def baja(_evento: Evento, datos: DatosCandidatura) -> None:
        await handlers.dar_de_baja(repo=repo, datos=datos)

    suscribir(
        bus,
        consumidor=Servicio.ESTADISTICA,
        origenes=[Servicio.CAPTURA],
        manejadores={
            CandidaturaRegistrada: registrada,
            CandidaturaActualizada: registrada,
            CandidaturaSustituida: baja,
            CandidaturaCancelada: baja,
        },
    )
