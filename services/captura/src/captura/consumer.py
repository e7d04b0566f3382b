"""Event subscriptions of captura: credential deliveries open capture windows."""

import logging

from captura import handlers
from captura.adapters import CandidaturaRepository, EleccionRepository
from captura.handlers import plazos
from comun.app import Recursos
from comun.bus.despacho import suscribir
from comun.eventos import CredencialesEntregadas, Evento
from comun.roles import Rol
from comun.servicios import Servicio

log = logging.getLogger(__name__)
ROLES_QUE_CAPTURAN = (Rol.PARTIDO, Rol.CANDIDATURA)


def suscribir_eventos(recursos: Recursos, *, eleccion_id: str) -> None:
    """captura follows identidad's credential deliveries."""

    def avisar(doc_id: str | None = None) -> None:
        # Looked up at call time: the relay starts after the subscriptions.
        recursos.avisar_relay(doc_id)

    repo = CandidaturaRepository(recursos.store, avisar_relay=avisar)
    elecciones = EleccionRepository(recursos.store, avisar_relay=avisar)

    async def entregadas(_evento: Evento, datos: CredencialesEntregadas) -> None:
        if datos.rol not in ROLES_QUE_CAPTURAN:
            return
        try:
            eleccion = await handlers.eleccion_cargada(repo=elecciones, eleccion_id=eleccion_id)
        except handlers.EleccionNoCargada:
            log.warning("Entrega de credenciales sin elección cargada; no se abre ningún plazo.")
            return
        await plazos.credenciales_entregadas(
            repo=repo,
            eleccion=eleccion,
            candidatura_id=datos.candidatura_id,
            partido=None if datos.candidatura_id else datos.partido,
            entregadas_en=datos.entregadas_en,
        )

    suscribir(
        recursos.bus,
        consumidor=Servicio.CAPTURA,
        origenes=[Servicio.IDENTIDAD],
        manejadores={CredencialesEntregadas: entregadas},
    )
