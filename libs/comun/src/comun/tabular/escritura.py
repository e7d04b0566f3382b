"""Writing spreadsheets (XLSX and CSV) whose text cells cannot run as formulas."""

import csv
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import IO, TextIO

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from comun.tabular._tipos import Cell, DropDown

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Cell) -> Cell:
    """Prefix an apostrophe to text that a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def write_xlsx(
    path_or_stream: str | os.PathLike[str] | IO[bytes],
    sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Cell]]]],
    *,
    hidden: Collection[str] = (),
    drop_downs: Mapping[str, Sequence[DropDown]] | None = None,
) -> None:
    """Write one streamed sheet per entry, bold frozen header, every string as inert text."""
    if not sheets:
        raise ValueError("write_xlsx needs at least one sheet")
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        assert isinstance(sheet, WriteOnlyWorksheet)
        sheet.freeze_panes = "A2"
        # Both attributes exist on write-only sheets; the stubs only declare them on Worksheet.
        if title in hidden:
            sheet.sheet_state = "hidden"  # type: ignore[attr-defined]
        for drop_down in (drop_downs or {}).get(title, ()):
            sheet.data_validations.append(_validation(drop_down))  # type: ignore[attr-defined]
        sheet.append([_xlsx_cell(sheet, header, font=bold) for header in headers])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(path_or_stream)


def _validation(drop_down: DropDown) -> DataValidation:
    """A list validation over a whole column below the header."""
    letter = get_column_letter(drop_down.column + 1)
    return DataValidation(
        type="list",
        formula1=drop_down.source,
        sqref=f"{letter}2:{letter}1048576",
        allow_blank=True,
        showErrorMessage=drop_down.strict,
        errorTitle="Opción no válida",
        error="Elija una opción de la lista.",
    )


def write_csv(stream: TextIO, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Write a CSV with every string neutralised against formula injection."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([neutralize(header) for header in headers])
    writer.writerows([neutralize(value) for value in row] for row in rows)


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell, *, font: Font | None = None) -> object:
    """A value ready for a write-only sheet; strings become cells typed as plain text."""
    if not isinstance(value, str) and font is None:
        return value
    cell = WriteOnlyCell(sheet)
    cell.value = _clean_text(value)
    if isinstance(value, str):
        # Typed "s" explicitly: openpyxl would otherwise turn "=…" into a formula, "#N/A" an error.
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _clean_text(value: Cell) -> Cell:
    """Neutralise a string and drop the control characters that XML cannot hold."""
    if not isinstance(value, str):
        return value
    return neutralize(ILLEGAL_CHARACTERS_RE.sub("", value))
