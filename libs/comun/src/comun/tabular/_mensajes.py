"""The Spanish messages that tell people why an uploaded file cannot be read."""

import csv


def _not_a_spreadsheet(filename: str) -> str:
    """Message for files that are not spreadsheets at all."""
    return f"El archivo «{filename}» no es una hoja de cálculo: use XLSX o CSV."


def _damaged(filename: str) -> str:
    """Message for workbooks that cannot be parsed."""
    return f"El archivo «{filename}» está dañado o no es un libro de Excel válido."


def _malformed_csv(filename: str, row: int) -> str:
    """Message for CSV text the parser rejects, such as an endless quoted cell."""
    return (
        f"El archivo «{filename}» tiene un error de formato CSV cerca de la fila {row} (una celda "
        f"de más de {csv.field_size_limit():,} caracteres o unas comillas sin cerrar): corríjalo "
        "o expórtelo de nuevo."
    )


def _suspicious(filename: str, reason: str) -> str:
    """Message for workbooks whose container looks crafted to exhaust the server."""
    return (
        f"El archivo «{filename}» {reason} y no se puede leer con seguridad: ábralo en Excel y "
        "guárdelo de nuevo como «Libro de Excel (.xlsx)»."
    )


def _no_header(filename: str) -> str:
    """Message for sheets without a header row."""
    return (
        f"El archivo «{filename}» está vacío o no tiene fila de encabezados: la primera fila debe "
        "llevar los nombres de las columnas."
    )
