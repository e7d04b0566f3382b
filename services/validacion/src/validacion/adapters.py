"""Review queue of validacion on the document-store port."""

from comun.bus.idempotencia import aplicar_si_mas_nueva, fusionar_si_mas_nueva
from comun.eventos.captura import DatosRegistro
from comun.store import Document, Store
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

    async def de_partido(self, partido: str | None) -> list[Revision]:
        """The queue of one party, or of every party when None."""
        filtro: Document = {"vigente": {"$ne": False}}
        if partido is not None:
            filtro["partido"] = partido
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
