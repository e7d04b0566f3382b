"""Personal data in free text: CURP, RFC, Mexican phone numbers and e-mail addresses."""

import re
from collections.abc import Iterator

from comun.eventos.vocabulario import MotivoContenido
from validacion.domain.revisiones.hallazgos import Hallazgo, Regla

_FECHA = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ENTIDADES = (
    "AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL"
    "|VZ|YN|ZS|NE"
)
CURP = re.compile(
    rf"(?<![\w])[A-Z][AEIOUX][A-Z]{{2}}{_FECHA}[HMX](?:{_ENTIDADES})"
    r"[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d(?![\w])",
    re.IGNORECASE,
)
# With homoclave: 4 letters (persona física) or 3 (persona moral), date, 3 characters.
RFC = re.compile(rf"(?<![\w&])[A-ZÑ&]{{3,4}}{_FECHA}[A-Z\d]{{2}}[A\d](?![\w])", re.IGNORECASE)
_DOMINIO = r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}"
DOMINIO = re.compile(_DOMINIO, re.IGNORECASE)
CORREO = re.compile(rf"(?<![\w.+-])[\w.+-]+@{_DOMINIO}(?![\w])", re.IGNORECASE)
# A run of digits and separators; it is a phone number if it holds 10 national digits.
TELEFONO = re.compile(r"(?<![\w+/.,-])(?:\+\s?)?\(?\d[\d\s().-]{7,20}\d(?![\w/])")
_SEPARADOS = re.compile(r"\d+")
# Cheap tests that rule out most texts before the precise expressions run.
_POSIBLE_IDENTIFICADOR = re.compile(r"[^\W\d_]{3}\d{6}")
_POSIBLE_TELEFONO = re.compile(r"\d[\s().-]?\d{3}")

EXPLICACION_IDENTIFICADOR = (
    "El texto contiene lo que parece un{0} {1}. Es un dato personal que no debe publicarse "
    "en la información de la candidatura."
)
SUGERENCIA_IDENTIFICADOR = "Retire el dato."
EXPLICACION_CONTACTO = (
    "El texto contiene lo que parece {0}. Si es de otra persona, es un dato personal que no "
    "debe publicarse; si es de la candidatura, va en los campos de contacto público."
)
SUGERENCIA_CONTACTO = "Retírelo del texto y, si es el contacto de campaña, anótelo en su campo."


def buscar_datos_personales(*, texto: str, campo: str) -> Iterator[Hallazgo]:
    """CURP and RFC (code 6: publication restricted) and phones and e-mails (no code)."""
    if _POSIBLE_IDENTIFICADOR.search(texto):
        for m in CURP.finditer(texto):
            explicacion = EXPLICACION_IDENTIFICADOR.format("a", "CURP")
            yield _hallazgo(campo, m, explicacion, identificador=True)
        for m in RFC.finditer(texto):
            explicacion = EXPLICACION_IDENTIFICADOR.format("", "RFC")
            yield _hallazgo(campo, m, explicacion, identificador=True)
    if "@" in texto:
        for m in CORREO.finditer(texto):
            yield _hallazgo(campo, m, EXPLICACION_CONTACTO.format("un correo electrónico"))
    if _POSIBLE_TELEFONO.search(texto):
        for m in TELEFONO.finditer(texto):
            if digitos_de_telefono(m.group()) is not None:
                yield _hallazgo(campo, m, EXPLICACION_CONTACTO.format("un número de teléfono"))


def digitos_de_telefono(candidato: str) -> str | None:
    """The ten national digits, optionally after 52 (and the old mobile 1) or 01; no year ranges."""
    digitos = "".join(_SEPARADOS.findall(candidato))
    for prefijo in ("521", "52", "01", "044", "045", ""):
        if digitos.startswith(prefijo) and len(digitos) - len(prefijo) == 10:
            # «2018-2022 2023-2024»: groups of four that look like years are not phones.
            grupos = _SEPARADOS.findall(candidato)
            if all(len(g) == 4 and g[:2] in ("19", "20") for g in grupos):
                return None
            return digitos[len(prefijo) :]
    return None


def _hallazgo(
    campo: str, m: re.Match[str], explicacion: str, *, identificador: bool = False
) -> Hallazgo:
    """A personal-data finding."""
    return Hallazgo(
        regla=Regla.DATOS_PERSONALES,
        codigo=MotivoContenido.RESTRINGIDO_LEGISLACION if identificador else None,
        campo=campo,
        inicio=m.start(),
        fin=m.end(),
        explicacion=explicacion,
        sugerencia=SUGERENCIA_IDENTIFICADOR if identificador else SUGERENCIA_CONTACTO,
    )
