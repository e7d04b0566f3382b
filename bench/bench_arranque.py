"""Cold/warm start-up time and idle RSS of the all-in-one process (`conoceles dev`).

Run: uv run python bench/bench_arranque.py [--veces N]
Start-up is measured from process spawn until all six readiness endpoints answer 200.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from comun.pruebas import puerto_libre

SERVICIOS = ("identidad", "captura", "validacion", "publicacion", "estadistica", "auditoria")


def listo(puerto: int) -> bool:
    """Whether every service's readiness endpoint answers 200."""
    try:
        for servicio in SERVICIOS:
            url = f"http://127.0.0.1:{puerto}/api/{servicio}/health/ready"
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status != 200:
                    return False
    except OSError:
        return False
    return True


def arrancar(datos: Path) -> tuple[float, float]:
    """Start the process, wait until ready; return (seconds, idle RSS MiB)."""
    puerto = puerto_libre()
    inicio = time.perf_counter()
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conoceles",
            "dev",
            "--demo",
            "--port",
            str(puerto),
            "--datos",
            str(datos),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # No background demo publication: it would add its own work to the idle measurement.
        env={
            **os.environ,
            "CONOCELES_DEMO_CLAVE": "clave-de-banco-de-pruebas",
            "CONOCELES_DEMO_PUBLICAR": "0",
        },
    )
    try:
        while not listo(puerto):
            if proceso.poll() is not None or time.perf_counter() - inicio > 60:
                raise SystemExit("conoceles dev no arrancó")
            time.sleep(0.02)
        segundos = time.perf_counter() - inicio
        time.sleep(3)  # let start-up garbage settle before reading idle memory
        rss = psutil.Process(proceso.pid).memory_info().rss / 2**20
        return segundos, rss
    finally:
        proceso.terminate()
        proceso.wait(timeout=15)


def main() -> None:
    """Measure N cold starts (empty data folder) and N warm starts (existing data)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--veces", type=int, default=5)
    veces = parser.parse_args().veces
    frios, tibios, memoria = [], [], []
    for _ in range(veces):
        datos = Path(tempfile.mkdtemp(prefix="conoceles-bench-"))
        try:
            s, rss = arrancar(datos)
            frios.append(s)
            s, rss = arrancar(datos)
            tibios.append(s)
            memoria.append(rss)
        finally:
            shutil.rmtree(datos)
    for nombre, valores, unidad in (
        ("cold start (empty data, demo seed)", frios, "s"),
        ("warm start (existing data)", tibios, "s"),
        ("idle RSS after warm start", memoria, "MiB"),
    ):
        mediana, maximo = statistics.median(valores), max(valores)
        print(f"{nombre:36} median {mediana:.2f} {unidad}, max {maximo:.2f} {unidad}")


if __name__ == "__main__":
    main()
