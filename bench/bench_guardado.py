"""Draft-save latency of the cuestionario curricular under concurrent capturers (all-in-one).

Run: `uv run python bench/bench_guardado.py [--usuarios 50] [--guardados 50] [--perfil]`.
Starts `conoceles dev --demo` (embedded SQLite store, in-process bus; 1,000 demo candidacies)
as a uvicorn subprocess on a fresh data folder. Each simulated user signs in as its party's
demo capture account and saves its own candidacy's whole curricular draft again and again,
with the revision the previous save returned and one changed field (an unchanged draft writes
nothing). Between saves each user waits `--pausa` seconds (±50 %, default 2: the page autosaves
2 s after the last keystroke, so no person saves faster); `--pausa 0` measures saturation
instead. Reports p50/p95/p99 per save and saves per second; the target is p99 < 100 ms.
With `--perfil` the server runs under cProfile and prints its top functions.
"""

import argparse
import asyncio
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx

from comun.pruebas import puerto_libre

CLAVE = "clave-de-banco-de-pruebas"
API = "/api/captura/v1/candidaturas"
OBJETIVO_P99_MS = 100.0


def listo(puerto: int) -> bool:
    """Whether captura answers ready."""
    try:
        url = f"http://127.0.0.1:{puerto}/api/captura/health/ready"
        with urllib.request.urlopen(url, timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def arrancar(datos: Path, puerto: int, perfil: Path | None) -> subprocess.Popen[bytes]:
    """The all-in-one process on `puerto`, ready (optionally under cProfile)."""
    perfilado = ["-m", "cProfile", "-o", str(perfil)] if perfil else []
    modulo = ["-m", "conoceles"] if not perfil else [str(Path(sys.prefix) / "bin" / "conoceles")]
    argumentos = ["dev", "--demo", "--port", str(puerto), "--datos", str(datos)]
    proceso = subprocess.Popen(
        [sys.executable, *perfilado, *modulo, *argumentos],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # No background demo publication: it would send candidacies the users are editing.
        env={**os.environ, "CONOCELES_DEMO_CLAVE": CLAVE, "CONOCELES_DEMO_PUBLICAR": "0"},
    )
    inicio = time.perf_counter()
    while not listo(puerto):
        if proceso.poll() is not None or time.perf_counter() - inicio > 90:
            raise SystemExit("conoceles dev no arrancó")
        time.sleep(0.05)
    return proceso


def respuestas(n: int) -> dict[str, Any]:
    """A realistic whole curricular draft; `n` changes one proposal so each save writes."""
    return {
        "telefono_publico": "7221234567",
        "correo_publico": "ana.perez@ejemplo.mx",
        "pagina_web": "https://anaperez.mx",
        "redes_sociales": {"facebook": "anaperezmx", "x": "@anaperezmx"},
        "domicilio_casa_campana": "Av. Juárez 15, Centro, Toluca, 50000",
        "grado_maximo_estudios": "licenciatura",
        "estatus_estudios": "titulo",
        "cursos": [f"Diplomado {i} en políticas públicas" for i in range(5)],
        "historia_profesional": "Docente de secundaria durante veinte años. " * 20,
        "trayectoria_politica": "Regidora de 2019 a 2021 y activista vecinal. " * 10,
        "motivo_cargo_publico": "Quiero servir a mi comunidad. " * 20,
        "propuesta_1": f"Agua potable en cada colonia, versión {n}. " + "Metas y plazos. " * 40,
        "propuesta_2": "Transporte público seguro de noche. " * 20,
        "propuesta_genero": "Refugios para mujeres en cada distrito. " * 20,
        "correo_aclaraciones": "aclaraciones@ejemplo.mx",
    }


async def asignar(cliente: httpx.AsyncClient, usuarios: int) -> list[tuple[str, dict[str, str]]]:
    """One candidacy per user, spread over the parties, with its party's capture token."""
    tokens: dict[str, dict[str, str]] = {}

    async def token(cuenta: str) -> dict[str, str] | None:
        r = await cliente.post(
            "/api/identidad/v1/token", data={"username": cuenta, "password": CLAVE}
        )
        return {"Authorization": f"Bearer {r.json()['access_token']}"} if r.is_success else None

    admin = await token("admin")
    assert admin is not None, "la cuenta admin de demostración no inició sesión"
    todas = (await cliente.get(API, params={"por_pagina": 500}, headers=admin)).json()
    por_partido: dict[str, list[str]] = {}
    for c in todas["resultados"]:
        if c["partido"] and c["estado"] == "registrada":
            por_partido.setdefault(c["partido"], []).append(c["id"])
    for partido in list(por_partido):
        cabecera = await token(f"captura.{partido}")
        if cabecera is None:
            del por_partido[partido]
        else:
            tokens[partido] = cabecera
    asignadas: list[tuple[str, dict[str, str]]] = []
    while len(asignadas) < usuarios and any(por_partido.values()):
        for partido, ids in por_partido.items():
            if ids and len(asignadas) < usuarios:
                asignadas.append((ids.pop(), tokens[partido]))
    if len(asignadas) < usuarios:
        raise SystemExit(f"Solo hay {len(asignadas)} candidaturas de partido para {usuarios}.")
    return asignadas


async def usuario(
    cliente: httpx.AsyncClient,
    candidatura_id: str,
    cabecera: dict[str, str],
    guardados: int,
    tiempos: list[float],
    errores: list[str],
    pausa: float = 0.0,
) -> None:
    """Save the candidacy's draft `guardados` times, each from the revision just returned."""
    url = f"{API}/{candidatura_id}/cuestionarios/curricular"
    revision = (await cliente.get(url, headers=cabecera)).json()["revision"]
    for n in range(guardados):
        if pausa:
            await asyncio.sleep(random.uniform(0.5 * pausa, 1.5 * pausa))
        inicio = time.perf_counter()
        r = await cliente.put(
            url, json={"revision": revision, "respuestas": respuestas(n)}, headers=cabecera
        )
        tiempos.append((time.perf_counter() - inicio) * 1000)
        if r.status_code != 200:
            errores.append(f"{r.status_code} {r.text[:200]}")
            revision = (await cliente.get(url, headers=cabecera)).json()["revision"]
        else:
            revision = r.json()["revision"]


def percentil(valores: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, max(0, round(p / 100 * len(ordenados)) - 1))]


