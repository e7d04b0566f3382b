"""The capture team's list of its candidacies under /captura/mis-candidaturas."""

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura.api import Capturista, EleccionActual, Repo
from captura.domain import EstadoCandidatura
from captura.handlers import cuestionarios as h
from captura.web.captura.paginas import (
    ABIERTAS,
    captura_equipo,
    pagina,
    router,
    url_de,
    vista_plazo,
)
from captura.web.vistas import PREFIJO, FiltrosPagina, fila_lista, pagina_de_candidaturas
from comun.eventos.vocabulario import etiqueta

Filtros = Annotated[FiltrosPagina, Query()]


@router.get("/mis-candidaturas", response_class=HTMLResponse)
async def mis_candidaturas(
    request: Request, usuario: Capturista, repo: Repo, eleccion: EleccionActual, filtros: Filtros
) -> Response:
    """The user's candidacies with progress, state and deadline, filtered and paged."""
    if not captura_equipo(usuario):
        return RedirectResponse(f"{PREFIJO}/candidaturas", status_code=303)
    encontradas, paginacion = await pagina_de_candidaturas(
        repo, usuario, eleccion, filtros, ruta="/mis-candidaturas"
    )
    filas = [
        {**fila_lista(c, eleccion), "url": url_de(c), "avance": h.avance_de(c),
         "plazo": vista_plazo(c, eleccion), "enviada": c.estado not in ABIERTAS}
        for c in encontradas
    ]  # fmt: skip
    contexto = {
        "titulo": "Mis candidaturas",
        "filas": filas,
        **paginacion,
        "estados": [(s.value, etiqueta(s)) for s in EstadoCandidatura],
    }
    return pagina(request, "mis_candidaturas.html", contexto)
