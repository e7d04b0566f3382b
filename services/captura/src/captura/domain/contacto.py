"""Text cleaning and the public contact fields of the cuestionario curricular."""

import re
import unicodedata
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

LIMITE_URL = 300
LIMITE_CORREO = 254
MINIMO_DOMICILIO = 10

_SEPARADORES_TELEFONO = frozenset(" -.()\t")
_LOCAL_CORREO = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_ETIQUETA_DOMINIO = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_ESQUEMA = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PELIGROSOS = frozenset({"javascript", "data", "vbscript", "file"})
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class RespuestaInvalida(ValueError):
    """An answer breaks a rule; the message says, in Spanish, what and how to fix it."""


def cifra(numero: int) -> str:
    """Number with thousands separator as written in Mexico (5,000)."""
    return f"{numero:,}"


def como_texto(valor: Any) -> str | None:
    """The raw value as text: spreadsheet numbers become digits; None stays None."""
    if valor is None or isinstance(valor, str):
        return valor
    if isinstance(valor, bool):
        raise RespuestaInvalida("Se esperaba un texto; recibimos un valor verdadero/falso.")
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float) and valor.is_integer():
        # Spreadsheets turn a phone typed without separators into 5512345678.0.
        return str(int(valor))
    raise RespuestaInvalida(
        f"Se esperaba un texto; recibimos un valor de tipo {type(valor).__name__}."
    )


def limpiar_texto(valor: Any, *, limite: int | None = None, una_linea: bool = False) -> str | None:
    """Stripped NFC text with \\n line ends, or None if empty; RespuestaInvalida if unusable."""
    texto = como_texto(valor)
    if texto is None:
        return None
    texto = texto.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not texto:
        return None
    # Category Cc is exactly U+0000–U+001F and U+007F–U+009F; one regex search, not a char loop.
    control = _CONTROL.search(texto)
    if control is not None:
        posicion, caracter = control.start() + 1, control.group()
        raise RespuestaInvalida(
            f"El texto tiene un carácter de control invisible (U+{ord(caracter):04X}) en la "
            f"posición {cifra(posicion)}; bórrelo o vuelva a escribir el texto sin copiarlo."
        )
    texto = unicodedata.normalize("NFC", texto)
    if una_linea and "\n" in texto:
        raise RespuestaInvalida("Este dato debe ocupar una sola línea; quite los saltos de línea.")
    if limite is not None and len(texto) > limite:
        raise RespuestaInvalida(
            f"El texto tiene {cifra(len(texto))} caracteres; el máximo es {cifra(limite)}. "
            "Resúmalo para que quepa."
        )
    return texto


def validar_telefono(valor: Any) -> str | None:
    """A Mexican phone number as its 10 digits."""
    texto = limpiar_texto(valor, una_linea=True)
    if texto is None:
        return None
    if any(c.isalpha() for c in texto):
        raise RespuestaInvalida(
            f"El teléfono «{texto}» tiene letras; escriba solo los 10 dígitos, por ejemplo "
            "55 1234 5678 (sin extensión)."
        )
    internacional = texto.startswith("+")
    cuerpo = texto[1:] if internacional else texto
    for caracter in cuerpo:
        if not (caracter.isdigit() or caracter in _SEPARADORES_TELEFONO):
            raise RespuestaInvalida(
                f"El teléfono tiene el símbolo «{caracter}»; use solo números, espacios, guiones, "
                "puntos, paréntesis y, al inicio, +52."
            )
    digitos = "".join(c for c in cuerpo if c.isdigit())
    if not digitos.isascii():
        raise RespuestaInvalida("El teléfono debe escribirse con números del 0 al 9.")
    if internacional:
        if not digitos.startswith("52"):
            raise RespuestaInvalida(
                "Solo se aceptan teléfonos de México; quite la lada de otro país o use +52."
            )
        digitos = digitos[2:]
        # Mobile numbers were dialled "+52 1 …" until 2019; the 1 is no longer part of the number.
        if len(digitos) == 11 and digitos.startswith("1"):
            digitos = digitos[1:]
        if len(digitos) != 10:
            raise RespuestaInvalida(
                f"El teléfono debe tener 10 dígitos después de +52; recibimos {len(digitos)}."
            )
    else:
        digitos = _quitar_prefijo(digitos)
    if len(digitos) != 10:
        raise RespuestaInvalida(f"El teléfono debe tener 10 dígitos; recibimos {len(digitos)}.")
    if digitos[0] in "01":
        raise RespuestaInvalida(
            f"Ningún teléfono de México empieza con {digitos[0]}; revise la lada de «{texto}»."
        )
    return digitos


def _quitar_prefijo(digitos: str) -> str:
    """The 10-digit number behind a country or pre-2019 long-distance/mobile prefix."""
    prefijos = {14: ("0052",), 13: ("521", "044", "045"), 12: ("52", "01")}
    for prefijo in prefijos.get(len(digitos), ()):
        if digitos.startswith(prefijo):
            return digitos[len(prefijo) :]
    return digitos