async def medir(puerto: int, usuarios: int, guardados: int, pausa: float) -> dict[str, Any]:
    """Run the users concurrently; latencies and throughput."""
    limites = httpx.Limits(max_connections=usuarios, max_keepalive_connections=usuarios)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{puerto}", limits=limites, timeout=60
    ) as cliente:
        asignadas = await asignar(cliente, usuarios)
        # Warm-up: one save each (connections, caches), not counted.
        await asyncio.gather(*(usuario(cliente, c, h, 1, [], []) for c, h in asignadas))
        tiempos: list[float] = []
        errores: list[str] = []
        inicio = time.perf_counter()
        await asyncio.gather(
            *(usuario(cliente, c, h, guardados, tiempos, errores, pausa) for c, h in asignadas)
        )
        total = time.perf_counter() - inicio
    return {
        "guardados": len(tiempos),
        "errores": errores,
        "segundos": total,
        "por_segundo": len(tiempos) / total,
        "p50": percentil(tiempos, 50),
        "p95": percentil(tiempos, 95),
        "p99": percentil(tiempos, 99),
        "max": max(tiempos),
        "media": statistics.fmean(tiempos),
    }


def main() -> None:
    """Start the process, measure, print a Markdown table row."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--usuarios", type=int, default=50)
    parser.add_argument("--guardados", type=int, default=50, help="por usuario")
    parser.add_argument("--pausa", type=float, default=2.0, help="segundos entre guardados")
    parser.add_argument("--perfil", action="store_true", help="perfilar el servidor (cProfile)")
    args = parser.parse_args()
    carpeta = Path(tempfile.mkdtemp(prefix="bench-guardado-"))
    perfil = carpeta / "servidor.prof" if args.perfil else None
    puerto = puerto_libre()
    proceso = arrancar(carpeta / "datos", puerto, perfil)
    try:
        r = asyncio.run(medir(puerto, args.usuarios, args.guardados, args.pausa))
    finally:
        proceso.send_signal(2)  # SIGINT: uvicorn shuts down and cProfile writes its file
        proceso.wait(timeout=30)
    print(f"{platform.node()} · {os.cpu_count()} CPU · Python {platform.python_version()}")
    print(
        f"| {args.usuarios} | {args.pausa:g} s | {r['guardados']:,} | {len(r['errores'])} | "
        f"{r['p50']:.1f} | "
        f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {r['por_segundo']:.0f} | "
        f"{'met' if r['p99'] < OBJETIVO_P99_MS else 'missed'} |"
    )
    for error in r["errores"][:5]:
        print("error:", error)
    if perfil is not None and perfil.exists():
        import pstats

        pstats.Stats(str(perfil)).sort_stats("cumulative").print_stats(40)
        pstats.Stats(str(perfil)).sort_stats("tottime").print_stats(25)
        print(f"perfil: {perfil}")
        return
    shutil.rmtree(carpeta, ignore_errors=True)


if __name__ == "__main__":
    main()
