"""The values, rows and tables that reading and writing spreadsheets share."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Self

Cell = str | int | float | bool | datetime.date | datetime.datetime | None


class UnusableFile(Exception):
    """The file cannot be read as a table; `str(exc)` is a Spanish message for the user."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula; its text is kept but never evaluated."""

    text: str


Row = tuple[int, list[Cell | Formula]]


@dataclass(frozen=True)
class DropDown:
    """A column whose cells offer a list (a range such as `CATALOGOS!$A$2:$A$9`) to pick from."""

    column: int
    source: str
    strict: bool = True


@dataclass(frozen=True)
class Table:
    """A sheet read lazily: its header row and its non-blank data rows, numbered as shown."""

    headers: list[str]
    rows: Iterator[Row]

    def close(self) -> None:
        """Release the file when the rows are not read to the end."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Self:
        """Use the table in a `with` block that releases the file."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Release the file."""
        self.close()


@dataclass(frozen=True)
class Workbook:
    """Every sheet with a header row, by name (hidden ones listed), read lazily."""

    sheets: dict[str, Table]
    hidden: frozenset[str]
    _closers: tuple[Callable[[], None], ...] = ()

    def close(self) -> None:
        """Release the file."""
        for table in self.sheets.values():
            table.close()
        for close in self._closers:
            close()

    def __enter__(self) -> Self:
        """Use the workbook in a `with` block that releases the file."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Release the file."""
        self.close()
