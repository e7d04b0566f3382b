"""Domain of captura: election catalog, candidacy registry, questionnaires and deadlines."""

from captura.domain.armado_catalogo import CatalogoInvalido, armar_eleccion, revisar_eleccion
from captura.domain.candidatura import (
    BAJAS,
    Candidatura,
    CandidaturaActualizadaHecho,
    CandidaturaCanceladaHecho,
    CandidaturaRegistradaHecho,
    CandidaturaSustituidaHecho,
    Captura,
    EstadoCandidatura,
    Hecho,
    Registro,
    edad_al,
)
from captura.domain.catalogo import Contienda, Eleccion, contienda_de
from captura.domain.celdas import Rechazo
from captura.domain.conciliacion import Plan, conciliar
from captura.domain.cuestionarios import Autorizaciones, Consentimiento, Cuestionarios, Fotografia
from captura.domain.errores import (
    CandidaturaDuplicada,
    CapturaCerrada,
    ConflictoEdicion,
    ErrorDominio,
)
from captura.domain.formato_registro import (
    COLUMNAS,
    NOMBRES_COLUMNAS,
    ColumnasIncorrectas,
    FilaRegistro,
    leer_fila,
    revisar_encabezados,
)
from captura.domain.plazo import AlVencer, Plazo, abrir_plazo

__all__ = [
    "BAJAS",
    "COLUMNAS",
    "NOMBRES_COLUMNAS",
    "AlVencer",
    "Autorizaciones",
    "Candidatura",
    "CandidaturaActualizadaHecho",
    "CandidaturaCanceladaHecho",
    "CandidaturaDuplicada",
    "CandidaturaRegistradaHecho",
    "CandidaturaSustituidaHecho",
    "Captura",
    "CapturaCerrada",
    "CatalogoInvalido",
    "ColumnasIncorrectas",
    "ConflictoEdicion",
    "Consentimiento",
    "Contienda",
    "Cuestionarios",
    "Eleccion",
    "ErrorDominio",
    "EstadoCandidatura",
    "FilaRegistro",
    "Fotografia",
    "Hecho",
    "Plan",
    "Plazo",
    "Rechazo",
    "Registro",
    "abrir_plazo",
    "armar_eleccion",
    "conciliar",
    "contienda_de",
    "edad_al",
    "leer_fila",
    "revisar_eleccion",
    "revisar_encabezados",
]
