"""All automatic content checks over a whole election: total time and per-candidacy p99.

Run: `uv run python bench/bench_revisiones.py [--candidaturas 30000]`. Not timed: people and
parties from captura's generator over the Estado de México 2024 catalog (repeated past its
12,106 places), and curricular answers mixed from the clauses of the 479 real INE 2022 texts,
as long as real answers, with 3 % of proposals copied from another candidacy with small edits
and a few lexicon terms, calls to vote and phone numbers mixed in. Timed: the whole-election
pass (`handlers.revision_completa.revisar_eleccion`: every text check of the seven free-text
fields with the election catalog — parties, coalitions and all 30,000 candidate names — on one
process per core, then near copies across every proposal), and, on a sample of 2,000, one
candidacy checked as it arrives (text checks plus its copies in the full index).
"""

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time

from captura.adapters import leer_directorio_eleccion
from captura.domain import armar_eleccion
from captura.generador import capacidad, generar
from comun.settings import archivo_de_datos
from comun.tabular import read_workbook
from validacion.domain.revisiones import (
    PROPUESTAS,
    Catalogo,
    IndiceDuplicados,
    Mencionable,
    Propia,
    Regla,
    TipoMencionable,
    revisar_curricular,
)
from validacion.handlers.revision_completa import EntradaRevision, revisar_eleccion

MUESTRA = 2_000
CAMPOS_INE = {
    "CURSOS": "cursos",
    "HISTORIA_PROFESIONAL": "historia_profesional",
    "TRAYECTORIA_POLITICA": "trayectoria_politica",
    "MOTIVO_CARGO_PUBLICO": "motivo_cargo_publico",
    "PROPUESTA_1": "propuesta_1",
    "PROPUESTA_2": "propuesta_2",
    "PROPUESTA_GENERO": "propuesta_genero",
}
LIMITES = {"propuesta_1": 1600, "propuesta_2": 1600, "propuesta_genero": 1600,
           "motivo_cargo_publico": 2500, "historia_profesional": 5000,
           "trayectoria_politica": 5000}  # fmt: skip
SALPICADO = [
    "Este 2 de junio vota por mí.", "Apoyo a los discapacitados del municipio.",
    "Atención a los adultos mayores.", "Referencias: Lic. Ana Ruiz, tel. 722 315 6544.",
    "Trabajé con el PAN en la comisión.", "#ToluCambia",
]  # fmt: skip


def oraciones_ine() -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    """The sentences of the real INE texts and the texts' lengths, per field."""
    ruta = archivo_de_datos("ine/ine-2022-baseDatosCandidatos.xls")
    with read_workbook(ruta, filename=ruta.name) as libro:
        hoja = libro.sheets["CANDIDATOS"]
        filas = [fila for _, fila in hoja.rows]
        indices = {c: hoja.headers.index(c) for c in CAMPOS_INE}
    por_campo: dict[str, list[str]] = {campo: [] for campo in CAMPOS_INE.values()}
    largos: dict[str, list[int]] = {campo: [] for campo in CAMPOS_INE.values()}
    for fila in filas:
        for columna, campo in CAMPOS_INE.items():
            texto = fila[indices[columna]]
            if isinstance(texto, str) and len(texto) > 40:
                largos[campo].append(len(texto))
                # Clauses, not whole answers: many INE answers are one long sentence, and
                # reusing them whole would make every generated answer a copy of one of 479.
                partes = re.split(r"(?<=[.;,:])\s+|\n+", texto)
                por_campo[campo].extend(p.strip()[:200] for p in partes if len(p.strip()) > 20)
    return por_campo, largos


def texto(rng: random.Random, oraciones: list[str], largos: list[int], limite: int) -> str:
    """A realistic answer: sentences of real answers, as long as a real answer of the field."""
    partes: list[str] = []
    largo = 0
    objetivo = min(rng.choice(largos), limite)
    while largo < objetivo:
        oracion = rng.choice(oraciones)
        partes.append(oracion)
        largo += len(oracion) + 1
    if rng.random() < 0.05:
        partes.insert(rng.randrange(len(partes) + 1), rng.choice(SALPICADO))
    return " ".join(partes)[:limite]


def copia(rng: random.Random, original: str) -> str:
    """A near copy: the same text with one or two words changed."""
    palabras = original.split()
    for _ in range(rng.randint(1, 2)):
        palabras[rng.randrange(len(palabras))] = rng.choice(["municipal", "estatal", "local"])
    return " ".join(palabras)


