"""File-store port: content-addressed binary files (photographs, signed documents)."""

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol

_ID = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Archivo:
    """A stored file: its sha256 (hex) is its id."""

    id: str
    tipo: str
    tamano: int


class ArchivoCorrupto(Exception):
    """A stored file's bytes are missing or no longer match its sha256."""


class IdArchivoInvalido(ValueError):
    """An id that is not 64 lowercase hex characters (a sha256)."""


class FileStore(Protocol):
    """Binary files keyed by the sha256 of their content: the same bytes twice are one file."""

    async def guardar(self, contenido: bytes, *, tipo: str) -> Archivo:
        """Store the content; when it already exists, keep the first `tipo` and return it."""
        ...

    async def leer(self, archivo_id: str) -> tuple[bytes, str] | None:
        """Return (content, tipo), or None; raise ArchivoCorrupto when the bytes do not verify."""
        ...

    async def existe(self, archivo_id: str) -> bool:
        """Whether a file with this id is stored."""
        ...

    async def borrar(self, archivo_id: str) -> None:
        """Delete the file; deleting a missing file is not an error."""
        ...


def id_de(contenido: bytes) -> str:
    """The id of some content: its sha256 in lowercase hex."""
    return hashlib.sha256(contenido).hexdigest()


def validar_id(archivo_id: str) -> str:
    """Return the id when it is a sha256 in lowercase hex; raise IdArchivoInvalido otherwise."""
    if not isinstance(archivo_id, str) or not _ID.fullmatch(archivo_id):
        raise IdArchivoInvalido(f"id de archivo inválido: {archivo_id!r:.80}")
    return archivo_id


def validar_tipo(tipo: str) -> str:
    """Return the media type when it looks like `type/subtype`; raise ValueError otherwise."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*", tipo) or len(tipo) > 127:
        raise ValueError(f"tipo de archivo inválido: {tipo!r:.80}")
    return tipo


__all__ = [
    "Archivo",
    "ArchivoCorrupto",
    "FileStore",
    "IdArchivoInvalido",
    "id_de",
    "validar_id",
    "validar_tipo",
]
