"""Background task: sends the due webhook deliveries, sleeping until the next one is due."""

import logging
from collections.abc import Awaitable, Callable

from comun.tareas import TareaPeriodica
from publicacion.webhooks.handlers import Pasada

log = logging.getLogger(__name__)
MINIMA_S = 0.01
TOPE_TRAS_FALLOS_S = 300.0


class RepartoWebhooks(TareaPeriodica):
    """Runs a delivery pass when woken, when the next retry is due, or every `intervalo`."""

    def __init__(
        self,
        pasar: Callable[[], Awaitable[Pasada]],
        *,
        intervalo: float,
        reloj: Callable[[], float],
    ) -> None:
        super().__init__(
            "publicacion-webhooks",
            self._repartir,
            intervalo=intervalo,
            mensaje_fallo="No se pudieron enviar las entregas de webhooks",
            registro=log,
        )
        self._pasar = pasar
        self._reloj = reloj
        self._fallos = 0

    async def _repartir(self) -> float:
        """One delivery pass; the seconds until the next one is due."""
        try:
            pasada = await self._pasar()
        except Exception:
            # A store hiccup must not end the deliveries: wait longer each time, then retry.
            self._fallos += 1
            log.exception(
                "No se pudieron enviar las entregas de webhooks (%s seguidas)", self._fallos
            )
            return min(self._intervalo * 2.0**self._fallos, TOPE_TRAS_FALLOS_S)
        self._fallos = 0
        if pasada.proxima is None:
            return self._intervalo
        # A floor, so that a delivery due again at once cannot spin the loop.
        return min(self._intervalo, max(MINIMA_S, pasada.proxima - self._reloj()))
