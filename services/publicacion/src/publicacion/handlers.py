"""Use cases of publicacion: one keyword-only function each, returning data."""

from comun.eventos import DatosCandidatura
from comun.eventos.captura import DatosRegistro
from publicacion.adapters import RegistroRepository
from publicacion.domain import Resumen, resumir


async def conocer_candidatura(*, repo: RegistroRepository, datos: DatosRegistro) -> bool:
    """Learn a registered or corrected candidacy (idempotent); True if it changed the model."""
    return await repo.aplicar(datos)


async def retirar_candidatura(*, repo: RegistroRepository, datos: DatosCandidatura) -> bool:
    """A substituted or cancelled candidacy leaves the counts (idempotent)."""
    return await repo.dar_de_baja(datos.candidatura_id, version=datos.version)


async def resumen_publico(*, repo: RegistroRepository) -> Resumen:
    """The counts of the public home page."""
    return resumir(await repo.todas())
