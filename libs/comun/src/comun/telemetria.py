"""Logs, traces, metrics and health endpoints of every service, set up by one call."""

import asyncio
import json
import logging
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comun.errores import respuesta_problema
from comun.rutas import servicio_de_ruta
from comun.servicios import Servicio
from comun.settings import PlatformSettings

logger = logging.getLogger("comun.telemetria")

ESPERA_COMPROBACION_S = 2.0
RUTAS_SIN_TRAZA = r"/api/[^/]+/metrics$,/api/[^/]+/health/"
SIN_RUTA = "<sin_ruta>"

PETICIONES = Counter(
    "conoceles_http_requests",
    "Peticiones HTTP atendidas.",
    ["service", "method", "route", "status"],
)
DURACION = Histogram(
    "conoceles_http_request_duration_seconds",
    "Duración de las peticiones HTTP en segundos.",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
EN_CURSO = Gauge(
    "conoceles_http_requests_in_progress",
    "Peticiones HTTP en curso.",
    ["service"],
)

_servicio_actual: ContextVar[Servicio | None] = ContextVar("servicio_actual", default=None)
_candado = threading.Lock()
_proceso: str | None = None
_servicios_proceso: set[Servicio] = set()
_proveedor: TracerProvider | None = None
_memoria: InMemorySpanExporter | None = None

# uvicorn adds `color_message` (the message with ANSI colours) to its records: noise in JSON.
_ATRIBUTOS_REGISTRO = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "color_message",
}


@contextmanager
def en_servicio(servicio: Servicio) -> Iterator[None]:
    """Tag log lines emitted inside the block with a service (e.g. in an event consumer)."""
    marca = _servicio_actual.set(servicio)
    try:
        yield
    finally:
        _servicio_actual.reset(marca)


def _unico_servicio() -> Servicio | None:
    """The process's service when it runs only one (log lines outside any request)."""
    return next(iter(_servicios_proceso)) if len(_servicios_proceso) == 1 else None


