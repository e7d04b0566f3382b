"""Shared pieces of the browser tests: the demo server on a free port and Debian's Chromium."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Playwright

from comun.pruebas import falta, puerto_libre, sondear
from conoceles.infra.navegador import CHROMIUM

CLAVE = "clave-demo-de-pruebas"
ARRANQUE = 90.0
ESPERA_MS = 15_000
ARGUMENTOS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags them (axe-core 4.12.1, MPL-2.0,
# bundled in axe-playwright-python).
REGLAS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def listo(url: str) -> bool:
    """Whether the all-in-one process answers ready at `url`."""
    try:
        return httpx.get(f"{url}/api/captura/health/ready", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def servidor_demo(carpeta: Path, **entorno: str) -> Iterator[str]:
    """`conoceles dev --demo` under a real uvicorn on a free port and a fresh data folder."""
    puerto = puerto_libre()
    registro = (carpeta / "servidor.log").open("wb")
    variables = {**os.environ, "CONOCELES_DEMO": "true", "CONOCELES_DEMO_CLAVE": CLAVE, **entorno}
    orden = [sys.executable, "-m", "conoceles", "dev", "--demo", "--port", str(puerto)]
    proceso = subprocess.Popen(
        [*orden, "--datos", str(carpeta / "datos")],
        stdout=registro,
        stderr=subprocess.STDOUT,
        env=variables,
    )
    url = f"http://127.0.0.1:{puerto}"
    try:
        termino = sondear(lambda: proceso.poll() is not None or listo(url), plazo=ARRANQUE)
        if not termino or proceso.poll() is not None:
            salida = (carpeta / "servidor.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"`conoceles dev --demo` no arrancó:\n{salida}")
        yield url
    finally:
        proceso.terminate()
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proceso.kill()
            proceso.wait()
        registro.close()


def chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; missing, it fails under CI and skips elsewhere."""
    if not CHROMIUM.exists():
        falta(f"no está {CHROMIUM}", como="instálelo con `uv run conoceles infra up chromium`")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTOS)
