"""CURP checks: format, RENAPO check digit, birth date and sex."""

from datetime import date

import pytest

from captura.domain.curp import CurpInvalida, armar_curp, digito_verificador, leer_curp
from comun.eventos.vocabulario import Sexo

# Reference CURPs of python-stdnum's documentation and other validators' test suites.
REALES = ["BOXW310820HNERXN09", "MAAR790213HMNRLF03", "HEGG560427MVZRRL04", "TUAZ040213MCLRLFA7"]


@pytest.mark.parametrize("curp", REALES)
def test_las_curp_reales_pasan_la_revision(curp: str) -> None:
    assert int(curp[17]) == digito_verificador(curp[:17])


def test_leer_una_curp_da_su_fecha_de_nacimiento_y_sexo() -> None:
    datos = leer_curp("hegg560427mvzrrl04")
    assert (datos.fecha_nacimiento, datos.sexo) == (date(1956, 4, 27), Sexo.MUJER)


def test_una_homoclave_con_letra_indica_nacimiento_desde_2000() -> None:
    curp = armar_curp(
        base="LOPE", nacimiento=date(2003, 1, 9), sexo=Sexo.HOMBRE, entidad="MC",
        consonantes="PRZ", homoclave="3",
    )  # fmt: skip
    assert leer_curp(curp).fecha_nacimiento == date(2003, 1, 9)


def test_la_x_de_sexo_es_no_binario() -> None:
    curp = armar_curp(
        base="ROJA", nacimiento=date(1991, 7, 2), sexo=Sexo.NO_BINARIO, entidad="DF",
        consonantes="JSL", homoclave="1",
    )  # fmt: skip
    assert leer_curp(curp).sexo is Sexo.NO_BINARIO


@pytest.mark.parametrize(
    ("curp", "mensaje"),
    [
        ("HEGG560427MVZRRL0", "18 caracteres; recibimos 17"),
        ("HEGG560427MZZRRL05", "formato oficial"),
        ("HEGG560427MVZRRL05", "dígito verificador"),
        ("HEGG561327MVZRRL0" + str(digito_verificador("HEGG561327MVZRRL0")), "no existe"),
    ],
)
def test_una_curp_mal_formada_explica_que_esta_mal(curp: str, mensaje: str) -> None:
    with pytest.raises(CurpInvalida, match=mensaje):
        leer_curp(curp)
