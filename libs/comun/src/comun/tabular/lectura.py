"""Safe reading of spreadsheets (XLSX and CSV) that come from people."""

import codecs
import csv
import datetime
import io
import weakref
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

if TYPE_CHECKING:
    import xlrd.sheet

from comun.tabular._mensajes import (
    _damaged,
    _malformed_csv,
    _no_header,
    _not_a_spreadsheet,
    _suspicious,
)
from comun.tabular._tipos import Cell, Formula, Row, Table, UnusableFile, Workbook

MB = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * MB
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
# Below this size a member cannot hurt whatever its ratio, and tiny XML parts compress oddly.
RATIO_CHECK_FROM_BYTES = 1 * MB
MAX_COLUMNS = 1_000
HEADER_SEARCH_ROWS = 10
SNIFF_CHARS = 64 * 1024
SNIFF_RECORDS = 50
DELIMITERS = (",", ";", "\t", "|")

ZIP_MAGIC = b"PK"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Everything openpyxl, zipfile or the XML parser may raise on a malformed or hostile workbook.
PARSE_ERRORS = (
    InvalidFileException,
    DefusedXmlException,
    ParseError,
    zipfile.BadZipFile,
    zlib.error,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    ArithmeticError,
    EOFError,
    RuntimeError,
    OSError,
)


class _ClosingRows(Iterator[Row]):
    """Rows that release their file when exhausted, on error, on close() or when dropped."""

    def __init__(self, rows: Iterator[Row], stack: ExitStack) -> None:
        """Wrap the rows and the stack that closes their file."""
        self._rows = rows
        self._stack = stack
        self._finalizer = weakref.finalize(self, stack.close)

    def __next__(self) -> Row:
        """The next non-blank row; the file is closed once there are no more."""
        try:
            return next(self._rows)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Release the file now."""
        self._finalizer()


def read_table(path: Path, *, filename: str, max_bytes: int = 20 * MB) -> Table:
    """Open an uploaded XLSX or CSV, chosen by its content, and read its header row."""
    size = path.stat().st_size
    if size > max_bytes:
        raise UnusableFile(
            f"El archivo «{filename}» pesa {_megabytes(size)} MB y el máximo es "
            f"{_megabytes(max_bytes)} MB: divida los datos en varios archivos."
        )
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(ZIP_MAGIC):
        return _read_xlsx(path, filename)
    if head.startswith(OLE2_MAGIC):
        raise UnusableFile(
            f"El archivo «{filename}» es un libro de Excel protegido con contraseña o del formato "
            "antiguo Excel 97-2003 (.xls): ábralo en Excel y guárdelo como "
            "«Libro de Excel (.xlsx)» sin contraseña."
        )
    if not head or head.startswith(BINARY_MAGICS):
        raise UnusableFile(_not_a_spreadsheet(filename))
    return _read_csv(path, filename)


def read_workbook(path: Path, *, filename: str, max_bytes: int = 20 * MB) -> Workbook:
    """Open an uploaded XLSX, legacy XLS or CSV with every sheet that has a header row."""
    size = path.stat().st_size
    if size > max_bytes:
        raise UnusableFile(
            f"El archivo «{filename}» pesa {_megabytes(size)} MB y el máximo es "
            f"{_megabytes(max_bytes)} MB: divida los datos en varios archivos."
        )
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(ZIP_MAGIC):
        return _read_xlsx_sheets(path, filename)
    if head.startswith(OLE2_MAGIC):
        return _read_xls(path, filename)
    if not head or head.startswith(BINARY_MAGICS):
        raise UnusableFile(_not_a_spreadsheet(filename))
    # A CSV file is one unnamed sheet.
    return Workbook(sheets={"": _read_csv(path, filename)}, hidden=frozenset())


# --- XLSX ---------------------------------------------------------------------------------------


def _read_xlsx_sheets(path: Path, filename: str) -> Workbook:
    """Check the ZIP container, then open every worksheet that has a header row."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse an upload")
    with ExitStack() as stack:
        stream = stack.enter_context(path.open("rb"))
        _check_zip(stream, filename)
        stream.seek(0)
        tables: dict[str, Table] = {}
        hidden: set[str] = set()
        with _damaged_as_unusable(filename):
            workbook = openpyxl.load_workbook(
                stream, read_only=True, data_only=False, keep_links=False
            )
            stack.callback(workbook.close)
            for sheet in workbook.worksheets:
                if not isinstance(sheet, ReadOnlyWorksheet):
                    continue
                sheet.reset_dimensions()
                try:
                    header_row, headers = _xlsx_header(sheet, filename)
                except UnusableFile:
                    continue  # a sheet without a header row holds no table
                rows = _xlsx_rows(
                    sheet, start=header_row + 1, width=len(headers), filename=filename
                )
                tables[sheet.title] = Table(headers=headers, rows=rows)
                if sheet.sheet_state != "visible":
                    hidden.add(sheet.title)
        if not tables:
            raise UnusableFile(_no_header(filename))
        return Workbook(sheets=tables, hidden=frozenset(hidden), _closers=(stack.pop_all().close,))


