"""Event subscriptions of captura: deliveries open capture windows, validation closes them."""

import logging
from typing import Protocol

from captura import handlers
from captura.adapters import CandidaturaRepository, EleccionRepository
from captura.domain import Eleccion
from captura.handlers import cuestionarios, plazos
from comun.app import Recursos
from comun.bus.despacho import suscribir
from comun.eventos import CandidaturaValidada, CredencialesEntregadas, Evento
from comun.eventos.validacion import CandidaturaPublicable
from comun.roles import Rol
from comun.servicios import Servicio

log = logging.getLogger(__name__)


class Marcador(Protocol):
    """A handler applying another service's decision to one candidacy."""

    async def __call__(
        self, *, repo: CandidaturaRepository, eleccion: Eleccion, candidatura_id: str
    ) -> bool: ...


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

    async def validada(_evento: Evento, datos: CandidaturaValidada) -> None:
        await _decidida(datos.candidatura_id, cuestionarios.marcar_validada)

    async def publicable(_evento: Evento, datos: CandidaturaPublicable) -> None:
        await _decidida(datos.candidatura_id, cuestionarios.marcar_publicada)

    async def _decidida(candidatura_id: str, marcar: Marcador) -> None:
        try:
            eleccion = await handlers.eleccion_cargada(repo=elecciones, eleccion_id=eleccion_id)
        except handlers.EleccionNoCargada:
            log.warning("Decisión de validacion sin elección cargada; se ignora.")
            return
        await marcar(repo=repo, eleccion=eleccion, candidatura_id=candidatura_id)

    suscribir(
        recursos.bus,
        consumidor=Servicio.CAPTURA,
        origenes=[Servicio.IDENTIDAD, Servicio.VALIDACION],
        manejadores={
            CredencialesEntregadas: entregadas,
            CandidaturaValidada: validada,
            CandidaturaPublicable: publicable,
        },
    )
