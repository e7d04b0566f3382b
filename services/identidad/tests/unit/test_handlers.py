"""Use cases against the real SQLite store: sign-in, lockout, tokens, accounts, demo seed."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from pydantic import SecretStr

from comun.auth.tokens import TokenVerifier
from comun.bus import outbox
from comun.eventos import SISTEMA
from comun.roles import Rol
from comun.store import Collection
from comun.store.sqlite import SqliteStore, open_sqlite
from identidad import handlers
from identidad.adapters import CuentaRepository, Hasher, LlaveroLocal
from identidad.domain import (
    CredencialesInvalidas,
    Cuenta,
    CuentaBloqueada,
    CuentaNoActiva,
    DatosCuentaInvalidos,
    PoliticaBloqueo,
    UsuarioDuplicado,
)

AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)
CLAVE = "clave-correcta-123"
POLITICA = PoliticaBloqueo(intentos_maximos=5, duracion=timedelta(minutes=15))
ELECCION = {
    "partidos": [{"siglas": "PAN", "nombre": "Partido Acción Nacional"}, {"siglas": "MC"}],
    "candidatura_demo": {"id": "DL-MR-01-PAN-P", "partido": "PAN", "nombre": "María López"},
}

SECRETO = b"cambiar-esto"


def hasher_rapido() -> Hasher:
    """argon2id with tiny costs: the same code path, fast enough for many tests."""
    return Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


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
    return hasher_rapido()


async def crear(repo: CuentaRepository, hasher: Hasher, **cambios: Any) -> Cuenta:
    datos: dict[str, Any] = {
        "usuario": "captura.pan",
        "nombre": "Captura PAN",
        "roles": frozenset({Rol.PARTIDO}),
        "partido": "PAN",
        "clave": CLAVE,
    }
    datos.update(cambios)
    return await handlers.crear_cuenta(
        repo=repo, hasher=hasher, ahora=AHORA, actor=SISTEMA, **datos
    )


async def entrar(
    repo: CuentaRepository, hasher: Hasher, clave: str, *, ahora: datetime = AHORA
) -> Cuenta:
    return await handlers.autenticar(
        repo=repo, hasher=hasher, usuario="captura.pan", clave=clave, ahora=ahora, politica=POLITICA
    )


def tipos_en_outbox(doc: dict[str, Any] | None) -> list[str]:
    assert doc is not None
    return [p["evento"]["type"] for p in outbox.pendientes(doc)]


async def test_crear_cuenta_deja_cuenta_creada_en_el_outbox(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    cuenta = await crear(repo, hasher)

    doc = await coleccion.get(cuenta.id)
    assert tipos_en_outbox(doc) == ["mx.conoceles.identidad.cuenta_creada.v1"]
    assert outbox.pendientes(doc)[0]["evento"]["data"]["rol"] == "partido"  # type: ignore[arg-type]
    assert doc is not None and doc["hash_clave"].startswith("$argon2id$")


async def test_usuario_duplicado_se_rechaza(repo: CuentaRepository, hasher: Hasher) -> None:
    await crear(repo, hasher)

    with pytest.raises(UsuarioDuplicado):
        await crear(repo, hasher, usuario="CAPTURA.PAN")


async def test_contrasena_corta_se_rechaza(repo: CuentaRepository, hasher: Hasher) -> None:
    with pytest.raises(DatosCuentaInvalidos, match="entre 8"):
        await crear(repo, hasher, clave="corta")


async def test_autenticar_con_clave_correcta_registra_la_sesion(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    creada = await crear(repo, hasher)

    cuenta = await handlers.autenticar(
        repo=repo,
        hasher=hasher,
        usuario=" Captura.PAN ",
        clave=CLAVE,
        ahora=AHORA,
        ip="10.0.0.7",
        agente="pruebas",
    )

    assert cuenta.id == creada.id
    doc = await coleccion.get(cuenta.id)
    assert tipos_en_outbox(doc) == [
        "mx.conoceles.identidad.cuenta_creada.v1",
        "mx.conoceles.identidad.sesion_iniciada.v1",
    ]
    sesion = outbox.pendientes(doc)[1]["evento"]  # type: ignore[arg-type]
    assert sesion["data"]["ip"] == "10.0.0.7"
    assert sesion["actor"] == {"usuario": cuenta.usuario, "rol": "partido", "partido": "PAN"}


async def test_usuario_desconocido_y_clave_erronea_dan_el_mismo_error(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await crear(repo, hasher)

    with pytest.raises(CredencialesInvalidas) as desconocido:
        await handlers.autenticar(
            repo=repo, hasher=hasher, usuario="nadie", clave=CLAVE, ahora=AHORA
        )
    with pytest.raises(CredencialesInvalidas) as erronea:
        await entrar(repo, hasher, "otra-clave")

    assert str(desconocido.value) == str(erronea.value)


async def test_el_quinto_fallo_bloquea_y_lo_dice(repo: CuentaRepository, hasher: Hasher) -> None:
    await crear(repo, hasher)
    for _ in range(4):
        with pytest.raises(CredencialesInvalidas):
            await entrar(repo, hasher, "mal")

    with pytest.raises(CuentaBloqueada) as error:
        await entrar(repo, hasher, "mal")

    assert error.value.hasta == AHORA + timedelta(minutes=15)


async def test_cuenta_bloqueada_rechaza_la_clave_correcta_hasta_que_pasa_el_tiempo(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await crear(repo, hasher)
    for _ in range(5):
        with pytest.raises((CredencialesInvalidas, CuentaBloqueada)):
            await entrar(repo, hasher, "mal")

    with pytest.raises(CuentaBloqueada):
        await entrar(repo, hasher, CLAVE, ahora=AHORA + timedelta(minutes=5))
    cuenta = await entrar(repo, hasher, CLAVE, ahora=AHORA + timedelta(minutes=15))

    assert cuenta.fallos == 0


async def test_los_fallos_se_guardan_en_el_store(repo: CuentaRepository, hasher: Hasher) -> None:
    await crear(repo, hasher)
    for _ in range(3):
        with pytest.raises(CredencialesInvalidas):
            await entrar(repo, hasher, "mal")

    cuenta = await repo.por_usuario("captura.pan")

    assert cuenta is not None and cuenta.fallos == 3


async def test_cuenta_deshabilitada_no_puede_iniciar_sesion(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    creada = await crear(repo, hasher)
    cargada = await repo.por_id(creada.id)
    assert cargada is not None
    cargada.deshabilitar("Baja del representante")
    assert await repo.guardar(cargada)

    with pytest.raises(CuentaNoActiva):
        await entrar(repo, hasher, CLAVE)


async def test_hash_con_parametros_debiles_se_renueva_al_entrar(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    await crear(repo, hasher)
    fuerte = Hasher(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))

    cuenta = await entrar(repo, fuerte, CLAVE)

    assert "m=16,t=2" in cuenta.hash_clave
    assert await fuerte.verificar(cuenta.hash_clave, CLAVE)


async def test_guardar_con_version_vieja_devuelve_false(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    creada = await crear(repo, hasher)
    otro_proceso = CuentaRepository(coleccion)
    primera = await repo.por_id(creada.id)
    segunda = await otro_proceso.por_id(creada.id)
    assert primera is not None and segunda is not None
    primera.registrar_fallo(AHORA)
    assert await repo.guardar(primera)

    segunda.registrar_fallo(AHORA)

    assert not await otro_proceso.guardar(segunda)


async def test_guardar_conserva_los_eventos_pendientes(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    creada = await crear(repo, hasher)
    await entrar(repo, hasher, CLAVE)
    await entrar(repo, hasher, CLAVE)

    doc = await coleccion.get(creada.id)

    assert tipos_en_outbox(doc) == [
        "mx.conoceles.identidad.cuenta_creada.v1",
        "mx.conoceles.identidad.sesion_iniciada.v1",
        "mx.conoceles.identidad.sesion_iniciada.v1",
    ]


async def test_token_emitido_se_verifica_con_las_claves_publicadas(
    repo: CuentaRepository, hasher: Hasher, tmp_path: Path
) -> None:
    cuenta = await crear(repo, hasher)
    ruta = tmp_path / "identidad" / "clave-jwt.pem"
    llavero = LlaveroLocal(ruta, secreto=SecretStr(SECRETO.decode()))
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

    assert emitido.expires_in == 3600
    assert usuario.id == cuenta.id
    assert usuario.nombre_usuario == "captura.pan"
    assert usuario.roles == frozenset({Rol.PARTIDO})
    assert usuario.partido == "PAN"


async def test_sembrar_crea_las_cuentas_demo_con_sus_alcances(
    repo: CuentaRepository, hasher: Hasher
) -> None:
    credenciales = await handlers.sembrar_cuentas_demo(
        repo=repo, hasher=hasher, eleccion=ELECCION, clave="demo-clave-1", ahora=AHORA
    )

    assert [c.usuario for c in credenciales] == [
        "admin",
        "verificador",
        "soporte",
        "captura.pan",
        "supervisor.pan",
        "captura.mc",
        "supervisor.mc",
        "candidatura.demo",
        "sistema.registro",
    ]
    supervisor = await repo.por_usuario("supervisor.mc")
    candidatura = await repo.por_usuario("candidatura.demo")
    assert supervisor is not None and supervisor.roles == frozenset({Rol.SUPERVISOR})
    assert supervisor.partido == "MC"
    assert candidatura is not None and candidatura.candidatura == "DL-MR-01-PAN-P"
    assert candidatura.partido == "PAN"


async def test_sembrar_dos_veces_no_duplica(
    repo: CuentaRepository, hasher: Hasher, coleccion: Collection
) -> None:
    for _ in range(2):
        await handlers.sembrar_cuentas_demo(
            repo=repo, hasher=hasher, eleccion=ELECCION, clave="demo-clave-1", ahora=AHORA
        )

    assert await coleccion.count() == 9


async def test_sembrar_con_otra_clave_la_restablece(repo: CuentaRepository, hasher: Hasher) -> None:
    await handlers.sembrar_cuentas_demo(
        repo=repo, hasher=hasher, eleccion=ELECCION, clave="demo-clave-1", ahora=AHORA
    )

    await handlers.sembrar_cuentas_demo(
        repo=repo, hasher=hasher, eleccion=ELECCION, clave="demo-clave-2", ahora=AHORA
    )

    admin = await handlers.autenticar(
        repo=repo, hasher=hasher, usuario="admin", clave="demo-clave-2", ahora=AHORA
    )
    assert admin.roles == frozenset({Rol.ADMINISTRADOR})
    with pytest.raises(CredencialesInvalidas):
        await handlers.autenticar(
            repo=repo, hasher=hasher, usuario="soporte", clave="demo-clave-1", ahora=AHORA
        )


async def test_fallos_concurrentes_se_cuentan_todos(repo: CuentaRepository, hasher: Hasher) -> None:
    await crear(repo, hasher)

    resultados = await asyncio.gather(
        *(entrar(repo, hasher, "mal") for _ in range(5)), return_exceptions=True
    )

    assert all(isinstance(r, CredencialesInvalidas | CuentaBloqueada) for r in resultados)
    with pytest.raises(CuentaBloqueada):
        await entrar(repo, hasher, CLAVE)
