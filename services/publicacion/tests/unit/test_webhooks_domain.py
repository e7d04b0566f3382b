"""Webhook rules: Standard Webhooks signatures, the retry schedule and the delivery states."""

import base64
import hashlib
import hmac
import json
import random
from collections.abc import Callable

import pytest

from comun.eventos.publicacion import PerfilPublicado, PerfilRetirado
from publicacion.domain.destinos import ErrorWebhook
from publicacion.domain.webhooks import (
    GRACIA_ROTACION_S,
    ConflictoWebhook,
    Entrega,
    EstadoEntrega,
    EstadoSuscripcion,
    EventoWebhook,
    PoliticaReintentos,
    Resultado,
    Suscripcion,
    cabeceras_firmadas,
    clave_de,
    contenido,
    cuerpo_de,
    firmar,
    nuevo_secreto,
)

# The reference example of the Standard Webhooks libraries (libraries/python/tests).
SECRETO_REFERENCIA = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ID_REFERENCIA = "msg_p5jXN8AQM9LWM0D4loKWxJek"
MARCA_REFERENCIA = 1614265330
CUERPO_REFERENCIA = b'{"test": 2432232314}'
FIRMA_REFERENCIA = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

DIA = 24 * 3600.0
POLITICA = PoliticaReintentos(base_s=5.0, tope_s=6 * 3600.0, ventana_s=3 * DIA)
T0 = 1_714_550_400.0


def entrega(tipo: EventoWebhook = EventoWebhook.PERFIL_PUBLICADO, **datos: object) -> Entrega:
    return Entrega.nueva(
        evento_id="0190a1b2-0000-7000-8000-000000000001",
        suscripcion_id="sus-1",
        tipo=tipo,
        candidatura_id="DL-MR-41-FYCEM-P",
        momento_evento="2024-05-01T06:00:12Z",
        datos=datos,
        ahora=T0,
    )


def suscripcion(**cambios: object) -> Suscripcion:
    s = Suscripcion.registrar(
        id="sus-1",
        url="https://receptor.ejemplo.mx/conoceles",
        eventos=["perfil_publicado", "perfil_retirado"],
        descripcion="INE",
        secreto=nuevo_secreto(bytes(range(32))),
        usuario="admin",
        ahora=T0,
    )
    for campo, valor in cambios.items():
        setattr(s, campo, valor)
    return s


def intentar(e: Entrega, resultado: Resultado, ahora: float, azar: float = 0.5) -> None:
    e.reclamar(reclamo="r", ahora=ahora, arriendo_s=40)
    e.registrar(resultado, ahora=ahora, politica=POLITICA, azar=azar)


FALLO = Resultado(500, "El receptor respondió 500.")


def test_la_firma_coincide_con_el_ejemplo_de_referencia_de_standard_webhooks() -> None:
    firma = firmar(
        SECRETO_REFERENCIA,
        mensaje_id=ID_REFERENCIA,
        marca=MARCA_REFERENCIA,
        cuerpo=CUERPO_REFERENCIA,
    )
    assert firma == FIRMA_REFERENCIA


def test_la_firma_coincide_con_un_calculo_independiente() -> None:
    secreto = nuevo_secreto(b"\x07" * 32)
    cuerpo = cuerpo_de(EventoWebhook.PERFIL_RETIRADO, "2024-05-01T06:00:12Z", {"id": "X"})
    clave = base64.b64decode(secreto.removeprefix("whsec_"))
    esperado = hmac.new(clave, b"evt-1.1700000000." + cuerpo, hashlib.sha256).digest()
    firma = firmar(secreto, mensaje_id="evt-1", marca=1700000000, cuerpo=cuerpo)
    assert firma == "v1," + base64.b64encode(esperado).decode()


def test_el_secreto_es_whsec_con_32_bytes_en_base64() -> None:
    secreto = nuevo_secreto(bytes(range(32)))
    assert secreto.startswith("whsec_") and clave_de(secreto) == bytes(range(32))
    with pytest.raises(ValueError, match="32 bytes"):
        nuevo_secreto(b"corto")


def test_las_cabeceras_llevan_una_firma_por_secreto_vigente() -> None:
    cuerpo = b"{}"
    secretos = [nuevo_secreto(b"\x01" * 32), nuevo_secreto(b"\x02" * 32)]
    cabeceras = cabeceras_firmadas(secretos, mensaje_id="evt-1", marca=1700000000, cuerpo=cuerpo)
    firmas = cabeceras["webhook-signature"].split(" ")
    assert firmas == [
        firmar(s, mensaje_id="evt-1", marca=1700000000, cuerpo=cuerpo) for s in secretos
    ]
    assert cabeceras["webhook-id"] == "evt-1" and cabeceras["webhook-timestamp"] == "1700000000"


