"""The authenticated user as every service sees it."""

from dataclasses import dataclass, field

from comun.eventos.envelope import Actor
from comun.roles import Rol, rol_principal


@dataclass(frozen=True, slots=True)
class Usuario:
    """A verified token's subject, roles and data scope."""

    id: str
    nombre_usuario: str
    roles: frozenset[Rol] = field(default_factory=frozenset)
    partido: str | None = None
    candidatura: str | None = None
    # Pending actions (claim `acciones`): until done, only identidad's account pages open.
    acciones: frozenset[str] = field(default_factory=frozenset)

    def tiene_rol(self, *roles: Rol) -> bool:
        """Whether the user holds any of the roles."""
        return any(rol in self.roles for rol in roles)


def actor_de(usuario: Usuario) -> Actor:
    """Who an event records for an action of this user: username, highest role, party."""
    rol = rol_principal(usuario.roles).value if usuario.roles else "sin_rol"
    return Actor(usuario=usuario.nombre_usuario, rol=rol, partido=usuario.partido)
