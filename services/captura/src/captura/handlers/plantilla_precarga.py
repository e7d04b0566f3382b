"""The pre-load template (PTO 14): instructions, one row per candidacy, catalogs, control."""

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from captura.domain import Candidatura, Eleccion
from captura.domain.curricular import ETIQUETAS_ESTATUS, ETIQUETAS_GRADO
from captura.domain.precarga import (
    CLAVE,
    COLUMNAS,
    CONTEXTO,
    HOJA_CATALOGOS,
    HOJA_CONTROL,
    HOJA_DATOS,
    HOJA_INSTRUCCIONES,
    IDENTIDAD,
    NOMBRES_COLUMNAS,
    VERSION_PLANTILLA,
    descripcion,
)
from captura.handlers.cuestionarios import configuracion
from comun import tabular
from comun.auth.usuario import Usuario


def _fila_plantilla(c: Candidatura, eleccion: Eleccion) -> list[tabular.Cell]:
    """A candidacy's row: context, then its curricular draft; identity always left empty."""
    r = c.registro
    municipio = eleccion.municipios.get(r.municipio) if r.municipio else None
    contexto: dict[str, tabular.Cell] = {
        "id": c.id,
        "nombre": r.nombre,
        "cargo": r.cargo.value,
        "distrito": r.distrito,
        "municipio": getattr(municipio, "nombre", r.municipio),
        "tipo": r.tipo_candidatura.value,
        "partido": r.partido or r.clave_postulante,
        "estado": c.estado.value,
        "revision": c.cuestionarios.revision_curricular,
        "revision_identidad": c.cuestionarios.revision_identidad,
    }
    borrador = c.cuestionarios.curricular
    redes = borrador.get("redes_sociales") or {}
    fila: list[tabular.Cell] = []
    for columna in COLUMNAS:
        if columna.cuestionario == CONTEXTO:
            fila.append(contexto[columna.clave])
        elif columna.cuestionario == IDENTIDAD:
            fila.append(None)
        elif columna.clave.startswith("redes_sociales."):
            fila.append(redes.get(columna.clave.removeprefix("redes_sociales.")))
        else:
            fila.append(_celda_curricular(columna.clave, borrador.get(columna.clave)))
    return fila


def _celda_curricular(clave: str, valor: Any) -> tabular.Cell:
    """A clean draft value as people write it in the template."""
    if valor is None:
        return None
    if clave == "grado_maximo_estudios":
        return str(ETIQUETAS_GRADO.get(valor, valor))
    if clave == "estatus_estudios":
        return str(ETIQUETAS_ESTATUS.get(valor, valor))
    if isinstance(valor, list):
        return "\n".join(str(v) for v in valor)
    return str(valor)


def _instrucciones(eleccion: Eleccion) -> list[tuple[str, str, str]]:
    """The INSTRUCCIONES sheet: general rules first, then every column."""
    config = configuracion(eleccion)
    generales = [
        ("Qué es", "", "Plantilla para precargar los cuestionarios curricular y de identidad de "
         "sus candidaturas (PTO 14). Lo precargado es un BORRADOR: no se publica nunca hasta que "
         "se valida en el sistema y llega la fecha de inicio de publicación."),
        ("Elección", "", f"{eleccion.nombre} ({eleccion.id}). Una plantilla de otra elección se "
         "rechaza completa."),
        ("Filas", "", "Una fila por candidatura, identificada por ID_CANDIDATURA. No agregue filas "
         "de candidaturas que no estén a su cargo: se rechazan."),
        ("Celdas vacías", "", "Una celda vacía deja el borrador como está (no borra nada). Para "
         "borrar una respuesta, hágalo en el cuestionario del sistema."),
        ("Errores", "", "Si una celda de una fila tiene un error, no se guarda nada de la fila; el "
         "reporte dice la fila, la columna y el motivo. Corrija y vuelva a cargar el archivo: "
         "las filas ya guardadas quedan «sin cambios»."),
        ("Encabezados", "", "No cambie, mueva ni borre los encabezados ni las hojas ocultas: el "
         "archivo se rechazaría. Descargue la plantilla de nuevo si los cambió."),
        ("Identidad", "", "Las respuestas del cuestionario de identidad son datos personales "
         "sensibles: la plantilla nunca las trae llenas, aunque ya estén capturadas. Llénelas "
         "solo si tiene la autorización de la persona; se guardan cifradas."),
        ("Fórmulas", "", "No use fórmulas: escriba los valores (las fórmulas no se calculan)."),
        ("Enviadas", "", "Las candidaturas ya enviadas a validación no se modifican por precarga."),
        ("Límites", "", f"Cursos: hasta {config.max_cursos}, de {config.limite_curso} caracteres "
         f"cada uno. Historia profesional: {config.limite_historia_profesional}. Trayectoria "
         f"política: {config.limite_trayectoria_politica}. Motivo: "
         f"{config.limite_motivo_cargo_publico}. Propuestas: {config.limite_propuesta}."),
    ]  # fmt: skip
    columnas = [
        (c.nombre, "solo consulta" if c.cuestionario == CONTEXTO and c.nombre != CLAVE
         else c.cuestionario, descripcion(c, config))
        for c in COLUMNAS
    ]  # fmt: skip
    return generales + columnas


def _catalogos() -> tuple[list[str], list[list[tabular.Cell]], dict[str, str]]:
    """The hidden CATALOGOS sheet (one column per catalog column) and each list's range."""
    from openpyxl.utils import get_column_letter

    con_lista = [c for c in COLUMNAS if c.opciones]
    largo = max(len(c.opciones) for c in con_lista)
    encabezados = [c.nombre[:250] for c in con_lista]
    filas = [
        [c.opciones[i] if i < len(c.opciones) else None for c in con_lista] for i in range(largo)
    ]
    rangos = {
        c.nombre: f"{HOJA_CATALOGOS}!${get_column_letter(i + 1)}$2:"
        f"${get_column_letter(i + 1)}${len(c.opciones) + 1}"
        for i, c in enumerate(con_lista)
    }
    return encabezados, filas, rangos  # type: ignore[return-value]


def plantilla_xlsx(
    *, eleccion: Eleccion, candidaturas: Sequence[Candidatura], usuario: Usuario
) -> bytes:
    """The pre-load template: instructions, one row per candidacy, catalogs and control data."""
    encabezados, catalogo, rangos = _catalogos()
    listas = [
        tabular.DropDown(i, rangos[c.nombre], strict=not c.multiple)
        for i, c in enumerate(COLUMNAS)
        if c.nombre in rangos
    ]
    control = [
        ("ELECCION", eleccion.id),
        ("VERSION_PLANTILLA", VERSION_PLANTILLA),
        ("GENERADA", datetime.now(UTC).isoformat(timespec="seconds")),
        ("USUARIO", usuario.nombre_usuario),
    ]
    salida = io.BytesIO()
    tabular.write_xlsx(
        salida,
        {
            HOJA_INSTRUCCIONES: (("TEMA O COLUMNA", "CUESTIONARIO", "INSTRUCCIONES"),
                                 _instrucciones(eleccion)),
            HOJA_DATOS: (NOMBRES_COLUMNAS, (_fila_plantilla(c, eleccion) for c in candidaturas)),
            HOJA_CATALOGOS: (encabezados, catalogo),
            HOJA_CONTROL: (("CLAVE", "VALOR"), control),
        },
        hidden={HOJA_CATALOGOS, HOJA_CONTROL},
        drop_downs={HOJA_DATOS: listas},
    )  # fmt: skip
    return salida.getvalue()
