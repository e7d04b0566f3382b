"""Account management with the accounts in Keycloak: the same use cases as the embedded provider.

Keycloak comes from CONOCELES_TEST_KEYCLOAK_URL (default http://127.0.0.1:8081, started by
`uv run conoceles infra up`); under CI=true its absence fails the tests instead of skipping them.
"""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from comun.auth.keycloak import ACCION_CAMBIAR_CLAVE, ProveedorKeycloak
from comun.auth.pruebas_keycloak import admin_del_realm, exigir_realm
from comun.eventos import Actor, EleccionCargada
from comun.eventos.captura import Participante
from comun.store.sqlite import open_sqlite
from identidad.adapters.gestion import Gestion
from identidad.config import Settings
from identidad.domain.gestion import Conflicto
from identidad.handlers import cuentas, entregas

URL_KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"
AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)
ADMIN = Actor(usuario="admin", rol="administrador")


@pytest.fixture
def siglas() -> str:
    """A party of this test only (Keycloak's realm is shared between runs)."""
    return "T" + uuid.uuid4().hex[:8].upper()


async def borrar_de_keycloak(prefijo: str) -> None:
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


@pytest.fixture
async def proveedor(siglas: str) -> AsyncIterator[ProveedorKeycloak]:
    await exigir_realm(URL_KEYCLOAK, REALM)
    settings = Settings()
    adaptador = ProveedorKeycloak(
        url=URL_KEYCLOAK,
        realm=REALM,
        cliente=settings.keycloak_cliente_admin,
        secreto=settings.keycloak_secreto_admin.get_secret_value(),
    )
    try:
        yield adaptador
    finally:
        await adaptador.cerrar()
        await borrar_de_keycloak(siglas.lower())


@pytest.fixture
async def gestion(
    tmp_path: Path, proveedor: ProveedorKeycloak, siglas: str
) -> AsyncIterator[Gestion]:
    store = await open_sqlite(tmp_path / "identidad.db")
    lista = Gestion.de_store(store, proveedor=lambda: proveedor, avisar=lambda: None)
    await lista.preparar()
    await cuentas.conocer_eleccion(
        gestion=lista,
        datos=EleccionCargada(
            eleccion="prueba",
            nombre="Prueba",
            partidos=(Participante(clave=siglas, nombre="Partido de prueba"),),
        ),
    )
    try:
        yield lista
    finally:
        await store.close()


async def test_las_cuentas_del_partido_y_su_paquete_quedan_en_keycloak(
    gestion: Gestion, proveedor: ProveedorKeycloak, siglas: str
) -> None:
    creadas = await cuentas.crear_cuentas_partido(
        gestion=gestion, siglas=siglas, cantidad=2, por_defecto=3, actor=ADMIN, ahora=AHORA
    )
    usuario = creadas[0].usuario
    sin_clave = await proveedor._admin.a_get_credentials(creadas[0].cuenta_id)

    generado = await entregas.generar_paquete(
        gestion=gestion, participante=siglas, actor=ADMIN, ahora=AHORA
    )

    datos = await proveedor.cuenta(usuario=usuario)
    con_clave = await proveedor._admin.a_get_credentials(creadas[0].cuenta_id)
    assert usuario == f"{siglas.lower()}.captura.01"
    assert datos is not None and datos.partido == siglas
    assert ACCION_CAMBIAR_CLAVE in datos.acciones_pendientes
    assert sin_clave == [] and [c["type"] for c in con_clave] == ["password"]
    assert set(generado.claves) == {f.usuario for f in creadas}


async def test_deshabilitar_y_habilitar_llegan_a_keycloak(
    gestion: Gestion, proveedor: ProveedorKeycloak, siglas: str
) -> None:
    (creada,) = await cuentas.crear_cuentas_partido(
        gestion=gestion, siglas=siglas, cantidad=1, por_defecto=3, actor=ADMIN, ahora=AHORA
    )

    await cuentas.deshabilitar_cuenta(
        gestion=gestion, usuario=creada.usuario, motivo="Baja", actor=ADMIN
    )
    deshabilitada = await proveedor.cuenta(usuario=creada.usuario)
    with pytest.raises(Conflicto):
        await entregas.paquete_de_cuenta(
            gestion=gestion, usuario=creada.usuario, actor=ADMIN, ahora=AHORA
        )
    await cuentas.habilitar_cuenta(gestion=gestion, usuario=creada.usuario, actor=ADMIN)
    habilitada = await proveedor.cuenta(usuario=creada.usuario)

    assert deshabilitada is not None and not deshabilitada.habilitada
    assert habilitada is not None and habilitada.habilitada


async def test_la_designacion_crea_la_supervision_con_su_correo_en_keycloak(
    gestion: Gestion, proveedor: ProveedorKeycloak, siglas: str
) -> None:
    correo = f"{siglas.lower()}.sup@ejemplo.mx"

    _, ficha = await cuentas.registrar_designacion(
        gestion=gestion,
        partido=siglas,
        nombre="Rosa Elena",
        apellidos="Martínez Villegas",
        correo=correo,
        telefono="7221234567",
        oficio="OF/1/2024",
        fecha_oficio=AHORA.date(),
        actor=ADMIN,
        ahora=AHORA,
    )

    datos = await proveedor.cuenta(usuario=ficha.usuario)
    assert datos is not None
    assert (datos.correo, datos.partido, datos.nombre_completo) == (
        correo,
        siglas,
        "Rosa Elena Martínez Villegas",
    )
