"""Verifier takedowns (PTO 33): a reason code and a note, field by field or the whole profile."""

from datetime import UTC, datetime

import pytest

from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from validacion.domain.verificacion import PERFIL, ErrorVerificacion, Moderacion

AHORA = datetime(2024, 5, 20, 17, 0, tzinfo=UTC)
NOTA = "La propuesta repite el lema de campaña del partido."


def test_deshabilitar_un_campo_guarda_motivo_y_observacion() -> None:
    m = Moderacion("AY-1")
    hecha = m.deshabilitar(
        objetivo="propuesta_1", motivo="propaganda", observacion=NOTA, por="ver", ahora=AHORA
    )
    assert hecha.motivo is MotivoContenido.PROPAGANDA
    assert m.campos() == (CampoCurricular.PROPUESTA_1,)
    assert not m.perfil_deshabilitado


def test_el_perfil_completo_se_puede_deshabilitar() -> None:
    m = Moderacion("AY-1")
    m.deshabilitar(
        objetivo=PERFIL, motivo="otra_candidatura", observacion=NOTA, por="v", ahora=AHORA
    )
    assert m.perfil_deshabilitado


@pytest.mark.parametrize(
    ("objetivo", "motivo", "observacion", "mensaje"),
    [
        ("propuesta_1", "", NOTA, "Elija el motivo"),
        ("propuesta_1", "propaganda", "corta", "observación de 10"),
        ("curp", "propaganda", NOTA, "no es un campo"),
    ],
)
def test_deshabilitar_sin_motivo_u_observacion_se_rechaza(
    objetivo: str, motivo: str, observacion: str, mensaje: str
) -> None:
    m = Moderacion("AY-1")
    with pytest.raises(ErrorVerificacion, match=mensaje):
        m.deshabilitar(
            objetivo=objetivo, motivo=motivo, observacion=observacion, por="v", ahora=AHORA
        )
    assert m.vigentes == {}


def test_deshabilitar_dos_veces_lo_mismo_se_explica() -> None:
    m = Moderacion("AY-1")
    m.deshabilitar(
        objetivo="propuesta_1", motivo="propaganda", observacion=NOTA, por="v", ahora=AHORA
    )
    with pytest.raises(ErrorVerificacion, match="ya está deshabilitado"):
        m.deshabilitar(
            objetivo="propuesta_1", motivo="propaganda", observacion=NOTA, por="v", ahora=AHORA
        )


def test_habilitar_de_nuevo_queda_en_el_historial() -> None:
    m = Moderacion("AY-1")
    m.deshabilitar(
        objetivo="propuesta_1", motivo="propaganda", observacion=NOTA, por="v", ahora=AHORA
    )
    m.habilitar(objetivo="propuesta_1", por="v", ahora=AHORA)
    assert m.campos() == ()
    assert [accion for accion, _ in m.historial] == ["deshabilitado", "habilitado"]


def test_habilitar_lo_que_no_esta_deshabilitado_se_explica() -> None:
    with pytest.raises(ErrorVerificacion, match="no está deshabilitado"):
        Moderacion("AY-1").habilitar(objetivo="propuesta_2", por="v", ahora=AHORA)
