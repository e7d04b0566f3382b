"""Pages of the public site: home, search, profile, ballots of a place, contests, comparison."""

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from comun.auth.dependencias import UsuarioOpcional
from comun.errores import NoEncontrado, Problema
from publicacion import handlers
from publicacion.api import (
    NO_PUBLICADA,
    RETIRADA,
    BusquedaQuery,
    Indice,
    LugarQuery,
    Repo,
)
from publicacion.domain import EstadoPerfil
from publicacion.domain.busqueda import Criterios, clave_contienda
from publicacion.http import consulta
from publicacion.territorio import territorio
from publicacion.web.plantillas import plantillas

router = APIRouter(include_in_schema=False)
PAGINA = HTMLResponse
MAXIMO_COMPARAR = 4


def _pagina(request: Request, plantilla: str, usuario: Any, **contexto: Any) -> HTMLResponse:
    """Render a public page with the election's catalog at hand."""
    contexto |= {"usuario": usuario, "territorio": territorio(), "eleccion": territorio().eleccion}
    return plantillas.TemplateResponse(request, f"publicacion/{plantilla}", contexto)


@router.api_route("/", methods=["GET", "HEAD"], response_class=PAGINA)
async def inicio(request: Request, repo: Repo, usuario: UsuarioOpcional) -> HTMLResponse:
    """Home: search, «who runs where I live», and what has been published so far."""
    resumen = await handlers.resumen_publico(repo=repo)
    return _pagina(request, "inicio.html", usuario, resumen=resumen)


@router.api_route("/candidaturas", methods=["GET", "HEAD"], response_class=PAGINA)
async def buscar(
    request: Request, repo: Repo, indice: Indice, usuario: UsuarioOpcional
) -> HTMLResponse:
    """Search results with their filters, paged; works without JavaScript."""
    busqueda = consulta(request, BusquedaQuery)
    total, vistas = await handlers.buscar_perfiles(
        repo=repo,
        indice=indice,
        criterios=busqueda.criterios(),
        pagina=busqueda.pagina,
        por_pagina=busqueda.por_pagina,
    )
    paginas = max(1, -(-total // busqueda.por_pagina))
    return _pagina(
        request,
        "busqueda.html",
        usuario,
        b=busqueda,
        total=total,
        resultados=vistas,
        paginas=paginas,
        titulo="Buscar candidaturas",
    )


@router.api_route("/candidaturas/{candidatura_id}", methods=["GET", "HEAD"], response_class=PAGINA)
async def perfil(
    request: Request, candidatura_id: str, repo: Repo, usuario: UsuarioOpcional
) -> HTMLResponse:
    """A candidacy's public profile: sections, takedowns, identity when public, change log."""
    vista = await _vista(repo, candidatura_id)
    return _pagina(request, "perfil.html", usuario, p=vista, titulo=vista["nombre"])


@router.api_route("/mi-boleta", methods=["GET", "HEAD"], response_class=PAGINA)
async def mi_boleta(request: Request, indice: Indice, usuario: UsuarioOpcional) -> HTMLResponse:
    """«¿Quiénes compiten en mi municipio o distrito?»: the contests on that place's ballots."""
    lugar = consulta(request, LugarQuery)
    municipio = territorio().municipio(lugar.municipio) if lugar.municipio else None
    if lugar.municipio and municipio is None:
        raise NoEncontrado(f"No hay un municipio con la clave «{lugar.municipio}».")
    distritos = list(municipio.distritos) if municipio else []
    if lugar.distrito:
        distritos.append(lugar.distrito)
    contiendas = await handlers.contiendas(
        indice=indice, municipio=lugar.municipio, distritos=distritos
    )
    return _pagina(
        request,
        "mi_boleta.html",
        usuario,
        lugar=lugar,
        municipio=municipio,
        distritos=sorted(set(distritos)),
        contiendas=contiendas,
        titulo="¿Quiénes compiten?",
    )


@router.api_route("/contiendas/{clave}", methods=["GET", "HEAD"], response_class=PAGINA)
async def contienda(
    request: Request, clave: str, repo: Repo, indice: Indice, usuario: UsuarioOpcional
) -> HTMLResponse:
    """Everyone with a public profile in one contest, to read or compare."""
    criterios = Criterios(contienda=clave[:80])
    total, vistas = await handlers.buscar_perfiles(
        repo=repo, indice=indice, criterios=criterios, pagina=1, por_pagina=500
    )
    if not total:
        raise NoEncontrado("No hay perfiles públicos en esa contienda.")
    return _pagina(
        request, "contienda.html", usuario, clave=clave, resultados=vistas, titulo="Contienda"
    )


class CompararQuery(BaseModel):
    """Two to four profiles of one contest."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[str, Field(max_length=80)]] = Field(
        min_length=2, max_length=MAXIMO_COMPARAR
    )


@router.api_route("/comparar", methods=["GET", "HEAD"], response_class=PAGINA)
async def comparar(request: Request, repo: Repo, usuario: UsuarioOpcional) -> HTMLResponse:
    """Side-by-side comparison of 2–4 candidacies of the same contest."""
    ids = request.query_params.getlist("ids")[: MAXIMO_COMPARAR + 1]
    try:
        pedido = CompararQuery(ids=list(dict.fromkeys(ids)))
    except ValidationError as exc:
        raise Problema(
            400,
            "Comparación no válida",
            f"Elija de 2 a {MAXIMO_COMPARAR} candidaturas distintas de la misma contienda.",
        ) from exc
    vistas = [await _vista(repo, i) for i in pedido.ids]
    if len({_contienda_de(v) for v in vistas}) > 1:
        raise Problema(
            400,
            "Comparación no válida",
            "Solo se comparan candidaturas que compiten por el mismo cargo y lugar.",
        )
    return _pagina(request, "comparar.html", usuario, perfiles=vistas, titulo="Comparar")


def _contienda_de(vista: dict[str, Any]) -> str:
    """The contest key of a view."""
    return clave_contienda(
        vista["cargo"], vista["principio"], vista.get("distrito"), vista.get("municipio")
    )


async def _vista(repo: Any, candidatura_id: str) -> dict[str, Any]:
    """The public view or the Spanish 404/410 page."""
    estado, vista = await handlers.perfil_publico(repo=repo, candidatura_id=candidatura_id[:80])
    if estado is EstadoPerfil.RETIRADO:
        raise Problema(410, "Perfil retirado", RETIRADA)
    if vista is None:
        raise NoEncontrado(NO_PUBLICADA)
    return vista
