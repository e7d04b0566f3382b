"""Registry import from XLSX: rows/s and peak RSS, embedded (SQLite) or MongoDB.

Run: `uv run python bench/bench_importacion.py [--filas 30000 100000] [--store sqlite|mongodb]`.
The Estado de México catalog holds about 12,000 candidacies, so the benchmark loads a copy
with its municipalities repeated (same districts, parties, coalitions) until the requested
rows fit. For each size it writes the generated registry to an XLSX file (not timed), loads
the catalog, and times `conoceles registro importar FILE` in a fresh process: wall time from
spawn to exit (read, check, reconcile, write) and that process's peak RSS (wait4).
"""

import argparse
import asyncio
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from captura.adapters import leer_directorio_eleccion
from captura.domain import armar_eleccion
from captura.generador import capacidad, escribir, generar
from comun.settings import archivo_de_datos
from comun.store.mongo import borrar_bases

MONGODB = "mongodb://127.0.0.1:27017"


def catalogo_ampliado(destino: Path, copias: int) -> Path:
    """The Edomex catalog with every municipality repeated `copias` times under new keys."""
    origen = archivo_de_datos("elecciones/edomex-2024")
    shutil.copytree(origen, destino)
    datos = leer_directorio_eleccion(origen)
    municipios = [
        {**m, "clave_inegi": _clave(m["clave_inegi"], k), "nombre": f"{m['nombre']} {k + 1}"}
        for k in range(copias)
        for m in datos["municipios"]
    ]
    siglado = [
        {**s, "territorio": _clave(s["territorio"], k)} if s["contienda"] == "ayuntamiento" else s
        for k in range(copias)
        for s in datos["siglado"]
        if k == 0 or s["contienda"] == "ayuntamiento"
    ]
    _csv(destino / "municipios.csv", municipios)
    _csv(destino / "siglado.csv", siglado)
    general = dict(datos["eleccion"], id=f"bench-x{copias}")
    general["totales"] = {}
    datos.update(eleccion=general, municipios=municipios, siglado=siglado)
    general["totales"] = armar_eleccion(datos).calculados()
    (destino / "eleccion.json").write_text(json.dumps(general, ensure_ascii=False), "utf-8")
    return destino


def _clave(clave: str, copia: int) -> str:
    """A municipality key of a copy (the original keeps its own)."""
    return clave if copia == 0 else f"{clave}{copia}"


def _csv(ruta: Path, filas: list[dict[str, Any]]) -> None:
    """Write rows with their keys as header."""
    with ruta.open("w", encoding="utf-8", newline="") as archivo:
        escritor = csv.DictWriter(archivo, fieldnames=list(filas[0]))
        escritor.writeheader()
        escritor.writerows(filas)


def medir(filas: int, store: str, carpeta: Path) -> dict[str, float]:
    """Generate, load the catalog, and time one import in a fresh process."""
    copias = 1
    while capacidad(armar_eleccion(leer_directorio_eleccion(catalogo_ampliado(
        carpeta / f"cat-{filas}-{copias}", copias)))) < filas:  # fmt: skip
        copias += 1
    directorio = carpeta / f"cat-{filas}-{copias}"
    eleccion = armar_eleccion(leer_directorio_eleccion(directorio))
    archivo = carpeta / f"registro-{filas}.xlsx"
    escribir(generar(eleccion, candidaturas=filas, semilla=1), archivo)
    entorno = {
        **os.environ,
        "CONOCELES_DATOS": str(carpeta / f"datos-{filas}"),
        "CONOCELES_STORE": store,
        "CONOCELES_MONGODB_URL": MONGODB,
        "CONOCELES_MONGODB_PREFIJO": f"bench_{uuid.uuid4().hex[:8]}",
        "CONOCELES_CAPTURA_ELECCION": eleccion.id,
    }
    conoceles = [sys.executable, "-m", "conoceles"]
    subprocess.run([*conoceles, "eleccion", "cargar", str(directorio)], env=entorno, check=True)
    inicio = time.perf_counter()
    proceso = subprocess.Popen([*conoceles, "registro", "importar", str(archivo)], env=entorno)
    _, estado, uso = os.wait4(proceso.pid, 0)
    segundos = time.perf_counter() - inicio
    if os.waitstatus_to_exitcode(estado) != 0:
        raise SystemExit(f"la importación de {filas} filas falló")
    if store == "mongodb":
        asyncio.run(borrar_bases(MONGODB, entorno["CONOCELES_MONGODB_PREFIJO"]))
    return {"filas": filas, "segundos": segundos, "filas_s": filas / segundos,
            "rss_mib": uso.ru_maxrss / 1024, "copias": copias}  # fmt: skip


def main() -> None:
    """Measure each size and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, nargs="+", default=[30_000, 100_000])
    parser.add_argument("--store", choices=["sqlite", "mongodb"], default="sqlite")
    argumentos = parser.parse_args()
    maquina = platform.processor() or platform.machine()
    print(f"{maquina}, {os.cpu_count()} CPUs, {argumentos.store}")
    print("| rows | catalog copies | wall s | rows/s | peak RSS MiB |\n|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as temporal:
        for filas in argumentos.filas:
            r = medir(filas, argumentos.store, Path(temporal))
            print(f"| {filas:,} | {r['copias']:.0f} | {r['segundos']:.1f} | "
                  f"{r['filas_s']:,.0f} | {r['rss_mib']:.0f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
