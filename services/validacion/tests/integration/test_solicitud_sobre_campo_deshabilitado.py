"""A change request naming a field the verifier disabled, through the all-in-one process."""

import re
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.eventos.vocabulario import Postulante
from comun.pruebas import esperar as esperar_hasta
from comun.servicios import Servicio
from conoceles.todo_en_uno import create_app
from validacion.adapters import RevisionRepository
from validacion.domain import EstadoRevision, Revision

pytestmark = pytest.mark.asyncio(loop_scope="module")

CLAVE = "clave-demo-de-pruebas"
BASE = "http://testserver"
API = "/api/validacion/v1"
# Not in the demo registry: seeded below as a published PRD candidacy.
ID = "DL-MR-99-PRD-P"
NOMBRE = "Lucía Hernández Ruiz"
NOTA = "La propuesta 1 incluye un llamado expreso al voto."
NUEVA = "Agua potable y drenaje en cada colonia, con metas trimestrales."
CUENTAS = ("supervisor.PRD", "verificador", "admin")


# This module's flows take longer than the default deadline.
esperar = partial(esperar_hasta, plazo=15.0)


@pytest.fixture(scope="module")
def datos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    carpeta = tmp_path_factory.mktemp("solicitud_deshabilitado")
    with pytest.MonkeyPatch.context() as entorno:
        entorno.setenv("CONOCELES_DATOS", str(carpeta))
        entorno.setenv("CONOCELES_DEMO", "true")
        entorno.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
        entorno.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", "10")
        yield carpeta


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(datos: Path) -> AsyncIterator[FastAPI]:
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30):
        recursos = aplicacion.state.recursos[Servicio.VALIDACION]
        await RevisionRepository(recursos.store).guardar(
            Revision(
                ID,
                NOMBRE,
                "diputacion_local",
                "PRD",
                estado=EstadoRevision.VALIDADA,
                registro={"postulante": Postulante.PARTIDO.value},
                curricular={
                    "telefono_publico": "7221234567",
                    "propuesta_1": "Vota por mí este domingo.",
                    "propuesta_2": "Transporte público seguro de noche.",
                },
                publicable=True,
                version=1,
            )
        )
        yield aplicacion


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def h(cliente: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    cabeceras = {}
    for cuenta in CUENTAS:
        respuesta = await cliente.post(
            "/api/identidad/v1/token", data={"username": cuenta, "password": CLAVE}
        )
        assert respuesta.status_code == 200, respuesta.text
        cabeceras[cuenta] = {"Authorization": f"Bearer {respuesta.json()['access_token']}"}
    return cabeceras


async def iniciar_sesion(cliente: httpx.AsyncClient, usuario: str) -> None:
    """Sign in through the login form as a browser would."""
    cliente.cookies.clear()
    formulario = await cliente.get("/identidad/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', formulario.text)
    assert token is not None
    respuesta = await cliente.post(
        "/identidad/login",
        data={"usuario": usuario, "clave": CLAVE, "csrf_token": token.group(1)},
    )
    assert respuesta.status_code == 303, respuesta.text


async def avisos_de(cliente: httpx.AsyncClient, cabecera: dict[str, str]) -> list[Any]:
    bandeja = await cliente.get(f"{API}/avisos", headers=cabecera)
    assert bandeja.status_code == 200, bandeja.text
    return [a for a in bandeja.json()["avisos"] if a["candidatura_id"] == ID]


async def test_el_aviso_de_la_deshabilitacion_llega_por_el_bus_con_su_texto(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    respuesta = await cliente.post(
        f"{API}/verificacion/{ID}/deshabilitar",
        json={"objetivo": "propuesta_1", "motivo": "propaganda", "observacion": NOTA},
        headers=h["verificador"],
    )
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["deshabilitados"] == ["propuesta_1"]

    async def llego() -> bool:
        return len(await avisos_de(cliente, h["supervisor.PRD"])) == 1

    await esperar(llego)
    (aviso,) = await avisos_de(cliente, h["supervisor.PRD"])
    assert aviso["asunto"] == f"Contenido deshabilitado: {NOMBRE}"
    assert aviso["mensaje"].startswith(
        f"Se deshabilitó el campo «Propuesta 1» de la candidatura {NOMBRE} ({ID}); "
        "ya no se muestra al público."
    )
    assert aviso["mensaje"].endswith(f"Observación de la persona verificadora: {NOTA}")
    assert aviso["creado_por"] == "verificador"


async def test_el_formulario_marca_el_campo_deshabilitado(cliente: httpx.AsyncClient) -> None:
    await iniciar_sesion(cliente, "supervisor.prd")
    pagina = await cliente.get(f"/validacion/candidaturas/{ID}/solicitud")
    cliente.cookies.clear()
    assert pagina.status_code == 200, pagina.text
    assert 'id="texto-propuesta_1-deshabilitado"' in pagina.text
    assert 'id="texto-propuesta_2-deshabilitado"' not in pagina.text
    assert "seguirá oculto al público" in pagina.text


async def test_un_telefono_invalido_en_la_solicitud_da_422_con_mensaje_claro(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    cuerpo = {
        "candidatura_id": ID,
        "cambios": [
            {"campo": "telefono_publico", "texto": "722 12"},
            {"campo": "pagina_web", "texto": "mi-sitio"},
        ],
    }
    respuesta = await cliente.post(f"{API}/solicitudes", json=cuerpo, headers=h["supervisor.PRD"])
    assert respuesta.status_code == 422, respuesta.text
    detalle = respuesta.json()["detail"]
    assert "El teléfono público debe tener 10 dígitos; «722 12» tiene 5." in detalle
    assert "La página web «mi-sitio» no es una dirección válida" in detalle


async def test_la_solicitud_sobre_el_campo_deshabilitado_advierte_que_sigue_oculto(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    cuerpo = {
        "candidatura_id": ID,
        "cambios": [
            {"campo": "propuesta_1", "texto": NUEVA},
            {"campo": "propuesta_2", "texto": "Transporte seguro de noche y de día."},
        ],
    }
    respuesta = await cliente.post(f"{API}/solicitudes", json=cuerpo, headers=h["supervisor.PRD"])
    assert respuesta.status_code == 201, respuesta.text
    presentada = respuesta.json()
    assert presentada["campos_ocultos"] == ["propuesta_1"]
    assert presentada["advertencia"].startswith(
        "El campo «Propuesta 1» está deshabilitado por la persona verificadora"
    )
    consultada = await cliente.get(f"{API}/solicitudes/SC-{ID}", headers=h["admin"])
    assert consultada.json()["advertencia"] == presentada["advertencia"]
    await iniciar_sesion(cliente, "admin")
    pagina = await cliente.get(f"/validacion/solicitudes/SC-{ID}")
    cliente.cookies.clear()
    assert "seguirá oculto al público hasta que la persona verificadora" in pagina.text


async def test_aplicarla_reemplaza_el_texto_pero_el_campo_sigue_deshabilitado(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    aplicada = await cliente.post(f"{API}/solicitudes/SC-{ID}/aplicar", headers=h["admin"])
    assert aplicada.status_code == 200, aplicada.text
    assert aplicada.json()["campos_ocultos"] == ["propuesta_1"]
    verificacion = await cliente.get(f"{API}/verificacion/{ID}", headers=h["verificador"])
    assert verificacion.json()["deshabilitados"] == ["propuesta_1"]

    async def avisado() -> bool:
        asuntos = [a["asunto"] for a in await avisos_de(cliente, h["supervisor.PRD"])]
        return f"Solicitud de cambio aplicada: {NOMBRE}" in asuntos

    await esperar(avisado)
