"""Reading a pre-load file (PTO 14): the system's template or INE's layout, row by row."""

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from captura.domain.precarga import (
    CLAVE_INE,
    HOJA_CONTROL,
    HOJA_DATOS,
    HOJA_INE,
    HOJA_INE_IDENTIDAD,
    NOMBRE_INE,
    NOMBRES_COLUMNAS,
    POR_NOMBRE,
    VERSION_PLANTILLA,
    FilaPrecarga,
    leer_fila,
    normalizar,
)
from captura.domain.precarga_ine import columnas_desconocidas
from captura.handlers.importacion import MAX_FILAS
from comun import tabular


class PlantillaInvalida(ValueError):
    """The file is not a pre-load template of this election; the message is Spanish."""


def leer_libro(
    ruta: Path, archivo: str, *, eleccion_id: str, max_bytes: int = 20 * 1024 * 1024
) -> tuple[str, list[FilaPrecarga]]:
    """The rows of a template of this election or of INE's layout; PlantillaInvalida otherwise."""
    with tabular.read_workbook(ruta, filename=archivo, max_bytes=max_bytes) as libro:
        if HOJA_DATOS in libro.sheets or HOJA_CONTROL in libro.sheets:
            revisar_control(libro, archivo, eleccion_id)
            return "plantilla", _filas_plantilla(libro.sheets[HOJA_DATOS])
        if HOJA_INE in libro.sheets:
            return "ine", _filas_ine(libro)
    raise PlantillaInvalida(
        f"El archivo «{archivo}» no es la plantilla de precarga: no tiene la hoja "
        f"«{HOJA_DATOS}» (ni la hoja «{HOJA_INE}» del formato del INE). Descargue la plantilla "
        "desde el sistema y llénela."
    )


def revisar_control(libro: tabular.Workbook, archivo: str, eleccion_id: str) -> None:
    """The hidden control sheet says which election and layout version the template is."""
    otra = "Descargue la plantilla de nuevo desde el sistema y copie en ella sus datos."
    if HOJA_CONTROL not in libro.sheets or HOJA_DATOS not in libro.sheets:
        raise PlantillaInvalida(
            f"Al archivo «{archivo}» le falta una hoja de la plantilla ({HOJA_DATOS} o la hoja "
            f"oculta {HOJA_CONTROL}). {otra}"
        )
    control = {
        str(celdas[0]): tabular_texto(celdas[1])
        for _, celdas in libro.sheets[HOJA_CONTROL].rows
        if len(celdas) > 1 and celdas[0] is not None
    }
    if control.get("ELECCION") != eleccion_id:
        raise PlantillaInvalida(
            f"La plantilla «{archivo}» es de otra elección («{control.get('ELECCION') or '—'}»); "
            f"la elección actual es «{eleccion_id}». {otra}"
        )
    if control.get("VERSION_PLANTILLA") != VERSION_PLANTILLA:
        raise PlantillaInvalida(
            f"La plantilla «{archivo}» es de una versión anterior del formato. {otra}"
        )
    encabezados = libro.sheets[HOJA_DATOS].headers
    _revisar_encabezados(encabezados, NOMBRES_COLUMNAS, HOJA_DATOS)


def tabular_texto(valor: object) -> str:
    """A control cell as text."""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    return "" if valor is None else str(valor).strip()


def _revisar_encabezados(encontrados: Sequence[str], esperados: Sequence[str], hoja: str) -> None:
    """The header row must be the template's, unchanged and in order."""
    for i, (hay, va) in enumerate(zip(encontrados, esperados, strict=False), start=1):
        if hay.strip() != va:
            raise PlantillaInvalida(
                f"Los encabezados de la hoja {hoja} se modificaron: la columna {i} dice «{hay}» y "
                f"debe decir «{va}». No cambie, mueva ni borre encabezados; descargue la "
                "plantilla de nuevo y copie en ella sus datos."
            )
    if len(encontrados) != len(esperados):
        raise PlantillaInvalida(
            f"La hoja {hoja} tiene {len(encontrados)} columnas y la plantilla {len(esperados)}: "
            "no agregue ni borre columnas; descargue la plantilla de nuevo y copie en ella sus "
            "datos."
        )


