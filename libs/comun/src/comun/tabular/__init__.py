"""Safe reading and writing of spreadsheets (XLSX and CSV) that come from people."""

from typing import TYPE_CHECKING

from comun.tabular._tipos import Cell, DropDown, Formula, Row, Table, UnusableFile, Workbook

if TYPE_CHECKING:
    from comun.tabular.escritura import neutralize, write_csv, write_xlsx
    from comun.tabular.lectura import read_table, read_workbook

__all__ = [
    "Cell",
    "DropDown",
    "Formula",
    "Row",
    "Table",
    "UnusableFile",
    "Workbook",
    "neutralize",
    "read_table",
    "read_workbook",
    "write_csv",
    "write_xlsx",
]

_PEREZOSOS = {
    "read_table": "comun.tabular.lectura",
    "read_workbook": "comun.tabular.lectura",
    "neutralize": "comun.tabular.escritura",
    "write_csv": "comun.tabular.escritura",
    "write_xlsx": "comun.tabular.escritura",
}


def __getattr__(nombre: str) -> object:
    """Import openpyxl only when a spreadsheet is first read or written (0.25 s at start-up)."""
    if nombre not in _PEREZOSOS:
        raise AttributeError(f"module {__name__!r} has no attribute {nombre!r}")
    import importlib

    return getattr(importlib.import_module(_PEREZOSOS[nombre]), nombre)
