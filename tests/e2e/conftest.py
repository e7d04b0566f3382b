"""The distributed mode (`conoceles up`) on this machine, reached only through the gateway."""

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from comun.auth.pruebas_keycloak import (
    UsuarioDePrueba,
    admin_del_realm,
    crear_usuario_de_prueba,
    llenar_formularios,
)
from comun.roles import Rol
from comun.store.mongo import borrar_bases
from conoceles.receptor_otlp import ReceptorOtlp

PASARELA = "http://127.0.0.1:8080"
KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"


@pytest.fixture(scope="session")
def trazas() -> Iterator[ReceptorOtlp]:
    """An OTLP/HTTP trace receiver on loopback for the services to export to."""
    with ReceptorOtlp() as receptor:
        os.environ["CONOCELES_OTLP_URL"] = receptor.url
        yield receptor


def conoceles(*argumentos: str, entorno: dict[str, str] | None = None) -> None:
    """Run the CLI; fail the test with its output when it fails."""
    resultado = subprocess.run(
        [sys.executable, "-m", "conoceles", *argumentos],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(entorno or {})},
        check=False,
    )
    if resultado.returncode != 0:
        pytest.fail(f"`conoceles {' '.join(argumentos)}` falló:\n{resultado.stderr[-3000:]}")


@pytest.fixture(scope="session")
def distribuido(trazas: ReceptorOtlp) -> Iterator[str]:
    """Fresh service processes and databases (traces exported here) behind nginx."""
    # Databases of their own: earlier runs' data would make FerretDB's full scans slower.
    prefijo = f"e2e_{uuid.uuid4().hex[:8]}"
    os.environ["CONOCELES_MONGODB_PREFIJO"] = prefijo
    conoceles("down")
    conoceles("up", entorno={"OTEL_BSP_SCHEDULE_DELAY": "200"})
    yield PASARELA
    conoceles("down")
    url = os.environ.get("CONOCELES_TEST_MONGODB_URL", "mongodb://127.0.0.1:27017")
    asyncio.run(borrar_bases(url, prefijo))


@pytest.fixture
async def administradora() -> AsyncIterator[UsuarioDePrueba]:
    """An institute administrator with a permanent password and a TOTP factor already enrolled."""
    from identidad.config import Settings

    ajustes = Settings()
    admin = admin_del_realm(
        url=KEYCLOAK,
        realm=REALM,
        cliente=ajustes.keycloak_cliente_admin,
        secreto=ajustes.keycloak_secreto_admin.get_secret_value(),
    )
    persona = await crear_usuario_de_prueba(admin, rol=Rol.ADMINISTRADOR.value)
    yield persona
    await admin.a_delete_user(persona.id)
    await admin.connection.aclose()


@pytest.fixture
async def persona_de() -> AsyncIterator[Any]:
    """Creates Keycloak people of a role and party; removes them afterwards."""
    from identidad.config import Settings

    ajustes = Settings()
    admin = admin_del_realm(
        url=KEYCLOAK,
        realm=REALM,
        cliente=ajustes.keycloak_cliente_admin,
        secreto=ajustes.keycloak_secreto_admin.get_secret_value(),
    )
    creadas: list[UsuarioDePrueba] = []

    async def crear(rol: str, partido: str) -> UsuarioDePrueba:
        persona = await crear_usuario_de_prueba(admin, rol=rol, partido=partido)
        creadas.append(persona)
        return persona

    yield crear
    for persona in creadas:
        await admin.a_delete_user(persona.id)
    await admin.connection.aclose()


@pytest.fixture
async def cliente(distribuido: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway only."""
    async with httpx.AsyncClient(base_url=distribuido, timeout=30) as c:
        yield c


async def esperar(condicion: Callable[[], Awaitable[bool]], *, plazo: float = 120.0) -> None:
    """Poll an async condition until it holds or the deadline passes."""
    limite = asyncio.get_running_loop().time() + plazo
    while not await condicion():
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError("la condición no se cumplió a tiempo")
        await asyncio.sleep(0.2)


URL_REGISTRO = "/api/captura/v1/registro/candidaturas"


def formulas(prefijo: str, cuantas: int) -> list[dict[str, Any]]:
    """Push-API rows of new fórmulas (propietaria, suplente): folios `<prefijo>-NNNNN-P/S`."""
    from captura.adapters import leer_directorio_eleccion
    from captura.config import Settings
    from captura.domain import armar_eleccion
    from captura.generador import repetir_formula

    eleccion = armar_eleccion(leer_directorio_eleccion(Settings().catalogo))
    # A fresh seed per call: the people (CURPs) differ from every earlier run's.
    semilla = uuid.uuid4().int % 2**31
    filas = repetir_formula(eleccion, prefijo=prefijo, formulas=cuantas, semilla=semilla)
    return [{k.lower(): v for k, v in f.items()} for f in filas]


async def entrar(cliente: httpx.AsyncClient, persona: UsuarioDePrueba) -> str:
    """Sign in through Keycloak's form; return the CSRF token of the session's pages."""
    inicio = await cliente.get("/identidad/login", params={"siguiente": "/captura/"})
    assert inicio.status_code == 303, inicio.text
    retorno, _ = await llenar_formularios(
        inicio.headers["location"],
        usuario=persona.usuario,
        clave=persona.clave,
        sitio=PASARELA,
        totp=persona.totp,
    )
    llegada = await cliente.get(retorno)
    assert llegada.status_code == 303, llegada.text
    pagina = await cliente.get("/captura/", headers={"Accept": "text/html"})
    assert pagina.status_code == 200
    assert persona.usuario in pagina.text
    return str(cliente.cookies["conoceles_csrf"])
