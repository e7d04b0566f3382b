"""The publication rule of identity answers (DOMINIO §4, PTO 19)."""

from datetime import UTC, datetime

import pytest

from comun.eventos.vocabulario import AccionAfirmativa
from comun.politicas import identidad_publica

HORA = datetime(2024, 4, 28, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("autorizacion", "afirmativa", "publica"),
    [
        (HORA, None, True),
        (None, AccionAfirmativa.INDIGENA, True),
        (HORA, AccionAfirmativa.JOVEN, True),
        (None, None, False),
    ],
)
def test_la_identidad_es_publica_con_consentimiento_b_o_accion_afirmativa(
    autorizacion: datetime | None, afirmativa: AccionAfirmativa | None, publica: bool
) -> None:
    assert (
        identidad_publica(autorizacion_publicacion=autorizacion, accion_afirmativa=afirmativa)
        is publica
    )
