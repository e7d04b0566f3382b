"""Open-data snapshot of a whole election: seconds per format and peak RSS, embedded (SQLite).

Run: `uv run python bench/bench_datos_abiertos.py [--perfiles 30000]`. Not timed: a child
process writes that many published profiles into publicacion's read model (SQLite), through the
domain (`Perfil` → `vista_publica` → stored document): registry data over the Estado de México
catalog, curricular answers with six long texts of 500–1,000 characters made of the clauses of
the 479 real INE 2022 texts, three courses, all contact fields; public identity answers for a
third of them, a disabled field for 2 % and a whole-profile takedown for 0.5 %. Timed, in this
process: `handlers_datos.actualizar_datos_abiertos` — read every public view, write both bases
as CSV and JSON, INE's XLSX and the dictionary, checksum them, store them on the file port
(a folder) and sign the manifest; then the same call again with nothing changed (forced: it
re-reads and re-writes, finds the same content and makes no new snapshot). Peak RSS is this
process's (getrusage); the child's is printed apart. Each step shows wall seconds and, in
parentheses, the CPU seconds of the worker thread that ran it (reading and storing wait on other
threads: wall only); the total, the process's CPU seconds (all threads), which a busy machine
inflates less than wall time. Reading overlaps writing and the workbook overlaps storing the
other files, so the steps add up to more than the total.
"""

import argparse
import asyncio
import multiprocessing
import os
import platform
import random
import re
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from comun.archivos.directorio import DirectorioArchivos
from comun.settings import archivo_de_datos
from comun.store.sqlite import open_sqlite
from comun.tabular import read_workbook
from publicacion import handlers_datos
from publicacion.adapters import COLECCION, PerfilRepository, a_documento
from publicacion.adapters_datos import AlmacenPiezas, InstantaneaRepository
from publicacion.domain import Perfil
from publicacion.firma import Firmante
from publicacion.regenerador import contexto_eleccion
from publicacion.territorio import territorio

SIN_CPU = ("lectura", "almacenamiento")
TEXTOS = {
    "HISTORIA_PROFESIONAL": "historia_profesional",
    "TRAYECTORIA_POLITICA": "trayectoria_politica",
    "MOTIVO_CARGO_PUBLICO": "motivo_cargo_publico",
    "PROPUESTA_1": "propuesta_1",
    "PROPUESTA_2": "propuesta_2",
    "PROPUESTA_GENERO": "propuesta_genero",
}
NOMBRES = ["María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Carlos", "Brisa", "Iván"]
APELLIDOS = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
             "Sánchez", "Ramírez", "Cruz", "Álvarez", "Núñez", "Ordóñez", "Peña"]  # fmt: skip
IDENTIDAD = {
    "indigena": "Sí", "lengua_indigena": "No", "pueblo_indigena": "Otomí",
    "pueblo_indigena_otro": None, "discapacidad": "No", "tipo_discapacidad": "No aplica",
    "clase_discapacidad": ["No aplica"], "clase_discapacidad_otro": None,
    "dificultad_discapacidad": ["No aplica"], "dificultad_discapacidad_otro": None,
    "afromexicana": "No", "lgbtttiq": "Sí", "identidad_lgbtttiq": ["Mujer lesbiana", "Otra"],
    "identidad_lgbtttiq_otro": "Persona de género fluido", "migrante": "No",
    "pais_residencia": "No aplica", "pais_residencia_otro": None,
    "tiempo_extranjero": "No aplica", "motivo_extranjero": "No aplica",
    "motivo_extranjero_otro": None, "situacion_regular": "No aplica", "joven": "Sí",
    "persona_mayor": "No", "ingresos": "De $11,001 a $25,000", "fuente_ingresos": "Salario",
    "entidad_nacimiento": "México",
}  # fmt: skip


def oraciones_ine() -> list[str]:
    """The clauses of the real INE 2022 texts."""
    ruta = archivo_de_datos("ine/ine-2022-baseDatosCandidatos.xls")
    with read_workbook(ruta, filename=ruta.name) as libro:
        hoja = libro.sheets["CANDIDATOS"]
        indices = [hoja.headers.index(c) for c in TEXTOS]
        oraciones: list[str] = []
        for _, fila in hoja.rows:
            for i in indices:
                texto = fila[i]
                if isinstance(texto, str):
                    partes = re.split(r"(?<=[.;,:])\s+|\n+", texto)
                    oraciones += [p.strip()[:200] for p in partes if len(p.strip()) > 20]
    return oraciones


def texto(rng: random.Random, oraciones: list[str]) -> str:
    """500 to 1,000 characters of real clauses."""
    objetivo, partes, largo = rng.randint(500, 1000), [], 0
    while largo < objetivo:
        partes.append(rng.choice(oraciones))
        largo += len(partes[-1]) + 1
    return " ".join(partes)[:objetivo]