class FormatoJson(logging.Formatter):
    """One JSON object per line: time, level, message, servicio, trace_id, span_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON with the current span's ids."""
        servicio = _servicio_actual.get() or _unico_servicio()
        datos: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "servicio": servicio.value if servicio else None,
        }
        contexto = trace.get_current_span().get_span_context()
        if contexto.is_valid:
            datos["trace_id"] = format(contexto.trace_id, "032x")
            datos["span_id"] = format(contexto.span_id, "016x")
        for clave, valor in vars(record).items():
            if clave not in _ATRIBUTOS_REGISTRO and clave not in datos:
                datos[clave] = valor
        if record.exc_info:
            datos["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            datos["stack"] = self.formatStack(record.stack_info)
        return json.dumps(datos, ensure_ascii=False, default=str)


class _ManejadorStderr(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is at emit time (test capture included)."""

    @property
    def stream(self) -> TextIO:
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, _valor: TextIO) -> None:
        """Ignore: the stream is always the current standard error."""


def _endpoint_trazas(otlp_url: str) -> str:
    """OTLP/HTTP traces endpoint from a collector base URL (or the full endpoint)."""
    base = otlp_url.rstrip("/")
    return base if base.endswith("/v1/traces") else f"{base}/v1/traces"


def configurar_proceso(
    nombre: str, *, otlp_url: str | None = None, nivel: int | str = logging.INFO
) -> None:
    """Set up JSON logging and the tracer provider, once per process; later calls do nothing."""
    global _proceso, _proveedor
    with _candado:
        if _proceso is not None:
            return
        _proceso = nombre
        manejador = _ManejadorStderr()
        manejador.setFormatter(FormatoJson())
        raiz = logging.getLogger()
        raiz.addHandler(manejador)
        raiz.setLevel(nivel)
        for nombre_logger in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            # Let uvicorn's own lines go through the JSON handler too.
            registro = logging.getLogger(nombre_logger)
            registro.handlers.clear()
            registro.propagate = True
        # While its broker is down aiokafka logs an ERROR every ~100 ms per client; the bus
        # adapter reports the outage itself (readiness and one warning per reconnect attempt).
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
        # httpx logs every request at INFO (JWKS, Keycloak): the access log already says enough.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        # fpdf2 subsets fonts with fontTools, which logs ~40 INFO lines per PDF it writes.
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        proveedor = TracerProvider(
            resource=Resource.create({"service.name": nombre, "service.namespace": "conoceles"})
        )
        if otlp_url:
            # Imported here: protobuf and the exporter cost 0.2 s of start-up when unused.
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exportador = OTLPSpanExporter(endpoint=_endpoint_trazas(otlp_url))
            proveedor.add_span_processor(BatchSpanProcessor(exportador))
        trace.set_tracer_provider(proveedor)
        global_ = trace.get_tracer_provider()
        # If someone set a provider before us (auto-instrumentation), spans go to theirs.
        _proveedor = global_ if isinstance(global_, TracerProvider) else proveedor


def proveedor_trazas() -> TracerProvider:
    """The process's tracer provider (setting the process up with a generic name if needed)."""
    if _proveedor is None:
        configurar_proceso("conoceles")
    assert _proveedor is not None
    return _proveedor


def capturar_spans() -> InMemorySpanExporter:
    """For tests: an in-memory exporter receiving every finished span, emptied on each call."""
    global _memoria
    proveedor = proveedor_trazas()
    with _candado:
        if _memoria is None:
            _memoria = InMemorySpanExporter()
            proveedor.add_span_processor(SimpleSpanProcessor(_memoria))
    _memoria.clear()
    return _memoria


def _plantilla_ruta(scope: Scope, raiz: str) -> str:
    """Route template of the matched route or mount (bounded label values), or SIN_RUTA."""
    ruta = scope.get("route")
    plantilla = getattr(ruta, "path_format", None) or getattr(ruta, "path", None)
    if isinstance(plantilla, str) and plantilla:
        return plantilla
    # FastAPI does not record mounts (static files) in scope["route"]; their root_path grows.
    montaje = str(scope.get("root_path", ""))
    if montaje != raiz and montaje.startswith(raiz):
        return f"{montaje.removeprefix(raiz)}/{{path}}"
    return SIN_RUTA


class MedicionHttp:
    """Pure ASGI middleware: Prometheus metrics per request and the service of each log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and count it by service, method, route template and status."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        servicio = servicio_de_ruta(scope["path"])
        raiz = str(scope.get("root_path", ""))
        estado = 500
        marca = _servicio_actual.set(servicio)
        en_curso = EN_CURSO.labels(servicio.value)
        en_curso.inc()
        inicio = time.perf_counter()

        async def enviar(mensaje: Message) -> None:
            nonlocal estado
            if mensaje["type"] == "http.response.start":
                estado = mensaje["status"]
            await send(mensaje)

        try:
            await self.app(scope, receive, enviar)
        finally:
            duracion = time.perf_counter() - inicio
            etiquetas = (servicio.value, scope["method"], _plantilla_ruta(scope, raiz), str(estado))
            PETICIONES.labels(*etiquetas).inc()
            DURACION.labels(*etiquetas).observe(duracion)
            en_curso.dec()
            _servicio_actual.reset(marca)


def _al_recibir(span: trace.Span, scope: dict[str, Any]) -> None:
    """Tag each server span with the service that owns the path."""
    if span.is_recording():
        span.set_attribute("conoceles.servicio", servicio_de_ruta(scope.get("path", "/")).value)


def _instrumentar(app: FastAPI) -> None:
    """FastAPI tracing and the metrics middleware, once per app."""
    if getattr(app.state, "telemetria_instalada", False):
        return
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=proveedor_trazas(),
        excluded_urls=RUTAS_SIN_TRAZA,
        exclude_spans=["receive", "send"],
        server_request_hook=_al_recibir,
    )
    construir_pila = app.build_middleware_stack

    def construir_pila_medida() -> ASGIApp:
        return MedicionHttp(construir_pila())

    # Wrapping the whole stack (as the OTel instrumentation does) makes metrics see every answer,
    # CSRF 403s and 413s included, whatever order the middlewares were added in.
    app.build_middleware_stack = construir_pila_medida  # type: ignore[method-assign]
    app.state.telemetria_instalada = True


_NOMBRES_COMPROBACION = {"store": "el almacén de documentos", "bus": "el bus de eventos"}


async def _comprobar(ping: Callable[[], Awaitable[None]], espera: float) -> str | None:
    """Run one readiness check; None when it passed, else why it failed (Spanish)."""
    try:
        async with asyncio.timeout(espera):
            await ping()
    except TimeoutError:
        return f"no respondió en {espera:g} s"
    except Exception as exc:
        logger.warning("Falló una comprobación de disponibilidad", exc_info=exc)
        return f"falló ({type(exc).__name__})"
    return None


def _rutas_salud(servicio: Servicio, espera: float) -> APIRouter:
    """Liveness, readiness and metrics routes under `/api/<servicio>/`."""
    router = APIRouter(prefix=f"/api/{servicio.value}", tags=["salud"])

    @router.api_route("/health/live", methods=["GET", "HEAD"], name=f"{servicio.value}_vivo")
    async def vivo() -> dict[str, str]:
        """The process answers."""
        return {"estado": "vivo"}

    @router.api_route(
        "/health/ready",
        methods=["GET", "HEAD"],
        name=f"{servicio.value}_listo",
        response_model=None,
    )
    async def listo(request: Request) -> Response:
        """The service's store and bus answer within the time limit."""
        recursos = getattr(request.app.state, "recursos", {}).get(servicio)
        if recursos is None:
            return respuesta_problema(
                request,
                status=503,
                title="Servicio no disponible",
                detail=f"El servicio {servicio.value} aún no termina de iniciar.",
                comprobaciones={},
            )
        fallas = await asyncio.gather(
            _comprobar(recursos.store.ping, espera), _comprobar(recursos.bus.ping, espera)
        )
        resultados = dict(zip(("store", "bus"), fallas, strict=True))
        comprobaciones = {nombre: falla or "ok" for nombre, falla in resultados.items()}
        motivos = [
            f"{_NOMBRES_COMPROBACION[nombre]} ({nombre}) {falla}"
            for nombre, falla in resultados.items()
            if falla
        ]
        if motivos:
            return respuesta_problema(
                request,
                status=503,
                title="Servicio no disponible",
                detail=f"El servicio {servicio.value} no está listo: {'; '.join(motivos)}.",
                comprobaciones=comprobaciones,
            )
        return JSONResponse({"estado": "listo", "comprobaciones": comprobaciones})

    @router.get("/metrics", name=f"{servicio.value}_metricas", include_in_schema=False)
    async def metricas() -> Response:
        """Prometheus text exposition of the process's metrics."""
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


def configurar(
    app: FastAPI, servicio: Servicio, *, espera_comprobacion: float = ESPERA_COMPROBACION_S
) -> None:
    """Logs, traces, metrics and health routes for one service of the app."""
    plataforma = getattr(app.state, "plataforma", None)
    if not isinstance(plataforma, PlatformSettings):
        plataforma = PlatformSettings()
    configurar_proceso(f"conoceles-{servicio.value}", otlp_url=plataforma.otlp_url)
    _servicios_proceso.add(servicio)
    _instrumentar(app)
    configurados: set[Servicio] = getattr(app.state, "servicios_con_telemetria", set())
    if servicio in configurados:
        return
    app.include_router(_rutas_salud(servicio, espera_comprobacion))
    app.state.servicios_con_telemetria = configurados | {servicio}
