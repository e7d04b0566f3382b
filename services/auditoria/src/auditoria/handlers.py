"""Use cases of auditoria: one keyword-only function each, returning data."""

from auditoria.adapters import HistorialRepository
from auditoria.domain import Entrada
from comun.eventos import Evento


async def anotar_evento(*, repo: HistorialRepository, evento: Evento) -> bool:
    """Record who did what from any service's event; True the first time only."""
    entrada = Entrada(
        evento_id=evento.id,
        momento=evento.time,
        usuario=evento.actor.usuario,
        rol=evento.actor.rol,
        partido=evento.actor.partido,
        modulo=evento.modulo,
        accion=evento.accion,
        tipo=evento.type,
        sujeto=evento.subject,
    )
    return await repo.anotar(entrada)


async def consultar(
    *, repo: HistorialRepository, pagina: int, por_pagina: int
) -> tuple[list[Entrada], int]:
    """One page of the history, newest first, with the total count."""
    entradas = await repo.recientes(limite=por_pagina, saltar=(pagina - 1) * por_pagina)
    return entradas, await repo.total()
