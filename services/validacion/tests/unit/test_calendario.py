"""Business days for the change requests' due dates (PTO 31–32)."""

import csv
from datetime import UTC, date, datetime

import pytest

from comun.settings import archivo_de_datos
from validacion.domain.calendario import Calendario, leer_inhabiles


def calendario() -> Calendario:
    """The calendar shipped in datos/calendario."""
    with archivo_de_datos("calendario/dias-inhabiles.csv").open(encoding="utf-8") as archivo:
        return Calendario.con(leer_inhabiles(csv.DictReader(archivo)))


def test_el_viernes_lleva_al_lunes() -> None:
    assert calendario().siguiente_habil(date(2024, 5, 17)) == date(2024, 5, 20)


def test_un_dia_inhabil_listado_se_salta() -> None:
    # Tuesday 30 April 2024 → 1 May is a holiday → Thursday 2 May.
    assert calendario().siguiente_habil(date(2024, 4, 30)) == date(2024, 5, 2)


def test_la_semana_santa_institucional_no_cuenta() -> None:
    assert calendario().siguiente_habil(date(2024, 3, 27)) == date(2024, 4, 1)


def test_el_vencimiento_es_el_fin_del_dia_habil_siguiente_en_hora_local() -> None:
    # Friday 17 May 2024 at 23:30 in Mexico City is already Saturday in UTC.
    habilitada = datetime(2024, 5, 18, 5, 30, tzinfo=UTC)
    vence = calendario().vencimiento(habilitada)
    assert vence.isoformat() == "2024-05-20T23:59:59-06:00"


def test_una_fecha_mal_escrita_se_senala_con_su_fila() -> None:
    with pytest.raises(ValueError, match="fila 3"):
        leer_inhabiles([{"fecha": "2024-01-01"}, {"fecha": "1 de mayo"}])
