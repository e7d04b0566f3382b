"""Review queue of validacion on the document-store port."""

from comun.bus.idempotencia import aplicar_si_mas_nueva, fusionar_si_mas_nueva
from comun.eventos.captura import DatosRegistro
from comun.store import Document, Filter, Store
from validacion.domain import EstadoRevision, Revision

COLECCION = "revisiones"


class RevisionRepository:
    """One document per candidacy; a newer captura version replaces an older one."""

    def __init__(self, store: Store) -> None:
        self._coleccion = store.collection(COLECCION)

    async def preparar(self) -> None:
        """Index for the per-party queue."""
        await self._coleccion.create_index([("partido", 1), ("_id", 1)])

    async def recibir_registro(self, datos: DatosRegistro) -> bool:
        """Queue a newly registered candidacy, waiting for capture."""
        doc: Document = {
            "_id": datos.candidatura_id,
            "nombre": datos.nombre,
            "cargo": datos.cargo.value,
            "partido": datos.partido,
            "estado": EstadoRevision.EN_ESPERA.value,
        }
        return await aplicar_si_mas_nueva(self._coleccion, doc, version=datos.version)

    async def dar_de_baja(self, candidatura_id: str, *, version: int) -> bool:
        """A substituted or cancelled candidacy leaves the model's active set."""
        campos = {"vigente": False}
        return await fusionar_si_mas_nueva(self._coleccion, candidatura_id, campos, version=version)

    async def en_alcance(self, alcance: Filter | None) -> list[Revision]:
        """Candidacies in force matching a scope filter (None: all of them)."""
        filtro: Filter = {"vigente": {"$ne": False}}
        if alcance is not None:
            filtro = {"$and": [filtro, alcance]}
        docs = await self._coleccion.find(filtro, sort=[("_id", 1)])
        return [
            Revision(
                candidatura_id=d["_id"],
                nombre=d["nombre"],
                cargo=d["cargo"],
                partido=d.get("partido"),
                estado=EstadoRevision(d["estado"]),
            )
            for d in docs
        ]
