"""Periodic task: the open-data snapshot is regenerated when the public profiles changed."""

import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial

from comun.app import Recursos
from comun.tareas import TareaPeriodica
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


class Regenerador(TareaPeriodica):
    """Checks every `intervalo` seconds; the handler decides whether anything changed."""

    def __init__(self, *, actualizar: Actualizar, intervalo: float) -> None:
        super().__init__(
            "publicacion-datos-abiertos",
            self._revisar,
            intervalo=intervalo,
            mensaje_fallo="Falló la generación de los datos abiertos",
            registro=log,
        )
        self._actualizar = actualizar

    async def _revisar(self) -> None:
        """One check: a new snapshot if the public profiles changed."""
        resultado = await self._actualizar()
        if resultado is not None and not resultado.nueva:
            log.info("Datos abiertos revisados: el contenido público no cambió")


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
