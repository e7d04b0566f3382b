"""Background task: sends the due webhook deliveries, sleeping until the next one is due."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from publicacion.webhooks.handlers import Pasada

log = logging.getLogger(__name__)
MINIMA_S = 0.01


class RepartoWebhooks:
    """Runs a delivery pass when woken, when the next retry is due, or every `intervalo`."""

    def __init__(
        self,
        pasar: Callable[[], Awaitable[Pasada]],
        *,
        intervalo: float,
        reloj: Callable[[], float],
    ) -> None:
        self._pasar = pasar
        self._intervalo = intervalo
        self._reloj = reloj
        self._despertar = asyncio.Event()
        self._tarea: asyncio.Task[None] | None = None

    def iniciar(self) -> None:
        """Start the loop in the running event loop."""
        self._tarea = asyncio.create_task(self._ciclo(), name="publicacion-webhooks")

    def avisar(self) -> None:
        """New deliveries are queued: send now rather than at the next tick."""
        self._despertar.set()

    async def detener(self) -> None:
        """Stop the loop; queued deliveries wait in the store for the next start."""
        tarea, self._tarea = self._tarea, None
        if tarea is None:
            return
        tarea.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tarea

    async def _ciclo(self) -> None:
        fallos = 0
        while True:
            self._despertar.clear()
            try:
                pasada = await self._pasar()
            except Exception:
                # A store hiccup must not end the deliveries: wait longer each time, then retry.
                fallos += 1
                log.exception(
                    "No se pudieron enviar las entregas de webhooks (%s seguidas)", fallos
                )
                espera = min(self._intervalo * 2**fallos, 300.0)
            else:
                fallos = 0
                espera = self._intervalo
                if pasada.proxima is not None:
                    # A floor, so that a delivery due again at once cannot spin the loop.
                    espera = min(espera, max(MINIMA_S, pasada.proxima - self._reloj()))
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel from detener().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(espera):
                    await self._despertar.wait()
