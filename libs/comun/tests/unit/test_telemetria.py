"""Health, readiness, Prometheus metrics, JSON logs and traces set up by `configurar`."""

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from comun.errores import instalar_manejadores
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.store.port import StoreUnavailableError
from comun.telemetria import capturar_spans, configurar, en_servicio
from comun.web import instalar
from comun.web.estaticos import montar

logger = logging.getLogger("prueba.telemetria")


class Responde:
    async def ping(self) -> None:
        return None


class Falla:
    async def ping(self) -> None:
        raise StoreUnavailableError("no se pudo abrir var/captura.sqlite")


class Cuelga:
    async def ping(self) -> None:
        await asyncio.sleep(30)


@dataclass
class RecursosFalsos:
    store: object
    bus: object


def crear_app(recursos: dict[Servicio, RecursosFalsos]) -> FastAPI:
    app = FastAPI()
    instalar_manejadores(app)
    configurar(app, Servicio.CAPTURA, espera_comprobacion=0.05)
    configurar(app, Servicio.PUBLICACION, espera_comprobacion=0.05)
    configurar(app, Servicio.CAPTURA, espera_comprobacion=0.05)
    app.state.recursos = recursos

    @app.get("/api/captura/v1/cosas/{id}")
    async def cosa(id: str) -> dict[str, str]:
        logger.info("consultando cosa", extra={"cosa": id})
        return {"id": id}

    return app


