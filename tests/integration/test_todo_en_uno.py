"""All six services in one process: health, sign-in, start pages, scope and the event flow."""

from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from comun.servicios import Servicio
from conoceles.todo_en_uno import create_app

from .conftest import DEMO_CANDIDATURAS, esperar, iniciar_sesion

SERVICIOS = [s.value for s in Servicio]
INICIOS = {
    "captura": ("captura.pan", "/captura/"),
    "validacion": ("supervisor.pan", "/validacion/"),
    "estadistica": ("verificador", "/estadistica/"),
    "auditoria": ("admin", "/auditoria/"),
    "identidad": ("soporte", "/identidad/"),
}


@pytest.mark.parametrize("servicio", SERVICIOS)
async def test_cada_servicio_responde_vivo_y_listo(
    cliente: httpx.AsyncClient, servicio: str
) -> None:
    vivo = await cliente.get(f"/api/{servicio}/health/live")
    listo = await cliente.get(f"/api/{servicio}/health/ready")
    assert (vivo.status_code, listo.status_code) == (200, 200)


@pytest.mark.parametrize("servicio", SERVICIOS)
async def test_cada_servicio_publica_metricas_prometheus(
    cliente: httpx.AsyncClient, servicio: str
) -> None:
    respuesta = await cliente.get(f"/api/{servicio}/metrics")
    assert respuesta.status_code == 200
    assert "conoceles_http_requests_total" in respuesta.text


@pytest.mark.parametrize("servicio", SERVICIOS)
async def test_cada_servicio_documenta_solo_sus_rutas_en_openapi(
    cliente: httpx.AsyncClient, servicio: str
) -> None:
    esquema = (await cliente.get(f"/api/{servicio}/openapi.json")).json()
    rutas = list(esquema["paths"])
    assert all(r.startswith(f"/api/{servicio}/") for r in rutas), rutas


