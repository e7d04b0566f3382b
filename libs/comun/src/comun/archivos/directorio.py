"""File-store adapter on a local folder: one file per content, sharded by two hex chars."""

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

from comun.archivos import Archivo, ArchivoCorrupto, id_de, validar_id, validar_tipo

_SUFIJO_TIPO = ".tipo"


class DirectorioArchivos:
    """Files under `carpeta/ab/cdef…`, the media type in a `.tipo` sidecar beside each one."""

    def __init__(self, carpeta: Path) -> None:
        self._carpeta = carpeta

    async def guardar(self, contenido: bytes, *, tipo: str) -> Archivo:
        """Store the content; when it already exists, keep the first `tipo` and return it."""
        validar_tipo(tipo)
        return await asyncio.to_thread(self._guardar, bytes(contenido), tipo)

    async def leer(self, archivo_id: str) -> tuple[bytes, str] | None:
        """Return (content, tipo), or None; raise ArchivoCorrupto when the bytes do not verify."""
        return await asyncio.to_thread(self._leer, validar_id(archivo_id))

    async def existe(self, archivo_id: str) -> bool:
        """Whether a file with this id is stored."""
        return await asyncio.to_thread(self._ruta(validar_id(archivo_id)).is_file)

    async def borrar(self, archivo_id: str) -> None:
        """Delete the file; deleting a missing file is not an error."""
        await asyncio.to_thread(self._borrar, validar_id(archivo_id))

    def _ruta(self, archivo_id: str) -> Path:
        """Where a (validated) id lives; the id is hex only, so it cannot leave the folder."""
        return self._carpeta / archivo_id[:2] / archivo_id[2:]

    def _guardar(self, contenido: bytes, tipo: str) -> Archivo:
        archivo_id = id_de(contenido)
        ruta = self._ruta(archivo_id)
        if ruta.is_file():
            guardado = _leer_tipo(ruta)
            if guardado is not None:
                return Archivo(archivo_id, guardado, ruta.stat().st_size)
        ruta.parent.mkdir(parents=True, exist_ok=True)
        # The sidecar goes first: the content file appearing is what makes the file exist.
        _escribir_atomico(_sidecar(ruta), tipo.encode("ascii"))
        _escribir_atomico(ruta, contenido)
        return Archivo(archivo_id, tipo, len(contenido))

    def _leer(self, archivo_id: str) -> tuple[bytes, str] | None:
        ruta = self._ruta(archivo_id)
        try:
            contenido = ruta.read_bytes()
        except FileNotFoundError:
            return None
        tipo = _leer_tipo(ruta)
        if tipo is None:
            raise ArchivoCorrupto(f"el archivo {archivo_id} no tiene su tipo ({_sidecar(ruta)})")
        if id_de(contenido) != archivo_id:
            raise ArchivoCorrupto(f"el contenido de {ruta} no coincide con su sha256")
        return contenido, tipo

    def _borrar(self, archivo_id: str) -> None:
        ruta = self._ruta(archivo_id)
        # Content first, so a crash in between leaves only an invisible sidecar.
        ruta.unlink(missing_ok=True)
        _sidecar(ruta).unlink(missing_ok=True)


def _sidecar(ruta: Path) -> Path:
    return ruta.with_name(ruta.name + _SUFIJO_TIPO)


def _leer_tipo(ruta: Path) -> str | None:
    try:
        return _sidecar(ruta).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def _escribir_atomico(destino: Path, datos: bytes) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename it over `destino`."""
    fd, temporal = tempfile.mkstemp(dir=destino.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as archivo:
            archivo.write(datos)
            archivo.flush()
            os.fsync(archivo.fileno())
        os.replace(temporal, destino)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporal)
        raise
    _fsync_carpeta(destino.parent)


def _fsync_carpeta(carpeta: Path) -> None:
    """Make the rename durable; not every platform lets a folder be opened for this."""
    try:
        fd = os.open(carpeta, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
