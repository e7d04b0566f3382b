"""HTTP plumbing of the public API: cacheable JSON with ETag, 304s, CORS and query checks."""

import hashlib
from typing import Any, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel, ValidationError

from comun.errores import Problema, errores_validacion

M = TypeVar("M", bound=BaseModel)
MAXIMO_CONSULTA = 2048
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Disposition",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, Accept",
    "Access-Control-Max-Age": "86400",
}


def json_publico(request: Request, modelo: BaseModel, *, max_age: int = 60) -> Response:
    """The model as JSON with a strong ETag; 304 when the client already holds it."""
    cuerpo = modelo.model_dump_json().encode()
    etag = '"' + hashlib.sha256(cuerpo).hexdigest()[:32] + '"'
    cabeceras = {**CORS, "ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if etag in _etiquetas(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=cabeceras)
    return Response(cuerpo, media_type="application/json", headers=cabeceras)


def _etiquetas(cabecera: str) -> set[str]:
    """The entity tags of an If-None-Match header (weak ones compare by their value)."""
    if cabecera.strip() == "*":
        return {"*"}
    return {e.strip().removeprefix("W/") for e in cabecera.split(",") if e.strip()}


def consulta(request: Request, modelo: type[M]) -> M:
    """Query parameters → model; a bad or oversized query is a Spanish 400 / 414."""
    if len(request.url.query) > MAXIMO_CONSULTA:
        raise Problema(
            414,
            "Consulta demasiado larga",
            f"La consulta tiene {len(request.url.query)} caracteres; el máximo es "
            f"{MAXIMO_CONSULTA}. Use menos filtros o palabras.",
        )
    valores: dict[str, Any] = {}
    for clave, valor in request.query_params.multi_items():
        valores.setdefault(clave, []).append(valor)
    planos = {k: v if k in _listas(modelo) else v[-1] for k, v in valores.items()}
    try:
        return modelo.model_validate(planos)
    except ValidationError as exc:
        errores = errores_validacion([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()])
        detalle = (
            errores[0]["mensaje"]
            if len(errores) == 1
            else (f"La consulta tiene {len(errores)} parámetros no válidos.")
        )
        raise Problema(400, "Parámetros no válidos", detalle, errores=errores) from exc


def _listas(modelo: type[BaseModel]) -> set[str]:
    """Fields of the model that take repeated parameters (lists)."""
    return {n for n, c in modelo.model_fields.items() if "list" in str(c.annotation)}
