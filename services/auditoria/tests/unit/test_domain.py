"""Entries of the activity history."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from auditoria.domain import Entrada


def test_fecha_y_hora_se_muestran_en_hora_del_centro_de_mexico() -> None:
    e = Entrada(
        evento_id="x",
        momento=datetime(2024, 4, 15, 3, 5, 9, tzinfo=UTC),
        usuario="captura.pan",
        rol="partido",
        partido="PAN",
        modulo="captura",
        accion="guardar",
        tipo="t",
        sujeto="s",
    )
    zona = ZoneInfo("America/Mexico_City")
    assert (e.fecha(zona), e.hora(zona)) == ("2024-04-14", "21:05:09")
