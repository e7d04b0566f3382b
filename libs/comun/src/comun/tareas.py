"""A background loop: one round of work, a wait, and again until stopped."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

# A round returns how many seconds to wait before the next one, or None for the interval.
Ronda = Callable[[], Awaitable[float | None]]


class TareaPeriodica:
    """Runs `ronda` at start, every `intervalo` seconds and whenever woken; a failure is logged."""

    def __init__(
        self,
        nombre: str,
        ronda: Ronda,
        *,
        intervalo: float,
        mensaje_fallo: str,
        registro: logging.Logger | None = None,
    ) -> None:
        self.nombre = nombre
        self._ronda = ronda
        self._intervalo = intervalo
        self._mensaje_fallo = mensaje_fallo
        self._log = registro or log
        self._despertar = asyncio.Event()
        self._tarea: asyncio.Task[None] | None = None

    def iniciar(self) -> None:
        """Start the loop in the running event loop; its first round runs at once."""
        if self._tarea is None:
            self._tarea = asyncio.create_task(self._ciclo(), name=self.nombre)

    def avisar(self) -> None:
        """Run a round now rather than at the end of the wait (after the current one, if any)."""
        self._despertar.set()

    async def detener(self) -> None:
        """Stop the loop and wait until it has ended; calling it again does nothing."""
        tarea, self._tarea = self._tarea, None
        if tarea is None:
            return
        tarea.cancel()
        # asyncio.wait, not `await tarea`: a cancel of detener() itself must reach its caller.
        await asyncio.wait({tarea})
        if not tarea.cancelled():
            tarea.result()

    async def _ciclo(self) -> None:
        # Checked as well as cancelled: a round that swallows the cancel still ends the loop.
        while self._tarea is asyncio.current_task():
            self._despertar.clear()
            espera: float | None = None
            try:
                espera = await self._ronda()
            except Exception:
                # A store hiccup must not end the loop: the next round tries again.
                self._log.exception(self._mensaje_fallo)
            if self._tarea is not asyncio.current_task():
                return
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel from detener().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._intervalo if espera is None else espera):
                    await self._despertar.wait()