def _filas(tabla: tabular.Table, hoja: str) -> Iterable[tuple[int, dict[str, Any], frozenset[str]]]:
    """Rows as cells by header, with the columns holding formulas."""
    encabezados = [h.strip() for h in tabla.headers]
    for leidas, (numero, celdas) in enumerate(tabla.rows, start=1):
        if leidas > MAX_FILAS:
            raise tabular.UnusableFile(
                f"La hoja {hoja} tiene más de {MAX_FILAS:,} filas; divídala en varios archivos."
            )
        formulas = frozenset(
            encabezados[i] for i, v in enumerate(celdas) if isinstance(v, tabular.Formula)
        )
        valores = {
            encabezados[i]: (v.text if isinstance(v, tabular.Formula) else v)
            for i, v in enumerate(celdas)
            if encabezados[i]
        }
        yield numero, valores, formulas


def _filas_plantilla(tabla: tabular.Table) -> list[FilaPrecarga]:
    """The template's data rows."""
    return [
        leer_fila(numero, celdas, hoja=HOJA_DATOS, formulas=formulas)
        for numero, celdas, formulas in _filas(tabla, HOJA_DATOS)
    ]


def _filas_ine(libro: tabular.Workbook) -> list[FilaPrecarga]:
    """INE's two sheets joined by NUM_LISTA_O_FORMULA and name (the number alone repeats)."""
    candidatos = libro.sheets[HOJA_INE]
    desconocidas = columnas_desconocidas(candidatos.headers)
    if desconocidas:
        raise PlantillaInvalida(
            f"La hoja {HOJA_INE} tiene columnas que el formato del INE no tiene: "
            f"«{'», «'.join(desconocidas[:5])}». No cambie los encabezados: deben quedar como en "
            "la base publicada por el INE (o use la plantilla del sistema)."
        )
    for requerida in (CLAVE_INE, NOMBRE_INE):
        if requerida not in [h.strip() for h in candidatos.headers]:
            raise PlantillaInvalida(
                f"La hoja {HOJA_INE} no tiene la columna {requerida} del formato del INE."
            )
    filas: dict[tuple[str | None, str], FilaPrecarga] = {}
    for numero, celdas, formulas in _filas(candidatos, HOJA_INE):
        fila = leer_fila(numero, celdas, hoja=HOJA_INE, formulas=formulas)
        filas[_llave_ine(fila)] = fila
    identidad = libro.sheets.get(HOJA_INE_IDENTIDAD)
    if identidad is not None:
        preguntas = [h.strip() for h in identidad.headers if h.strip()[:1].isdigit()]
        desconocidas = [h for h in preguntas if h not in POR_NOMBRE]
        if desconocidas:
            raise PlantillaInvalida(
                f"La hoja {HOJA_INE_IDENTIDAD} tiene preguntas con otro texto que el del INE: "
                f"«{desconocidas[0]}». No cambie los encabezados."
            )
        for numero, celdas, formulas in _filas(identidad, HOJA_INE_IDENTIDAD):
            otra = leer_fila(numero, celdas, hoja=HOJA_INE_IDENTIDAD, formulas=formulas)
            fila = filas.setdefault(_llave_ine(otra), otra)
            if fila is not otra:
                fila.identidad |= otra.identidad
                fila.crudos |= otra.crudos
                fila.observaciones += otra.observaciones
    return list(filas.values())


def _llave_ine(fila: FilaPrecarga) -> tuple[str | None, str]:
    """Joins INE's two sheets: the number and the name (the number alone repeats)."""
    referencia = fila.referencia
    assert referencia is not None
    return referencia.numero, normalizar(referencia.nombre)


def revisar_pronto(ruta: Path, nombre: str, eleccion_id: str, max_bytes: int) -> None:
    """Format, election and header checks, so a wrong file is refused at upload."""
    with tabular.read_workbook(ruta, filename=nombre, max_bytes=max_bytes) as libro:
        if HOJA_DATOS in libro.sheets or HOJA_CONTROL in libro.sheets:
            revisar_control(libro, nombre, eleccion_id)
            return
        if HOJA_INE in libro.sheets:
            # INE's layout names no election; its headers are all there is to check.
            _filas_ine(libro)
            return
    leer_libro(ruta, nombre, eleccion_id=eleccion_id, max_bytes=max_bytes)
