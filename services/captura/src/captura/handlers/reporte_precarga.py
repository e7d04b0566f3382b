"""What a pre-load did (PTO 14): the row-by-row result, its report and the report workbook."""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from captura.domain.precarga import FilaPrecarga, Observacion
from comun import tabular


@dataclass
class ResultadoPrecarga:
    """What a pre-load did, row by row."""

    filas: int = 0
    aceptadas: list[dict[str, Any]] = field(default_factory=list)
    sin_cambios: list[dict[str, Any]] = field(default_factory=list)
    rechazadas: list[dict[str, Any]] = field(default_factory=list)

    def rechazar(self, fila: FilaPrecarga, observaciones: Sequence[Observacion]) -> None:
        """Record a rejected row, one entry per bad cell."""
        for o in observaciones:
            self.rechazadas.append(
                {"hoja": fila.hoja, "fila": fila.numero, "id": fila.candidatura_id or "",
                 "columna": o.columna, "valor": o.valor[:300], "motivo": o.motivo}
            )  # fmt: skip

    @property
    def filas_rechazadas(self) -> int:
        """Rejected rows (a row may have several bad cells)."""
        return len({(r["hoja"], r["fila"]) for r in self.rechazadas})


def reporte(resultado: ResultadoPrecarga, *, archivo: str, formato: str) -> dict[str, Any]:
    """The pre-load report as plain data (stored, returned by the API, exported)."""
    return {
        "archivo": archivo,
        "formato": formato,
        "filas": resultado.filas,
        "resumen": {
            "aceptadas": len(resultado.aceptadas),
            "rechazadas": resultado.filas_rechazadas,
            "sin_cambios": len(resultado.sin_cambios),
        },
        "aceptadas": resultado.aceptadas,
        "rechazadas": sorted(resultado.rechazadas, key=lambda r: (r["hoja"], r["fila"])),
    }


def linea_resumen(datos: Mapping[str, Any]) -> str:
    """`aceptadas=N rechazadas=N sin_cambios=N`."""
    return " ".join(
        f"{k}={datos['resumen'][k]}" for k in ("aceptadas", "rechazadas", "sin_cambios")
    )


def reporte_xlsx(datos: Mapping[str, Any]) -> bytes:
    """The report as a workbook: a summary and the rejected cells."""
    resumen: list[tuple[str, tabular.Cell]] = [
        ("archivo", datos["archivo"]),
        ("filas", datos["filas"]),
    ]
    resumen += list(datos["resumen"].items())
    columnas = ("hoja", "fila", "id", "columna", "valor", "motivo")
    salida = io.BytesIO()
    tabular.write_xlsx(
        salida,
        {
            "RESUMEN": (("CONCEPTO", "VALOR"), resumen),
            "RECHAZADAS": (
                [c.upper() for c in columnas],
                [[r[c] for c in columnas] for r in datos["rechazadas"]],
            ),
            "ACEPTADAS": (
                ("HOJA", "FILA", "ID", "CUESTIONARIOS"),
                [[a["hoja"], a["fila"], a["id"], ", ".join(a["cuestionarios"])]
                 for a in datos["aceptadas"]],
            ),
        },
    )  # fmt: skip
    return salida.getvalue()
