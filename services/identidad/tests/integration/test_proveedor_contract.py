"""Contract of the ProveedorIdentidad port, run unchanged on the embedded accounts and Keycloak.

Keycloak comes from CONOCELES_TEST_KEYCLOAK_URL (default http://127.0.0.1:8081, started by
`uv run conoceles infra up`); under CI=true its absence fails the tests instead of skipping them.
"""

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from comun.auth.keycloak import ACCION_CAMBIAR_CLAVE, ACCION_CONFIGURAR_OTP, ProveedorKeycloak
from comun.auth.proveedor import ProveedorIdentidad
from comun.auth.pruebas_keycloak import admin_del_realm, exigir_realm
from comun.bus import outbox
from comun.errores import Problema
from comun.roles import Rol
from comun.store.sqlite import open_sqlite
from identidad.adapters import (
    COLECCION_CUENTAS,
    Componentes,
    CuentaRepository,
    Hasher,
    LlaveroLocal,
    ProveedorLocal,
)
from identidad.config import Settings

URL_KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"
CORREO = "ana.perez@ejemplo.mx"


async def exigir_keycloak() -> None:
    """Fail under CI, skip elsewhere, when the Keycloak realm does not answer."""
    await exigir_realm(URL_KEYCLOAK, REALM)


def proveedor_keycloak(*, url: str = URL_KEYCLOAK, secreto: str | None = None) -> ProveedorKeycloak:
    """The Keycloak adapter with the service client of the settings (dev defaults)."""
    settings = Settings()
    return ProveedorKeycloak(
        url=url,
        realm=REALM,
        cliente=settings.keycloak_cliente_admin,
        secreto=secreto or settings.keycloak_secreto_admin.get_secret_value(),
    )


async def borrar_usuarios_de_keycloak(prefijo: str) -> None:
    """Remove the users a test created (the port has no delete: accounts are disabled)."""
    settings = Settings()
    admin = admin_del_realm(
        url=URL_KEYCLOAK,
        realm=REALM,
        cliente=settings.keycloak_cliente_admin,
        secreto=settings.keycloak_secreto_admin.get_secret_value(),
    )
    conexion = admin.connection
    try:
        for usuario in await admin.a_get_users({"search": prefijo}):
            if usuario["username"].startswith(prefijo):
                await admin.a_delete_user(usuario["id"])
    finally:
        await conexion.aclose()
        if conexion._keycloak_openid is not None:
            await conexion._keycloak_openid.connection.aclose()


@asynccontextmanager
async def local(tmp_path: Path, prefijo: str) -> AsyncIterator[ProveedorIdentidad]:
    """The embedded accounts on a fresh SQLite store (cheap argon2 parameters)."""
    store = await open_sqlite(tmp_path / "identidad.db")
    repo = CuentaRepository(store.collection(COLECCION_CUENTAS))
    await repo.crear_indices()
    settings = Settings()
    componentes = Componentes(
        settings=settings,
        llavero=LlaveroLocal(tmp_path / "clave.pem", secreto=settings.plataforma.clave_secreta),
        hasher=Hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)),
    )
    componentes.repo = repo
    try:
        yield ProveedorLocal(componentes)
    finally:
        await store.close()


@asynccontextmanager
async def keycloak(tmp_path: Path, prefijo: str) -> AsyncIterator[ProveedorIdentidad]:
    """The Keycloak realm of `conoceles infra up`; the test's users are deleted afterwards."""
    await exigir_keycloak()
    proveedor = proveedor_keycloak()
    try:
        yield proveedor
    finally:
        await proveedor.cerrar()
        await borrar_usuarios_de_keycloak(prefijo)


ADAPTADORES: dict[str, Callable[[Path, str], AbstractAsyncContextManager[ProveedorIdentidad]]] = {
    "local": local,
    "keycloak": keycloak,
}


@pytest.fixture
def prefijo() -> str:
    """A username prefix unique to this test (Keycloak is shared between runs)."""
    return f"prueba-{uuid.uuid4().hex[:10]}"


@pytest.fixture(params=sorted(ADAPTADORES))
async def proveedor(
    request: pytest.FixtureRequest, tmp_path: Path, prefijo: str
) -> AsyncIterator[ProveedorIdentidad]:
    async with ADAPTADORES[request.param](tmp_path, prefijo) as adaptador:
        yield adaptador


async def crear(
    proveedor: ProveedorIdentidad,
    usuario: str,
    *,
    roles: frozenset[Rol] = frozenset({Rol.PARTIDO}),
    partido: str | None = "PAN",
    candidatura: str | None = None,
    correo: str | None = None,
) -> str:
    return await proveedor.crear_cuenta(
        usuario=usuario,
        nombre="Ana",
        apellidos="Pérez López",
        correo=correo or f"{usuario}@ejemplo.mx",
        roles=roles,
        partido=partido,
        candidatura=candidatura,
    )


