"""Cuenta: creation rules, lockout after repeated failures, disabled accounts."""

from datetime import UTC, datetime, timedelta

import pytest

from comun.roles import Rol
from identidad.domain import (
    Cuenta,
    CuentaBloqueada,
    CuentaCreada,
    CuentaDeshabilitada,
    CuentaNoActiva,
    DatosCuentaInvalidos,
    DemasiadosIntentos,
    EstadoCuenta,
    LimiteIntentos,
    PoliticaBloqueo,
    SesionIniciada,
)

AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)
POLITICA = PoliticaBloqueo(intentos_maximos=5, duracion=timedelta(minutes=15))


def cuenta(**cambios: object) -> Cuenta:
    datos: dict[str, object] = {
        "id": "c-1",
        "usuario": "captura.pan",
        "nombre": "Captura PAN",
        "roles": frozenset({Rol.PARTIDO}),
        "hash_clave": "hash",
        "ahora": AHORA,
        "partido": "PAN",
    }
    datos.update(cambios)
    nueva = Cuenta.crear(**datos)  # type: ignore[arg-type]
    nueva.sacar_eventos()
    return nueva


def test_crear_cuenta_registra_cuenta_creada() -> None:
    nueva = Cuenta.crear(
        id="c-1",
        usuario="  Admin ",
        nombre="Unidad de Transparencia",
        roles=frozenset({Rol.ADMINISTRADOR}),
        hash_clave="hash",
        ahora=AHORA,
    )

    assert nueva.usuario == "admin"
    assert nueva.estado is EstadoCuenta.ACTIVA
    assert nueva.sacar_eventos() == [CuentaCreada(cuenta_id="c-1")]
    assert nueva.sacar_eventos() == []


@pytest.mark.parametrize("usuario", ["a", "con espacio", "ñandú", ".punto", "x" * 65, ""])
def test_usuario_con_formato_invalido_se_rechaza(usuario: str) -> None:
    with pytest.raises(DatosCuentaInvalidos, match="no es válido"):
        cuenta(usuario=usuario)


def test_cuenta_sin_roles_se_rechaza() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="al menos un rol"):
        cuenta(roles=frozenset())


@pytest.mark.parametrize("rol", [Rol.PARTIDO, Rol.SUPERVISOR])
def test_cuenta_de_partido_sin_siglas_se_rechaza(rol: Rol) -> None:
    with pytest.raises(DatosCuentaInvalidos, match="siglas"):
        cuenta(roles=frozenset({rol}), partido=None)


def test_cuenta_de_candidatura_sin_identificador_se_rechaza() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="candidatura"):
        cuenta(roles=frozenset({Rol.CANDIDATURA}), candidatura=None)


def test_cuatro_fallos_no_bloquean() -> None:
    titular = cuenta()
    for minuto in range(4):
        titular.registrar_fallo(AHORA + timedelta(minutes=minuto), POLITICA)

    assert not titular.esta_bloqueada(AHORA + timedelta(minutes=4))
    assert titular.fallos == 4


def test_cinco_fallos_seguidos_bloquean_la_cuenta_quince_minutos() -> None:
    titular = cuenta()
    for _ in range(5):
        titular.registrar_fallo(AHORA, POLITICA)

    assert titular.esta_bloqueada(AHORA + timedelta(minutes=14, seconds=59))
    assert titular.bloqueada_hasta == AHORA + timedelta(minutes=15)


def test_cuenta_bloqueada_rechaza_incluso_la_clave_correcta() -> None:
    titular = cuenta()
    for _ in range(5):
        titular.registrar_fallo(AHORA, POLITICA)

    with pytest.raises(CuentaBloqueada) as error:
        titular.registrar_exito(AHORA + timedelta(minutes=1))

    assert error.value.hasta == AHORA + timedelta(minutes=15)


def test_fallos_durante_el_bloqueo_no_lo_alargan() -> None:
    titular = cuenta()
    for _ in range(5):
        titular.registrar_fallo(AHORA, POLITICA)

    with pytest.raises(CuentaBloqueada):
        titular.registrar_fallo(AHORA + timedelta(minutes=10), POLITICA)

    assert titular.bloqueada_hasta == AHORA + timedelta(minutes=15)


