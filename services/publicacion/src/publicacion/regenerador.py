"""Periodic task: the open-data snapshot is regenerated when the public profiles changed."""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial

from comun.app import Recursos
from publicacion import handlers_datos
from publicacion.adapters import PerfilRepository
from publicacion.adapters_datos import AlmacenPiezas, InstantaneaRepository
from publicacion.config import Settings
from publicacion.domain.formato_ine import ContextoEleccion
from publicacion.firma import Firmante
from publicacion.handlers_datos import Resultado
from publicacion.territorio import territorio

log = logging.getLogger(__name__)

Actualizar = Callable[[], Awaitable[Resultado | None]]


class Regenerador:
    """Checks every `intervalo` seconds; the handler decides whether anything changed."""

    def __init__(self, *, actualizar: Actualizar, intervalo: float) -> None:
        self._actualizar, self._intervalo = actualizar, intervalo
        self._tarea: asyncio.Task[None] | None = None

    def iniciar(self) -> None:
        """Start the loop in the background; its first check runs at once."""
        self._tarea = asyncio.create_task(self._ciclo(), name="publicacion-datos-abiertos")

    async def detener(self) -> None:
        """Stop the loop and wait for it."""
        if self._tarea is None:
            return
        self._tarea.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._tarea
        self._tarea = None

    async def _ciclo(self) -> None:
        """Check, wait, repeat; a failed generation is logged and retried next time."""
        while True:
            try:
                resultado = await self._actualizar()
                if resultado is not None and not resultado.nueva:
                    log.info("Datos abiertos revisados: el contenido público no cambió")
            except Exception:
                log.exception("Falló la generación de los datos abiertos")
            await asyncio.sleep(self._intervalo)


def contexto_eleccion() -> ContextoEleccion:
    """What INE's layout needs of the configured election catalog."""
    catalogo = territorio()
    return ContextoEleccion(
        eleccion=str(catalogo.eleccion["id"]),
        entidad=str(catalogo.eleccion["entidad"]),
        partidos={p.siglas: p.nombre for p in catalogo.partidos},
        cabeceras=dict(catalogo.distritos),
    )


def regenerador(recursos: Recursos, perfiles: PerfilRepository, settings: Settings) -> Regenerador:
    """The open-data task of this process, wired to its store, files and secret (not started)."""
    actualizar = partial(
        handlers_datos.actualizar_datos_abiertos,
        perfiles=perfiles,
        instantaneas=InstantaneaRepository(recursos.store),
        almacen=AlmacenPiezas(recursos.archivos),
        firmante=Firmante(recursos.plataforma.clave_secreta.get_secret_value()),
        eleccion=contexto_eleccion(),
        replica=uuid.uuid4().hex,
    )
    return Regenerador(actualizar=actualizar, intervalo=settings.datos_abiertos_intervalo_s)