async def test_crear_cuenta_da_una_clave_temporal_y_guarda_roles_y_partido(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    clave = await crear(proveedor, f"{prefijo}-captura")

    datos = await proveedor.cuenta(usuario=f"{prefijo}-captura")

    assert len(clave) >= 12
    assert datos is not None
    assert datos.usuario == f"{prefijo}-captura"
    assert datos.nombre_completo == "Ana Pérez López"
    assert datos.roles == frozenset({Rol.PARTIDO})
    assert datos.partido == "PAN"
    assert datos.candidatura is None
    assert datos.habilitada


async def test_cuenta_de_candidatura_guarda_su_candidatura(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(
        proveedor,
        f"{prefijo}-cand",
        roles=frozenset({Rol.CANDIDATURA}),
        partido="PRI",
        candidatura="dl-05-mr-propietaria",
    )

    datos = await proveedor.cuenta(usuario=f"{prefijo}-cand")

    assert datos is not None
    assert datos.roles == frozenset({Rol.CANDIDATURA})
    assert (datos.partido, datos.candidatura) == ("PRI", "dl-05-mr-propietaria")


async def test_cada_creacion_da_una_clave_distinta(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    primera = await crear(proveedor, f"{prefijo}-a")
    segunda = await crear(proveedor, f"{prefijo}-b")

    assert primera != segunda


async def test_el_usuario_no_distingue_mayusculas(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(proveedor, f"{prefijo.upper()}-Mayus")

    datos = await proveedor.cuenta(usuario=f"  {prefijo}-MAYUS ")

    assert datos is not None
    assert datos.usuario == f"{prefijo}-mayus"


async def test_usuario_repetido_da_409(proveedor: ProveedorIdentidad, prefijo: str) -> None:
    await crear(proveedor, f"{prefijo}-dup")

    with pytest.raises(Problema) as error:
        await crear(proveedor, f"{prefijo}-dup", correo=f"{prefijo}-otro@ejemplo.mx")

    assert error.value.status == 409
    assert f"{prefijo}-dup" in error.value.detail


async def test_cuenta_inexistente_es_none(proveedor: ProveedorIdentidad, prefijo: str) -> None:
    assert await proveedor.cuenta(usuario=f"{prefijo}-nadie") is None


@pytest.mark.parametrize(
    ("cambios", "fragmento"),
    [
        ({"apellidos": " "}, "apellidos"),
        ({"correo": "sin-arroba"}, "correo"),
        ({"roles": frozenset()}, "rol"),
        ({"partido": None}, "partido"),
        ({"usuario": "con espacios"}, "usuario"),
    ],
)
async def test_datos_incompletos_dan_422_sin_crear_la_cuenta(
    proveedor: ProveedorIdentidad, prefijo: str, cambios: dict[str, object], fragmento: str
) -> None:
    datos: dict[str, object] = {
        "usuario": f"{prefijo}-incompleta",
        "nombre": "Ana",
        "apellidos": "Pérez",
        "correo": CORREO,
        "roles": frozenset({Rol.SUPERVISOR}),
        "partido": "PAN",
        **cambios,
    }

    with pytest.raises(Problema) as error:
        await proveedor.crear_cuenta(**datos)  # type: ignore[arg-type]

    assert error.value.status == 422
    assert fragmento in error.value.detail
    assert await proveedor.cuenta(usuario=f"{prefijo}-incompleta") is None


async def test_deshabilitar_impide_el_acceso_y_repetirlo_no_falla(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(proveedor, f"{prefijo}-baja")

    await proveedor.deshabilitar(usuario=f"{prefijo}-baja", motivo="Cambio de representante")
    await proveedor.deshabilitar(usuario=f"{prefijo}-baja")

    datos = await proveedor.cuenta(usuario=f"{prefijo}-baja")
    assert datos is not None
    assert not datos.habilitada
    assert datos.roles == frozenset({Rol.PARTIDO})


async def test_restablecer_da_otra_clave_temporal(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    original = await crear(proveedor, f"{prefijo}-olvido")

    nueva = await proveedor.restablecer_clave(usuario=f"{prefijo}-olvido")

    assert len(nueva) >= 12
    assert nueva != original
    datos = await proveedor.cuenta(usuario=f"{prefijo}-olvido")
    assert datos is not None
    assert datos.habilitada


@pytest.mark.parametrize("operacion", ["deshabilitar", "restablecer_clave"])
async def test_operar_sobre_una_cuenta_inexistente_da_404(
    proveedor: ProveedorIdentidad, prefijo: str, operacion: str
) -> None:
    with pytest.raises(Problema) as error:
        await getattr(proveedor, operacion)(usuario=f"{prefijo}-nadie")

    assert error.value.status == 404
    assert f"{prefijo}-nadie" in error.value.detail


async def test_keycloak_pide_cambiar_la_clave_y_configurar_otp_a_supervision(
    tmp_path: Path, prefijo: str
) -> None:
    async with keycloak(tmp_path, prefijo) as proveedor:
        await crear(proveedor, f"{prefijo}-sup", roles=frozenset({Rol.SUPERVISOR}))
        await crear(proveedor, f"{prefijo}-cap")

        supervision = await proveedor.cuenta(usuario=f"{prefijo}-sup")
        captura = await proveedor.cuenta(usuario=f"{prefijo}-cap")

    assert supervision is not None
    assert captura is not None
    assert supervision.correo == f"{prefijo}-sup@ejemplo.mx"
    assert supervision.acciones_pendientes == {ACCION_CAMBIAR_CLAVE, ACCION_CONFIGURAR_OTP}
    assert captura.acciones_pendientes == {ACCION_CAMBIAR_CLAVE}


async def test_keycloak_con_correo_repetido_da_409(tmp_path: Path, prefijo: str) -> None:
    async with keycloak(tmp_path, prefijo) as proveedor:
        await crear(proveedor, f"{prefijo}-uno", correo=f"{prefijo}@ejemplo.mx")

        with pytest.raises(Problema) as error:
            await crear(proveedor, f"{prefijo}-dos", correo=f"{prefijo}@ejemplo.mx")

    assert error.value.status == 409
    assert "correo" in error.value.detail


async def test_keycloak_apagado_da_503_que_lo_nombra() -> None:
    proveedor = proveedor_keycloak(url="http://127.0.0.1:9")
    try:
        with pytest.raises(Problema) as error:
            await proveedor.cuenta(usuario="quien-sea")
    finally:
        await proveedor.cerrar()

    assert error.value.status == 503
    assert "Keycloak" in error.value.title
    assert "http://127.0.0.1:9" in error.value.detail


async def test_keycloak_con_secreto_equivocado_da_503_que_dice_que_revisar() -> None:
    await exigir_keycloak()
    proveedor = proveedor_keycloak(secreto="un-secreto-que-no-es")
    try:
        with pytest.raises(Problema) as error:
            await proveedor.cuenta(usuario="quien-sea")
    finally:
        await proveedor.cerrar()

    assert error.value.status == 503
    assert "CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_ADMIN" in error.value.detail


async def test_keycloak_explica_en_espanol_los_datos_que_rechaza(
    tmp_path: Path, prefijo: str
) -> None:
    async with keycloak(tmp_path, prefijo) as proveedor:
        with pytest.raises(Problema) as error:
            await proveedor.crear_cuenta(
                usuario=f"{prefijo}-raro",
                nombre="Ana",
                apellidos="Pérez <b>",
                correo=f"{prefijo}@ejemplo.mx",
                roles=[Rol.SOPORTE],
            )

    assert error.value.status == 422
    assert error.value.detail.startswith("El campo apellidos tiene caracteres no permitidos")


async def test_crear_sin_clave_deja_la_cuenta_lista_para_su_primer_paquete(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await proveedor.crear_cuenta_sin_clave(
        usuario=f"{prefijo}-sin-clave",
        nombre="Captura",
        apellidos="PAN 01",
        correo=f"{prefijo}-sin-clave@cuentas.conoceles.invalid",
        roles=[Rol.PARTIDO],
        partido="PAN",
    )

    datos = await proveedor.cuenta(usuario=f"{prefijo}-sin-clave")
    clave = await proveedor.restablecer_clave(usuario=f"{prefijo}-sin-clave")

    assert datos is not None
    assert datos.habilitada
    assert (datos.roles, datos.partido) == (frozenset({Rol.PARTIDO}), "PAN")
    assert len(clave) >= 12


async def test_crear_sin_clave_con_usuario_repetido_da_409(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(proveedor, f"{prefijo}-ocupado")

    with pytest.raises(Problema) as error:
        await proveedor.crear_cuenta_sin_clave(
            usuario=f"{prefijo}-ocupado",
            nombre="Otra",
            apellidos="Persona",
            correo=f"{prefijo}-otra@ejemplo.mx",
            roles=[Rol.SOPORTE],
        )

    assert error.value.status == 409


async def test_habilitar_devuelve_el_acceso_y_repetirlo_no_falla(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(proveedor, f"{prefijo}-vuelve")
    await proveedor.deshabilitar(usuario=f"{prefijo}-vuelve", motivo="Extravío")

    await proveedor.habilitar(usuario=f"{prefijo}-vuelve")
    await proveedor.habilitar(usuario=f"{prefijo}-vuelve")

    datos = await proveedor.cuenta(usuario=f"{prefijo}-vuelve")
    assert datos is not None
    assert datos.habilitada


async def test_cerrar_sesiones_de_una_cuenta_existente_no_falla(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(proveedor, f"{prefijo}-sesiones")

    await proveedor.cerrar_sesiones(usuario=f"{prefijo}-sesiones")

    datos = await proveedor.cuenta(usuario=f"{prefijo}-sesiones")
    assert datos is not None
    assert datos.habilitada


@pytest.mark.parametrize("operacion", ["habilitar", "cerrar_sesiones"])
async def test_habilitar_o_cerrar_sesiones_de_una_cuenta_inexistente_da_404(
    proveedor: ProveedorIdentidad, prefijo: str, operacion: str
) -> None:
    with pytest.raises(Problema) as error:
        await getattr(proveedor, operacion)(usuario=f"{prefijo}-nadie")

    assert error.value.status == 404


async def test_listar_por_rol_da_las_cuentas_con_su_estado_y_su_partido(
    proveedor: ProveedorIdentidad, prefijo: str
) -> None:
    await crear(proveedor, f"{prefijo}-sup", roles=frozenset({Rol.SUPERVISOR}), partido="PRI")
    await crear(proveedor, f"{prefijo}-baja", roles=frozenset({Rol.SUPERVISOR}), partido="PT")
    await crear(proveedor, f"{prefijo}-cap")
    await proveedor.deshabilitar(usuario=f"{prefijo}-baja")

    supervision = {
        c.usuario: c for c in await proveedor.listar(rol=Rol.SUPERVISOR) if prefijo in c.usuario
    }

    assert set(supervision) == {f"{prefijo}-sup", f"{prefijo}-baja"}
    assert supervision[f"{prefijo}-sup"].partido == "PRI"
    assert supervision[f"{prefijo}-sup"].habilitada
    assert not supervision[f"{prefijo}-baja"].habilitada
    assert all(Rol.SUPERVISOR in c.roles for c in supervision.values())


async def test_local_las_operaciones_del_puerto_no_dejan_eventos_en_la_cuenta(
    tmp_path: Path, prefijo: str
) -> None:
    async with local(tmp_path, prefijo) as proveedor:
        await crear(proveedor, f"{prefijo}-quieta")
        await proveedor.deshabilitar(usuario=f"{prefijo}-quieta")
        await proveedor.habilitar(usuario=f"{prefijo}-quieta")
        repo = proveedor._componentes.repositorio()  # type: ignore[attr-defined]
        pendientes = await repo._coleccion.count(outbox.FILTRO_PENDIENTES)

    assert pendientes == 0


async def test_local_restablecer_y_cerrar_sesiones_cambian_la_epoca_de_la_sesion(
    tmp_path: Path, prefijo: str
) -> None:
    async with local(tmp_path, prefijo) as proveedor:
        await crear(proveedor, f"{prefijo}-epoca")
        repo = proveedor._componentes.repositorio()  # type: ignore[attr-defined]
        antes = await repo.por_usuario(f"{prefijo}-epoca")
        await proveedor.cerrar_sesiones(usuario=f"{prefijo}-epoca")
        await proveedor.restablecer_clave(usuario=f"{prefijo}-epoca")
        despues = await repo.por_usuario(f"{prefijo}-epoca")

    assert antes.epoca_sesion == 0 and antes.debe_cambiar_clave
    assert despues.epoca_sesion == 2
    assert not despues.sesion_vigente(0)


async def test_keycloak_crear_sin_clave_pide_cambiarla_y_no_guarda_credenciales(
    tmp_path: Path, prefijo: str
) -> None:
    async with keycloak(tmp_path, prefijo) as proveedor:
        assert isinstance(proveedor, ProveedorKeycloak)
        await proveedor.crear_cuenta_sin_clave(
            usuario=f"{prefijo}-nueva",
            nombre="Captura",
            apellidos="PRI 01",
            correo=f"{prefijo}-nueva@cuentas.conoceles.invalid",
            roles=[Rol.PARTIDO],
            partido="PRI",
        )
        datos = await proveedor.cuenta(usuario=f"{prefijo}-nueva")
        credenciales = await proveedor._admin.a_get_credentials(datos.id if datos else "")

    assert datos is not None
    assert ACCION_CAMBIAR_CLAVE in datos.acciones_pendientes
    assert credenciales == []
