"""Use cases of estadistica: one keyword-only function each, returning data."""

from comun.eventos import CandidaturaRegistrada
from estadistica.adapters import PerfilRepository
from estadistica.domain import Fila, por_partido_y_sexo


async def recibir_registro(*, repo: PerfilRepository, datos: CandidaturaRegistrada) -> bool:
    """Count a registered candidacy (idempotent)."""
    return await repo.recibir(datos)


async def candidaturas_por_partido(*, repo: PerfilRepository) -> list[Fila]:
    """Registered candidacies per party and sex."""
    return por_partido_y_sexo(await repo.todos())