def perfil(i: int, rng: random.Random, oraciones: list[str]) -> Perfil:
    """A published profile with realistic registry, curricular and (a third) identity data."""
    catalogo = territorio()
    municipio = rng.choice(catalogo.municipios)
    partido = rng.choice(catalogo.partidos).siglas
    diputacion = rng.random() < 0.15
    cargo = "diputacion_local" if diputacion else rng.choice(
        ["presidencia_municipal", "sindicatura", "regiduria", "regiduria"]
    )  # fmt: skip
    principio = "RP" if rng.random() < 0.2 else "MR"
    registro = {
        "eleccion": "edomex-2024",
        "nombre": f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}",
        "sobrenombre": None, "cargo": cargo, "principio": principio,
        "distrito": rng.randint(1, 45) if diputacion and principio == "MR" else None,
        "municipio": None if diputacion else municipio.clave,
        "nombre_municipio": None if diputacion else municipio.nombre,
        "posicion": rng.randint(1, 12), "tipo_candidatura": rng.choice(["propietaria", "suplente"]),
        "postulante": "partido", "partido": partido, "partidos": [partido],
        "nombre_postulante": None, "clave_postulante": partido,
        "sexo": rng.choice(["mujer", "hombre"]), "edad": rng.randint(21, 80),
        "accion_afirmativa": "joven" if rng.random() < 0.1 else None,
    }  # fmt: skip
    curricular = {
        "fotografia": f"/api/captura/v1/fotografias/{i:064x}.jpg",
        "telefono_publico": f"722{rng.randint(1000000, 9999999)}",
        "correo_publico": f"persona{i}@ejemplo.mx",
        "pagina_web": f"https://persona{i}.ejemplo.mx",
        "redes_sociales": {"facebook": f"https://www.facebook.com/persona{i}", "x": None,
                           "instagram": f"https://www.instagram.com/persona{i}",
                           "youtube": None, "tiktok": None, "otra": None},
        "domicilio_casa_campana": f"Av. Independencia {i}, Col. Centro, Toluca, Méx.",
        "grado_maximo_estudios": "licenciatura", "estatus_estudios": "titulo",
        "cursos": [rng.choice(oraciones) for _ in range(3)],
        **{campo: texto(rng, oraciones) for campo in TEXTOS.values()},
    }  # fmt: skip
    nuevo = Perfil(f"{i:05d}-{cargo}-{partido}")
    nuevo.conocer_registro(datos=registro, version=1)
    identidad = IDENTIDAD if rng.random() < 1 / 3 else None
    nuevo.hacer_publicable(
        curricular=curricular, identidad=identidad, version=1, momento="2024-05-13T06:00:00+00:00"
    )
    if rng.random() < 0.02:
        nuevo.deshabilitar(campos=["propuesta_1"], motivo="propaganda", version=1)
    elif rng.random() < 0.005:
        nuevo.deshabilitar(campos=[], motivo="propaganda", version=1)
    return nuevo


def construir(ruta: Path, perfiles: int, semilla: int) -> None:
    """Child process: write the read model (documents built one at a time)."""

    async def escribir() -> None:
        rng, oraciones = random.Random(semilla), oraciones_ine()
        store = await open_sqlite(ruta)
        repo = PerfilRepository(store)
        await repo.preparar()
        coleccion = store.collection(COLECCION)
        for i in range(perfiles):
            await coleccion.insert({**a_documento(perfil(i, rng, oraciones)), "version": 1})
        await store.close()

    asyncio.run(escribir())
    print(f"  (construcción: RSS máximo {_rss_mib():.0f} MiB)")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


Medida = tuple[str, handlers_datos.Resultado, float, float]


async def medir(ruta: Path, carpeta: Path) -> list[Medida]:
    """Generate the snapshot, then check it again with nothing changed."""
    store = await open_sqlite(ruta)
    argumentos: dict[str, Any] = {
        "perfiles": PerfilRepository(store),
        "instantaneas": InstantaneaRepository(store),
        "almacen": AlmacenPiezas(DirectorioArchivos(carpeta / "archivos")),
        "firmante": Firmante("secreto-del-banco-de-pruebas-de-datos-abiertos"),
        "eleccion": contexto_eleccion(),
        "replica": "bench",
    }
    resultados = []
    for nombre, forzar in (("primera generación", False), ("sin cambios (forzada)", True)):
        inicio, cpu = time.perf_counter(), time.process_time()
        resultado = await handlers_datos.actualizar_datos_abiertos(**argumentos, forzar=forzar)
        assert resultado is not None
        tiempos = (time.perf_counter() - inicio, time.process_time() - cpu)
        resultados.append((nombre, resultado, *tiempos))
    actual = await InstantaneaRepository(store).actual()
    assert actual is not None
    for archivo in actual.archivos:
        print(f"  {archivo.nombre}: {archivo.tamano / 1e6:.1f} MB, {archivo.filas} filas")
    await store.close()
    return resultados


def main() -> None:
    """Build, measure and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--perfiles", type=int, default=30_000)
    parser.add_argument("--semilla", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporal:
        carpeta = Path(temporal)
        ruta = carpeta / "publicacion.db"
        hijo = multiprocessing.get_context("spawn").Process(
            target=construir, args=(ruta, args.perfiles, args.semilla)
        )
        inicio = time.perf_counter()
        hijo.start()
        hijo.join()
        assert hijo.exitcode == 0
        print(f"  (construcción: {time.perf_counter() - inicio:.0f} s, no medida)")
        resultados = asyncio.run(medir(ruta, carpeta))
    maquina = f"{platform.machine()}, Python {platform.python_version()}"
    print(f"{maquina}, {os.cpu_count()} CPUs, sqlite, {args.perfiles:,} perfiles")
    pasos = ["lectura", "filas", "csv", "json", "xlsx", "diccionario", "sha256", "almacenamiento"]
    print("Segundos de reloj (y de CPU) por paso:")
    print("| corrida | " + " | ".join(pasos) + " | total | nueva |")
    print("|---|" + "---:|" * (len(pasos) + 2))
    for nombre, resultado, total, cpu in resultados:
        celdas = [
            f"{resultado.tiempos.get(p, 0.0):.1f}"
            + ("" if p in SIN_CPU else f" ({resultado.cpu.get(p, 0.0):.1f})")
            for p in pasos
        ]
        fin = f" | {total:.1f} ({cpu:.1f}) | {resultado.nueva} |"
        print(f"| {nombre} | " + " | ".join(celdas) + fin)
    print(f"RSS máximo de la generación: {_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
