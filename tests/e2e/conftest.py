"""The distributed mode (`conoceles up`) on this machine, reached only through the gateway."""

import asyncio
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from keycloak import KeycloakAdmin, KeycloakOpenIDConnection
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from comun.auth.pruebas_keycloak import llenar_formularios
from comun.roles import Rol

PASARELA = "http://127.0.0.1:8080"
KEYCLOAK = os.environ.get("CONOCELES_TEST_KEYCLOAK_URL", "http://127.0.0.1:8081").rstrip("/")
REALM = "conoceles"
SECRETO_ADMIN = os.environ.get("CONOCELES_KEYCLOAK_ADMIN_SECRETO", "")


@dataclass
class Trazas:
    """Spans the services exported over OTLP/HTTP: (service.name, span name, trace id)."""

    spans: list[tuple[str, str, str]] = field(default_factory=list)
    candado: threading.Lock = field(default_factory=threading.Lock)

    def de_traza(self, traza: str) -> set[str]:
        """Services that took part in one trace."""
        with self.candado:
            return {servicio for servicio, _, t in self.spans if t == traza}


def _receptor(trazas: Trazas) -> type[BaseHTTPRequestHandler]:
    class Receptor(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            cuerpo = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            peticion = ExportTraceServiceRequest.FromString(cuerpo)
            with trazas.candado:
                for recurso in peticion.resource_spans:
                    nombre = next(
                        a.value.string_value
                        for a in recurso.resource.attributes
                        if a.key == "service.name"
                    )
                    for alcance in recurso.scope_spans:
                        for span in alcance.spans:
                            trazas.spans.append((nombre, span.name, span.trace_id.hex()))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            """Quiet."""

    return Receptor


@pytest.fixture(scope="session")
def trazas() -> Iterator[Trazas]:
    """An OTLP/HTTP trace receiver on loopback for the services to export to."""
    recibidas = Trazas()
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _receptor(recibidas))
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    os.environ["CONOCELES_OTLP_URL"] = f"http://127.0.0.1:{servidor.server_port}"
    yield recibidas
    servidor.shutdown()


def conoceles(*argumentos: str, entorno: dict[str, str] | None = None) -> None:
    """Run the CLI; fail the test session with its output when it fails."""
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
def distribuido(trazas: Trazas) -> Iterator[str]:
    """Fresh service processes (exporting traces here) behind nginx; stopped afterwards."""
    conoceles("down")
    conoceles("up", entorno={"OTEL_BSP_SCHEDULE_DELAY": "200"})
    yield PASARELA
    conoceles("down")


@pytest.fixture
async def admin_keycloak() -> AsyncIterator[KeycloakAdmin]:
    """The realm's admin API through the identity adapter's service client."""
    from identidad.config import Settings

    ajustes = Settings()
    conexion = KeycloakOpenIDConnection(
        server_url=KEYCLOAK + "/",
        realm_name=REALM,
        client_id=ajustes.keycloak_cliente_admin,
        client_secret_key=ajustes.keycloak_secreto_admin.get_secret_value(),
        grant_type="client_credentials",
    )
    await conexion.a_get_token()
    yield KeycloakAdmin(connection=conexion)
    await conexion.aclose()


@dataclass
class Persona:
    """A Keycloak account created for one test."""

    usuario: str
    clave: str


@pytest.fixture
async def administradora(admin_keycloak: KeycloakAdmin) -> AsyncIterator[Persona]:
    """An institute administrator with a permanent password (OTP enrolment is not tested here)."""
    usuario = f"e2e-{uuid.uuid4().hex[:8]}"
    clave = f"Clave-{uuid.uuid4().hex}"
    usuario_id = await admin_keycloak.a_create_user(
        {
            "username": usuario,
            "enabled": True,
            "firstName": "Elena",
            "lastName": "Prueba",
            "email": f"{usuario}@ejemplo.mx",
            "emailVerified": True,
            "credentials": [{"type": "password", "value": clave, "temporary": False}],
        }
    )
    rol = await admin_keycloak.a_get_realm_role(Rol.ADMINISTRADOR.value)
    await admin_keycloak.a_assign_realm_roles(usuario_id, [rol])
    yield Persona(usuario, clave)
    await admin_keycloak.a_delete_user(usuario_id)


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


def candidatura(clave: str) -> dict[str, Any]:
    """A valid registration body with a unique id."""
    return {
        "id": clave,
        "nombre": "Ana Laura Gómez Ruiz",
        "cargo": "regiduria",
        "principio": "RP",
        "tipo_candidatura": "propietaria",
        "postulante": "partido",
        "sexo": "mujer",
        "fecha_nacimiento": "1979-11-02",
        "partido": "PT",
        "municipio": "Metepec",
        "posicion": 3,
    }


async def entrar(cliente: httpx.AsyncClient, persona: Persona) -> str:
    """Sign in through Keycloak's form; return the CSRF token of the session's pages."""
    inicio = await cliente.get("/identidad/login", params={"siguiente": "/captura/"})
    assert inicio.status_code == 303, inicio.text
    retorno, persona.clave = await llenar_formularios(
        inicio.headers["location"], usuario=persona.usuario, clave=persona.clave, sitio=PASARELA
    )
    llegada = await cliente.get(retorno)
    assert llegada.status_code == 303, llegada.text
    pagina = await cliente.get("/captura/", headers={"Accept": "text/html"})
    assert pagina.status_code == 200
    assert persona.usuario in pagina.text
    return str(cliente.cookies["conoceles_csrf"])
