"""Domain of captura: the election catalog, the candidacy registry and its reconciliation."""

from captura.domain.armado_catalogo import CatalogoInvalido, armar_eleccion, revisar_eleccion
from captura.domain.candidatura import (
    BAJAS,
    Candidatura,
    CandidaturaActualizadaHecho,
    CandidaturaCanceladaHecho,
    CandidaturaRegistradaHecho,
    CandidaturaSustituidaHecho,
    EstadoCandidatura,
    Hecho,
    Registro,
    edad_al,
)
from captura.domain.catalogo import Contienda, Eleccion, contienda_de
from captura.domain.celdas import Rechazo
from captura.domain.conciliacion import Plan, conciliar
from captura.domain.errores import CandidaturaDuplicada, ErrorDominio
from captura.domain.formato_registro import (
    COLUMNAS,
    NOMBRES_COLUMNAS,
    ColumnasIncorrectas,
    FilaRegistro,
    leer_fila,
    revisar_encabezados,
)

__all__ = [
    "BAJAS",
    "COLUMNAS",
    "NOMBRES_COLUMNAS",
    "Candidatura",
    "CandidaturaActualizadaHecho",
    "CandidaturaCanceladaHecho",
    "CandidaturaDuplicada",
    "CandidaturaRegistradaHecho",
    "CandidaturaSustituidaHecho",
    "CatalogoInvalido",
    "ColumnasIncorrectas",
    "Contienda",
    "Eleccion",
    "ErrorDominio",
    "EstadoCandidatura",
    "FilaRegistro",
    "Hecho",
    "Plan",
    "Rechazo",
    "Registro",
    "armar_eleccion",
    "conciliar",
    "contienda_de",
    "edad_al",
    "leer_fila",
    "revisar_eleccion",
    "revisar_encabezados",
]
