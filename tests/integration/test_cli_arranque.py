"""`conoceles dev` refuses to start with one clear Spanish sentence, never a traceback."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def arrancar(datos: Path, puerto: int, **entorno: str) -> subprocess.CompletedProcess[str]:
    """Run `conoceles dev` expecting it to stop by itself."""
    return subprocess.run(
        [sys.executable, "-m", "conoceles", "dev", "--port", str(puerto), "--datos", str(datos)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **entorno},
        check=False,
    )


@pytest.fixture
def ocupado() -> Iterator[int]:
    """A loopback port some other program is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


@pytest.fixture
def libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_un_puerto_ocupado_detiene_el_arranque_con_una_frase(tmp_path: Path, ocupado: int) -> None:
    resultado = arrancar(tmp_path, ocupado)
    assert resultado.returncode == 1
    assert f"El puerto {ocupado}" in resultado.stderr
    assert "Traceback" not in resultado.stderr


def test_un_archivo_de_datos_danado_detiene_el_arranque(tmp_path: Path, libre: int) -> None:
    (tmp_path / "captura.db").write_bytes(b"esto no es una base de datos SQLite" * 100)
    resultado = arrancar(tmp_path, libre)
    assert resultado.returncode == 1
    assert "captura.db" in resultado.stderr
    assert "Traceback" not in resultado.stderr


def test_una_carpeta_de_datos_en_uso_detiene_el_arranque(tmp_path: Path, libre: int) -> None:
    from conoceles.arranque import bloquear_datos

    with bloquear_datos(tmp_path):
        resultado = arrancar(tmp_path, libre)
    assert resultado.returncode == 1
    assert "ya usa la carpeta de datos" in resultado.stderr


def test_en_produccion_un_secreto_de_ejemplo_detiene_el_arranque(
    tmp_path: Path, libre: int
) -> None:
    resultado = arrancar(tmp_path, libre, CONOCELES_ENTORNO="produccion")
    assert resultado.returncode == 1
    assert "CONOCELES_CLAVE_SECRETA" in resultado.stderr
    assert "Traceback" not in resultado.stderr


def test_una_carpeta_de_datos_que_es_un_archivo_se_explica(tmp_path: Path, libre: int) -> None:
    archivo = tmp_path / "datos"
    archivo.write_text("no soy una carpeta")
    resultado = arrancar(archivo, libre)
    assert resultado.returncode == 1
    assert "ya existe un archivo con ese nombre" in resultado.stderr
    assert "Traceback" not in resultado.stderr


def test_una_variable_con_valor_invalido_se_nombra(tmp_path: Path, libre: int) -> None:
    resultado = arrancar(tmp_path, libre, CONOCELES_ENTORNO="prod")
    assert resultado.returncode == 1
    assert "La variable CONOCELES_ENTORNO tiene el valor «prod»" in resultado.stderr


def test_el_modo_de_demostracion_no_se_permite_en_produccion(tmp_path: Path, libre: int) -> None:
    resultado = subprocess.run(
        [
            sys.executable,
            "-m",
            "conoceles",
            "dev",
            "--demo",
            "--port",
            str(libre),
            "--datos",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "CONOCELES_ENTORNO": "produccion",
            "CONOCELES_CLAVE_SECRETA": "x" * 40,
            "CONOCELES_CLAVE_IDENTIDAD": "i" * 40,
        },
        check=False,
    )
    assert resultado.returncode == 1
    assert "modo de demostración" in resultado.stderr


def test_una_cantidad_invalida_de_publicacion_de_demostracion_se_nombra(
    tmp_path: Path, libre: int
) -> None:
    resultado = subprocess.run(
        [sys.executable, "-m", "conoceles", "dev", "--demo", "--port", str(libre),
         "--datos", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CONOCELES_DEMO_PUBLICAR": "-1"},
        check=False,
    )  # fmt: skip
    assert resultado.returncode == 1
    assert "La variable CONOCELES_DEMO_PUBLICAR tiene el valor «-1»" in resultado.stderr
