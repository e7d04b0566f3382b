"""The in-process search index: light rows of every public profile, kept fresh from the store.

Any replica may have written a change (the consumer runs in one of them), so each process
catches up from the store by modification time instead of relying on its own writes.
"""

import asyncio
import time
import weakref

from comun.store import Document, Store
from publicacion.adapters import PerfilRepository
from publicacion.domain.busqueda import Fila, Tabla

# Writers stamp their own clock; a margin covers skew between replicas and late commits.
MARGEN_S = 5.0
FRESCURA_S = 1.0


class IndicePublico:
    """Rows of the public profiles by id, refreshed at most every `frescura` seconds."""

    def __init__(self, repo: PerfilRepository, *, frescura: float = FRESCURA_S) -> None:
        self._repo = repo
        self._frescura = frescura
        self._filas: dict[str, Fila] = {}
        self._tabla: Tabla | None = None
        self._desde = 0.0
        self._revisado = -1.0
        self._candado = asyncio.Lock()

    async def filas(self) -> dict[str, Fila]:
        """The rows, caught up with the store if the last look is older than `frescura`."""
        if time.monotonic() - self._revisado >= self._frescura:
            async with self._candado:
                if time.monotonic() - self._revisado >= self._frescura:
                    await self._ponerse_al_dia()
        return self._filas

    async def tabla(self) -> Tabla:
        """The rows sorted and grouped for searching (rebuilt only after a change)."""
        filas = await self.filas()
        if self._tabla is None:
            self._tabla = Tabla(filas.values())
        return self._tabla

    def invalidar(self) -> None:
        """This process wrote a change: the next read catches up at once."""
        self._revisado = -1.0

    async def _ponerse_al_dia(self) -> None:
        """Apply every document changed since the last look (all of them the first time)."""
        # The next look starts a margin before this one began: a write stamped earlier but
        # committed later is still seen, and a quiet store is not read again.
        comienzo = time.time()
        async for doc in self._repo.modificados_desde(self._desde):
            self._aplicar(doc)
        self._desde = comienzo - MARGEN_S
        self._revisado = time.monotonic()

    def _aplicar(self, doc: Document) -> None:
        """One stored profile into the rows; the table is rebuilt only if a row changed."""
        candidatura_id, vista = str(doc["_id"]), doc.get("vista")
        nueva = None if vista is None else Fila.de_vista(vista, str(doc.get("orden", "")))
        if self._filas.get(candidatura_id) == nueva:
            return
        if nueva is None:
            del self._filas[candidatura_id]
        else:
            self._filas[candidatura_id] = nueva
        self._tabla = None


_INDICES: "weakref.WeakKeyDictionary[Store, IndicePublico]" = weakref.WeakKeyDictionary()


def indice_de(store: Store) -> IndicePublico:
    """The one index of this process's publicacion store."""
    indice = _INDICES.get(store)
    if indice is None:
        indice = _INDICES[store] = IndicePublico(PerfilRepository(store))
    return indice