def _read_xlsx(path: Path, filename: str) -> Table:
    """Check the ZIP container, then open the first visible sheet and find its header."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse an upload")
    with ExitStack() as stack:
        stream = stack.enter_context(path.open("rb"))
        _check_zip(stream, filename)
        stream.seek(0)
        with _damaged_as_unusable(filename):
            workbook = openpyxl.load_workbook(
                stream, read_only=True, data_only=False, keep_links=False
            )
            stack.callback(workbook.close)
            sheet = _first_sheet(workbook, filename)
            header_row, headers = _xlsx_header(sheet, filename)
        rows = _xlsx_rows(sheet, start=header_row + 1, width=len(headers), filename=filename)
        return Table(headers=headers, rows=_ClosingRows(rows, stack.pop_all()))


def _check_zip(stream: IO[bytes], filename: str) -> None:
    """Refuse corrupt ZIPs, ZIP bombs and ZIPs that are not Excel workbooks, before parsing."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnusableFile(_damaged(filename)) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnusableFile(_suspicious(filename, f"tiene más de {MAX_ZIP_MEMBERS:,} partes"))
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise UnusableFile(
            f"El archivo «{filename}» ocuparía más de {MAX_UNCOMPRESSED_BYTES // MB} MB al "
            "descomprimirse: divida los datos en varios archivos."
        )
    if any(_too_compressed(member) for member in members):
        raise UnusableFile(_suspicious(filename, "tiene partes con una compresión anómala"))
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise UnusableFile(
            f"El archivo «{filename}» no es un libro de Excel: ábralo en su programa de hojas de "
            "cálculo y guárdelo como «Libro de Excel (.xlsx)»."
        )


def _too_compressed(member: zipfile.ZipInfo) -> bool:
    """Whether a member expands suspiciously more than real workbook parts do."""
    if member.file_size < RATIO_CHECK_FROM_BYTES:
        return False
    return member.file_size > MAX_COMPRESSION_RATIO * member.compress_size


def _first_sheet(workbook: openpyxl.Workbook, filename: str) -> ReadOnlyWorksheet:
    """The first visible worksheet (the first tab people see), else the first worksheet."""
    sheets = [sheet for sheet in workbook.worksheets if isinstance(sheet, ReadOnlyWorksheet)]
    if not sheets:
        raise UnusableFile(f"El libro «{filename}» no tiene hojas de cálculo con datos.")
    visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
    sheet = (visible or sheets)[0]
    # The declared dimension can lie (too small drops data, too large pads millions of cells).
    sheet.reset_dimensions()
    return sheet


def _xlsx_header(sheet: ReadOnlyWorksheet, filename: str) -> tuple[int, list[str]]:
    """The first non-blank row among the first few, as header texts."""
    rows = _iter_rows(sheet, min_row=1, max_row=HEADER_SEARCH_ROWS)
    for number, row in enumerate(rows, start=1):
        headers = _trim([_header_text(_xlsx_value(cell)) for cell in row])
        if headers:
            return number, _checked_width(headers, filename)
    raise UnusableFile(_no_header(filename))


def _xlsx_rows(sheet: ReadOnlyWorksheet, *, start: int, width: int, filename: str) -> Iterator[Row]:
    """Stream the non-blank rows after the header."""
    with _damaged_as_unusable(filename):
        blank: object = None
        rows = _iter_rows(sheet, min_row=start, max_col=width)
        for number, row in enumerate(rows, start=start):
            # openpyxl hands the same padded tuple for every missing row: skip it at no cost.
            if row is blank:
                continue
            cells = [_xlsx_value(cell) for cell in row]
            if all(cell is None for cell in cells):
                blank = row
                continue
            yield number, cells


