"""Use cases of validacion: one keyword-only function each, returning data."""

from comun.auth.usuario import Usuario
from comun.eventos import CandidaturaRegistrada
from comun.roles import Rol
from validacion.adapters import RevisionRepository
from validacion.domain import Revision


async def recibir_registro(*, repo: RevisionRepository, datos: CandidaturaRegistrada) -> bool:
    """Add a registered candidacy to its party's queue (idempotent)."""
    return await repo.recibir_registro(datos)


async def cola_de_revision(*, repo: RevisionRepository, usuario: Usuario) -> list[Revision]:
    """The queue a user may review: every party for the institute, else its own party's."""
    if usuario.tiene_rol(Rol.ADMINISTRADOR, Rol.VERIFICADOR):
        return await repo.de_partido(None)
    if usuario.partido:
        return await repo.de_partido(usuario.partido)
    return []
