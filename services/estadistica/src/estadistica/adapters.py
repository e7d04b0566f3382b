"""Statistics inputs on the document-store port."""

from comun.bus.idempotencia import aplicar_si_mas_nueva, fusionar_si_mas_nueva
from comun.eventos.captura import DatosRegistro
from comun.store import Store
from estadistica.domain import Perfil

COLECCION = "perfiles"


class PerfilRepository:
    """Registry attributes per candidacy, newest captura version wins."""

    def __init__(self, store: Store) -> None:
        self._coleccion = store.collection(COLECCION)

    async def recibir(self, datos: DatosRegistro) -> bool:
        """Record the attributes of a registered candidacy (idempotent)."""
        doc = {
            "_id": datos.candidatura_id,
            "partido": datos.partido,
            "cargo": datos.cargo.value,
            "sexo": datos.sexo.value,
        }
        return await aplicar_si_mas_nueva(self._coleccion, doc, version=datos.version)

    async def dar_de_baja(self, candidatura_id: str, *, version: int) -> bool:
        """A substituted or cancelled candidacy leaves the model's active set."""
        campos = {"vigente": False}
        return await fusionar_si_mas_nueva(self._coleccion, candidatura_id, campos, version=version)

    async def todos(self) -> list[Perfil]:
        """Every candidacy's attributes."""
        docs = await self._coleccion.find({"vigente": {"$ne": False}})
        return [Perfil(partido=d.get("partido"), cargo=d["cargo"], sexo=d["sexo"]) for d in docs]
