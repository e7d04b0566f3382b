"""Shared fixtures of captura's unit tests: the drill election and valid registry rows."""

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import pytest

from captura.adapters import leer_directorio_eleccion
from captura.domain import Eleccion, armar_eleccion
from captura.domain.curp import armar_curp
from comun.eventos.vocabulario import Sexo
from comun.settings import archivo_de_datos

Fila = dict[str, Any]


@cache
def simulacro() -> Eleccion:
    """The small fictional election shipped for drills and tests."""
    return armar_eleccion(leer_directorio_eleccion(archivo_de_datos("elecciones/simulacro-2025")))


@pytest.fixture
def eleccion() -> Eleccion:
    return simulacro()


def curp(nacimiento: date = date(1980, 5, 17), sexo: Sexo = Sexo.MUJER, n: int = 0) -> str:
    """A valid CURP; `n` varies the internal consonants so CURPs differ."""
    consonantes = "BCDFGHJKLMNPRSTVZ"
    trio = "".join(consonantes[(n // 17**i) % 17] for i in range(3))
    return armar_curp(
        base="GOMA", nacimiento=nacimiento, sexo=sexo, entidad="MC", consonantes=trio, homoclave="0"
    )


def fila(folio: str = "AY-99001-PM-PRO-P", **cambios: Any) -> Fila:
    """A valid row: PRO's presidencia municipal propietaria in San Martín de las Flores."""
    base: Fila = {
        "FOLIO": folio,
        "ESTATUS": None,
        "SUSTITUYE_A": None,
        "CARGO": "Presidencia municipal",
        "PRINCIPIO": "MR",
        "DISTRITO": None,
        "MUNICIPIO": "99001",
        "POSICION": 1,
        "TIPO": "Propietaria",
        "POSTULANTE": "Partido político",
        "CLAVE_POSTULANTE": "PRO",
        "PARTIDO_POSTULANTE": None,
        "NOMBRE": "Ana Sofía",
        "PRIMER_APELLIDO": "Gómez",
        "SEGUNDO_APELLIDO": "Núñez",
        "SOBRENOMBRE": None,
        "CURP": curp(),
        "FECHA_NACIMIENTO": "17/05/1980",
        "SEXO": "Mujer",
        "ACCION_AFIRMATIVA": None,
    }
    return {**base, **cambios}


def pareja(folio: str = "AY-99001-PM-PRO", n: int = 0, **cambios: Any) -> list[Fila]:
    """Propietaria and suplente of one place, with different CURPs."""
    return [
        fila(f"{folio}-P", CURP=curp(n=2 * n), **cambios),
        fila(f"{folio}-S", TIPO="Suplente", CURP=curp(n=2 * n + 1), **cambios),
    ]


FabricaFila = Callable[..., Fila]