def test_el_cuerpo_es_json_compacto_con_tipo_momento_y_datos() -> None:
    cuerpo = cuerpo_de(
        EventoWebhook.PERFIL_PUBLICADO, "2024-05-01T06:00:12Z", {"nombre": "Ana Pérez"}
    )
    esperado = '{"type":"perfil_publicado","timestamp":"2024-05-01T06:00:12Z",'
    assert cuerpo == (esperado + '"data":{"nombre":"Ana Pérez"}}').encode()
    assert json.loads(cuerpo)["data"]["nombre"] == "Ana Pérez"


def test_los_eventos_del_webhook_son_los_de_publicacion() -> None:
    assert {e.value for e in EventoWebhook} == {PerfilPublicado.NOMBRE, PerfilRetirado.NOMBRE}


def test_la_espera_crece_en_exponencial_con_tope_y_jitter_completo() -> None:
    for intento in range(1, 40):
        techo = min(POLITICA.tope_s, POLITICA.base_s * 2 ** (intento - 1))
        assert POLITICA.espera(intento, 0.0) == 0.0
        assert POLITICA.espera(intento, 0.999999) == pytest.approx(techo, rel=1e-5)
        assert 0 <= POLITICA.espera(intento, random.random()) <= techo
    assert POLITICA.espera(3, 0.25) == pytest.approx(5.0)


def test_el_jitter_reparte_los_reintentos_en_el_tiempo() -> None:
    azar = random.Random(7)
    esperas = {round(POLITICA.espera(8, azar.random()), 3) for _ in range(200)}
    assert len(esperas) > 150


def test_retry_after_es_un_minimo_sin_pasar_del_tope() -> None:
    assert POLITICA.espera(1, 0.0, pedida=120) == 120
    assert POLITICA.espera(1, 0.0, pedida=10 * DIA) == POLITICA.tope_s


@pytest.mark.parametrize("semilla", range(20))
def test_los_reintentos_no_pasan_de_tres_dias_y_luego_la_entrega_falla(semilla: int) -> None:
    azar = random.Random(semilla)
    e = entrega()
    ahora = T0
    momentos = []
    while e.estado is EstadoEntrega.PENDIENTE:
        assert e.proximo_intento is not None
        ahora = e.proximo_intento
        momentos.append(ahora)
        intentar(e, FALLO, ahora, azar.random())
    assert e.estado is EstadoEntrega.FALLIDA and e.proximo_intento is None
    assert momentos[-1] == pytest.approx(T0 + 3 * DIA)
    assert all(m <= T0 + 3 * DIA for m in momentos)
    assert 8 <= e.intentos <= 200


def test_pendiente_a_entregada_con_un_2xx() -> None:
    e = entrega()
    intentar(e, Resultado(204), T0)
    assert e.estado is EstadoEntrega.ENTREGADA and e.entregada_en == T0
    assert e.intentos == 1 and e.ultimo_codigo == 204 and e.proximo_intento is None


def test_un_fallo_deja_la_entrega_pendiente_con_su_proximo_intento() -> None:
    e = entrega()
    intentar(e, FALLO, T0 + 1, azar=0.5)
    assert e.estado is EstadoEntrega.PENDIENTE
    assert e.proximo_intento == pytest.approx(T0 + 1 + 2.5)
    assert e.ultimo_codigo == 500 and e.ultimo_error == "El receptor respondió 500."
    assert [(i.numero, i.codigo) for i in e.historial] == [(1, 500)]


@pytest.mark.parametrize("codigo", [301, 302, 307, 308, 404, 429, 503])
def test_una_redireccion_o_un_error_cuentan_como_fallo(codigo: int) -> None:
    e = entrega()
    intentar(e, Resultado(codigo, "x"), T0)
    assert e.estado is EstadoEntrega.PENDIENTE and e.intentos == 1


def test_sin_respuesta_cuenta_como_fallo() -> None:
    e = entrega()
    intentar(e, Resultado(None, "El receptor no respondió en 10 s."), T0)
    assert e.estado is EstadoEntrega.PENDIENTE and e.ultimo_codigo is None


def test_410_deja_la_entrega_en_cola_para_cuando_se_reanude() -> None:
    e = entrega()
    intentar(e, Resultado(410, "Gone"), T0)
    assert e.estado is EstadoEntrega.PENDIENTE and e.proximo_intento == T0


def test_una_entrega_reclamada_no_se_reclama_otra_vez_hasta_vencer_el_arriendo() -> None:
    e = entrega()
    e.reclamar(reclamo="a", ahora=T0, arriendo_s=40)
    assert e.estado is EstadoEntrega.EN_CURSO and not e.vencida(T0 + 39)
    with pytest.raises(ConflictoWebhook):
        e.reclamar(reclamo="b", ahora=T0 + 39, arriendo_s=40)
    e.reclamar(reclamo="b", ahora=T0 + 41, arriendo_s=40)
    assert e.reclamo == "b" and e.intentos == 2