def _iter_rows(
    sheet: ReadOnlyWorksheet,
    *,
    min_row: int,
    max_row: int | None = None,
    max_col: int | None = None,
) -> Iterator[tuple[object, ...]]:
    """The sheet's rows of cells within bounds, read as the file streams by."""
    # The stubs type ReadOnlyWorksheet.iter_rows as Worksheet's, whose `self` does not match.
    rows: Iterator[tuple[object, ...]] = sheet.iter_rows(  # type: ignore[misc]
        min_row=min_row, max_row=max_row, max_col=max_col
    )
    return rows


def _xlsx_value(cell: object) -> Cell | Formula:
    """The value of a read-only cell: formulas wrapped, text stripped, times as text."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        text = value if isinstance(value, str) else getattr(value, "text", None)
        return Formula(text if isinstance(text, str) else "=")
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return str(value)


@contextmanager
def _damaged_as_unusable(filename: str) -> Iterator[None]:
    """Turn whatever a malformed workbook makes the parser raise into an UnusableFile."""
    try:
        yield
    except PARSE_ERRORS as exc:
        raise UnusableFile(_damaged(filename)) from exc


# --- XLS (Excel 97-2003) ------------------------------------------------------------------------

ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def _read_xls(path: Path, filename: str) -> Workbook:
    """A legacy workbook, read whole (it is under the size limit); cached formula results only."""
    import xlrd
    from xlrd.biffh import XLRDError
    from xlrd.compdoc import CompDocError

    data = path.read_bytes()
    protected = UnusableFile(
        f"El archivo «{filename}» está protegido con contraseña: ábralo en Excel, quite la "
        "contraseña y guárdelo como «Libro de Excel (.xlsx)»."
    )
    if ENCRYPTED_MARK in data:
        raise protected
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=False, on_demand=False)
    except XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise protected from exc
        raise UnusableFile(_damaged(filename)) from exc
    except (CompDocError, *PARSE_ERRORS) as exc:
        raise UnusableFile(_damaged(filename)) from exc
    tables: dict[str, Table] = {}
    hidden: set[str] = set()
    for sheet in book.sheets():
        if sheet.ncols > MAX_COLUMNS:
            raise UnusableFile(
                f"El archivo «{filename}» tiene {sheet.ncols:,} columnas y el máximo es "
                f"{MAX_COLUMNS:,}: deje solo las columnas del formato."
            )
        found = _xls_header(sheet, book.datemode)
        if found is None:
            continue
        header_row, headers = found
        tables[sheet.name] = Table(
            headers=headers, rows=_xls_rows(sheet, book.datemode, header_row, len(headers))
        )
        if sheet.visibility != 0:
            hidden.add(sheet.name)
    if not tables:
        raise UnusableFile(_no_header(filename))
    return Workbook(sheets=tables, hidden=frozenset(hidden))


def _xls_header(sheet: "xlrd.sheet.Sheet", datemode: int) -> tuple[int, list[str]] | None:
    """The first non-blank row among the first few (1-based number), as header texts."""
    for index in range(min(sheet.nrows, HEADER_SEARCH_ROWS)):
        headers = _trim([_header_text(_xls_value(c, datemode)) for c in sheet.row(index)])
        if headers:
            return index + 1, headers
    return None


def _xls_rows(
    sheet: "xlrd.sheet.Sheet", datemode: int, header_row: int, width: int
) -> Iterator[Row]:
    """The non-blank rows after the header, cut or padded to its width."""
    for index in range(header_row, sheet.nrows):
        cells: list[Cell | Formula] = [
            _xls_value(c, datemode) for c in sheet.row_slice(index, 0, width)
        ]
        if any(cell is not None for cell in cells):
            yield index + 1, cells + [None] * (width - len(cells))


def _xls_value(cell: "xlrd.sheet.Cell", datemode: int) -> Cell:
    """A legacy cell's value: text stripped, whole numbers as int, dates as dates, errors blank."""
    import xlrd

    value = cell.value
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return str(value).strip() or None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        number = float(value)
        return int(number) if number.is_integer() else number
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(float(value), 1 if datemode else 0)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return None
        return moment.date() if moment.time() == datetime.time() else moment
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return None


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(path: Path, filename: str) -> Table:
    """Decode, sniff the delimiter and find the header of a delimited text file."""
    encoding = _text_encoding(path, filename)
    with path.open(encoding=encoding, newline="") as text:
        sample = text.read(SNIFF_CHARS)
    if sample.lstrip().startswith("<"):
        raise UnusableFile(
            f"El archivo «{filename}» es una página web o un XML, no una hoja de cálculo: ábralo "
            "en Excel y guárdelo como «Libro de Excel (.xlsx)»."
        )
    delimiter = _sniff_delimiter(sample, truncated=len(sample) == SNIFF_CHARS, filename=filename)
    with ExitStack() as stack:
        text = stack.enter_context(path.open(encoding=encoding, newline=""))
        records = enumerate(csv.reader(text, delimiter=delimiter), start=1)
        header_row, headers = _csv_header(records, filename)
        rows = _csv_rows(records, start=header_row + 1, width=len(headers), filename=filename)
        return Table(headers=headers, rows=_ClosingRows(rows, stack.pop_all()))


