"""The values, rows and tables that reading and writing spreadsheets share."""

import datetime
from collections.abc import Iterator
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
