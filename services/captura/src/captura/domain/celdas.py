"""Reading the cells of one registry row: tolerant matching and one Rechazo per bad column."""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from comun.eventos.vocabulario import ETIQUETAS


@dataclass(frozen=True, slots=True)
class Rechazo:
    """Why a row was not applied: spreadsheet row, column and a Spanish reason."""

    fila: int
    columna: str
    motivo: str
    folio: str = ""


def normalizar(texto: str) -> str:
    """Upper case, no accents, words joined by underscores: for tolerant matching."""
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn"
    )
    return "_".join(sin_acentos.upper().replace("-", " ").replace("_", " ").split())


def vocabulario(
    *enumeraciones: type[StrEnum], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Accepted spellings (code or Spanish label, any case or accents) → wire code."""
    aceptados: dict[str, str] = {}
    for enumeracion in enumeraciones:
        for miembro in enumeracion:
            aceptados[normalizar(miembro.value)] = miembro.value
            if miembro.value in ETIQUETAS:
                aceptados[normalizar(ETIQUETAS[miembro.value])] = miembro.value
    aceptados.update({normalizar(k): v for k, v in (extra or {}).items()})
    return aceptados


class Lector:
    """Reads one row's cells, collecting a Rechazo per bad column."""

    def __init__(self, fila: int, celdas: Mapping[str, object]) -> None:
        self.fila = fila
        self.celdas = celdas
        self.rechazos: list[Rechazo] = []
        self.folio = ""

    def rechazar(self, columna: str, motivo: str) -> None:
        """Record one problem."""
        self.rechazos.append(Rechazo(self.fila, columna, motivo, self.folio))

    def texto(self, columna: str, *, obligatoria: bool = False, maximo: int = 200) -> str | None:
        """A text cell (numbers are written as integers when whole)."""
        valor = self.celdas.get(columna)
        if valor is None or (isinstance(valor, str) and not valor.strip()):
            if obligatoria:
                self.rechazar(columna, f"La columna {columna} es obligatoria y está vacía.")
            return None
        if isinstance(valor, bool) or not isinstance(valor, (str, int, float, date)):
            self.rechazar(
                columna, "La celda contiene una fórmula o un valor no admitido; escriba el valor."
            )
            return None
        texto = como_texto(valor)
        if len(texto) > maximo:
            self.rechazar(
                columna, f"El texto tiene {len(texto)} caracteres; el máximo es {maximo}."
            )
            return None
        return texto

    def codigo(
        self, columna: str, aceptados: Mapping[str, str], *, obligatoria: bool = True
    ) -> str | None:
        """A value of a closed vocabulary."""
        texto = self.texto(columna, obligatoria=obligatoria)
        if texto is None:
            return None
        codigo = aceptados.get(normalizar(texto))
        if codigo is None:
            opciones = sorted({ETIQUETAS.get(c, c) for c in aceptados.values()})
            self.rechazar(columna, f"«{texto}» no es un valor válido; use: {', '.join(opciones)}.")
        return codigo

    def entero(self, columna: str) -> int | None:
        """A positive whole number, or None when blank."""
        texto = self.texto(columna)
        if texto is None:
            return None
        if not texto.isdigit() or int(texto) < 1:
            self.rechazar(columna, f"«{texto}» debe ser un número entero mayor que cero.")
            return None
        return int(texto)

    def fecha(self, columna: str) -> date | None:
        """A date cell or a DD/MM/AAAA (or AAAA-MM-DD) text."""
        valor = self.celdas.get(columna)
        if isinstance(valor, datetime):
            return valor.date()
        if isinstance(valor, date):
            return valor
        texto = self.texto(columna, obligatoria=True)
        if texto is None:
            return None
        for formato in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                return datetime.strptime(texto, formato).date()
            except ValueError:
                continue
        self.rechazar(columna, f"«{texto}» no es una fecha válida; use DD/MM/AAAA.")
        return None


def como_texto(valor: object) -> str:
    """Cell → stripped text; whole floats lose their '.0' (spreadsheets store numbers as floats)."""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    if isinstance(valor, datetime):
        return valor.date().isoformat()
    return " ".join(str(valor).split())
