"""Public JSON API of publicacion under /api/publicacion/v1 (no account needed)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from comun.app import recursos_de
from comun.errores import NoEncontrado, Problema
from comun.eventos.contenido import RespuestasCurriculares
from comun.eventos.vocabulario import Cargo, GradoEstudios, Sexo
from comun.servicios import Servicio
from publicacion import handlers
from publicacion.adapters import PerfilRepository
from publicacion.domain import EstadoPerfil
from publicacion.domain.busqueda import Criterios
from publicacion.http import PREFLIGHT, consulta, json_publico
from publicacion.indice import IndicePublico, indice_de
from publicacion.territorio import territorio

NO_PUBLICADA = (
    "No hay un perfil público con ese identificador. Los perfiles se publican cuando la "
    "candidatura se valida y llega la fecha de inicio de publicación."
)
PREFIJO = "/api/publicacion/v1"
RETIRADA = "La candidatura fue sustituida o cancelada en el registro; su perfil ya no se publica."


def repositorio(request: Request) -> PerfilRepository:
    """The read model in this process's publicacion store."""
    return PerfilRepository(recursos_de(request, Servicio.PUBLICACION).store)


Repo = Annotated[PerfilRepository, Depends(repositorio)]


class ResumenOut(BaseModel):
    """Public counts of the election."""

    model_config = ConfigDict(frozen=True)

    candidaturas_registradas: int
    perfiles_publicados: int


class MotivoOut(BaseModel):
    """A takedown's reason code and the text the public reads."""

    motivo: str
    explicacion: str


class CampoDeshabilitadoOut(MotivoOut):
    """A field a verifier disabled: its text is not published."""

    campo: str


class CampoCambiadoOut(BaseModel):
    """One field of an applied change request."""

    campo: str
    anterior: str | None
    nuevo: str | None
    deshabilitado: bool = Field(description="The field is disabled now: neither text is shown.")


class CambioOut(BaseModel):
    """An applied change request in the public change log (PTO 31–32)."""

    solicitud_id: str
    fecha: str
    campos: list[CampoCambiadoOut]


class RegistroOut(BaseModel):
    """What the registry says of a public candidacy, and whether it was taken down."""

    model_config = ConfigDict(extra="ignore")

    id: str
    url: str
    estado: str = Field(description="publicado, or deshabilitado when a verifier took it down.")
    eleccion: str
    nombre: str
    sobrenombre: str | None
    cargo: str
    principio: str
    distrito: int | None
    municipio: str | None
    nombre_municipio: str | None
    posicion: int | None
    tipo_candidatura: str
    postulante: str
    partido: str | None
    partidos: list[str]
    nombre_postulante: str | None
    clave_postulante: str | None
    sexo: str
    edad: int | None
    accion_afirmativa: str | None
    publicado_en: str | None
    actualizado_en: str | None
    deshabilitado: MotivoOut | None


class PerfilOut(RegistroOut):
    """A public profile: registry data, curricular answers, identity when public, change log."""

    curricular: RespuestasCurriculares | None = Field(
        description="None for a disabled profile; a disabled field is None (see below)."
    )
    contenido_deshabilitado: list[CampoDeshabilitadoOut]
    identidad: dict[str, Any] | None = Field(
        description="Identity answers, only with consent to publish or an acción afirmativa."
    )
    cambios: list[CambioOut]


class CambiosOut(RootModel[list[CambioOut]]):
    """A profile's change log."""


class FichaOut(RegistroOut):
    """A profile's card in a list: who runs for what; the whole profile is at `api_url`."""

    api_url: str
    grado_maximo_estudios: str | None
    fotografia: str | None
    identidad_publica: bool = Field(description="The full profile carries identity answers.")

    @classmethod
    def de_vista(cls, vista: dict[str, Any]) -> "FichaOut":
        """The card of a public view (a disabled field stays None here too)."""
        curricular = vista.get("curricular") or {}
        return cls.model_validate(
            {
                **vista,
                "api_url": f"{PREFIJO}/candidaturas/{vista['id']}",
                "grado_maximo_estudios": curricular.get("grado_maximo_estudios"),
                "fotografia": curricular.get("fotografia"),
                "identidad_publica": vista.get("identidad") is not None,
            }
        )


class PaginaOut(BaseModel):
    """One page of public profiles, as cards."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[FichaOut]


class BusquedaQuery(BaseModel):
    """Search, filters and paging of the public list (unknown parameters are refused)."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=100, description="Nombre o sobrenombre.")
    cargo: Cargo | None = None
    distrito: int | None = Field(default=None, ge=1, le=999)
    municipio: str | None = Field(default=None, max_length=10, pattern=r"^\d{1,10}$")
    partido: str | None = Field(default=None, max_length=20)
    sexo: Sexo | None = None
    estudios: GradoEstudios | None = None
    edad_min: int | None = Field(default=None, ge=18, le=120)
    edad_max: int | None = Field(default=None, ge=18, le=120)
    accion_afirmativa: bool | None = None
    contienda: str | None = Field(default=None, max_length=80)
    pagina: int = Field(default=1, ge=1, le=10_000)
    por_pagina: int = Field(default=20, ge=1, le=100)

    @model_validator(mode="after")
    def _rango_de_edad(self) -> "BusquedaQuery":
        if self.edad_min and self.edad_max and self.edad_min > self.edad_max:
            raise ValueError("La edad mínima no puede ser mayor que la edad máxima.")
        return self

    def criterios(self) -> Criterios:
        """Query → search criteria."""
        return Criterios(
            q=self.q,
            cargo=_valor(self.cargo),
            distrito=self.distrito,
            municipio=self.municipio,
            partido=self.partido,
            sexo=_valor(self.sexo),
            estudios=_valor(self.estudios),
            edad_min=self.edad_min,
            edad_max=self.edad_max,
            accion_afirmativa=self.accion_afirmativa,
            contienda=self.contienda,
        )


