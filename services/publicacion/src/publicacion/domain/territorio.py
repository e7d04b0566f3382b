"""The published election's geography and parties, read from its catalog files (public data)."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Municipio:
    """A municipality (INEGI key) and the local districts that cover it."""

    clave: str
    nombre: str
    distritos: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Partido:
    """A party with registration: acronym, name and colour."""

    siglas: str
    nombre: str
    color: str


@dataclass(frozen=True, slots=True)
class Territorio:
    """What the public site needs of the catalog."""

    eleccion: dict[str, Any]
    municipios: tuple[Municipio, ...]
    distritos: dict[int, str]
    partidos: tuple[Partido, ...]

    def municipio(self, clave: str) -> Municipio | None:
        """The municipality with this INEGI key."""
        return next((m for m in self.municipios if m.clave == clave), None)


def leer_territorio(directorio: Path) -> Territorio:
    """Read eleccion.json, municipios.csv, distritos.csv and partidos.csv of a catalog folder."""
    eleccion = json.loads((directorio / "eleccion.json").read_text(encoding="utf-8"))
    municipios = tuple(
        Municipio(
            clave=f["clave_inegi"],
            nombre=f["nombre"],
            distritos=tuple(int(d) for d in f["distritos"].split("|") if d.strip()),
        )
        for f in _filas(directorio / "municipios.csv")
    )
    distritos = {int(f["numero"]): f["cabecera"] for f in _filas(directorio / "distritos.csv")}
    partidos = tuple(
        Partido(siglas=f["siglas"], nombre=f["nombre"], color=f["color"])
        for f in _filas(directorio / "partidos.csv")
    )
    ordenados = tuple(sorted(municipios, key=lambda m: m.nombre))
    return Territorio(eleccion, ordenados, distritos, partidos)


def _filas(ruta: Path) -> list[dict[str, str]]:
    with ruta.open(encoding="utf-8", newline="") as archivo:
        return list(csv.DictReader(archivo))
