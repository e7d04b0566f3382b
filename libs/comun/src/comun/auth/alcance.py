"""Data scope (DOMINIO §1): objects outside a user's party or candidacy look like 404."""

from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
from comun.roles import Rol
from comun.store.port import Filter

# soporte handles incident reports only (DOMINIO §1): it sees no party data.
ROLES_GLOBALES = (Rol.ADMINISTRADOR, Rol.VERIFICADOR)
ROLES_DE_PARTIDO = (Rol.SUPERVISOR, Rol.PARTIDO)


def en_alcance(usuario: Usuario, *, partido: str | None, candidatura_id: str | None = None) -> bool:
    """Whether the user may see an object of this party (and candidacy)."""
    if usuario.tiene_rol(*ROLES_GLOBALES):
        return True
    if (
        usuario.tiene_rol(*ROLES_DE_PARTIDO)
        and usuario.partido is not None
        and usuario.partido == partido
    ):
        return True
    return (
        usuario.tiene_rol(Rol.CANDIDATURA)
        and usuario.candidatura is not None
        and candidatura_id == usuario.candidatura
    )


def verificar_alcance(
    usuario: Usuario, *, partido: str | None, candidatura_id: str | None = None
) -> None:
    """Raise NoEncontrado (404, never revealing existence) when the object is out of scope."""
    if not en_alcance(usuario, partido=partido, candidatura_id=candidatura_id):
        raise NoEncontrado()


def filtro_alcance(
    usuario: Usuario, *, campo_partido: str = "partido", campo_candidatura: str = "_id"
) -> Filter | None:
    """Store filter for the objects in scope (None: everything; an impossible filter: nothing)."""
    if usuario.tiene_rol(*ROLES_GLOBALES):
        return None
    opciones: list[Filter] = []
    if usuario.tiene_rol(*ROLES_DE_PARTIDO) and usuario.partido is not None:
        opciones.append({campo_partido: usuario.partido})
    if usuario.tiene_rol(Rol.CANDIDATURA) and usuario.candidatura is not None:
        opciones.append({campo_candidatura: usuario.candidatura})
    if not opciones:
        return {"_id": {"$in": []}}
    return opciones[0] if len(opciones) == 1 else {"$or": opciones}
