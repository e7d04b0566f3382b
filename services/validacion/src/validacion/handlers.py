"""Use cases of validacion: one keyword-only function each, returning data."""

from comun.auth.usuario import Usuario
from comun.eventos import DatosCandidatura
from comun.eventos.captura import DatosRegistro
from comun.roles import Rol
from validacion.adapters import RevisionRepository
from validacion.domain import Revision


async def recibir_registro(*, repo: RevisionRepository, datos: DatosRegistro) -> bool:
    """Add a registered candidacy to its party's queue (idempotent)."""
    return await repo.recibir_registro(datos)


async def cola_de_revision(*, repo: RevisionRepository, usuario: Usuario) -> list[Revision]:
    """The queue a user may review: every party for the institute, else its own party's."""
    if usuario.tiene_rol(Rol.ADMINISTRADOR, Rol.VERIFICADOR):
        return await repo.de_partido(None)
    if usuario.partido:
        return await repo.de_partido(usuario.partido)
    return []


async def dar_de_baja(*, repo: RevisionRepository, datos: DatosCandidatura) -> bool:
    """A substituted or cancelled candidacy stops counting (idempotent)."""
    return await repo.dar_de_baja(datos.candidatura_id, version=datos.version)
