"""Event subscriptions of identidad: accounts follow captura's catalog and registry."""

from datetime import UTC, datetime

from comun.bus import EventBus
from comun.bus.despacho import suscribir
from comun.eventos import (
    SISTEMA,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    EleccionCargada,
    Evento,
)
from comun.servicios import Servicio
from identidad.adapters.gestion import Gestion
from identidad.handlers import cuentas

MOTIVO_SUSTITUCION = "La candidatura fue sustituida en el registro (PTO 21)."
MOTIVO_CANCELACION = "La candidatura fue cancelada en el registro."


def suscribir_eventos(bus: EventBus, gestion: Gestion) -> None:
    """One account per registered candidacy, disabled on substitution or cancellation."""

    async def eleccion(_evento: Evento, datos: EleccionCargada) -> None:
        await cuentas.conocer_eleccion(gestion=gestion, datos=datos)

    # The system makes and retires these accounts, in reaction to captura's registry.
    async def registrada(_evento: Evento, datos: CandidaturaRegistrada) -> None:
        await cuentas.crear_cuenta_candidatura(
            gestion=gestion, datos=datos, actor=SISTEMA, ahora=datetime.now(UTC)
        )

    async def sustituida(_evento: Evento, datos: CandidaturaSustituida) -> None:
        await cuentas.retirar_cuenta_candidatura(
            gestion=gestion,
            candidatura_id=datos.candidatura_id,
            motivo=MOTIVO_SUSTITUCION,
            actor=SISTEMA,
        )

    async def cancelada(_evento: Evento, datos: CandidaturaCancelada) -> None:
        await cuentas.retirar_cuenta_candidatura(
            gestion=gestion,
            candidatura_id=datos.candidatura_id,
            motivo=MOTIVO_CANCELACION,
            actor=SISTEMA,
        )

    suscribir(
        bus,
        consumidor=Servicio.IDENTIDAD,
        origenes=[Servicio.CAPTURA],
        manejadores={
            EleccionCargada: eleccion,
            CandidaturaRegistrada: registrada,
            CandidaturaSustituida: sustituida,
            CandidaturaCancelada: cancelada,
        },
    )
