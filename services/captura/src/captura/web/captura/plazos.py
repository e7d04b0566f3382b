"""Capture deadlines for the administrator: one candidacy's extension or a whole party's."""

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura.api import Administrador, EleccionActual, Repo
from captura.domain import Eleccion, ErrorDominio
from captura.handlers import plazos as h_plazos
from captura.web.captura.paginas import en_alcance, pagina, router, url_de, vista_plazo
from captura.web.vistas import MESES, cifra


@router.post("/candidaturas/{candidatura_id}/plazo", response_class=HTMLResponse)
async def prorrogar(
    request: Request,
    candidatura_id: str,
    usuario: Administrador,
    repo: Repo,
    eleccion: EleccionActual,
    hasta: Annotated[date, Form()],
    motivo: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Extend one candidacy's deadline with a logged reason."""
    c = await en_alcance(repo, candidatura_id, usuario)
    try:
        await h_plazos.prorrogar_plazo(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=c.id,
            hasta=h_plazos.dia_de(hasta), motivo=motivo,
        )  # fmt: skip
    except ErrorDominio as error:
        contexto = {"titulo": "No se prorrogó el plazo", "c": c, "error": str(error),
                    "base": url_de(c), "plazo": vista_plazo(c, eleccion), "motivo": motivo,
                    "hasta": hasta.isoformat()}  # fmt: skip
        return pagina(request, "prorroga.html", contexto, 422)
    return RedirectResponse(f"{url_de(c)}?prorroga=1", status_code=303)


def _pagina_plazos(
    request: Request, eleccion: Eleccion, *, status: int = 200, **extra: Any
) -> Response:
    """The form to extend every open candidacy of a party."""
    contexto = {
        "titulo": "Prorrogar plazos de captura",
        "partidos": [(p.siglas, f"{p.siglas} – {p.nombre}") for p in eleccion.partidos.values()],
        **extra,
    }
    return pagina(request, "plazos.html", contexto, status)


@router.get("/plazos", response_class=HTMLResponse)
async def plazos(request: Request, usuario: Administrador, eleccion: EleccionActual) -> Response:
    """Extend the deadline of a party's open candidacies."""
    return _pagina_plazos(request, eleccion)


@router.post("/plazos", response_class=HTMLResponse)
async def prorrogar_partido(
    request: Request,
    usuario: Administrador,
    repo: Repo,
    eleccion: EleccionActual,
    partido: Annotated[str, Form(max_length=20)],
    hasta: Annotated[date, Form()],
    motivo: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Extend every open candidacy of a party; the page says how many."""
    valores = {"partido": partido, "hasta": hasta.isoformat(), "motivo": motivo}
    if partido not in eleccion.partidos:
        error = f"«{partido}» no es un partido de la elección; elija uno de la lista."
        return _pagina_plazos(request, eleccion, status=422, error=error, valores=valores)
    try:
        hecha = await h_plazos.prorrogar_plazos_de_partido(
            repo=repo, eleccion=eleccion, usuario=usuario, partido=partido,
            hasta=h_plazos.dia_de(hasta), motivo=motivo,
        )  # fmt: skip
    except ErrorDominio as error:
        return _pagina_plazos(request, eleccion, status=422, error=str(error), valores=valores)
    cuantas = hecha.prorrogadas
    hecho = (
        f"Se prorrogó el plazo de {cifra(cuantas)} candidatura{'s' if cuantas != 1 else ''} "
        f"de {partido} hasta el {hasta.day} de {MESES[hasta.month - 1]} de {hasta.year}."
        if cuantas
        else f"{partido} no tiene candidaturas abiertas con plazo corriendo; no se cambió nada."
    )
    if hecha.omitidas:
        hecho += f" {cifra(hecha.omitidas)} se enviaron a validación mientras tanto y no cambian."
    return _pagina_plazos(request, eleccion, hecho=hecho)