def _text_encoding(path: Path, filename: str) -> str:
    """UTF-16 when it has a BOM, else UTF-8 (BOM optional), else Windows-1252."""
    with path.open("rb") as stream:
        head = stream.read(2)
    if head in UTF16_BOMS:
        candidates: tuple[str, ...] = ("utf-16",)
    elif _contains_nul(path):
        raise UnusableFile(_not_a_spreadsheet(filename))
    else:
        candidates = ("utf-8-sig", "cp1252")
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise UnusableFile(
        f"El archivo «{filename}» no está en una codificación de texto reconocida: guárdelo como "
        "«CSV UTF-8 (delimitado por comas)»."
    )


def _contains_nul(path: Path) -> bool:
    """Whether the file has NUL bytes, which text never has."""
    with path.open("rb") as stream:
        return any(b"\x00" in chunk for chunk in iter(lambda: stream.read(MB), b""))


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes strictly in this encoding, read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(MB), b""):
                if "\x00" in decoder.decode(chunk):
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(sample: str, *, truncated: bool, filename: str) -> str:
    """The delimiter that splits the first records into the most consistent columns."""
    best, best_score = "", (0.0, 0)
    for delimiter in DELIMITERS:
        score = _delimiter_score(sample, delimiter, truncated=truncated)
        if score > best_score:
            best, best_score = delimiter, score
    if best:
        return best
    # One column: no delimiter shows, so the name decides (tab-separated files end in .tsv).
    return "\t" if filename.lower().endswith((".tsv", ".tab")) else ","


def _delimiter_score(sample: str, delimiter: str, *, truncated: bool) -> tuple[float, int]:
    """(share of records as wide as the first, width of the first); zeros if one column."""
    try:
        records = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(r)]
    except csv.Error:
        return 0.0, 0
    if truncated:
        records = records[:-1]
    records = records[:SNIFF_RECORDS]
    if not records or len(records[0]) < 2:
        return 0.0, 0
    width = len(records[0])
    return sum(len(record) == width for record in records) / len(records), width


def _csv_header(records: Iterator[tuple[int, list[str]]], filename: str) -> tuple[int, list[str]]:
    """The first non-blank record among the first few, as header texts."""
    try:
        for number, record in records:
            headers = _trim([_header_text(field.strip() or None) for field in record])
            if headers:
                return number, _checked_width(headers, filename)
            if number >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise UnusableFile(_malformed_csv(filename, 1)) from exc
    raise UnusableFile(_no_header(filename))


def _csv_rows(
    records: Iterator[tuple[int, list[str]]],
    *,
    start: int,
    width: int,
    filename: str,
) -> Iterator[Row]:
    """Stream the non-blank records after the header, cut or padded to its width."""
    number = start - 1
    try:
        for number, record in records:
            cells: list[Cell | Formula] = [field.strip() or None for field in record[:width]]
            if any(cell is not None for cell in cells):
                yield number, cells + [None] * (width - len(cells))
    except csv.Error as exc:
        raise UnusableFile(_malformed_csv(filename, number + 1)) from exc


# --- Shared helpers -----------------------------------------------------------------------------


def _header_text(value: Cell | Formula) -> str:
    """A header cell as text: stripped, empty when blank."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    return str(value).strip()


def _trim(headers: list[str]) -> list[str]:
    """Headers without the blank cells after the last named column."""
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _checked_width(headers: list[str], filename: str) -> list[str]:
    """The headers, unless there are more columns than any real registry has."""
    if len(headers) > MAX_COLUMNS:
        raise UnusableFile(
            f"El archivo «{filename}» tiene {len(headers):,} columnas y el máximo es "
            f"{MAX_COLUMNS:,}: deje solo las columnas del formato."
        )
    return headers


def _megabytes(size: int) -> str:
    """A size in MB for people: whole when exact, else one decimal."""
    return f"{size // MB}" if size % MB == 0 else f"{size / MB:.1f}"
