"""The capture state survives the trip to its document and back."""

from datetime import UTC, datetime, timedelta

from captura.adapters.serializacion import cuestionarios_a_dict, cuestionarios_de_dict
from captura.domain import Cuestionarios, Fotografia, abrir_plazo
from captura.domain.cuestionarios import Autorizaciones, Consentimiento, Edicion
from comun.eventos.vocabulario import Cuestionario

AHORA = datetime(2024, 4, 28, 17, 0, tzinfo=UTC)


def test_un_documento_sin_captura_es_una_captura_vacia() -> None:
    assert cuestionarios_de_dict(None) == Cuestionarios()


def test_el_estado_completo_de_captura_va_y_vuelve_igual() -> None:
    plazo = abrir_plazo(entregadas_en=AHORA, dias=15, zona="America/Mexico_City").prorrogar(
        vence=AHORA + timedelta(days=20), motivo="Acuerdo del Consejo", por="admin", ahora=AHORA
    )
    estado = Cuestionarios(
        curricular={"propuesta_1": "Agua", "cursos": ["Uno"], "redes_sociales": {"x": "u"}},
        revision_curricular=3,
        identidad_cifrada="s1.abc.def.ghi",
        identidad_avance=40,
        revision_identidad=2,
        consentimiento=Consentimiento(
            Autorizaciones(tratamiento=AHORA, uso_estadistico=AHORA),
            "a" * 64,
            "image/jpeg",
            AHORA,
            "p",
        ),
        fotografia=Fotografia("b" * 64, 600, 800, AHORA),
        plazo=plazo,
        ediciones={Cuestionario.CURRICULAR: Edicion("captura.pri", AHORA, carga_masiva=True)},
        enviada_en=AHORA,
        enviada_por="captura.pri",
        fuera_de_plazo=True,
    )
    assert cuestionarios_de_dict(cuestionarios_a_dict(estado)) == estado
