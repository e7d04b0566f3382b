"""Notices: who receives them, their text, read marks and e-mail retries."""

from datetime import UTC, datetime, timedelta

import pytest

from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from comun.roles import Rol
from validacion.domain.avisos import (
    MAX_INTENTOS,
    Aviso,
    AvisoInvalido,
    Destinatario,
    Envio,
    EstadoEnvio,
    correo_de_aviso,
    destinatario_de,
    ordenar_bandeja,
)

AHORA = datetime(2024, 5, 2, 16, 0, tzinfo=UTC)


def aviso(id: str = "a1", partido: str | None = "PAN", **cambios: object) -> Aviso:
    datos: dict[str, object] = {
        "id": id,
        "candidatura_id": "DL-MR-01-PAN-P",
        "partido": partido,
        "mensaje": "La propuesta 1 llama al voto; corríjala.",
        "creado_por": "verificador",
        "ahora": AHORA,
        "motivo": MotivoContenido.PROPAGANDA,
        "campos": [CampoCurricular.PROPUESTA_1],
    }
    return Aviso.emitir(**{**datos, **cambios})  # type: ignore[arg-type]


def test_el_aviso_de_una_candidatura_de_partido_va_a_la_supervision_del_partido() -> None:
    assert destinatario_de(candidatura_id="X", partido="PAN") == Destinatario(
        Rol.SUPERVISOR, partido="PAN"
    )


def test_el_aviso_de_una_candidatura_independiente_va_a_su_propia_cuenta() -> None:
    assert destinatario_de(candidatura_id="X", partido=None) == Destinatario(
        Rol.CANDIDATURA, candidatura_id="X"
    )


def test_la_supervision_de_otro_partido_no_recibe_el_aviso() -> None:
    destino = Destinatario(Rol.SUPERVISOR, partido="PAN")
    assert destino.incluye(roles=[Rol.SUPERVISOR], partido="PAN", candidatura=None)
    assert not destino.incluye(roles=[Rol.SUPERVISOR], partido="PRI", candidatura=None)
    assert not destino.incluye(roles=[Rol.PARTIDO], partido="PAN", candidatura=None)


def test_la_cuenta_de_una_candidatura_de_partido_no_recibe_los_avisos_del_partido() -> None:
    destino = Destinatario(Rol.SUPERVISOR, partido="PAN")
    assert not destino.incluye(roles=[Rol.CANDIDATURA], partido="PAN", candidatura="X")


def test_un_aviso_sin_mensaje_se_rechaza_con_explicacion() -> None:
    with pytest.raises(AvisoInvalido, match="Escriba el mensaje"):
        aviso(mensaje="   ")


def test_el_asunto_por_defecto_nombra_la_candidatura_y_el_motivo() -> None:
    assert aviso().asunto == (
        "Aviso sobre la candidatura DL-MR-01-PAN-P: Lemas o imágenes de campaña, llamados al voto"
    )


def test_marcar_leido_es_por_cuenta_e_idempotente() -> None:
    a = aviso()
    assert a.marcar_leido("sup.pan", AHORA)
    assert not a.marcar_leido("sup.pan", AHORA + timedelta(hours=1))
    assert a.leido_por == {"sup.pan": AHORA}
    assert not a.leido("otra.sup.pan")


def test_la_bandeja_muestra_primero_los_no_leidos_y_luego_los_recientes() -> None:
    viejo = aviso("viejo", ahora=AHORA)
    nuevo = aviso("nuevo", ahora=AHORA + timedelta(days=1))
    leido = aviso("leido", ahora=AHORA + timedelta(days=2))
    leido.marcar_leido("sup", AHORA)
    assert [a.id for a in ordenar_bandeja([viejo, leido, nuevo], "sup")] == [
        "nuevo",
        "viejo",
        "leido",
    ]


def test_el_correo_lleva_solo_lo_que_dice_el_aviso() -> None:
    asunto, cuerpo = correo_de_aviso(aviso(), url_avisos="https://conoceles.mx/validacion/avisos")
    assert asunto.startswith("Conóceles: Aviso sobre la candidatura DL-MR-01-PAN-P")
    assert "La propuesta 1 llama al voto; corríjala." in cuerpo
    assert "Campos: Propuesta 1" in cuerpo
    assert "https://conoceles.mx/validacion/avisos" in cuerpo


def envio() -> Envio:
    return Envio(
        id="a1:c1",
        aviso_id="a1",
        para="sup@pan.mx",
        asunto="A",
        cuerpo="B",
        creado_en=AHORA,
        siguiente_intento=AHORA,
    )


def test_un_envio_fallido_espera_cada_vez_mas_antes_de_reintentar() -> None:
    e = envio()
    e.fallo("conexión rechazada", AHORA)
    primera = e.siguiente_intento - AHORA
    e.fallo("conexión rechazada", AHORA)
    assert e.siguiente_intento - AHORA == 2 * primera
    assert e.estado is EstadoEnvio.PENDIENTE
    assert e.error == "conexión rechazada"


def test_un_envio_se_da_por_fallido_tras_el_maximo_de_intentos() -> None:
    e = envio()
    for _ in range(MAX_INTENTOS):
        e.fallo("buzón inexistente", AHORA)
    assert e.estado is EstadoEnvio.FALLIDO
    assert e.intentos == MAX_INTENTOS