def cliente_de(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://prueba")


@pytest.fixture
async def cliente() -> AsyncIterator[httpx.AsyncClient]:
    recursos = {Servicio.CAPTURA: RecursosFalsos(store=Responde(), bus=Responde())}
    async with cliente_de(crear_app(recursos)) as cliente:
        yield cliente


async def test_live_responde_vivo(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/api/captura/health/live")

    assert respuesta.status_code == 200
    assert respuesta.json() == {"estado": "vivo"}


async def test_ready_responde_listo_cuando_store_y_bus_responden(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/api/captura/health/ready")

    assert respuesta.status_code == 200
    assert respuesta.json() == {"estado": "listo", "comprobaciones": {"store": "ok", "bus": "ok"}}


async def test_ready_con_store_caido_es_503_y_lo_nombra() -> None:
    recursos = {Servicio.CAPTURA: RecursosFalsos(store=Falla(), bus=Responde())}
    async with cliente_de(crear_app(recursos)) as cliente:
        respuesta = await cliente.get("/api/captura/health/ready")

    cuerpo = respuesta.json()
    assert respuesta.status_code == 503
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert cuerpo["detail"] == (
        "El servicio captura no está listo: "
        "el almacén de documentos (store) falló (StoreUnavailableError)."
    )
    assert cuerpo["comprobaciones"] == {"store": "falló (StoreUnavailableError)", "bus": "ok"}
    assert "sqlite" not in respuesta.text


async def test_ready_con_bus_que_no_responde_es_503_al_vencer_la_espera() -> None:
    recursos = {Servicio.CAPTURA: RecursosFalsos(store=Responde(), bus=Cuelga())}
    async with cliente_de(crear_app(recursos)) as cliente:
        respuesta = await asyncio.wait_for(cliente.get("/api/captura/health/ready"), 5)

    assert respuesta.status_code == 503
    assert "el bus de eventos (bus) no respondió en 0.05 s" in respuesta.json()["detail"]


async def test_ready_de_un_servicio_sin_recursos_aun_es_503(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/api/publicacion/health/ready")

    assert respuesta.status_code == 503
    assert respuesta.json()["detail"] == "El servicio publicacion aún no termina de iniciar."


async def test_metricas_cuentan_peticiones_por_servicio_metodo_ruta_y_estado(
    cliente: httpx.AsyncClient,
) -> None:
    await cliente.get("/api/captura/v1/cosas/c-123")

    respuesta = await cliente.get("/api/captura/metrics")

    assert respuesta.status_code == 200
    assert respuesta.headers["content-type"].startswith("text/plain")
    linea = re.search(
        r'^conoceles_http_requests_total\{method="GET",'
        r'route="/api/captura/v1/cosas/\{id\}",service="captura",status="200"\} (\d+\.\d+)$',
        respuesta.text,
        re.MULTILINE,
    )
    assert linea is not None
    assert float(linea.group(1)) >= 1
    assert "c-123" not in respuesta.text
    assert "conoceles_http_request_duration_seconds_bucket{" in respuesta.text


async def test_metricas_agrupan_rutas_desconocidas_en_una_sola_etiqueta(
    cliente: httpx.AsyncClient,
) -> None:
    await cliente.get("/una/ruta/inventada-xyz")

    texto = (await cliente.get("/api/publicacion/metrics")).text

    assert "inventada-xyz" not in texto
    assert (
        'conoceles_http_requests_total{method="GET",route="<sin_ruta>",'
        'service="publicacion",status="404"}' in texto
    )


async def test_cada_peticion_deja_un_span_con_la_ruta_y_el_servicio(
    cliente: httpx.AsyncClient,
) -> None:
    spans = capturar_spans()

    await cliente.get("/api/captura/v1/cosas/c-1")
    await cliente.get("/api/captura/health/live")

    nombres = [span.name for span in spans.get_finished_spans()]
    assert nombres == ["GET /api/captura/v1/cosas/{id}"]
    (span,) = spans.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["conoceles.servicio"] == "captura"
    assert span.resource.attributes["service.namespace"] == "conoceles"


async def test_los_registros_son_json_con_la_traza_y_el_servicio(
    cliente: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    spans = capturar_spans()
    capsys.readouterr()

    await cliente.get("/api/captura/v1/cosas/c-9")

    lineas = [json.loads(linea) for linea in capsys.readouterr().err.splitlines() if linea]
    registro = next(linea for linea in lineas if linea["message"] == "consultando cosa")
    (span,) = spans.get_finished_spans()
    assert registro["level"] == "INFO"
    assert registro["servicio"] == "captura"
    assert registro["logger"] == "prueba.telemetria"
    assert registro["cosa"] == "c-9"
    assert registro["trace_id"] == format(span.context.trace_id, "032x")
    assert re.fullmatch(r"[0-9a-f]{16}", registro["span_id"])


async def test_un_error_interno_registra_la_traza_de_pila_y_el_folio_en_el_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = crear_app({})

    @app.get("/api/captura/v1/rompe")
    async def rompe() -> None:
        raise ValueError("detalle interno")

    capsys.readouterr()
    async with cliente_de(app) as cliente:
        respuesta = await cliente.get("/api/captura/v1/rompe")

    lineas = [json.loads(linea) for linea in capsys.readouterr().err.splitlines() if linea]
    registro = next(linea for linea in lineas if linea["logger"] == "comun.errores")
    assert "ValueError: detalle interno" in registro["exception"]
    assert respuesta.json()["traza"] == registro["trace_id"]
    assert "detalle interno" not in respuesta.text


async def test_las_metricas_cuentan_tambien_los_rechazos_csrf_sin_importar_el_orden() -> None:
    app = FastAPI()
    configurar(app, Servicio.VALIDACION)
    instalar(app, PlatformSettings())

    async with cliente_de(app) as cliente:
        rechazo = await cliente.post("/validacion/validar", data={"a": "1"})
        texto = (await cliente.get("/api/validacion/metrics")).text

    assert rechazo.status_code == 403
    assert (
        'conoceles_http_requests_total{method="POST",route="<sin_ruta>",'
        'service="validacion",status="403"}' in texto
    )


def test_los_registros_fuera_de_una_peticion_pueden_nombrar_su_servicio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configurar(FastAPI(), Servicio.AUDITORIA)
    capsys.readouterr()

    with en_servicio(Servicio.AUDITORIA):
        logger.warning("evento consumido")

    (linea,) = [json.loads(linea) for linea in capsys.readouterr().err.splitlines() if linea]
    assert linea["servicio"] == "auditoria"
    assert linea["level"] == "WARNING"
    assert "trace_id" not in linea


async def test_los_estaticos_se_miden_con_la_plantilla_del_montaje() -> None:
    app = FastAPI()
    configurar(app, Servicio.ESTADISTICA)
    montar(app, Servicio.ESTADISTICA)

    async with cliente_de(app) as cliente:
        await cliente.get("/estadistica/static/conoceles.css")
        texto = (await cliente.get("/api/estadistica/metrics")).text

    assert (
        'conoceles_http_requests_total{method="GET",route="/estadistica/static/{path}",'
        'service="estadistica",status="200"}' in texto
    )
