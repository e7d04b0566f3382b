"""The candidacy aggregate while its questionnaires are captured, sent and time-boxed."""

from datetime import UTC, date, datetime, timedelta

import pytest

from captura.domain import (
    AlVencer,
    Candidatura,
    Captura,
    CapturaCerrada,
    ConflictoEdicion,
    ErrorDominio,
    EstadoCandidatura,
    Fotografia,
    Registro,
)
from captura.domain.cuestionarios import (
    ConsentimientoCargadoHecho,
    CuestionarioEnviadoHecho,
    CuestionarioGuardadoHecho,
    PlazoIniciadoHecho,
    PlazoProrrogadoHecho,
)
from comun.eventos.vocabulario import (
    CampoCurricular,
    Cargo,
    Cuestionario,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)

AHORA = datetime(2024, 4, 28, 17, 0, tzinfo=UTC)
ZONA = "America/Mexico_City"


def nueva() -> Candidatura:
    """A freshly registered candidacy with its registry fact already handled."""
    registro = Registro(
        eleccion="simulacro-2025",
        nombres="Ana",
        cargo=Cargo.PRESIDENCIA_MUNICIPAL,
        principio=Principio.MR,
        tipo_candidatura=TipoCandidatura.PROPIETARIA,
        postulante=Postulante.PARTIDO,
        sexo=Sexo.MUJER,
        fecha_nacimiento=date(1980, 5, 17),
        partido="PRO",
        municipio="99001",
    )
    candidatura = Candidatura.registrar(id="AY-1", registro=registro)
    candidatura.hechos.clear()
    return candidatura


def captura(**cambios: object) -> Captura:
    """A capturer of the party editing now."""
    valores: dict[str, object] = {"por": "captura.pro", "ahora": AHORA} | cambios
    return Captura(**valores)  # type: ignore[arg-type]


def consentir(c: Candidatura, **cambios: object) -> None:
    """Give the three authorizations with a signed document."""
    c.registrar_consentimiento(
        tratamiento=True,
        publicacion=True,
        uso_estadistico=True,
        documento=("a" * 64, "application/pdf"),
        captura=captura(**cambios),
        revision=c.cuestionarios.revision_consentimiento,
    )


def test_el_primer_guardado_pasa_la_candidatura_a_en_captura() -> None:
    c = nueva()
    campos = c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    assert c.estado is EstadoCandidatura.EN_CAPTURA
    assert campos == (CampoCurricular.PROPUESTA_1,)
    assert c.cuestionarios.revision_curricular == 1


def test_cada_guardado_registra_un_hecho_y_sube_la_version() -> None:
    c = nueva()
    version = c.version
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    assert c.version == version + 1
    assert c.hechos == [
        CuestionarioGuardadoHecho("AY-1", Cuestionario.CURRICULAR, (CampoCurricular.PROPUESTA_1,))
    ]


def test_guardar_desde_una_revision_vieja_es_un_conflicto() -> None:
    c = nueva()
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    with pytest.raises(ConflictoEdicion) as error:
        c.guardar_curricular({"propuesta_1": "Luz"}, revision=0, captura=captura())
    assert error.value.revision_actual == 1
    assert c.cuestionarios.curricular == {"propuesta_1": "Agua"}


def test_los_dos_cuestionarios_llevan_revisiones_independientes() -> None:
    c = nueva()
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    c.guardar_identidad("sobre", avance=5, revision=0, captura=captura())
    assert (c.cuestionarios.revision_curricular, c.cuestionarios.revision_identidad) == (1, 1)


def test_el_guardado_de_identidad_no_dice_que_respuestas_cambiaron() -> None:
    c = nueva()
    c.guardar_identidad("sobre", avance=5, revision=0, captura=captura())
    hecho = c.hechos[-1]
    assert isinstance(hecho, CuestionarioGuardadoHecho)
    assert hecho.campos == ()


def test_no_se_envia_una_candidatura_sin_nada_capturado() -> None:
    c = nueva()
    with pytest.raises(CapturaCerrada, match="guarde el cuestionario curricular"):
        c.enviar(curricular=0, identidad=0, captura=captura())


