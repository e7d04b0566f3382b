"""The authenticated user as every service sees it."""

from dataclasses import dataclass, field

from comun.roles import Rol


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
