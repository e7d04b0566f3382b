"""Events of the auditoria service: signed heads of the activity history."""

from pydantic import Field

from comun.eventos.envelope import DatosEvento
from comun.servicios import Servicio


class CabezaFirmada(DatosEvento):
    """A new head of the Merkle activity log was signed."""

    SERVICIO = Servicio.AUDITORIA
    NOMBRE = "cabeza_firmada"

    tamano: int = Field(ge=0, description="Number of entries in the log.")
    raiz: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 Merkle root, hex.")
    firma: str = Field(description="Signature of the head, base64.")
    algoritmo: str
    clave_id: str
