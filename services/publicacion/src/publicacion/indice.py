"""The in-process search index: light rows of every public profile, kept fresh from the store.

Any replica may have written a change (the consumer runs in one of them), so each process
catches up from the store by modification time instead of relying on its own writes.
"""

import asyncio
import time
import weakref

from comun.store import Store
from publicacion.adapters import PerfilRepository
from publicacion.domain.busqueda import Fila

# Writers stamp their own clock; a margin covers skew between replicas and late commits.
MARGEN_S = 5.0
FRESCURA_S = 1.0


class IndicePublico:
    """Rows of the public profiles by id, refreshed at most every `frescura` seconds."""

    def __init__(self, repo: PerfilRepository, *, frescura: float = FRESCURA_S) -> None:
        self._repo = repo
        self._frescura = frescura
        self._filas: dict[str, Fila] = {}
        self._hasta = 0.0
        self._revisado = -1.0
        self._candado = asyncio.Lock()

    async def filas(self) -> dict[str, Fila]:
        """The rows, caught up with the store if the last look is older than `frescura`."""
        if time.monotonic() - self._revisado >= self._frescura:
            async with self._candado:
                if time.monotonic() - self._revisado >= self._frescura:
                    await self._ponerse_al_dia()
        return self._filas

    def invalidar(self) -> None:
        """This process wrote a change: the next read catches up at once."""
        self._revisado = -1.0

    async def _ponerse_al_dia(self) -> None:
        """Apply every document changed since the last look (all of them the first time)."""
        desde = self._hasta - MARGEN_S if self._hasta else 0.0
        async for doc in self._repo.modificados_desde(desde):
            vista = doc.get("vista")
            if vista is None:
                self._filas.pop(str(doc["_id"]), None)
            else:
                self._filas[str(doc["_id"])] = Fila.de_vista(vista, str(doc.get("orden", "")))
            self._hasta = max(self._hasta, float(doc["modificado_en"]))
        self._revisado = time.monotonic()


_INDICES: "weakref.WeakKeyDictionary[Store, IndicePublico]" = weakref.WeakKeyDictionary()


def indice_de(store: Store) -> IndicePublico:
    """The one index of this process's publicacion store."""
    indice = _INDICES.get(store)
    if indice is None:
        indice = _INDICES[store] = IndicePublico(PerfilRepository(store))
    return indice