def test_enviar_cierra_la_captura_para_quien_captura() -> None:
    c = nueva()
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    c.enviar(curricular=1, identidad=0, captura=captura())
    assert c.estado is EstadoCandidatura.ENVIADA
    assert isinstance(c.hechos[-1], CuestionarioEnviadoHecho)
    with pytest.raises(CapturaCerrada, match="supervisora"):
        c.guardar_curricular({"propuesta_1": "Luz"}, revision=1, captura=captura())


def test_la_supervision_corrige_una_candidatura_enviada() -> None:
    c = nueva()
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    c.enviar(curricular=1, identidad=0, captura=captura())
    c.guardar_curricular({"propuesta_1": "Luz"}, revision=1, captura=captura(supervisor=True))
    assert c.cuestionarios.curricular == {"propuesta_1": "Luz"}
    assert c.estado is EstadoCandidatura.ENVIADA


def test_solo_hay_una_oportunidad_de_enviar() -> None:
    c = nueva()
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    c.enviar(curricular=1, identidad=0, captura=captura())
    with pytest.raises(CapturaCerrada):
        c.enviar(curricular=1, identidad=0, captura=captura())


def test_se_envia_solo_lo_que_se_reviso() -> None:
    c = nueva()
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())
    with pytest.raises(ConflictoEdicion):
        c.enviar(curricular=0, identidad=0, captura=captura())
    assert c.estado is EstadoCandidatura.EN_CAPTURA


def test_respuestas_de_identidad_sin_autorizacion_de_tratamiento_no_se_envian() -> None:
    c = nueva()
    c.guardar_identidad("sobre", avance=40, revision=0, captura=captura())
    with pytest.raises(CapturaCerrada, match="autorización de tratamiento"):
        c.enviar(curricular=0, identidad=1, captura=captura())
    consentir(c)
    c.enviar(curricular=0, identidad=1, captura=captura())
    assert c.estado is EstadoCandidatura.ENVIADA


def test_el_consentimiento_exige_el_documento_firmado_la_primera_vez() -> None:
    c = nueva()
    with pytest.raises(ErrorDominio, match="formato de consentimiento firmado"):
        c.registrar_consentimiento(
            tratamiento=True,
            publicacion=False,
            uso_estadistico=True,
            documento=None,
            captura=captura(),
            revision=0,
        )
    assert c.cuestionarios.consentimiento is None


def test_el_consentimiento_conserva_la_hora_de_cada_autorizacion_ya_dada() -> None:
    c = nueva()
    consentir(c)
    despues = AHORA + timedelta(hours=2)
    c.registrar_consentimiento(
        tratamiento=True,
        publicacion=False,
        uso_estadistico=True,
        documento=None,
        captura=captura(ahora=despues),
        revision=c.cuestionarios.revision_consentimiento,
    )
    consentimiento = c.cuestionarios.consentimiento
    assert consentimiento is not None
    assert consentimiento.autorizaciones.tratamiento == AHORA
    assert consentimiento.autorizaciones.publicacion is None
    assert consentimiento.documento_id == "a" * 64
    assert isinstance(c.hechos[-1], ConsentimientoCargadoHecho)


def test_la_fotografia_no_mueve_la_revision_del_borrador() -> None:
    c = nueva()
    c.cargar_fotografia(Fotografia("b" * 64, 600, 800, AHORA), captura=captura())
    assert c.cuestionarios.revision_curricular == 0
    hecho = c.hechos[-1]
    assert isinstance(hecho, CuestionarioGuardadoHecho)
    assert hecho.campos == (CampoCurricular.FOTOGRAFIA,)


def test_el_plazo_corre_quince_dias_naturales_hasta_la_medianoche_local() -> None:
    c = nueva()
    entregadas = datetime(2024, 4, 26, 16, 5, tzinfo=UTC)
    assert c.iniciar_plazo(entregadas_en=entregadas, dias=15, zona=ZONA)
    plazo = c.cuestionarios.plazo
    assert plazo is not None
    assert plazo.vence.isoformat() == "2024-05-11T23:59:59-06:00"
    assert isinstance(c.hechos[-1], PlazoIniciadoHecho)


