"""Use cases of estadistica: one keyword-only function each, returning data."""

from comun.eventos import DatosCandidatura
from comun.eventos.captura import DatosRegistro
from estadistica.adapters import PerfilRepository
from estadistica.domain import Fila, por_partido_y_sexo


async def recibir_registro(*, repo: PerfilRepository, datos: DatosRegistro) -> bool:
    """Count a registered candidacy (idempotent)."""
    return await repo.recibir(datos)


async def candidaturas_por_partido(*, repo: PerfilRepository) -> list[Fila]:
    """Registered candidacies per party and sex."""
    return por_partido_y_sexo(await repo.todos())


async def dar_de_baja(*, repo: PerfilRepository, datos: DatosCandidatura) -> bool:
    """A substituted or cancelled candidacy stops counting (idempotent)."""
    return await repo.dar_de_baja(datos.candidatura_id, version=datos.version)
