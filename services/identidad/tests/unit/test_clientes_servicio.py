"""Service clients (systems): creation rules, their own sign-in door, lockout, secret renewal."""

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from pydantic import SecretStr

from comun.auth.tokens import TokenVerifier
from comun.bus import outbox
from comun.errores import Problema
from comun.eventos import SISTEMA
from comun.roles import Rol
from comun.store import Collection
from comun.store.sqlite import SqliteStore, open_sqlite
from identidad import handlers
from identidad.adapters import CuentaRepository, Hasher, LlaveroLocal, generar_secreto_cliente
from identidad.api import credenciales_de_cliente
from identidad.domain import (
    CredencialesInvalidas,
    Cuenta,
    CuentaBloqueada,
    DatosCuentaInvalidos,
    PoliticaBloqueo,
    SesionIniciada,
    TipoCuenta,
    TipoCuentaIncorrecto,
)

AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)
SECRETO = "s" * 40
CLAVE_PERSONA = "clave-correcta-123"
POLITICA = PoliticaBloqueo(intentos_maximos=5, duracion=timedelta(minutes=15))


def cliente_servicio(**cambios: Any) -> Cuenta:
    datos: dict[str, Any] = {
        "id": "c-1",
        "usuario": "sistema.registro",
        "nombre": "Sistema de registro",
        "roles": frozenset({Rol.SISTEMA_REGISTRO}),
        "hash_clave": "hash",
        "ahora": AHORA,
        "tipo": TipoCuenta.SERVICIO,
    }
    datos.update(cambios)
    cuenta = Cuenta.crear(**datos)
    cuenta.sacar_eventos()
    return cuenta


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "identidad.db")
    yield abierto
    await abierto.close()


@pytest.fixture
def coleccion(store: SqliteStore) -> Collection:
    return store.collection("cuentas")


@pytest.fixture
async def repo(coleccion: Collection) -> CuentaRepository:
    repositorio = CuentaRepository(coleccion)
    await repositorio.crear_indices()
    return repositorio


@pytest.fixture
def hasher() -> Hasher:
    return Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


async def crear_cliente(repo: CuentaRepository, hasher: Hasher, **cambios: Any) -> Cuenta:
    datos: dict[str, Any] = {
        "cliente": "sistema.registro",
        "nombre": "Sistema de registro de candidaturas",
        "secreto": SECRETO,
    }
    datos.update(cambios)
    return await handlers.crear_cliente_servicio(
        repo=repo, hasher=hasher, ahora=AHORA, actor=SISTEMA, **datos
    )


async def pedir_token(
    repo: CuentaRepository,
    hasher: Hasher,
    *,
    cliente: str = "sistema.registro",
    secreto: str = SECRETO,
    tipo: TipoCuenta = TipoCuenta.SERVICIO,
    ahora: datetime = AHORA,
) -> Cuenta:
    return await handlers.autenticar(
        repo=repo,
        hasher=hasher,
        usuario=cliente,
        clave=secreto,
        ahora=ahora,
        politica=POLITICA,
        tipo=tipo,
    )


def pendientes(doc: dict[str, Any] | None) -> list[dict[str, Any]]:
    assert doc is not None
    return [dict(p["evento"]) for p in outbox.pendientes(doc)]


# Domain


def test_cliente_de_servicio_se_crea_con_el_rol_sistema_registro() -> None:
    cuenta = cliente_servicio()

    assert cuenta.tipo is TipoCuenta.SERVICIO
    assert cuenta.rol_principal is Rol.SISTEMA_REGISTRO


def test_cliente_de_servicio_no_admite_roles_de_personas() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="solo puede tener el rol sistema_registro"):
        cliente_servicio(roles=frozenset({Rol.SISTEMA_REGISTRO, Rol.ADMINISTRADOR}))


def test_cliente_de_servicio_no_se_limita_a_un_partido() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="partido"):
        cliente_servicio(partido="PAN")


def test_una_persona_no_puede_tener_el_rol_sistema_registro() -> None:
    with pytest.raises(DatosCuentaInvalidos, match="es de sistemas, no de personas"):
        cliente_servicio(tipo=TipoCuenta.PERSONA)


def test_cuenta_de_servicio_no_inicia_sesion_como_persona() -> None:
    cuenta = cliente_servicio()

    with pytest.raises(TipoCuentaIncorrecto, match="grant_type=client_credentials"):
        cuenta.registrar_exito(AHORA, tipo=TipoCuenta.PERSONA)

    assert cuenta.sacar_eventos() == []
    assert cuenta.ultimo_acceso is None


