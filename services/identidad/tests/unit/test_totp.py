"""TOTP codes: the ±1 step window, replays refused, and the account's sign-in with a code."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from pydantic import SecretStr

from comun.roles import AccionPendiente, Rol
from identidad.adapters.seguridad import CifradorSecretos, SecretoIlegible
from identidad.domain import (
    ClaveCambiada,
    CredencialesInvalidas,
    Cuenta,
    CuentaBloqueada,
    CuentaIncompleta,
    CuentaNoActiva,
    InicioSesionFallido,
    MotivoFallo,
    PoliticaBloqueo,
    SegundoFactorConfigurado,
    SesionIniciada,
    totp,
)

AHORA = datetime(2024, 4, 10, 16, 0, 5, tzinfo=UTC)
SECRETO = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
POLITICA = PoliticaBloqueo(intentos_maximos=3, duracion=timedelta(minutes=15))


def codigo(momento: datetime, secreto: str = SECRETO) -> str:
    return pyotp.TOTP(secreto).at(momento)


def supervisor(*, con_totp: bool = True) -> Cuenta:
    cuenta = Cuenta.crear(
        id="c-sup",
        usuario="supervisor.pri",
        nombre="Supervisión PRI",
        roles=frozenset({Rol.SUPERVISOR}),
        hash_clave="hash",
        ahora=AHORA,
        partido="PRI",
    )
    cuenta.debe_cambiar_clave = False
    if con_totp:
        cuenta.proponer_segundo_factor("cifrado")
        cuenta.activar_segundo_factor(
            totp.paso_del_codigo(SECRETO, codigo(AHORA), ahora=AHORA, ultimo_paso=None)
        )
    cuenta.sacar_eventos()
    return cuenta


def test_el_codigo_actual_y_los_de_un_paso_a_cada_lado_se_aceptan() -> None:
    for desfase in (-30, 0, 30):
        momento = AHORA + timedelta(seconds=desfase)

        paso = totp.paso_del_codigo(SECRETO, codigo(momento), ahora=AHORA, ultimo_paso=None)

        assert paso == int(momento.timestamp()) // 30


def test_un_codigo_de_hace_dos_pasos_se_rechaza() -> None:
    with pytest.raises(totp.CodigoNoValido, match="no es correcto"):
        totp.paso_del_codigo(
            SECRETO, codigo(AHORA - timedelta(seconds=60)), ahora=AHORA, ultimo_paso=None
        )


def test_el_mismo_codigo_dos_veces_se_rechaza_la_segunda() -> None:
    primero = totp.paso_del_codigo(SECRETO, codigo(AHORA), ahora=AHORA, ultimo_paso=None)

    with pytest.raises(totp.CodigoReutilizado, match="ya se usó"):
        totp.paso_del_codigo(SECRETO, codigo(AHORA), ahora=AHORA, ultimo_paso=primero)


def test_un_codigo_anterior_al_ultimo_aceptado_tambien_es_repeticion() -> None:
    siguiente = totp.paso_del_codigo(
        SECRETO, codigo(AHORA + timedelta(seconds=30)), ahora=AHORA, ultimo_paso=None
    )

    with pytest.raises(totp.CodigoReutilizado):
        totp.paso_del_codigo(SECRETO, codigo(AHORA), ahora=AHORA, ultimo_paso=siguiente)


@pytest.mark.parametrize(
    ("escrito", "mensaje"),
    [("12345", "recibimos «12345», de 5"), ("12a456", "solo números"), ("", "Escriba el código")],
)
def test_codigo_mal_formado_dice_que_se_esperan_seis_digitos(escrito: str, mensaje: str) -> None:
    with pytest.raises(totp.CodigoNoValido, match=mensaje):
        totp.paso_del_codigo(SECRETO, escrito, ahora=AHORA, ultimo_paso=None)


def test_el_codigo_se_acepta_con_espacios() -> None:
    escrito = codigo(AHORA)

    paso = totp.paso_del_codigo(
        SECRETO, f" {escrito[:3]} {escrito[3:]} ", ahora=AHORA, ultimo_paso=None
    )

    assert paso == int(AHORA.timestamp()) // 30


def test_la_uri_de_alta_nombra_al_emisor_y_al_usuario() -> None:
    uri = totp.uri_de_alta(SECRETO, usuario="supervisor.pri")

    assert uri.startswith("otpauth://totp/Con%C3%B3celes:supervisor.pri?secret=" + SECRETO)
    assert "issuer=Con%C3%B3celes" in uri


def test_sin_codigo_la_cuenta_con_segundo_factor_lo_pide_sin_registrar_nada() -> None:
    cuenta = supervisor()

    with pytest.raises(totp.CodigoRequerido) as error:
        cuenta.intentar_acceso(AHORA, clave_correcta=True, politica=POLITICA)

    assert error.value.cuenta_id == "c-sup"
    assert cuenta.sacar_eventos() == []
    assert cuenta.fallos == 0


def test_con_el_codigo_siguiente_la_sesion_se_inicia() -> None:
    cuenta = supervisor()
    despues = AHORA + timedelta(seconds=30)

    cuenta.intentar_acceso(
        despues, clave_correcta=True, codigo=codigo(despues), secreto_totp=SECRETO
    )

    assert cuenta.sacar_eventos() == [SesionIniciada(cuenta_id="c-sup", momento=despues)]
    assert cuenta.totp_ultimo_paso == int(despues.timestamp()) // 30


def test_el_codigo_de_la_alta_no_sirve_para_entrar() -> None:
    cuenta = supervisor()

    with pytest.raises(totp.CodigoReutilizado):
        cuenta.intentar_acceso(
            AHORA, clave_correcta=True, codigo=codigo(AHORA), secreto_totp=SECRETO
        )

    assert cuenta.sacar_eventos() == [
        InicioSesionFallido(cuenta_id="c-sup", motivo=MotivoFallo.SEGUNDO_FACTOR)
    ]
    assert cuenta.fallos == 1


def test_codigos_erroneos_bloquean_la_cuenta_como_claves_erroneas() -> None:
    cuenta = supervisor()

    for _ in range(2):
        with pytest.raises(totp.CodigoNoValido):
            cuenta.intentar_acceso(
                AHORA, clave_correcta=True, politica=POLITICA, codigo="000000", secreto_totp=SECRETO
            )
    with pytest.raises(CuentaBloqueada):
        cuenta.intentar_acceso(
            AHORA, clave_correcta=True, politica=POLITICA, codigo="000000", secreto_totp=SECRETO
        )

    assert cuenta.esta_bloqueada(AHORA)
    motivos = {hecho.motivo for hecho in cuenta.sacar_eventos()}  # type: ignore[union-attr]
    assert motivos == {MotivoFallo.SEGUNDO_FACTOR}


def test_clave_erronea_no_llega_a_pedir_el_codigo() -> None:
    cuenta = supervisor()

    with pytest.raises(CredencialesInvalidas):
        cuenta.intentar_acceso(AHORA, clave_correcta=False)

    assert cuenta.sacar_eventos() == [
        InicioSesionFallido(cuenta_id="c-sup", motivo=MotivoFallo.CREDENCIALES)
    ]


def test_cuenta_deshabilitada_lo_registra_como_motivo() -> None:
    cuenta = supervisor()
    cuenta.deshabilitar("Cambio de representante")
    cuenta.sacar_eventos()

    with pytest.raises(CuentaNoActiva):
        cuenta.intentar_acceso(AHORA, clave_correcta=True)

    assert cuenta.sacar_eventos() == [
        InicioSesionFallido(cuenta_id="c-sup", motivo=MotivoFallo.DESHABILITADA)
    ]


def test_supervision_sin_segundo_factor_debe_configurarlo_salvo_en_la_demostracion() -> None:
    cuenta = supervisor(con_totp=False)

    assert cuenta.acciones_pendientes(demo=False) == {AccionPendiente.CONFIGURAR_SEGUNDO_FACTOR}
    cuenta.marcar_de_demostracion()
    assert cuenta.acciones_pendientes(demo=True) == frozenset()
    assert cuenta.acciones_pendientes(demo=False) == {AccionPendiente.CONFIGURAR_SEGUNDO_FACTOR}


def test_la_api_no_da_tokens_a_cuentas_con_acciones_pendientes() -> None:
    cuenta = supervisor(con_totp=False)

    with pytest.raises(CuentaIncompleta, match="segundo factor"):
        cuenta.intentar_acceso(AHORA, clave_correcta=True, completa=True)

    assert cuenta.sacar_eventos() == []


def test_cambiar_la_clave_la_deja_de_ser_temporal_y_cierra_las_demas_sesiones() -> None:
    cuenta = supervisor()
    cuenta.debe_cambiar_clave = True
    epoca = cuenta.epoca_sesion

    cuenta.cambiar_clave("hash-nuevo")

    assert not cuenta.debe_cambiar_clave
    assert cuenta.epoca_sesion == epoca + 1
    assert cuenta.sacar_eventos() == [ClaveCambiada(cuenta_id="c-sup")]


def test_quitar_el_segundo_factor_lo_registra() -> None:
    cuenta = supervisor()

    cuenta.quitar_segundo_factor()

    assert not cuenta.tiene_segundo_factor
    assert cuenta.sacar_eventos() == [SegundoFactorConfigurado(cuenta_id="c-sup", activo=False)]


def test_el_secreto_se_guarda_cifrado_y_solo_se_lee_para_su_cuenta() -> None:
    cifrador = CifradorSecretos(SecretStr("secreto-de-pruebas-con-longitud-suficiente"))

    cifrado = cifrador.cifrar(SECRETO, contexto="c-sup")

    assert SECRETO not in cifrado
    assert cifrador.descifrar(cifrado, contexto="c-sup") == SECRETO
    with pytest.raises(SecretoIlegible):
        cifrador.descifrar(cifrado, contexto="otra-cuenta")
    with pytest.raises(SecretoIlegible, match="CONOCELES_CLAVE_SECRETA"):
        CifradorSecretos(SecretStr("otro-secreto")).descifrar(cifrado, contexto="c-sup")
