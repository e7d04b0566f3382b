"""Periodic task: validated candidacies become publishable once the start date arrives."""

import logging

from comun.tareas import TareaPeriodica
from validacion import handlers
from validacion.adapters import PublicacionRepository, RevisionRepository

log = logging.getLogger(__name__)


class Publicador(TareaPeriodica):
    """Checks every `intervalo` seconds; each candidacy is emitted once (the handler's rule)."""

    def __init__(
        self, *, repo: RevisionRepository, publicacion: PublicacionRepository, intervalo: float
    ) -> None:
        super().__init__(
            "validacion-publicador",
            self._revisar,
            intervalo=intervalo,
            mensaje_fallo="Falló la revisión periódica de candidaturas publicables",
            registro=log,
        )
        self._repo, self._publicacion = repo, publicacion

    async def _revisar(self) -> None:
        """One sweep: emit the candidacies whose start date has arrived."""
        cuantas = await handlers.publicar_pendientes(repo=self._repo, publicacion=self._publicacion)
        if cuantas:
            log.info("%s candidaturas validadas ya son publicables", cuantas)