async def test_la_pagina_publica_muestra_la_eleccion_sin_sesion(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/", headers={"Accept": "text/html"})
    assert respuesta.status_code == 200
    assert "Diputaciones Locales y Ayuntamientos 2024" in respuesta.text
    assert "Iniciar sesión" in respuesta.text


@pytest.mark.parametrize("servicio", list(INICIOS))
async def test_la_pagina_de_inicio_de_cada_servicio_muestra_quien_inicio_sesion(
    cliente: httpx.AsyncClient, servicio: str
) -> None:
    usuario, ruta = INICIOS[servicio]
    assert (await iniciar_sesion(cliente, usuario)).status_code == 303
    respuesta = await cliente.get(ruta, headers={"Accept": "text/html"})
    assert respuesta.status_code == 200
    assert usuario in respuesta.text


async def test_sin_sesion_una_pagina_privada_lleva_al_formulario_de_acceso(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/captura/", headers={"Accept": "text/html"})
    assert respuesta.status_code == 303
    assert respuesta.headers["location"].startswith("/identidad/login?siguiente=")


async def test_la_semilla_de_captura_llega_a_publicacion_validacion_y_estadistica(
    cliente: httpx.AsyncClient,
) -> None:
    async def registrada() -> bool:
        resumen = (await cliente.get("/api/publicacion/v1/resumen")).json()
        return bool(resumen["candidaturas_registradas"] == DEMO_CANDIDATURAS)

    await esperar(registrada)
    await iniciar_sesion(cliente, "supervisor.prd")
    cola = (await cliente.get("/api/validacion/v1/revisiones")).json()["resultados"]
    assert "DL-MR-41-FYCEM-P" in [r["candidatura_id"] for r in cola]
    assert {r["partido"] for r in cola} == {"PRD"}


async def test_el_historial_registra_la_semilla_y_el_inicio_de_sesion_una_vez(
    cliente: httpx.AsyncClient,
) -> None:
    await iniciar_sesion(cliente, "admin")

    async def acciones() -> list[str]:
        historial = (await cliente.get("/api/auditoria/v1/historial")).json()
        return [e["accion"] for e in historial["entradas"]]

    async def completas() -> bool:
        vistas = await acciones()
        return "registrar_candidatura" in vistas and any("sesion" in a for a in vistas)

    await esperar(completas)
    assert (await acciones()).count("registrar_candidatura") == DEMO_CANDIDATURAS


async def test_un_partido_no_ve_candidaturas_de_otro_partido(cliente: httpx.AsyncClient) -> None:
    await iniciar_sesion(cliente, "captura.pri")
    propias = (await cliente.get("/api/captura/v1/candidaturas")).json()
    assert propias["total"] > 0
    assert {c["partido"] for c in propias["resultados"]} == {"PRI"}
    ajena = await cliente.get("/api/captura/v1/candidaturas/DL-MR-41-FYCEM-P")
    inexistente = await cliente.get("/api/captura/v1/candidaturas/NO-EXISTE")
    assert ajena.status_code == inexistente.status_code == 404
    assert ajena.headers["content-type"].startswith("application/problem+json")
    sin_ruta = {k: v for k, v in ajena.json().items() if k != "instance"}
    assert sin_ruta == {k: v for k, v in inexistente.json().items() if k != "instance"}


async def test_la_cuenta_individual_ve_solo_su_candidatura(cliente: httpx.AsyncClient) -> None:
    await iniciar_sesion(cliente, "candidatura.demo")
    propias = (await cliente.get("/api/captura/v1/candidaturas")).json()
    assert [c["id"] for c in propias["resultados"]] == ["DL-MR-41-FYCEM-P"]
    assert propias["total"] == 1


async def test_un_token_de_api_sirve_en_todos_los_servicios(cliente: httpx.AsyncClient) -> None:
    token = await cliente.post(
        "/api/identidad/v1/token", data={"username": "admin", "password": "clave-demo-de-pruebas"}
    )
    cabecera = {"Authorization": f"Bearer {token.json()['access_token']}"}
    for ruta in ("/api/captura/v1/candidaturas", "/api/auditoria/v1/historial"):
        assert (await cliente.get(ruta, headers=cabecera)).status_code == 200


async def test_un_token_falsificado_recibe_401_en_espanol(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get(
        "/api/captura/v1/candidaturas", headers={"Authorization": "Bearer eyJhbGciOi.x.y"}
    )
    assert respuesta.status_code == 401
    assert respuesta.json()["title"]


async def test_una_ruta_desconocida_es_404_problem_json(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/api/captura/v1/nada")
    assert respuesta.status_code == 404
    assert respuesta.headers["content-type"].startswith("application/problem+json")


async def test_un_rol_sin_permiso_recibe_403(cliente: httpx.AsyncClient) -> None:
    await iniciar_sesion(cliente, "captura.pan")
    assert (await cliente.get("/api/auditoria/v1/historial")).status_code == 403


async def test_un_cuerpo_demasiado_grande_es_413(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        "/api/identidad/v1/token", content=b"x" * 2_000_000, headers={"Content-Type": "text/plain"}
    )
    assert respuesta.status_code == 413


async def test_reiniciar_conserva_los_datos_sin_duplicar_la_semilla(datos: Path) -> None:
    for _ in range(2):
        app = create_app()
        async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
            recursos = app.state.recursos
            candidaturas = recursos[Servicio.CAPTURA].store.collection("candidaturas")
            assert await candidaturas.count() == DEMO_CANDIDATURAS
            # The seed only: candidacy accounts arrive by events, at their own pace.
            cuentas = recursos[Servicio.IDENTIDAD].store.collection("cuentas")
            assert await cuentas.count({"de_demostracion": True}) == 21
    assert (datos / "captura.db").exists()


async def test_cada_respuesta_lleva_cabeceras_de_seguridad(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/")
    assert "frame-ancestors 'none'" in respuesta.headers["content-security-policy"]
    assert respuesta.headers["x-content-type-options"] == "nosniff"
    assert respuesta.headers["x-frame-options"] == "DENY"


async def test_las_paginas_con_sesion_no_se_guardan_en_cache(cliente: httpx.AsyncClient) -> None:
    await iniciar_sesion(cliente, "captura.pan")
    respuesta = await cliente.get("/captura/", headers={"Accept": "text/html"})
    assert respuesta.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("ruta", ["/", "/api/publicacion/health/live", "/api/captura/health/ready"])
async def test_head_responde_como_get_para_monitores(cliente: httpx.AsyncClient, ruta: str) -> None:
    assert (await cliente.head(ruta)).status_code == 200


async def test_la_portada_anonima_no_pone_cookies_y_puede_guardarse_en_cache(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/", headers={"Accept": "text/html"})
    assert "set-cookie" not in respuesta.headers


async def test_muchos_fallos_desde_una_direccion_reciben_429_sin_bloquear_cuentas_ajenas(
    cliente: httpx.AsyncClient,
) -> None:
    for i in range(20):
        await cliente.post(
            "/api/identidad/v1/token", data={"username": f"nadie{i}", "password": "mala-clave-x"}
        )
    respuesta = await cliente.post(
        "/api/identidad/v1/token", data={"username": "admin", "password": "clave-demo-de-pruebas"}
    )
    assert respuesta.status_code == 429
    assert "demasiados intentos" in respuesta.json()["detail"]
