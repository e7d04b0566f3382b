"""What the public may see of the candidacies: plain Python, no frameworks."""

from publicacion.domain.perfil import (
    CAMPOS_REGISTRO,
    CONTENIDO,
    MODERACION,
    PERFIL_COMPLETO,
    REGISTRO,
    CambioPublicado,
    EstadoPerfil,
    Perfil,
)
from publicacion.domain.resumen import Resumen
from publicacion.domain.vista import url_de, vista_publica

__all__ = [
    "CAMPOS_REGISTRO",
    "CONTENIDO",
    "MODERACION",
    "PERFIL_COMPLETO",
    "REGISTRO",
    "CambioPublicado",
    "EstadoPerfil",
    "Perfil",
    "Resumen",
    "url_de",
    "vista_publica",
]