def main() -> None:
    """Generate, time and print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidaturas", type=int, default=30_000)
    parser.add_argument("--semilla", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.semilla)
    directorio = leer_directorio_eleccion(archivo_de_datos("elecciones/edomex-2024"))
    eleccion = armar_eleccion(directorio)
    filas = generar(eleccion, candidaturas=capacidad(eleccion))
    personas = [filas[i % len(filas)] | {"ID": f"{i:05d}-{filas[i % len(filas)]['FOLIO']}"}
                for i in range(args.candidaturas)]  # fmt: skip
    partidos = [
        Mencionable(TipoMencionable.PARTIDO, p.siglas, p.nombre, (p.siglas,),
                    frozenset({p.siglas}))
        for p in eleccion.partidos.values()
    ]  # fmt: skip
    coaliciones = [
        Mencionable(TipoMencionable.COALICION, c.clave, c.nombre, partidos=frozenset(c.partidos))
        for c in eleccion.postulaciones.values()
    ]
    candidatos = [
        Mencionable(TipoMencionable.CANDIDATURA, str(f["ID"]),
                    f"{f['NOMBRE']} {f['PRIMER_APELLIDO']} {f['SEGUNDO_APELLIDO'] or ''}".strip(),
                    partidos=frozenset({str(f["PARTIDO_POSTULANTE"])}))
        for f in personas
    ]  # fmt: skip
    catalogo = Catalogo.de([*partidos, *coaliciones, *candidatos])
    oraciones, largos = oraciones_ine()
    respuestas: list[dict[str, object]] = []
    for _ in personas:
        r: dict[str, object] = {
            c: texto(rng, oraciones[c], largos[c], lim) for c, lim in LIMITES.items()
        }
        r["cursos"] = rng.sample(oraciones["cursos"], 3)
        if respuestas and rng.random() < 0.03 * 3:
            campo = rng.choice(PROPUESTAS)
            r[campo] = copia(rng, str(rng.choice(respuestas)[rng.choice(PROPUESTAS)]))
        respuestas.append(r)
    caracteres = sum(len(str(v)) for r in respuestas for v in r.values())

    entradas = [
        EntradaRevision(
            str(persona["ID"]),
            r,
            Propia(partidos=frozenset({str(persona["PARTIDO_POSTULANTE"])}),
                   claves=frozenset({str(persona["CLAVE_POSTULANTE"])}),
                   candidatura_id=str(persona["ID"])),
        )
        for persona, r in zip(personas, respuestas, strict=True)
    ]  # fmt: skip
    # The whole-election pass: every check of every candidacy, copies across all of them.
    inicio = time.perf_counter()
    completa = revisar_eleccion(entradas, catalogo=catalogo)
    total = time.perf_counter() - inicio
    hallazgos = sum(len(h) for h in completa.values())
    copias = sum(1 for h in completa.values() for x in h if x.regla is Regla.DUPLICADO) // 2
    # One candidacy as it arrives (live hints, one save): checks plus its copies among the
    # rest, with the index of the whole election already built; on a sample.
    indice = IndiceDuplicados()
    for e in entradas:
        for campo in PROPUESTAS:
            valor = e.respuestas.get(campo)
            indice.agregar(e.candidatura_id, campo, valor if isinstance(valor, str) else None)
    tiempos: list[float] = []
    for e in random.Random(1).sample(entradas, min(MUESTRA, len(entradas))):
        t0 = time.perf_counter()
        revisar_curricular(e.respuestas, catalogo=catalogo, propia=e.propia, indice=indice)
        tiempos.append(time.perf_counter() - t0)

    tiempos.sort()
    p99 = tiempos[int(0.99 * len(tiempos)) - 1]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}")  # fmt: skip
    print(f"candidacies: {len(personas):,}; catalog entries: {len(catalogo.entradas):,}; "
          f"text: {caracteres / 1e6:.1f} M characters; "
          f"proposals indexed: {len(indice):,}")  # fmt: skip
    print(f"whole-election pass on {os.cpu_count()} processes: {total:.1f} s; "
          f"findings: {hallazgos:,}; near-copy pairs: {copias:,}")  # fmt: skip
    print(f"per-candidacy ms: median {statistics.median(tiempos) * 1e3:.2f}, "
          f"p99 {p99 * 1e3:.2f}, max {tiempos[-1] * 1e3:.2f}")  # fmt: skip
    print(f"TOTAL {total:.1f} s (target < 60 s); p99 {p99 * 1e3:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
