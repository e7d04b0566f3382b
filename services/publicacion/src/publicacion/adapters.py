"""Read model of publicacion on the document-store port."""

from comun.bus.idempotencia import aplicar_si_mas_nueva, fusionar_si_mas_nueva
from comun.eventos.captura import DatosRegistro
from comun.store import Store
from publicacion.domain import FichaRegistro

COLECCION = "registro"


class RegistroRepository:
    """Candidacies known from captura, newest aggregate version wins."""

    def __init__(self, store: Store) -> None:
        self._coleccion = store.collection(COLECCION)

    async def aplicar(self, datos: DatosRegistro) -> bool:
        """Store the registry data unless a newer version is already held."""
        doc = {
            "_id": datos.candidatura_id,
            "nombre": datos.nombre,
            "cargo": datos.cargo.value,
            "partido": datos.partido,
            "publicada": False,
            "vigente": True,
        }
        return await aplicar_si_mas_nueva(self._coleccion, doc, version=datos.version)

    async def dar_de_baja(self, candidatura_id: str, *, version: int) -> bool:
        """A substituted or cancelled candidacy stops counting (and is never published)."""
        campos = {"vigente": False, "publicada": False}
        return await fusionar_si_mas_nueva(self._coleccion, candidatura_id, campos, version=version)

    async def todas(self) -> list[FichaRegistro]:
        """Every known candidacy."""
        return [_a_ficha(doc) for doc in await self._coleccion.find({}, sort=[("_id", 1)])]


def _a_ficha(doc: dict[str, object]) -> FichaRegistro:
    """Document → value object."""
    return FichaRegistro(
        candidatura_id=str(doc["_id"]),
        nombre=str(doc["nombre"]),
        cargo=str(doc["cargo"]),
        partido=None if doc.get("partido") is None else str(doc["partido"]),
        publicada=bool(doc.get("publicada")),
        vigente=bool(doc.get("vigente", True)),
    )
