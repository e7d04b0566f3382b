"""Use cases of publicacion: one keyword-only function each, returning data."""

from comun.eventos import CandidaturaRegistrada
from publicacion.adapters import RegistroRepository
from publicacion.domain import Resumen, resumir


async def conocer_candidatura(*, repo: RegistroRepository, datos: CandidaturaRegistrada) -> bool:
    """Learn a registered candidacy from captura (idempotent); True if it changed the model."""
    return await repo.aplicar(datos)


async def resumen_publico(*, repo: RegistroRepository) -> Resumen:
    """The counts of the public home page."""
    return resumir(await repo.todas())
