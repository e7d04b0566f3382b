"""Deterministic synthetic candidacies in the registry import layout, for demos and load tests.

Every place of every contest of the catalog (a fórmula of a district, a list position or a
council seat of each postulante) is filled by an invented propietaria and her suplente. The
people are plausible, never real: Mexican names, CURPs that agree with name, birth date and sex,
gender parity along each planilla, and some fórmulas under an acción afirmativa.
"""

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from captura.domain.catalogo import Eleccion
from captura.domain.formato_registro import NOMBRES_COLUMNAS
from captura.generador.lugares import elegir, todos_los_lugares
from captura.generador.personas import Padron
from comun import tabular

HOJA = "REGISTRO"


def capacidad(eleccion: Eleccion) -> int:
    """How many candidacies (propietarias plus suplentes) the whole election holds."""
    return 2 * len(todos_los_lugares(eleccion))


def generar(
    eleccion: Eleccion, *, candidaturas: int, semilla: int = 2024
) -> list[dict[str, object]]:
    """Invent `candidaturas` registry rows (whole fórmulas, so an odd number is rounded down).

    Places are taken one fórmula at a time, round-robin over the offices (diputación MR and RP,
    presidencia, sindicatura, regiduría MR and RP); within an office every postulante (party,
    coalición, candidatura común, independiente) gets one place before any gets a second, each
    touring the districts or municipalities from a different start, and lower positions first.
    Rows come out in catalog order. The same election, number and seed give the same rows, and
    a place keeps its people when the number grows (unless a rare CURP clash moves a homoclave).
    ValueError when the number is negative or exceeds `capacidad`.
    """
    lugares = todos_los_lugares(eleccion)
    if candidaturas < 0:
        raise ValueError(
            f"El número de candidaturas no puede ser negativo; recibimos {candidaturas}."
        )
    if candidaturas > 2 * len(lugares):
        raise ValueError(
            f"La elección «{eleccion.nombre}» admite como máximo {2 * len(lugares):,} candidaturas "
            f"(propietarias y suplentes); se pidieron {candidaturas:,}."
        )
    padron = Padron(eleccion, semilla)
    return [
        fila
        for lugar in elegir(lugares, candidaturas // 2, semilla)
        for fila in padron.filas(lugar)
    ]


def repetir_formula(
    eleccion: Eleccion, *, prefijo: str, formulas: int, semilla: int
) -> list[dict[str, object]]:
    """`formulas` new fórmulas for the election's first place, with new folios and people.

    For load and fault tests that need many registrations: the place repeats (the registry
    allows that), the folios `<prefijo>-00001-P/S` and the people (CURPs) do not.
    """
    primero = elegir(todos_los_lugares(eleccion), 1, semilla)[0]
    padron = Padron(eleccion, semilla)
    return [
        fila
        for i in range(1, formulas + 1)
        for fila in padron.filas(dataclasses.replace(primero, folio=f"{prefijo}-{i:05d}"))
    ]


def escribir(filas: Iterable[Mapping[str, object]], destino: Path) -> None:
    """Write rows in the layout as .xlsx (sheet REGISTRO) or .csv (UTF-8 with BOM, for Excel)."""
    tipo = destino.suffix.lower()
    if tipo not in (".xlsx", ".csv"):
        raise ValueError(
            f"No se puede escribir «{destino.name}»: el archivo debe terminar en .xlsx o .csv."
        )
    celdas = ([_celda(fila.get(c)) for c in NOMBRES_COLUMNAS] for fila in filas)
    if tipo == ".xlsx":
        tabular.write_xlsx(destino, {HOJA: (NOMBRES_COLUMNAS, celdas)})
        return
    with destino.open("w", encoding="utf-8-sig", newline="") as archivo:
        tabular.write_csv(archivo, NOMBRES_COLUMNAS, celdas)


def _celda(valor: object) -> tabular.Cell:
    """A row value as a spreadsheet cell."""
    if valor is None or isinstance(valor, str | int | float | date):
        return valor
    return str(valor)


# --- The places of the election -----------------------------------------------------------------
