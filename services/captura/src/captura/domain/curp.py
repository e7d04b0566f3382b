"""CURP (Clave Única de Registro de Población): format, check digit, birth date and sex."""

import re
from dataclasses import dataclass
from datetime import date

from comun.eventos.vocabulario import Sexo

ENTIDADES = frozenset(
    {
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC",
        "MN", "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ",
        "YN", "ZS", "NE",
    }
)  # fmt: skip
_FORMATO = re.compile(
    r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX](?:"
    + "|".join(sorted(ENTIDADES))
    + r")[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$"
)
_VALORES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")}
_SEXOS = {"H": Sexo.HOMBRE, "M": Sexo.MUJER, "X": Sexo.NO_BINARIO}


@dataclass(frozen=True, slots=True)
class DatosCurp:
    """What a valid CURP says about its holder."""

    fecha_nacimiento: date
    sexo: Sexo


class CurpInvalida(ValueError):
    """The CURP is malformed; the message says how, in Spanish."""


def digito_verificador(curp17: str) -> int:
    """RENAPO's check digit of the first 17 characters."""
    suma = sum(_VALORES[c] * (18 - i) for i, c in enumerate(curp17))
    return (10 - suma % 10) % 10


def leer_curp(texto: str) -> DatosCurp:
    """Check a CURP and return its birth date and sex; CurpInvalida when wrong."""
    curp = texto.strip().upper()
    if len(curp) != 18:
        raise CurpInvalida(f"La CURP debe tener 18 caracteres; recibimos {len(curp)}.")
    if not _FORMATO.match(curp):
        raise CurpInvalida(f"La CURP «{curp}» no tiene el formato oficial de RENAPO.")
    if int(curp[17]) != digito_verificador(curp[:17]):
        raise CurpInvalida(f"El dígito verificador de la CURP «{curp}» no es correcto.")
    siglo = 1900 if curp[16].isdigit() else 2000
    try:
        nacimiento = date(siglo + int(curp[4:6]), int(curp[6:8]), int(curp[8:10]))
    except ValueError as exc:
        raise CurpInvalida(f"La CURP «{curp}» contiene una fecha que no existe.") from exc
    return DatosCurp(fecha_nacimiento=nacimiento, sexo=_SEXOS[curp[10]])


def armar_curp(
    *, base: str, nacimiento: date, sexo: Sexo, entidad: str, consonantes: str, homoclave: str
) -> str:
    """Compose a CURP with its check digit (for synthetic data and tests)."""
    letra = {Sexo.HOMBRE: "H", Sexo.MUJER: "M", Sexo.NO_BINARIO: "X"}[sexo]
    siglo = homoclave if nacimiento.year < 2000 else chr(ord("A") + int(homoclave) % 26)
    curp17 = f"{base}{nacimiento:%y%m%d}{letra}{entidad}{consonantes}{siglo}"
    return curp17 + str(digito_verificador(curp17))
