"""Post-publication change requests (PTO 31–32): one per candidacy, due the next business day."""

from datetime import UTC, date, datetime

import pytest

from comun.eventos.vocabulario import CampoCurricular
from validacion.domain.calendario import Calendario
from validacion.domain.solicitudes import (
    Cambio,
    ErrorSolicitud,
    EstadoSolicitud,
    SolicitudCambio,
    presentar,
    seguiran_ocultos,
)
from validacion.domain.verificacion import PERFIL

# Thursday 16 May 2024, 18:00 in Mexico City.
AHORA = datetime(2024, 5, 17, 0, 0, tzinfo=UTC)
CALENDARIO = Calendario.con([date(2024, 5, 17)])


def solicitud(
    cambios: list[tuple[str, str]] | None = None, **cambios_arg: object
) -> SolicitudCambio:
    """A request filed now for a published candidacy without previous requests."""
    valores: dict[str, object] = {
        "id": "S-1",
        "candidatura_id": "AY-1",
        "cambios": cambios if cambios is not None else [("propuesta_1", "Agua potable.")],
        "previa": None,
        "publicada": True,
        "por": "supervisor.pri",
        "ahora": AHORA,
        "calendario": CALENDARIO,
    } | cambios_arg
    return presentar(**valores)  # type: ignore[arg-type]


def test_la_solicitud_vence_al_final_del_siguiente_dia_habil() -> None:
    # Friday 17 is non-working in this calendar, so Monday 20 May.
    assert solicitud().vence.isoformat() == "2024-05-20T23:59:59-06:00"


def test_una_segunda_solicitud_se_rechaza_con_mensaje_claro() -> None:
    with pytest.raises(ErrorSolicitud, match="única solicitud"):
        solicitud(previa=solicitud())


def test_antes_de_publicarse_no_hay_solicitud_de_cambio() -> None:
    with pytest.raises(ErrorSolicitud, match="todavía no está publicada"):
        solicitud(publicada=False)


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ([], "al menos un campo"),
        ([("color_favorito", "Azul")], "no existe"),
        ([("fotografia", "x")], "no existe o no se cambia"),
        ([("propuesta_1", "A"), ("propuesta_1", "B")], "dos veces"),
        ([("propuesta_1", "   ")], "Escriba el nuevo texto"),
        ([("propuesta_1", "Agua\x00")], "caracteres de control"),
        ([("propuesta_1", "a" * 1601)], "el máximo es 1,600"),
        ([("telefono_publico", "722 123")], "debe tener 10 dígitos"),
        ([("correo_publico", "ana@")], "no es una dirección válida"),
        ([("correo_publico", "a" * 250 + "@ej.mx")], "el máximo es 254"),
        ([("pagina_web", "www.ejemplo.mx")], "empezando con https://"),
    ],
)
def test_una_solicitud_mal_formada_se_explica(cambios: list[tuple[str, str]], mensaje: str) -> None:
    with pytest.raises(ErrorSolicitud, match=mensaje):
        solicitud(cambios)


def test_aplicarla_conserva_el_texto_publicado_anterior() -> None:
    s = solicitud()
    s.aplicar(publicados={CampoCurricular.PROPUESTA_1: "Texto viejo"}, por="admin", ahora=AHORA)
    assert s.estado is EstadoSolicitud.APLICADA
    assert s.anteriores == {CampoCurricular.PROPUESTA_1: "Texto viejo"}


def test_rechazarla_exige_un_motivo_que_se_pueda_leer() -> None:
    s = solicitud()
    with pytest.raises(ErrorSolicitud, match="Explique el rechazo"):
        s.rechazar(motivo="no", por="admin", ahora=AHORA)
    s.rechazar(motivo="El texto nuevo incluye un llamado al voto.", por="admin", ahora=AHORA)
    assert s.estado is EstadoSolicitud.RECHAZADA


def test_una_solicitud_se_resuelve_una_sola_vez() -> None:
    s = solicitud()
    s.aplicar(publicados={}, por="admin", ahora=AHORA)
    with pytest.raises(ErrorSolicitud, match="no se resuelve dos veces"):
        s.rechazar(motivo="Ya no procede el cambio.", por="admin", ahora=AHORA)


def test_pendiente_despues_del_vencimiento_esta_vencida() -> None:
    s = solicitud()
    assert not s.vencida(AHORA)
    assert s.vencida(datetime(2024, 5, 21, 7, 0, tzinfo=UTC))


def test_el_telefono_se_guarda_como_sus_10_digitos() -> None:
    (cambio,) = solicitud([("telefono_publico", "(722) 123-4567")]).cambios
    assert cambio.texto == "7221234567"


def test_los_errores_de_varios_campos_se_dicen_juntos() -> None:
    with pytest.raises(ErrorSolicitud) as error:
        solicitud([("telefono_publico", "1"), ("pagina_web", "ejemplo")])
    assert "teléfono público" in str(error.value) and "página web" in str(error.value)


def test_un_campo_deshabilitado_sigue_oculto_tras_la_solicitud() -> None:
    cambios = [
        Cambio(CampoCurricular.PROPUESTA_1, "Nuevo."),
        Cambio(CampoCurricular.PROPUESTA_2, "Otro."),
    ]
    ocultos = seguiran_ocultos(cambios, deshabilitados={"propuesta_1", "historia_profesional"})
    assert ocultos.campos == (CampoCurricular.PROPUESTA_1,) and not ocultos.perfil
    assert ocultos.advertencia is not None and "«Propuesta 1» está deshabilitado" in (
        ocultos.advertencia
    )


def test_varios_campos_deshabilitados_se_nombran_en_plural() -> None:
    cambios = [
        Cambio(CampoCurricular.PROPUESTA_1, "Nuevo."),
        Cambio(CampoCurricular.PROPUESTA_2, "Otro."),
    ]
    ocultos = seguiran_ocultos(cambios, deshabilitados={"propuesta_1", "propuesta_2"})
    assert ocultos.advertencia is not None
    assert ocultos.advertencia.startswith("Los campos «Propuesta 1» y «Propuesta 2» están")


def test_con_el_perfil_deshabilitado_todos_los_campos_siguen_ocultos() -> None:
    cambios = [Cambio(CampoCurricular.PROPUESTA_1, "Nuevo.")]
    ocultos = seguiran_ocultos(cambios, deshabilitados={PERFIL})
    assert ocultos.perfil and ocultos.campos == (CampoCurricular.PROPUESTA_1,)


def test_sin_nada_deshabilitado_no_hay_advertencia() -> None:
    ocultos = seguiran_ocultos([Cambio(CampoCurricular.PROPUESTA_1, "Nuevo.")], deshabilitados=())
    assert not ocultos and ocultos.advertencia is None