def test_el_reenvio_de_una_fallida_abre_una_ventana_nueva() -> None:
    e = entrega()
    e.estado, e.proximo_intento = EstadoEntrega.FALLIDA, None
    e.reenviar(ahora=T0 + 5 * DIA)
    assert e.estado is EstadoEntrega.PENDIENTE and e.proximo_intento == T0 + 5 * DIA
    intentar(e, FALLO, T0 + 5 * DIA)
    assert e.estado is EstadoEntrega.PENDIENTE and e.reenvios == 1


def test_se_reenvia_tambien_una_entregada() -> None:
    e = entrega()
    intentar(e, Resultado(200), T0)
    e.reenviar(ahora=T0 + 10)
    assert e.estado is EstadoEntrega.PENDIENTE and e.entregada_en is None


def test_no_se_reenvia_una_entrega_que_sigue_en_cola() -> None:
    with pytest.raises(ConflictoWebhook, match="entregadas o fallidas"):
        entrega().reenviar(ahora=T0)


def test_un_perfil_publicado_se_envia_con_su_vista_publica_actual() -> None:
    vista = {"id": "DL-MR-41-FYCEM-P", "identidad": None}
    assert contenido(entrega(), publicado=True, vista=vista) == vista


def test_un_perfil_que_ya_no_es_publico_no_se_envia() -> None:
    assert contenido(entrega(), publicado=False, vista=None) is None
    assert contenido(entrega(), publicado=False, vista={"estado": "deshabilitado"}) is None


def test_un_retiro_lleva_clave_motivo_y_direccion() -> None:
    retiro = entrega(EventoWebhook.PERFIL_RETIRADO, motivo="cancelada", version=3)
    assert contenido(retiro, publicado=False, vista=None) == {
        "id": "DL-MR-41-FYCEM-P",
        "motivo": "cancelada",
        "url": "/candidaturas/DL-MR-41-FYCEM-P",
    }
    assert contenido(retiro, publicado=True, vista={"id": "x"}) is None


def test_un_suscriptor_solo_recibe_los_eventos_que_pidio_mientras_esta_activo() -> None:
    s = suscripcion(eventos=(EventoWebhook.PERFIL_RETIRADO,))
    assert s.recibe(EventoWebhook.PERFIL_RETIRADO)
    assert not s.recibe(EventoWebhook.PERFIL_PUBLICADO)
    s.pausar(motivo="mantenimiento", ahora=T0)
    assert not s.recibe(EventoWebhook.PERFIL_RETIRADO)


def test_un_evento_desconocido_se_rechaza_nombrandolo() -> None:
    with pytest.raises(ErrorWebhook, match="Evento desconocido: «perfil_borrado»"):
        Suscripcion.registrar(
            id="x",
            url="https://receptor.ejemplo.mx/",
            eventos=["perfil_borrado"],
            descripcion="",
            secreto="whsec_x",
            usuario="admin",
            ahora=T0,
        )


def test_sin_eventos_no_hay_suscriptor() -> None:
    with pytest.raises(ErrorWebhook, match="al menos un evento"):
        Suscripcion.registrar(
            id="x",
            url="https://receptor.ejemplo.mx/",
            eventos=[" "],
            descripcion="",
            secreto="whsec_x",
            usuario="admin",
            ahora=T0,
        )


def test_pausar_dos_veces_es_un_conflicto() -> None:
    s = suscripcion()
    s.pausar(motivo="m", ahora=T0)
    with pytest.raises(ConflictoWebhook, match="ya está en pausa"):
        s.pausar(motivo="m", ahora=T0)
    s.reanudar(ahora=T0)
    assert s.estado is EstadoSuscripcion.ACTIVA and s.motivo_pausa is None


def test_eliminar_borra_los_secretos_e_impide_cualquier_otro_cambio() -> None:
    s = suscripcion()
    s.rotar_secreto(nuevo_secreto(b"\x09" * 32), ahora=T0)
    s.eliminar(ahora=T0)
    assert s.secreto is None and s.secreto_anterior is None and s.secretos_vigentes(T0) == []
    acciones: list[Callable[[], None]] = [
        lambda: s.reanudar(ahora=T0),
        lambda: s.rotar_secreto("whsec_y", ahora=T0),
        lambda: s.eliminar(ahora=T0),
    ]
    for accion in acciones:
        with pytest.raises(ConflictoWebhook, match="fue eliminado"):
            accion()


def test_tras_rotar_el_secreto_anterior_firma_solo_durante_la_gracia() -> None:
    s = suscripcion()
    anterior = s.secreto
    nuevo = nuevo_secreto(b"\x09" * 32)
    s.rotar_secreto(nuevo, ahora=T0)
    assert s.secretos_vigentes(T0 + 1) == [nuevo, anterior]
    assert s.secretos_vigentes(T0 + GRACIA_ROTACION_S) == [nuevo]