def validar_correo(valor: Any) -> str | None:
    """A practical e-mail address check; the domain is lower-cased."""
    texto = limpiar_texto(valor, una_linea=True)
    if texto is None:
        return None
    if texto.lower().startswith("mailto:"):
        texto = texto[len("mailto:") :]
    ejemplo = "escríbalo como nombre@dominio.mx"
    if any(c.isspace() for c in texto):
        raise RespuestaInvalida(f"El correo no puede tener espacios; {ejemplo}.")
    if len(texto) > LIMITE_CORREO:
        raise RespuestaInvalida(
            f"El correo tiene {len(texto)} caracteres; el máximo es {LIMITE_CORREO}."
        )
    if texto.count("@") != 1:
        falta = "le falta la arroba (@)" if "@" not in texto else "tiene más de una arroba (@)"
        raise RespuestaInvalida(f"El correo «{texto}» {falta}; {ejemplo}.")
    local, dominio = texto.split("@")
    if not local:
        raise RespuestaInvalida(f"Falta el nombre antes de la arroba (@); {ejemplo}.")
    for caracter in local:
        if not _LOCAL_CORREO.match(caracter):
            raise RespuestaInvalida(
                f"El correo no puede llevar «{caracter}» antes de la arroba; use letras sin "
                "acento, números, puntos, guiones o guion bajo."
            )
    if len(local) > 64 or local.startswith(".") or local.endswith(".") or ".." in local:
        raise RespuestaInvalida(
            "El nombre antes de la arroba no puede empezar ni terminar con punto, tener dos "
            "puntos seguidos ni pasar de 64 caracteres."
        )
    dominio = dominio.lower()
    revisar_dominio(dominio, que="El dominio del correo")
    return f"{local}@{dominio}"


def revisar_dominio(dominio: str, *, que: str) -> None:
    """A dotted DNS name with valid labels and a letters-only ending (.mx, .com…)."""
    if not dominio:
        raise RespuestaInvalida(f"{que} está vacío; escriba algo como ejemplo.mx.")
    etiquetas = dominio.split(".")
    if len(etiquetas) < 2:
        raise RespuestaInvalida(
            f"{que} «{dominio}» no tiene terminación; agregue .com, .mx u otra."
        )
    try:
        ascii_ = dominio.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise RespuestaInvalida(f"{que} «{dominio}» no es un nombre de dominio válido.") from exc
    *nombres, tld = ascii_.split(".")
    if not all(_ETIQUETA_DOMINIO.match(e) for e in nombres) or not _TLD.match(tld):
        raise RespuestaInvalida(
            f"{que} «{dominio}» no es válido: use letras, números y guiones separados por "
            "puntos, y una terminación de letras como .com o .mx."
        )


def separar_url(texto: str) -> SplitResult:
    """Split a web address, adding https:// when only the host was written."""
    if any(c.isspace() for c in texto):
        raise RespuestaInvalida("La dirección web no puede tener espacios; quítelos o use %20.")
    esquema = _ESQUEMA.match(texto)
    if esquema and esquema.group(1).lower() in _PELIGROSOS:
        raise RespuestaInvalida(
            f"No se aceptan direcciones «{esquema.group(1).lower()}:»; escriba una dirección web "
            "que empiece con https://."
        )
    if texto.startswith("//"):
        texto = "https:" + texto
    elif "://" not in texto:
        if esquema and not esquema.group(1).isdigit() and "." not in esquema.group(1):
            raise RespuestaInvalida(
                f"Solo se aceptan direcciones web con http:// o https://; recibimos "
                f"«{esquema.group(1)}:»."
            )
        texto = "https://" + texto
    partes = urlsplit(texto)
    if partes.scheme.lower() not in ("http", "https"):
        raise RespuestaInvalida(
            f"Solo se aceptan direcciones web con http:// o https://; recibimos «{partes.scheme}://»."
        )
    if "@" in partes.netloc:
        raise RespuestaInvalida(
            "La dirección no puede llevar usuario ni contraseña (lo que va antes de «@»); quítelo."
        )
    try:
        partes.port  # noqa: B018  # urlsplit only checks the port when it is read
    except ValueError as exc:
        raise RespuestaInvalida("El puerto de la dirección web no es válido.") from exc
    host = (partes.hostname or "").lower()
    revisar_dominio(host, que="El sitio de la dirección web")
    return partes._replace(scheme=partes.scheme.lower(), netloc=partes.netloc.lower())


def validar_url(valor: Any) -> str | None:
    """A public http(s) address, with https:// added when missing."""
    texto = limpiar_texto(valor, una_linea=True)
    if texto is None:
        return None
    url = urlunsplit(separar_url(texto))
    if len(url) > LIMITE_URL:
        raise RespuestaInvalida(
            f"La dirección web tiene {len(url)} caracteres; el máximo es {LIMITE_URL}. "
            "Use una dirección más corta."
        )
    return url


def validar_domicilio(valor: Any, *, limite: int) -> str | None:
    """The campaign house address: one line with letters, at least 10 characters."""
    texto = limpiar_texto(valor, limite=limite, una_linea=True)
    if texto is None:
        return None
    if len(texto) < MINIMO_DOMICILIO:
        raise RespuestaInvalida(
            f"El domicilio es muy corto ({len(texto)} caracteres); escriba calle, número, "
            "colonia y municipio."
        )
    if not any(c.isalpha() for c in texto):
        raise RespuestaInvalida(
            "El domicilio debe incluir el nombre de la calle, la colonia y el municipio, "
            "no solo números."
        )
    return texto