def test_la_cuenta_se_desbloquea_al_pasar_la_duracion() -> None:
    titular = cuenta()
    for _ in range(5):
        titular.registrar_fallo(AHORA, POLITICA)
    despues = AHORA + timedelta(minutes=15)

    titular.registrar_exito(despues)

    assert not titular.esta_bloqueada(despues)
    assert titular.bloqueada_hasta is None
    assert titular.ultimo_acceso == despues


def test_tras_el_bloqueo_la_cuenta_recibe_de_nuevo_cinco_intentos() -> None:
    titular = cuenta()
    for _ in range(5):
        titular.registrar_fallo(AHORA, POLITICA)
    despues = AHORA + timedelta(minutes=16)

    for _ in range(4):
        titular.registrar_fallo(despues, POLITICA)

    assert not titular.esta_bloqueada(despues)
    titular.registrar_fallo(despues, POLITICA)
    assert titular.esta_bloqueada(despues)


def test_un_exito_reinicia_la_cuenta_de_fallos() -> None:
    titular = cuenta()
    for _ in range(4):
        titular.registrar_fallo(AHORA, POLITICA)

    titular.registrar_exito(AHORA)
    for _ in range(4):
        titular.registrar_fallo(AHORA, POLITICA)

    assert not titular.esta_bloqueada(AHORA)


def test_inicio_de_sesion_registra_sesion_iniciada() -> None:
    titular = cuenta()

    titular.registrar_exito(AHORA)

    assert titular.sacar_eventos() == [SesionIniciada(cuenta_id="c-1", momento=AHORA)]


def test_cuenta_deshabilitada_no_puede_iniciar_sesion() -> None:
    titular = cuenta()
    titular.deshabilitar("Cambio de representante del partido")

    with pytest.raises(CuentaNoActiva):
        titular.registrar_exito(AHORA)

    assert titular.sacar_eventos() == [
        CuentaDeshabilitada(cuenta_id="c-1", motivo="Cambio de representante del partido")
    ]


def test_deshabilitar_exige_motivo() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="motivo"):
        cuenta().deshabilitar("   ")


def test_deshabilitar_dos_veces_es_un_error() -> None:
    titular = cuenta()
    titular.deshabilitar("Baja")

    with pytest.raises(DatosCuentaInvalidos, match="ya está deshabilitada"):
        titular.deshabilitar("Otra vez")


def test_rol_principal_es_el_de_mayor_jerarquia() -> None:
    titular = cuenta(roles=frozenset({Rol.PARTIDO, Rol.SUPERVISOR}))

    assert titular.rol_principal is Rol.SUPERVISOR


def test_el_limite_por_direccion_corta_tras_el_maximo_de_fallos() -> None:
    limite = LimiteIntentos(maximo=3, ventana_s=60)
    for segundo in range(3):
        limite.comprobar("10.0.0.1", segundo)
        limite.registrar_fallo("10.0.0.1", segundo)
    with pytest.raises(DemasiadosIntentos, match="espere 58 segundos"):
        limite.comprobar("10.0.0.1", 3)


def test_el_limite_se_libera_cuando_los_fallos_salen_de_la_ventana() -> None:
    limite = LimiteIntentos(maximo=2, ventana_s=60)
    limite.registrar_fallo("10.0.0.1", 0)
    limite.registrar_fallo("10.0.0.1", 1)
    limite.comprobar("10.0.0.1", 61.5)


def test_el_limite_no_afecta_a_otras_direcciones() -> None:
    limite = LimiteIntentos(maximo=1, ventana_s=60)
    limite.registrar_fallo("10.0.0.1", 0)
    limite.comprobar("10.0.0.2", 1)


def test_el_limite_olvida_direcciones_viejas_para_no_crecer_sin_fin() -> None:
    limite = LimiteIntentos(maximo=1, ventana_s=60, direcciones_max=2)
    for direccion in ("a", "b", "c"):
        limite.registrar_fallo(direccion, 0)
    limite.comprobar("a", 1)
    with pytest.raises(DemasiadosIntentos):
        limite.comprobar("c", 1)
