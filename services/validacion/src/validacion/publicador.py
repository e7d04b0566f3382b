"""Periodic task: validated candidacies become publishable once the start date arrives."""

import asyncio
import contextlib
import logging

from validacion import handlers
from validacion.adapters import PublicacionRepository, RevisionRepository

log = logging.getLogger(__name__)


class Publicador:
    """Checks every `intervalo` seconds; each candidacy is emitted once (the handler's rule)."""

    def __init__(
        self, *, repo: RevisionRepository, publicacion: PublicacionRepository, intervalo: float
    ) -> None:
        self._repo, self._publicacion, self._intervalo = repo, publicacion, intervalo
        self._tarea: asyncio.Task[None] | None = None

    def iniciar(self) -> None:
        """Start the loop in the background."""
        self._tarea = asyncio.create_task(self._ciclo(), name="validacion-publicador")

    async def detener(self) -> None:
        """Stop the loop and wait for it."""
        if self._tarea is None:
            return
        self._tarea.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._tarea
        self._tarea = None

    async def _ciclo(self) -> None:
        """Run a sweep, wait, repeat; a failed sweep is logged and retried next time."""
        while True:
            try:
                cuantas = await handlers.publicar_pendientes(
                    repo=self._repo, publicacion=self._publicacion
                )
                if cuantas:
                    log.info("%s candidaturas validadas ya son publicables", cuantas)
            except Exception:
                log.exception("Falló la revisión periódica de candidaturas publicables")
            await asyncio.sleep(self._intervalo)
