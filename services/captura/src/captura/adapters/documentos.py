"""Checking of the uploaded signed consent document: a passive PDF or a legible image."""

import re
import zlib
from dataclasses import replace

from captura.adapters.fotografia import (
    LIMITES_FOTOGRAFIA,
    FotografiaInvalida,
    excede,
    formato_de,
    procesar_fotografia,
)

TIPOS_DOCUMENTO = ("application/pdf", "image/jpeg", "image/png")
MAX_BYTES_DOCUMENTO = 10 * 1024 * 1024
# A signed scan must stay legible: larger than a portrait, finer JPEG.
LIMITES_ESCANEO = replace(LIMITES_FOTOGRAFIA, min_lado=500, lado_salida=3000, calidad=90)
# Names that make a PDF do something when opened or clicked, or carry other files. An action
# that runs code always names its type (/S /JavaScript, /Launch…), so /OpenAction alone, which
# often just sets the first view, is allowed.
NOMBRES_ACTIVOS = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"AA",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
        b"GoToE",
    }
)
# Short names occur by chance in binary stream data (a 10 MB scan would trip on /JS one time in
# thirty), so they are looked for only outside streams; long ones everywhere.
_NOMBRES_CORTOS = frozenset({b"JS", b"AA", b"XFA"})
_NOMBRE = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_INICIO_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# Decompressed object streams are scanned up to this many bytes (a zip bomb stops here).
_MAX_DESCOMPRIMIDO = 64 * 1024 * 1024
_COLA_EOF = 1024


class DocumentoInvalido(ValueError):
    """An uploaded consent document that cannot be kept; the Spanish message says why."""


def revisar_documento(
    contenido: bytes, *, max_bytes: int = MAX_BYTES_DOCUMENTO
) -> tuple[bytes, str]:
    """Check a signed document; return the bytes to store and their media type."""
    if not contenido:
        raise DocumentoInvalido(
            "El archivo está vacío; elija el documento firmado y vuelva a subirlo."
        )
    if len(contenido) > max_bytes:
        raise DocumentoInvalido(
            f"El documento {excede(len(contenido), max_bytes)}. Escanéelo con menor resolución "
            "y vuelva a subirlo."
        )
    if contenido.startswith(b"%PDF-"):
        return _revisar_pdf(contenido), "application/pdf"
    if formato_de(contenido) is None:
        raise DocumentoInvalido(
            "El archivo no es un PDF ni una imagen JPEG o PNG. Escanee el documento firmado en "
            "uno de esos formatos y vuelva a subirlo."
        )
    try:
        procesada = procesar_fotografia(
            contenido, limites=replace(LIMITES_ESCANEO, max_bytes=max_bytes)
        )
    except FotografiaInvalida as error:
        raise DocumentoInvalido(str(error)) from error
    return procesada.contenido, "image/jpeg"


def _revisar_pdf(contenido: bytes) -> bytes:
    """A PDF is kept as uploaded once it is complete, unencrypted and has no active content."""
    if not contenido.startswith((b"%PDF-1.", b"%PDF-2.")):
        raise DocumentoInvalido(
            "El PDF declara una versión desconocida; guárdelo de nuevo como PDF y vuelva a subirlo."
        )
    if b"%%EOF" not in contenido[-_COLA_EOF:]:
        raise DocumentoInvalido(
            "El PDF está incompleto (le falta el final del archivo); vuelva a guardarlo o "
            "escanearlo y súbalo otra vez."
        )
    nombres = {n for n in _nombres(contenido) if n not in _NOMBRES_CORTOS}
    nombres |= _nombres(_fuera_de_streams(contenido))
    for datos in _objetos_comprimidos(contenido):
        nombres |= _nombres(datos)
    if b"Encrypt" in nombres:
        raise DocumentoInvalido(
            "El PDF está protegido con contraseña o cifrado; guárdelo sin protección y vuelva a "
            "subirlo."
        )
    activos = sorted(n.decode("latin-1") for n in nombres & NOMBRES_ACTIVOS)
    if activos:
        raise DocumentoInvalido(
            "El PDF contiene contenido activo (" + ", ".join(f"/{n}" for n in activos) + "), "
            "que no se admite. Imprímalo a un PDF nuevo o escanee el documento firmado y vuelva "
            "a subirlo."
        )
    return contenido


def _nombres(datos: bytes) -> set[bytes]:
    """Every PDF name in the bytes, with `#xx` escapes resolved (`/J#61vaScript` → JavaScript)."""
    return {
        _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), nombre.group(1))
        for nombre in _NOMBRE.finditer(datos)
    }


def _fuera_de_streams(contenido: bytes) -> bytes:
    """The PDF without the data of its streams: objects, dictionaries, trailers."""
    partes: list[bytes] = []
    posicion = 0
    for inicio in _INICIO_STREAM.finditer(contenido):
        if inicio.start() < posicion:
            continue
        partes.append(contenido[posicion : inicio.start()])
        fin = contenido.find(b"endstream", inicio.end())
        posicion = len(contenido) if fin < 0 else fin
    partes.append(contenido[posicion:])
    return b"\n".join(partes)


def _objetos_comprimidos(contenido: bytes) -> list[bytes]:
    """The decompressed object streams, where a PDF can hide dictionaries from a byte scan."""
    objetos: list[bytes] = []
    total = 0
    for inicio in _INICIO_STREAM.finditer(contenido):
        diccionario = contenido[contenido.rfind(b"obj", 0, inicio.start()) : inicio.start()]
        if b"ObjStm" not in _nombres(diccionario):
            continue
        fin = contenido.find(b"endstream", inicio.end())
        datos = contenido[inicio.end() : fin if fin >= 0 else len(contenido)]
        filtros = _nombres(diccionario) & {
            b"FlateDecode", b"Fl", b"LZWDecode", b"ASCIIHexDecode", b"ASCII85Decode",
            b"RunLengthDecode", b"Crypt", b"LZW", b"AHx", b"A85", b"RL",
        }  # fmt: skip
        if filtros - {b"FlateDecode", b"Fl"}:
            raise DocumentoInvalido(_ILEGIBLE)
        if filtros:
            datos = _descomprimir(datos, _MAX_DESCOMPRIMIDO - total)
        total += len(datos)
        objetos.append(datos)
    return objetos


def _descomprimir(datos: bytes, maximo: int) -> bytes:
    descompresor = zlib.decompressobj()
    try:
        salida = descompresor.decompress(datos, maximo)
    except zlib.error as error:
        raise DocumentoInvalido(_ILEGIBLE) from error
    if descompresor.unconsumed_tail:
        raise DocumentoInvalido(_ILEGIBLE)
    return salida


_ILEGIBLE = (
    "El PDF tiene partes comprimidas que no podemos revisar; imprímalo a un PDF nuevo o escanee "
    "el documento firmado y vuelva a subirlo."
)
