"""Use cases of validacion: one keyword-only function each, returning data."""

from comun.auth.alcance import filtro_alcance
from comun.auth.usuario import Usuario
from comun.eventos import DatosCandidatura
from comun.eventos.captura import DatosRegistro
from validacion.adapters import RevisionRepository
from validacion.domain import Revision


async def recibir_registro(*, repo: RevisionRepository, datos: DatosRegistro) -> bool:
    """Add a registered candidacy to its party's queue (idempotent)."""
    return await repo.recibir_registro(datos)


async def cola_de_revision(*, repo: RevisionRepository, usuario: Usuario) -> list[Revision]:
    """The queue a user may see: all (institute), its party's, or its own candidacy."""
    return await repo.en_alcance(filtro_alcance(usuario))


async def dar_de_baja(*, repo: RevisionRepository, datos: DatosCandidatura) -> bool:
    """A substituted or cancelled candidacy stops counting (idempotent)."""
    return await repo.dar_de_baja(datos.candidatura_id, version=datos.version)
