"""The election catalog validacion learns from captura's events, for the mentions check."""

import contextlib
import time

from comun.bus.idempotencia import aplicar_si_mas_nueva
from comun.eventos.captura import DatosRegistro, EleccionCargada
from comun.eventos.vocabulario import Postulante
from comun.store import Document, DuplicateKeyError, Store
from validacion.domain.revisiones import Catalogo, Mencionable, TipoMencionable

COLECCION = "catalogo_menciones"
# Live hints may see a new candidate's name up to this many seconds late.
VIGENCIA_S = 30.0


class CatalogoRepository:
    """Parties, coalitions, independents and candidates by key, one document each."""

    def __init__(self, store: Store) -> None:
        self._coleccion = store.collection(COLECCION)
        self._cache: tuple[float, Catalogo] | None = None

    async def recibir_eleccion(self, datos: EleccionCargada) -> None:
        """Record the election's parties and independent slates."""
        for p in datos.partidos:
            await self._guardar(
                {"_id": f"partido:{p.clave}", "tipo": TipoMencionable.PARTIDO.value,
                 "clave": p.clave, "nombre": p.nombre, "siglas": [p.clave],
                 "partidos": [p.clave]}
            )  # fmt: skip
        for i in datos.independientes:
            await self._guardar(
                {"_id": f"independiente:{i.clave}", "tipo": TipoMencionable.INDEPENDIENTE.value,
                 "clave": i.clave, "nombre": i.nombre, "siglas": [], "partidos": []}
            )  # fmt: skip

    async def recibir_registro(self, datos: DatosRegistro) -> None:
        """Record a candidate's name and, for coalitions, the coalition's name."""
        partidos = sorted(set(datos.partidos) | ({datos.partido} if datos.partido else set()))
        doc: Document = {
            "_id": f"candidatura:{datos.candidatura_id}",
            "tipo": TipoMencionable.CANDIDATURA.value,
            "clave": datos.candidatura_id,
            "nombre": datos.nombre,
            "siglas": [],
            "partidos": partidos,
        }
        await aplicar_si_mas_nueva(self._coleccion, doc, version=datos.version)
        colectiva = datos.postulante in (Postulante.COALICION, Postulante.CANDIDATURA_COMUN)
        if colectiva and datos.clave_postulante and datos.nombre_postulante:
            await self._guardar(
                {"_id": f"coalicion:{datos.clave_postulante}",
                 "tipo": TipoMencionable.COALICION.value, "clave": datos.clave_postulante,
                 "nombre": datos.nombre_postulante, "siglas": [], "partidos": partidos}
            )  # fmt: skip

    async def catalogo(self) -> Catalogo:
        """The catalog compiled for search, re-read at most every `VIGENCIA_S` seconds."""
        ahora = time.monotonic()
        if self._cache is not None and ahora - self._cache[0] < VIGENCIA_S:
            return self._cache[1]
        docs = await self._coleccion.find({})
        catalogo = Catalogo.de(
            Mencionable(
                tipo=TipoMencionable(d["tipo"]),
                clave=d["clave"],
                nombre=d["nombre"],
                siglas=tuple(d.get("siglas", ())),
                partidos=frozenset(d.get("partidos", ())),
            )
            for d in docs
        )
        self._cache = (ahora, catalogo)
        return catalogo

    async def _guardar(self, doc: Document) -> None:
        """Replace a catalog document (catalog events carry the whole entry)."""
        actual = await self._coleccion.get(doc["_id"])
        if actual == doc:
            return
        if actual is not None:
            await self._coleccion.delete(doc["_id"])
        with contextlib.suppress(DuplicateKeyError):
            await self._coleccion.insert(doc)