class LugarQuery(BaseModel):
    """A place whose ballots to show: a municipality (INEGI key) or a district."""

    model_config = ConfigDict(extra="forbid")

    municipio: str | None = Field(default=None, max_length=10, pattern=r"^\d{1,10}$")
    distrito: int | None = Field(default=None, ge=1, le=999)


class ContiendaOut(BaseModel):
    """A contest and how many public profiles run in it."""

    clave: str
    cargo: str
    principio: str
    distrito: int | None
    municipio: str | None
    nombre_municipio: str | None
    candidaturas: int


class ContiendasOut(BaseModel):
    """The contests of a place (or all of them)."""

    resultados: list[ContiendaOut]


def _valor(codigo: Any) -> str | None:
    return None if codigo is None else str(codigo.value)


def indice(request: Request) -> IndicePublico:
    """This process's search index."""
    return indice_de(recursos_de(request, Servicio.PUBLICACION).store)


Indice = Annotated[IndicePublico, Depends(indice)]
router = APIRouter(prefix=PREFIJO, tags=["publicacion"])
Respuesta404: dict[int | str, dict[str, Any]] = {404: {"description": "No existe o no es público."}}


@router.options("/{ruta:path}", include_in_schema=False)
async def preflight(ruta: str) -> Response:
    """CORS preflight: any origin may read the public API."""
    return Response(status_code=204, headers=PREFLIGHT)


@router.get("/resumen", response_model=ResumenOut)
async def resumen(request: Request, repo: Repo) -> Response:
    """How many candidacies are registered and how many profiles are published."""
    datos = await handlers.resumen_publico(repo=repo)
    salida = ResumenOut(
        candidaturas_registradas=datos.registradas, perfiles_publicados=datos.publicadas
    )
    return json_publico(request, salida)


@router.get("/candidaturas", response_model=PaginaOut)
async def candidaturas(request: Request, repo: Repo, indice: Indice) -> Response:
    """Profile cards: search by name (accents, case and small typos forgiven) and filters."""
    busqueda = consulta(request, BusquedaQuery)
    total, vistas = await handlers.buscar_perfiles(
        repo=repo,
        indice=indice,
        criterios=busqueda.criterios(),
        pagina=busqueda.pagina,
        por_pagina=busqueda.por_pagina,
    )
    pagina = PaginaOut(
        total=total,
        pagina=busqueda.pagina,
        por_pagina=busqueda.por_pagina,
        resultados=[FichaOut.de_vista(v) for v in vistas],
    )
    return json_publico(request, pagina)


@router.get(
    "/candidaturas/{candidatura_id}",
    response_model=PerfilOut,
    responses={**Respuesta404, 410: {"description": "Sustituida o cancelada."}},
)
async def candidatura(
    request: Request, candidatura_id: Annotated[str, Path(max_length=80)], repo: Repo
) -> Response:
    """One public profile, with its takedowns and its change log."""
    return json_publico(request, await _perfil(repo, candidatura_id))


@router.get(
    "/candidaturas/{candidatura_id}/cambios", response_model=list[CambioOut], responses=Respuesta404
)
async def cambios(
    request: Request, candidatura_id: Annotated[str, Path(max_length=80)], repo: Repo
) -> Response:
    """The public change log of one profile (applied change requests, oldest first)."""
    perfil = await _perfil(repo, candidatura_id)
    return json_publico(request, CambiosOut(perfil.cambios))


@router.get("/contiendas", response_model=ContiendasOut)
async def lista_contiendas(request: Request, indice: Indice) -> Response:
    """Contests with public profiles; with `municipio` or `distrito`, those on its ballots."""
    lugar = consulta(request, LugarQuery)
    distritos = [lugar.distrito] if lugar.distrito else []
    if lugar.municipio:
        municipio = territorio().municipio(lugar.municipio)
        if municipio is None:
            raise NoEncontrado(f"No hay un municipio con la clave «{lugar.municipio}».")
        distritos += list(municipio.distritos)
    encontradas = await handlers.contiendas(
        indice=indice, municipio=lugar.municipio, distritos=distritos
    )
    salida = ContiendasOut(resultados=[ContiendaOut.model_validate(c, from_attributes=True)
                                       for c in encontradas])  # fmt: skip
    return json_publico(request, salida)


async def _perfil(repo: PerfilRepository, candidatura_id: str) -> PerfilOut:
    """The public profile or the Spanish 404/410."""
    estado, vista = await handlers.perfil_publico(repo=repo, candidatura_id=candidatura_id)
    if estado is EstadoPerfil.RETIRADO:
        raise Problema(410, "Perfil retirado", RETIRADA)
    if vista is None:
        raise NoEncontrado(NO_PUBLICADA)
    return PerfilOut.model_validate(vista)
