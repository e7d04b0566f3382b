"""A tiny OTLP/HTTP trace receiver on loopback, for end-to-end tests and benchmarks."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


@dataclass(frozen=True)
class Span:
    """What the receiver keeps of one exported span."""

    servicio: str
    nombre: str
    traza: str
    inicio_ns: int
    fin_ns: int


@dataclass
class ReceptorOtlp:
    """Collects the spans that services export to `url` (POST /v1/traces, protobuf)."""

    spans: list[Span] = field(default_factory=list)
    _candado: threading.Lock = field(default_factory=threading.Lock)
    _servidor: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """Base URL to give as CONOCELES_OTLP_URL."""
        assert self._servidor is not None
        return f"http://127.0.0.1:{self._servidor.server_port}"

    def __enter__(self) -> "ReceptorOtlp":
        """Listen on a free loopback port in a background thread."""
        self._servidor = ThreadingHTTPServer(("127.0.0.1", 0), _manejador(self))
        threading.Thread(target=self._servidor.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, tipo: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop listening."""
        if self._servidor is not None:
            self._servidor.shutdown()

    def recibir(self, peticion: ExportTraceServiceRequest) -> None:
        """Keep the spans of one export request."""
        with self._candado:
            for recurso in peticion.resource_spans:
                servicio = next(
                    (
                        a.value.string_value
                        for a in recurso.resource.attributes
                        if a.key == "service.name"
                    ),
                    "",
                )
                for alcance in recurso.scope_spans:
                    self.spans.extend(
                        Span(
                            servicio,
                            s.name,
                            s.trace_id.hex(),
                            s.start_time_unix_nano,
                            s.end_time_unix_nano,
                        )
                        for s in alcance.spans
                    )

    def de_traza(self, traza: str) -> list[Span]:
        """Spans of one trace."""
        with self._candado:
            return [s for s in self.spans if s.traza == traza]


def _manejador(receptor: ReceptorOtlp) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to one receiver."""

    class Manejador(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            """Accept one OTLP export."""
            cuerpo = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receptor.recibir(ExportTraceServiceRequest.FromString(cuerpo))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            """Quiet."""

    return Manejador