def test_una_segunda_entrega_de_cuentas_no_reinicia_el_plazo() -> None:
    c = nueva()
    c.iniciar_plazo(entregadas_en=AHORA, dias=15, zona=ZONA)
    assert not c.iniciar_plazo(entregadas_en=AHORA + timedelta(days=3), dias=15, zona=ZONA)
    plazo = c.cuestionarios.plazo
    assert plazo is not None and plazo.inicio == AHORA


def test_vencido_el_plazo_se_bloquea_la_captura_si_la_eleccion_lo_dice() -> None:
    c = nueva()
    c.iniciar_plazo(entregadas_en=AHORA, dias=1, zona=ZONA)
    tarde = captura(ahora=AHORA + timedelta(days=3))
    with pytest.raises(CapturaCerrada, match="venció"):
        c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=tarde)
    assert c.cuestionarios.curricular == {}


def test_vencido_el_plazo_se_permite_y_se_marca_si_la_eleccion_lo_dice() -> None:
    c = nueva()
    c.iniciar_plazo(entregadas_en=AHORA, dias=1, zona=ZONA)
    tarde = captura(ahora=AHORA + timedelta(days=3), al_vencer=AlVencer.PERMITIR_Y_MARCAR)
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=tarde)
    assert c.cuestionarios.fuera_de_plazo


def test_una_prorroga_reabre_la_captura_y_queda_con_su_motivo() -> None:
    c = nueva()
    c.iniciar_plazo(entregadas_en=AHORA, dias=1, zona=ZONA)
    luego = AHORA + timedelta(days=3)
    c.prorrogar_plazo(
        vence=luego + timedelta(days=2),
        motivo="Falla eléctrica en la sede",
        por="admin",
        ahora=luego,
    )
    assert isinstance(c.hechos[-1], PlazoProrrogadoHecho)
    c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura(ahora=luego))
    plazo = c.cuestionarios.plazo
    assert plazo is not None and plazo.prorrogas[-1].motivo == "Falla eléctrica en la sede"


@pytest.mark.parametrize(
    ("dias", "motivo", "mensaje"),
    [(5, "corto", "motivo"), (-5, "Falla eléctrica en la sede", "posterior")],
)
def test_una_prorroga_necesita_motivo_y_una_fecha_posterior(
    dias: int, motivo: str, mensaje: str
) -> None:
    c = nueva()
    c.iniciar_plazo(entregadas_en=AHORA, dias=15, zona=ZONA)
    plazo = c.cuestionarios.plazo
    assert plazo is not None
    with pytest.raises(ErrorDominio, match=mensaje):
        c.prorrogar_plazo(
            vence=plazo.vence + timedelta(days=dias), motivo=motivo, por="admin", ahora=AHORA
        )


def test_sin_plazo_iniciado_no_hay_nada_que_prorrogar() -> None:
    c = nueva()
    with pytest.raises(ErrorDominio, match="aún no corre"):
        c.prorrogar_plazo(
            vence=AHORA + timedelta(days=30), motivo="Falla eléctrica", por="admin", ahora=AHORA
        )


def test_una_candidatura_sustituida_ya_no_se_edita() -> None:
    c = nueva()
    c.sustituir(por="AY-2")
    with pytest.raises(ErrorDominio, match="sustituida"):
        c.guardar_curricular({"propuesta_1": "Agua"}, revision=0, captura=captura())


def test_un_consentimiento_desde_un_formulario_viejo_es_un_conflicto() -> None:
    c = nueva()
    consentir(c)
    with pytest.raises(ConflictoEdicion):
        c.registrar_consentimiento(
            tratamiento=True,
            publicacion=True,
            uso_estadistico=True,
            documento=None,
            captura=captura(),
            revision=0,
        )