def test_persona_no_obtiene_token_como_cliente_de_servicio() -> None:
    persona = cliente_servicio(
        usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}), tipo=TipoCuenta.PERSONA
    )

    with pytest.raises(TipoCuentaIncorrecto, match="cuenta de una persona"):
        persona.registrar_exito(AHORA, tipo=TipoCuenta.SERVICIO)


def test_cuenta_de_servicio_registra_el_acceso_por_su_puerta() -> None:
    cuenta = cliente_servicio()

    cuenta.registrar_exito(AHORA, tipo=TipoCuenta.SERVICIO)

    assert cuenta.sacar_eventos() == [SesionIniciada(cuenta_id="c-1", momento=AHORA)]


# Handlers


async def test_crear_cliente_deja_cuenta_creada_con_su_rol_en_el_outbox(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    cuenta = await crear_cliente(repo, hasher)

    doc = await coleccion.get(cuenta.id)
    (evento,) = pendientes(doc)
    assert evento["type"] == "mx.conoceles.identidad.cuenta_creada.v1"
    assert evento["accion"] == "crear_cliente_servicio"
    assert evento["data"]["rol"] == "sistema_registro"
    assert evento["data"]["partido"] is None
    assert doc is not None and doc["tipo"] == "servicio"
    assert doc["hash_clave"].startswith("$argon2id$")
    assert SECRETO not in str(doc)


async def test_secreto_corto_del_cliente_se_rechaza(repo: CuentaRepository, hasher: Hasher) -> None:
    with pytest.raises(DatosCuentaInvalidos, match="entre 32"):
        await crear_cliente(repo, hasher, secreto="corto")


async def test_el_secreto_generado_es_largo_y_no_necesita_codificarse() -> None:
    secreto = generar_secreto_cliente()

    assert len(secreto) >= handlers.SECRETO_CLIENTE_MINIMO
    assert secreto.replace("-", "").replace("_", "").isalnum()
    assert secreto != generar_secreto_cliente()


async def test_cliente_obtiene_acceso_con_su_secreto_y_queda_en_el_historial(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    creado = await crear_cliente(repo, hasher)

    cuenta = await pedir_token(repo, hasher)

    assert cuenta.id == creado.id
    acceso = pendientes(await coleccion.get(cuenta.id))[-1]
    assert acceso["type"] == "mx.conoceles.identidad.sesion_iniciada.v1"
    assert acceso["accion"] == "obtener_token"
    assert acceso["actor"] == {
        "usuario": "sistema.registro",
        "rol": "sistema_registro",
        "partido": None,
    }


async def test_cliente_con_su_secreto_no_entra_por_la_puerta_de_personas(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    creado = await crear_cliente(repo, hasher)

    with pytest.raises(TipoCuentaIncorrecto):
        await pedir_token(repo, hasher, tipo=TipoCuenta.PERSONA)

    # Only the failed attempt is recorded, never a session.
    tipos = [evento["type"] for evento in pendientes(await coleccion.get(creado.id))]
    assert tipos[1:] == ["mx.conoceles.identidad.inicio_sesion_fallido.v1"]


async def test_persona_con_su_clave_no_obtiene_token_de_cliente(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await handlers.crear_cuenta(
        repo=repo,
        hasher=hasher,
        usuario="admin",
        nombre="Unidad de Transparencia",
        roles=frozenset({Rol.ADMINISTRADOR}),
        clave=CLAVE_PERSONA,
        ahora=AHORA,
        actor=SISTEMA,
    )

    with pytest.raises(TipoCuentaIncorrecto, match="cuenta de una persona"):
        await pedir_token(repo, hasher, cliente="admin", secreto=CLAVE_PERSONA)


async def test_por_la_otra_puerta_un_secreto_erroneo_es_un_fallo_mas(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await crear_cliente(repo, hasher)

    with pytest.raises(CredencialesInvalidas):
        await pedir_token(repo, hasher, secreto="x" * 40, tipo=TipoCuenta.PERSONA)

    cuenta = await repo.por_usuario("sistema.registro")
    assert cuenta is not None and cuenta.fallos == 1


async def test_cinco_secretos_erroneos_bloquean_al_cliente(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await crear_cliente(repo, hasher)
    for _ in range(4):
        with pytest.raises(CredencialesInvalidas):
            await pedir_token(repo, hasher, secreto="x" * 40)

    with pytest.raises(CuentaBloqueada):
        await pedir_token(repo, hasher, secreto="x" * 40)
    with pytest.raises(CuentaBloqueada):
        await pedir_token(repo, hasher, ahora=AHORA + timedelta(minutes=5))
    assert await pedir_token(repo, hasher, ahora=AHORA + timedelta(minutes=15))


async def test_renovar_el_secreto_invalida_el_anterior(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await crear_cliente(repo, hasher)
    nuevo = "n" * 40

    await handlers.renovar_secreto_cliente(
        repo=repo, hasher=hasher, cliente="sistema.registro", secreto=nuevo
    )

    assert await pedir_token(repo, hasher, secreto=nuevo)
    with pytest.raises(CredencialesInvalidas):
        await pedir_token(repo, hasher)


async def test_renovar_el_secreto_de_una_persona_se_rechaza(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await handlers.crear_cuenta(
        repo=repo,
        hasher=hasher,
        usuario="soporte",
        nombre="Soporte",
        roles=frozenset({Rol.SOPORTE}),
        clave=CLAVE_PERSONA,
        ahora=AHORA,
        actor=SISTEMA,
    )

    with pytest.raises(DatosCuentaInvalidos, match="No existe un cliente de servicio"):
        await handlers.renovar_secreto_cliente(
            repo=repo, hasher=hasher, cliente="soporte", secreto="n" * 40
        )


async def test_crear_una_persona_con_el_rol_sistema_registro_se_rechaza(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    with pytest.raises(DatosCuentaInvalidos, match="cliente de servicio"):
        await handlers.crear_cuenta(
            repo=repo,
            hasher=hasher,
            usuario="impostor",
            nombre="Persona",
            roles=frozenset({Rol.SISTEMA_REGISTRO}),
            clave=CLAVE_PERSONA,
            ahora=AHORA,
            actor=SISTEMA,
        )


async def test_token_del_cliente_lleva_solo_el_rol_sistema_registro(
    repo: CuentaRepository, hasher: Hasher, tmp_path: Path
) -> None:
    cuenta = await crear_cliente(repo, hasher)
    llavero = LlaveroLocal(tmp_path / "clave.pem", secreto=SecretStr("cambiar-esto"))
    emitido = handlers.emitir_token(
        cuenta=cuenta,
        clave_firma=await llavero.cargar(),
        emisor="http://emisor.invalid/identidad",
        audiencia="conoceles",
        vida_s=3600,
        ahora=datetime.now(UTC),
    )
    verificador = TokenVerifier(
        llavero, emisor="http://emisor.invalid/identidad", audiencia="conoceles"
    )

    usuario = await verificador.verificar(emitido.access_token)

    assert usuario.roles == frozenset({Rol.SISTEMA_REGISTRO})
    assert usuario.nombre_usuario == "sistema.registro"
    assert usuario.partido is None


async def test_sembrar_crea_el_cliente_de_registro_con_la_clave_demo(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    credenciales = await handlers.sembrar_cuentas_demo(
        repo=repo, hasher=hasher, eleccion={}, clave="demo-clave-1", ahora=AHORA
    )

    (registro,) = [c for c in credenciales if c.usuario == "sistema.registro"]
    assert registro.rol is Rol.SISTEMA_REGISTRO
    assert registro.clave == "demo-clave-1"
    cuenta = await pedir_token(repo, hasher, secreto="demo-clave-1")
    assert cuenta.tipo is TipoCuenta.SERVICIO


# Reading the client's credentials from the request (RFC 6749 §2.3.1)


def basic(texto: str) -> str:
    return "Basic " + base64.b64encode(texto.encode()).decode()


def test_credenciales_del_formulario() -> None:
    assert credenciales_de_cliente(client_id="a.b", client_secret="s", basic=None) == ("a.b", "s")


def test_credenciales_basic_se_decodifican_como_formulario() -> None:
    leidas = credenciales_de_cliente(
        client_id="", client_secret="", basic=basic("sistema.registro:a%2Bb%3Ac+d")
    )

    assert leidas == ("sistema.registro", "a+b:c d")


def test_basic_y_formulario_a_la_vez_se_rechazan() -> None:
    with pytest.raises(Problema) as error:
        credenciales_de_cliente(
            client_id="", client_secret="otro", basic=basic("sistema.registro:s")
        )

    assert error.value.status == 400


@pytest.mark.parametrize("cabecera", ["Basic no-es-base64!", basic("sin-dos-puntos"), "Basic"])
def test_basic_malformado_da_401(cabecera: str) -> None:
    with pytest.raises(Problema) as error:
        credenciales_de_cliente(client_id="", client_secret="", basic=cabecera)

    assert error.value.status == 401
    assert "client_id:client_secret" in error.value.detail


def test_sin_credenciales_del_cliente_da_400() -> None:
    with pytest.raises(Problema) as error:
        credenciales_de_cliente(client_id="sistema.registro", client_secret="", basic=None)

    assert error.value.status == 400
    assert "client_secret" in error.value.detail
