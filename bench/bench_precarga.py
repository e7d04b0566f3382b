"""Questionnaire pre-load from a filled template: rows/s and peak RSS, embedded (SQLite).

Run: `uv run python bench/bench_precarga.py [--filas 10000]`. Not timed: load the Estado de
México catalog, register the generated candidacies under one party (so one party account has
them all in scope), download that party's template and fill every row with realistic curricular
and identity answers. Timed: `conoceles cuestionarios precargar FILE --partido PRD` in a fresh
process, from spawn to exit (read, validate, encrypt, save each row as a draft), and that
process's peak RSS (wait4).
"""

import argparse
import asyncio
import dataclasses
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from captura import handlers
from captura.adapters import CandidaturaRepository, EleccionRepository, leer_directorio_eleccion
from captura.domain import FilaRegistro, leer_fila
from captura.domain.precarga import NOMBRES_COLUMNAS, POR_CLAVE
from captura.generador import generar
from captura.handlers.precarga import plantilla_xlsx
from comun.auth.usuario import Usuario
from comun.cuestionario_identidad import PREGUNTAS
from comun.cuestionario_identidad.catalogos import ENTIDADES
from comun.eventos import SISTEMA
from comun.eventos.vocabulario import Postulante
from comun.factories import database_name, open_store
from comun.roles import Rol
from comun.servicios import Servicio
from comun.settings import PlatformSettings, archivo_de_datos

PARTIDO = "PRD"
PARRAFO = (
    "Trabajé durante doce años en la administración municipal, primero en el área de obras "
    "públicas y después como coordinadora de participación ciudadana, donde organicé consultas "
    "vecinales sobre alumbrado, agua potable y seguridad en las colonias del oriente. "
)


def _nada(doc_id: str | None = None) -> None:
    """No relay here: only the stored drafts matter."""


def curricular(azar: random.Random, n: int) -> dict[str, str]:
    """Realistic curricular cells of one row, by column name."""
    return {
        "TELEFONO": f"55{azar.randrange(10**8):08d}",
        "CORREO_ELECTRONICO": f"candidatura{n}@ejemplo.mx",
        "PAGINA_WEB": f"https://candidatura{n}.ejemplo.mx",
        "FACEBOOK": f"https://www.facebook.com/candidatura.{n}",
        "X": f"@cand_{n}",
        "DIRECCION_CASA_CAMPAÑA": f"Av. Juárez {n}, Col. Centro, Toluca, C. P. 50000",
        "ESCOLARIDAD": azar.choice(["Licenciatura", "Maestría", "Preparatoria/Bachillerato"]),
        "ESTATUS_ESCOLARIDAD": azar.choice(["Título", "Cédula profesional", "Concluido"]),
        "CURSOS": "Diplomado en gestión pública\nCurso de presupuesto participativo\n"
        "Seminario de igualdad de género",
        "HISTORIA_PROFESIONAL": PARRAFO * 4,
        "TRAYECTORIA_POLITICA": PARRAFO * 3,
        "MOTIVO_CARGO_PUBLICO": PARRAFO * 2,
        "PROPUESTA_1": PARRAFO * 3,
        "PROPUESTA_2": PARRAFO * 2,
        "PROPUESTA_GENERO": PARRAFO * 2,
        "CORREO_ACLARACIONES": f"aclaraciones{n}@ejemplo.mx",
    }


def identidad(azar: random.Random) -> dict[str, str]:
    """Realistic identity cells: mostly «No», some «Sí» with their follow-ups."""
    celdas: dict[str, str] = {}
    for p in PREGUNTAS:
        if p.depende_de is not None:
            continue
        if p.opciones == ("Sí", "No"):
            celdas[p.clave] = "Sí" if azar.random() < 0.1 else "No"
        else:
            celdas[p.clave] = azar.choice(p.opciones)
    if celdas["indigena"] == "Sí":
        celdas["pueblo_indigena"] = azar.choice(["Mazahua", "Otomí", "Nahua"])
    celdas["entidad_nacimiento"] = azar.choice(ENTIDADES)
    return {POR_CLAVE[k].nombre: v for k, v in celdas.items()}


async def preparar(carpeta: Path, filas: int) -> Path:
    """Catalog, candidacies of one party and the filled template; returns the file."""
    store = await open_store(PlatformSettings(), database_name(Servicio.CAPTURA))
    try:
        elecciones = EleccionRepository(store, avisar_relay=_nada)
        datos = leer_directorio_eleccion(archivo_de_datos("elecciones/edomex-2024"))
        eleccion, _ = await handlers.cargar_eleccion(repo=elecciones, datos=datos, actor=SISTEMA)
        repo = CandidaturaRepository(store, avisar_relay=_nada)
        await repo.preparar()
        candidaturas = []
        for numero, celdas in enumerate(generar(eleccion, candidaturas=filas, semilla=1), start=2):
            leida = leer_fila(numero, celdas, eleccion)
            assert isinstance(leida, FilaRegistro), leida
            registro = dataclasses.replace(
                leida.registro, partido=PARTIDO, postulante=Postulante.PARTIDO
            )
            candidaturas.append(
                await handlers.registrar_candidatura(
                    repo=repo, id=leida.folio, registro=registro, eleccion=eleccion, actor=SISTEMA
                )
            )
    finally:
        await store.close()
    usuario = Usuario(
        id="b", nombre_usuario="bench", roles=frozenset({Rol.PARTIDO}), partido=PARTIDO
    )
    libro = openpyxl.load_workbook(
        io.BytesIO(plantilla_xlsx(eleccion=eleccion, candidaturas=candidaturas, usuario=usuario))
    )
    hoja = libro["CUESTIONARIOS"]
    posicion = {nombre: i + 1 for i, nombre in enumerate(NOMBRES_COLUMNAS)}
    azar = random.Random(1)
    for n, fila in enumerate(range(2, hoja.max_row + 1)):
        for nombre, valor in {**curricular(azar, n), **identidad(azar)}.items():
            hoja.cell(fila, posicion[nombre], valor)
    archivo = carpeta / f"precarga-{filas}.xlsx"
    libro.save(archivo)
    return archivo


def medir(filas: int, carpeta: Path) -> dict[str, float]:
    """Prepare (not timed), then time one pre-load in a fresh process."""
    os.environ |= {"CONOCELES_DATOS": str(carpeta / "datos"), "CONOCELES_STORE": "sqlite"}
    archivo = asyncio.run(preparar(carpeta, filas))
    conoceles = [sys.executable, "-m", "conoceles", "cuestionarios", "precargar"]
    inicio = time.perf_counter()
    proceso = subprocess.Popen([*conoceles, str(archivo), "--partido", PARTIDO], env=os.environ)
    _, estado, uso = os.wait4(proceso.pid, 0)
    segundos = time.perf_counter() - inicio
    if os.waitstatus_to_exitcode(estado) != 0:
        raise SystemExit(f"la precarga de {filas} filas falló")
    return {"segundos": segundos, "filas_s": filas / segundos, "rss_mib": uso.ru_maxrss / 1024}


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, default=10_000)
    argumentos = parser.parse_args()
    maquina = platform.processor() or platform.machine()
    print(f"{maquina}, {os.cpu_count()} CPUs, sqlite")
    with tempfile.TemporaryDirectory() as temporal:
        r = medir(argumentos.filas, Path(temporal))
    print("| rows | wall s | rows/s | peak RSS MiB |\n|---:|---:|---:|---:|")
    print(f"| {argumentos.filas:,} | {r['segundos']:.1f} | {r['filas_s']:,.0f} | "
          f"{r['rss_mib']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
