"""Errors that become RFC 9457 problem+json responses with Spanish text."""

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comun.rutas import es_api

logger = logging.getLogger("comun.errores")

MEDIA_PROBLEMA = "application/problem+json"
RUTA_LOGIN = "/identidad/login"


class Problema(Exception):
    """An error with an HTTP status and a Spanish title and detail."""

    def __init__(
        self, status: int, title: str, detail: str, *, tipo: str = "about:blank", **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.tipo = tipo
        self.extra = extra


class NoEncontrado(Problema):
    """404: missing, or out of the user's scope (never reveal existence)."""

    def __init__(self, detail: str = "El recurso solicitado no existe.") -> None:
        super().__init__(404, "No encontrado", detail)


class NoAutenticado(Problema):
    """401: no valid session or token."""

    def __init__(self, detail: str = "Inicie sesión para continuar.") -> None:
        super().__init__(401, "Sesión requerida", detail)


class SinPermiso(Problema):
    """403: authenticated but without the needed role."""

    def __init__(self, detail: str = "Su cuenta no tiene permiso para esta acción.") -> None:
        super().__init__(403, "Acceso denegado", detail)


class ProblemaResponse(JSONResponse):
    """A JSON response with the `application/problem+json` media type."""

    media_type = MEDIA_PROBLEMA


_TITULOS: dict[int, str] = {
    400: "Petición incorrecta",
    401: "Sesión requerida",
    403: "Acceso denegado",
    404: "No encontrado",
    405: "Método no permitido",
    406: "Formato no disponible",
    409: "Conflicto",
    410: "Ya no disponible",
    411: "Falta la longitud del cuerpo",
    412: "Condición no cumplida",
    413: "Cuerpo demasiado grande",
    415: "Tipo de contenido no admitido",
    422: "Datos no válidos",
    428: "Se requiere una condición",
    429: "Demasiadas peticiones",
    500: "Error interno",
    501: "No implementado",
    502: "Error de un servicio interno",
    503: "Servicio no disponible",
    504: "Tiempo de espera agotado",
}

# English texts that Starlette and FastAPI put in `detail`; anything else is the app's own Spanish.
_DETALLES_EN_INGLES: dict[str, str] = {
    "There was an error parsing the body": (
        "No se pudo leer el cuerpo de la petición; revise que su formato coincida con su "
        "Content-Type."
    ),
    "Not authenticated": "Inicie sesión o envíe un token en la cabecera Authorization.",
    "Invalid authentication credentials": "Las credenciales enviadas no son válidas.",
    "Missing boundary in multipart.": (
        "El formulario multipart no indica su separador (boundary) en el Content-Type."
    ),
}
# Framework messages that carry numbers: matched by their beginning.
_PREFIJOS_EN_INGLES: dict[str, str] = {
    "Too many fields": "El formulario tiene demasiados campos; envíe como máximo 1000.",
    "Too many files": "El formulario trae demasiados archivos; envíe como máximo 1000.",
}


def _traducir(detalle: str) -> str | None:
    """Spanish version of a known framework message, or None (never pass English through)."""
    if detalle in _DETALLES_EN_INGLES:
        return _DETALLES_EN_INGLES[detalle]
    return next((es for en, es in _PREFIJOS_EN_INGLES.items() if detalle.startswith(en)), None)


def _detalle_por_estado(request: Request, status: int) -> str:
    """Default Spanish detail for a bare HTTP status."""
    ruta = request.url.path
    match status:
        case 400:
            return "La petición no tiene el formato esperado; revísela e inténtelo de nuevo."
        case 401:
            return "Inicie sesión para continuar."
        case 403:
            return "Su cuenta no tiene permiso para esta acción."
        case 404:
            return f"No existe ninguna página ni recurso en «{ruta}»; revise la dirección."
        case 405:
            return f"La dirección «{ruta}» no admite el método {request.method}."
        case 406:
            return "No podemos responder en el formato solicitado en la cabecera Accept."
        case 415:
            return "El tipo de contenido enviado no se admite en esta dirección."
        case 429:
            return "Ha enviado demasiadas peticiones; espere un momento e inténtelo de nuevo."
        case 503:
            return "El servicio no está disponible por ahora; inténtelo de nuevo en unos minutos."
        case _:
            return f"La petición no pudo completarse (código {status})."


def quiere_html(request: Request) -> bool:
    """Whether the caller is a browser expecting a page: not `/api/`, and HTML preferred."""
    if es_api(request.url.path):
        return False
    if request.headers.get("hx-request") == "true":
        return True
    return _prefiere_html(request.headers.get("accept", ""))


def _prefiere_html(accept: str) -> bool:
    """Whether an Accept header ranks HTML strictly above JSON (`*/*` alone is not HTML)."""
    html = json = 0.0
    for rango in accept.split(","):
        tipo, _, parametros = rango.partition(";")
        calidad = 1.0
        for parametro in parametros.split(";"):
            clave, _, valor = parametro.partition("=")
            if clave.strip().lower() == "q":
                try:
                    calidad = float(valor)
                except ValueError:
                    calidad = 0.0
        tipo = tipo.strip().lower()
        if tipo in ("text/html", "application/xhtml+xml"):
            html = max(html, calidad)
        elif tipo == "application/json" or tipo.endswith("+json"):
            json = max(json, calidad)
    return html > json


def _ruta_siguiente(request: Request) -> str:
    """Local path to come back to after logging in."""
    if request.method in ("GET", "HEAD") and not request.headers.get("hx-request"):
        consulta = request.url.query
        return request.url.path + (f"?{consulta}" if consulta else "")
    # A form post or htmx call cannot be replayed: return to the page the user was on.
    origen = request.headers.get("hx-current-url") or request.headers.get("referer") or ""
    partes = urlsplit(origen)
    if partes.netloc and partes.netloc != request.url.netloc:
        return "/"
    ruta = partes.path or "/"
    if not ruta.startswith("/") or ruta.startswith("//"):
        return "/"
    return ruta + (f"?{partes.query}" if partes.query else "")


def url_login(request: Request) -> str:
    """Login page URL that brings the user back to the current page."""
    return f"{RUTA_LOGIN}?siguiente={quote(_ruta_siguiente(request), safe='/')}"


def traza_actual() -> str | None:
    """Trace id of the current span (32 hex digits), to quote in support reports."""
    contexto = trace.get_current_span().get_span_context()
    return format(contexto.trace_id, "032x") if contexto.is_valid else None


def respuesta_problema(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    tipo: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """Problem+json for API clients; an HTML page (or login redirect on 401) for browsers."""
    if quiere_html(request):
        if status == 401:
            if request.headers.get("hx-request") == "true":
                return Response(status_code=401, headers={"HX-Redirect": url_login(request)})
            return RedirectResponse(url_login(request), status_code=303)
        # Imported here because comun.web imports this module.
        from comun.web.plantillas import pagina_error

        return pagina_error(
            request, status=status, title=title, detail=detail, headers=headers, extra=extra
        )
    cabeceras = dict(headers or {})
    if status == 401:
        cabeceras.setdefault("WWW-Authenticate", 'Bearer realm="conoceles"')
    cuerpo = {
        "type": tipo,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **jsonable_encoder(extra),
    }
    return ProblemaResponse(cuerpo, status_code=status, headers=cabeceras)


async def _manejar_problema(request: Request, exc: Exception) -> Response:
    """Problema → its own status, title and detail."""
    if not isinstance(exc, Problema):
        raise exc
    return respuesta_problema(
        request, status=exc.status, title=exc.title, detail=exc.detail, tipo=exc.tipo, **exc.extra
    )


async def _manejar_http(request: Request, exc: Exception) -> Response:
    """Starlette/FastAPI HTTPException (unknown route, 405, …) → problem in Spanish."""
    if not isinstance(exc, HTTPException):
        raise exc
    status = exc.status_code
    if status in (204, 304):
        return Response(status_code=status, headers=exc.headers)
    original = exc.detail if isinstance(exc.detail, str) else ""
    if getattr(exc, "espanol", False):
        detalle = original
    else:
        detalle = _traducir(original) or _detalle_por_estado(request, status)
    titulo = _TITULOS.get(status, "Error")
    return respuesta_problema(
        request, status=status, title=titulo, detail=detalle, headers=exc.headers
    )


_ORIGENES = {
    "body": "cuerpo",
    "query": "consulta",
    "path": "ruta",
    "header": "cabecera",
    "cookie": "cookie",
}


def _nombre_campo(ubicacion: Sequence[Any]) -> str:
    """`("body", "persona", 0, "telefono")` → `persona[0].telefono`."""
    nombre = ""
    for parte in ubicacion[1:] if ubicacion and ubicacion[0] in _ORIGENES else ubicacion:
        if isinstance(parte, int):
            nombre += f"[{parte}]"
        else:
            nombre += f".{parte}" if nombre else str(parte)
    return nombre


def _opciones(esperado: Any) -> str:
    """Pydantic's «'a', 'b' or 'c'» in Spanish."""
    return str(esperado).replace(" or ", " o ")


def mensaje_validacion(error: Mapping[str, Any]) -> str:
    """One pydantic error in clear Spanish that says what is wrong and how to fix it."""
    tipo = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    campo = _nombre_campo(tuple(error.get("loc", ())))
    entrada = error.get("input")
    if tipo == "json_invalid":
        return "El cuerpo de la petición no es JSON válido."
    if tipo in ("value_error", "assertion_error") and "error" in ctx:
        # Our own validators raise ValueError with a complete Spanish sentence.
        return str(ctx["error"]).removeprefix("Assertion failed, ")
    if not campo:
        if tipo == "missing":
            return "Falta el cuerpo de la petición."
        if tipo in ("model_attributes_type", "dict_type", "model_type"):
            return "El cuerpo de la petición debe ser un objeto JSON."
        campo = "cuerpo"
    sujeto = f'El campo "{campo}"'
    match tipo:
        case "missing":
            return f"{sujeto} es obligatorio."
        case "extra_forbidden":
            return f'Campo no permitido: "{campo}".'
        case "int_type" | "int_parsing" | "int_from_float":
            return f"{sujeto} debe ser un número entero."
        case "float_type" | "float_parsing" | "decimal_type" | "decimal_parsing":
            return f"{sujeto} debe ser un número."
        case "finite_number":
            return f"{sujeto} debe ser un número finito."
        case "bool_type" | "bool_parsing":
            return f"{sujeto} debe ser verdadero o falso."
        case "string_type" | "string_unicode":
            return f"{sujeto} debe ser texto."
        case "string_too_short":
            minimo = ctx.get("min_length")
            return f"{sujeto} debe tener al menos {minimo} caracteres."
        case "string_too_long":
            maximo = ctx.get("max_length")
            recibido = f"; recibimos {len(entrada)}" if isinstance(entrada, str) else ""
            return f"{sujeto} debe tener como máximo {maximo} caracteres{recibido}."
        case "string_pattern_mismatch":
            return f"{sujeto} no tiene el formato esperado."
        case "too_short":
            return f"{sujeto} debe tener al menos {ctx.get('min_length')} elementos."
        case "too_long":
            return f"{sujeto} debe tener como máximo {ctx.get('max_length')} elementos."
        case "greater_than":
            return f"{sujeto} debe ser mayor que {ctx.get('gt')}."
        case "greater_than_equal":
            return f"{sujeto} debe ser mayor o igual que {ctx.get('ge')}."
        case "less_than":
            return f"{sujeto} debe ser menor que {ctx.get('lt')}."
        case "less_than_equal":
            return f"{sujeto} debe ser menor o igual que {ctx.get('le')}."
        case "multiple_of":
            return f"{sujeto} debe ser múltiplo de {ctx.get('multiple_of')}."
        case "literal_error" | "enum":
            return f"{sujeto} debe ser uno de: {_opciones(ctx.get('expected', ''))}."
        case "list_type" | "tuple_type" | "set_type" | "frozen_set_type" | "iterable_type":
            return f"{sujeto} debe ser una lista."
        case "dict_type" | "model_type" | "model_attributes_type" | "dataclass_type":
            return f"{sujeto} debe ser un objeto."
        case "date_type" | "date_parsing" | "date_from_datetime_parsing":
            return f"{sujeto} debe ser una fecha con el formato AAAA-MM-DD."
        case "date_from_datetime_inexact":
            return f"{sujeto} debe ser una fecha sin hora."
        case "datetime_type" | "datetime_parsing" | "datetime_from_date_parsing":
            return f"{sujeto} debe ser una fecha y hora (AAAA-MM-DDTHH:MM:SS)."
        case "timezone_aware":
            return f"{sujeto} debe indicar la zona horaria."
        case "time_type" | "time_parsing":
            return f"{sujeto} debe ser una hora con el formato HH:MM."
        case "uuid_type" | "uuid_parsing" | "uuid_version":
            return f"{sujeto} debe ser un identificador UUID."
        case "url_type" | "url_parsing" | "url_scheme" | "url_syntax_violation":
            return f"{sujeto} debe ser una dirección web válida, por ejemplo https://ejemplo.mx."
        case "url_too_long":
            return f"{sujeto} es una dirección web demasiado larga."
        case "bytes_type":
            return f"{sujeto} debe ser un archivo o datos binarios."
        case "bytes_too_long":
            return f"{sujeto} es demasiado grande."
        case "none_required":
            return f"{sujeto} debe estar vacío."
        case "union_tag_invalid" | "union_tag_not_found":
            return f"{sujeto} no indica un tipo válido."
        case _:
            return f"{sujeto} no es válido."


def errores_validacion(errores: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as `{campo, ubicacion, mensaje, tipo}` in Spanish (inputs never echoed)."""
    return [
        {
            "campo": _nombre_campo(tuple(error.get("loc", ()))),
            "ubicacion": _ORIGENES.get(str((error.get("loc") or ("",))[0]), ""),
            "mensaje": mensaje_validacion(error),
            "tipo": str(error.get("type", "")),
        }
        for error in errores
    ]


async def _manejar_validacion(request: Request, exc: Exception) -> Response:
    """RequestValidationError → 422 with a Spanish list of errors (400 for malformed JSON)."""
    if not isinstance(exc, RequestValidationError):
        raise exc
    errores = errores_validacion(exc.errors())
    if any(error["tipo"] == "json_invalid" for error in errores):
        return respuesta_problema(
            request,
            status=400,
            title="JSON no válido",
            detail="El cuerpo de la petición no es JSON válido.",
        )
    if len(errores) == 1:
        detalle = errores[0]["mensaje"]
    else:
        detalle = f"La petición tiene {len(errores)} errores; corríjalos e inténtelo de nuevo."
    return respuesta_problema(
        request, status=422, title="Datos no válidos", detail=detalle, errores=errores
    )


def respuesta_error_interno(request: Request, exc: BaseException) -> Response:
    """Generic 500 that never shows the exception; its trace id lets support find the log."""
    span = trace.get_current_span()
    if span.is_recording():
        span.record_exception(exc)
        span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
    traza = traza_actual()
    folio = f" indicando el folio {traza}" if traza else ""
    extra: dict[str, Any] = {"traza": traza} if traza else {}
    return respuesta_problema(
        request,
        status=500,
        title="Error interno",
        detail=(
            "Ocurrió un error inesperado y ya quedó registrado. Inténtelo de nuevo más tarde; "
            f"si el problema persiste, repórtelo a soporte{folio}."
        ),
        **extra,
    )


async def _manejar_inesperado(request: Request, exc: Exception) -> Response:
    """Last resort for exceptions raised outside CapturaErrores (Starlette re-raises them)."""
    logger.error("Error no controlado en %s %s", request.method, request.url.path, exc_info=exc)
    return respuesta_error_interno(request, exc)


async def respuesta_de_excepcion(request: Request, exc: Exception) -> Response:
    """The response the installed handlers would give for an exception."""
    if isinstance(exc, Problema):
        return await _manejar_problema(request, exc)
    if isinstance(exc, HTTPException):
        return await _manejar_http(request, exc)
    if isinstance(exc, RequestValidationError):
        return await _manejar_validacion(request, exc)
    return await _manejar_inesperado(request, exc)


# Starlette's own 500 handler re-raises after answering (the server then logs it twice and test
# clients raise); CapturaErrores answers, logs once with the stack trace, and stops there.
class CapturaErrores:
    """Pure ASGI middleware: any exception reaching it becomes a problem response, not a crash."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; turn an escaped exception into a problem if nothing was sent yet."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        iniciada = False

        async def enviar(mensaje: Message) -> None:
            nonlocal iniciada
            if mensaje["type"] == "http.response.start":
                iniciada = True
            await send(mensaje)

        try:
            await self.app(scope, receive, enviar)
        except Exception as exc:
            if iniciada:
                logger.error(
                    "Error después de iniciar la respuesta en %s %s",
                    scope.get("method"),
                    scope.get("path"),
                    exc_info=exc,
                )
                raise
            respuesta = await respuesta_de_excepcion(Request(scope), exc)
            await respuesta(scope, receive, send)


def instalar_manejadores(app: FastAPI) -> None:
    """Register the problem+json handlers and the CapturaErrores middleware (once per app)."""
    if getattr(app.state, "manejadores_instalados", False):
        return
    app.add_exception_handler(Problema, _manejar_problema)
    app.add_exception_handler(HTTPException, _manejar_http)
    app.add_exception_handler(RequestValidationError, _manejar_validacion)
    app.add_exception_handler(Exception, _manejar_inesperado)
    app.add_middleware(CapturaErrores)
    app.state.manejadores_instalados = True


def instalar_errores_de_dominio(app: FastAPI, errores: Mapping[type[Exception], int]) -> None:
    """Turn a service's domain errors into problems: the status given, the message as detail."""

    async def manejar(request: Request, exc: Exception) -> Response:
        status = next(s for tipo, s in errores.items() if isinstance(exc, tipo))
        titulo = _TITULOS.get(status, "Error")
        return respuesta_problema(request, status=status, title=titulo, detail=str(exc))

    for tipo in errores:
        app.add_exception_handler(tipo, manejar)
