"""Every registered event type has one JSON sample that parses with its model."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from comun.eventos import TIPOS, Evento, datos_de
from comun.eventos.registro import MUESTRAS

ARCHIVOS = sorted(MUESTRAS.glob("*.json"))


def _leer(archivo: Path) -> dict[str, Any]:
    contenido: dict[str, Any] = json.loads(archivo.read_text(encoding="utf-8"))
    return contenido


def test_cada_tipo_registrado_tiene_una_muestra() -> None:
    faltantes = sorted(set(TIPOS) - {archivo.stem for archivo in ARCHIVOS})
    assert not faltantes, f"Faltan muestras en {MUESTRAS}: {faltantes}"


def test_no_hay_muestras_de_tipos_desconocidos() -> None:
    sobrantes = sorted({archivo.stem for archivo in ARCHIVOS} - set(TIPOS))
    assert not sobrantes, f"Muestras sin modelo registrado: {sobrantes}"


@pytest.mark.parametrize("archivo", ARCHIVOS, ids=lambda archivo: archivo.stem)
def test_la_muestra_es_del_tipo_que_nombra_su_archivo(archivo: Path) -> None:
    evento = Evento.model_validate(_leer(archivo))
    assert evento.type == archivo.stem
    assert evento.source == f"/{TIPOS[evento.type].SERVICIO.value}"


@pytest.mark.parametrize("archivo", ARCHIVOS, ids=lambda archivo: archivo.stem)
def test_la_muestra_es_el_evento_completo_que_produciria_el_modelo(archivo: Path) -> None:
    crudo = _leer(archivo)
    evento = Evento.model_validate(crudo)
    datos = datos_de(evento)
    assert isinstance(datos, TIPOS[evento.type])
    # Comparing dumps catches misspelled or missing fields that extra="ignore" would hide.
    assert datos.model_dump(mode="json") == crudo["data"]
    assert evento.model_dump(mode="json") == crudo


@pytest.mark.parametrize("archivo", ARCHIVOS, ids=lambda archivo: archivo.stem)
def test_el_id_de_la_muestra_es_uuidv7(archivo: Path) -> None:
    id_evento = uuid.UUID(_leer(archivo)["id"])
    assert id_evento.variant == uuid.RFC_4122
    assert id_evento.version == 7
