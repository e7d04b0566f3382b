"""Start-up checks that turn common failures into one clear sentence."""

import errno
import fcntl
import os
import socket
from pathlib import Path
from typing import IO


class ArranqueError(Exception):
    """Start-up cannot continue; the message says what to do."""


def comprobar_puerto(host: str, port: int) -> None:
    """Fail early when the address is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ArranqueError(
                    f"El puerto {port} de {host} ya está en uso; detenga el otro programa "
                    f"o elija otro puerto con --port."
                ) from exc
            raise ArranqueError(f"No se puede usar {host}:{port}: {exc.strerror}.") from exc


def bloquear_datos(datos: Path, *, proceso: str = "conoceles") -> IO[str]:
    """Hold an exclusive lock on the data folder, per kind of process, while it runs."""
    try:
        # Password hashes and the activity history live here: owner only.
        datos.mkdir(mode=0o700, parents=True, exist_ok=True)
        archivo = (datos / f".{proceso}.lock").open("a+")
    except OSError as exc:
        raise ArranqueError(
            f"No se puede usar la carpeta de datos {datos} ({_causa(exc)}); "
            "indique con --datos una carpeta donde este usuario pueda escribir."
        ) from exc
    try:
        fcntl.flock(archivo, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        archivo.seek(0)
        pid = archivo.read().strip() or "desconocido"
        archivo.close()
        raise ArranqueError(
            f"Otra instancia de Conóceles (PID {pid}) ya usa la carpeta de datos {datos}; "
            f"deténgala o indique otra carpeta con --datos."
        ) from exc
    archivo.seek(0)
    archivo.truncate()
    archivo.write(str(os.getpid()))
    archivo.flush()
    return archivo


_CAUSAS = {
    errno.EEXIST: "ya existe un archivo con ese nombre",
    errno.ENOTDIR: "una parte de la ruta es un archivo",
    errno.ENOENT: "la ruta no existe y no se puede crear",
    errno.EACCES: "no hay permiso",
    errno.EROFS: "el disco es de solo lectura",
    errno.ENOSPC: "el disco está lleno",
}


def _causa(exc: OSError) -> str:
    """The reason of a file-system error, in Spanish."""
    return _CAUSAS.get(exc.errno or 0, exc.strerror or str(exc))
