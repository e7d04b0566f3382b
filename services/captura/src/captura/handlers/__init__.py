"""Use cases of captura: one keyword-only function each, returning data."""

from captura.handlers.registro import (
    EleccionNoCargada,
    Filtros,
    Progreso,
    Resultado,
    buscar_candidaturas,
    candidaturas_visibles,
    cargar_eleccion,
    eleccion_cargada,
    importar_registro,
    obtener_candidatura,
    registrar_candidatura,
)

__all__ = [
    "EleccionNoCargada",
    "Filtros",
    "Progreso",
    "Resultado",
    "buscar_candidaturas",
    "candidaturas_visibles",
    "cargar_eleccion",
    "eleccion_cargada",
    "importar_registro",
    "obtener_candidatura",
    "registrar_candidatura",
]
