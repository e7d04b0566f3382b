"""Static files (CSS, htmx, JS) served under each service's own prefix."""

import os
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from comun.rutas import prefijo_estaticos
from comun.servicios import Servicio

DIRECTORIO_ESTATICOS = Path(__file__).parent / "static"


class _Estaticos(StaticFiles):
    """StaticFiles whose versioned URLs (`?v=`) may be cached for a year."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        """Add Cache-Control: immutable for versioned URLs, revalidate otherwise."""
        respuesta = super().file_response(full_path, stat_result, scope, status_code)
        versionada = b"v=" in scope.get("query_string", b"")
        respuesta.headers["Cache-Control"] = (
            "public, max-age=31536000, immutable" if versionada else "no-cache"
        )
        return respuesta


def montar(app: FastAPI, servicio: Servicio, *, directorio: Path | None = None) -> None:
    """Mount comun's static files (after the service's own `directorio`, if any) for a service."""
    if directorio is not None:
        estaticos = _Estaticos(directory=directorio, packages=[("comun.web", "static")])
    else:
        estaticos = _Estaticos(directory=DIRECTORIO_ESTATICOS)
    prefijo = prefijo_estaticos(servicio)
    app.mount(prefijo, estaticos, name=f"static-{servicio.value}")
    if servicio is not Servicio.PUBLICACION:
        return
    # publicacion's pages live at "/" and use /static; /publicacion/static keeps the rule uniform.
    app.mount(f"/{servicio.value}/static", estaticos, name="static-publicacion-prefijo")
