"""Public JSON API of publicacion under /api/publicacion/v1 (no account needed)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from comun.app import recursos_de
from comun.errores import NoEncontrado, Problema
from comun.eventos.contenido import RespuestasCurriculares
from comun.eventos.vocabulario import Cargo, Sexo
from comun.servicios import Servicio
from publicacion import handlers
from publicacion.adapters import PerfilRepository
from publicacion.domain import EstadoPerfil

NO_PUBLICADA = (
    "No hay un perfil público con ese identificador. Los perfiles se publican cuando la "
    "candidatura se valida y llega la fecha de inicio de publicación."
)
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


class PerfilOut(BaseModel):
    """A public profile: registry data, curricular answers, identity when public, change log."""

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
    curricular: RespuestasCurriculares | None = Field(
        description="None for a disabled profile; a disabled field is None (see below)."
    )
    contenido_deshabilitado: list[CampoDeshabilitadoOut]
    identidad: dict[str, Any] | None = Field(
        description="Identity answers, only with consent to publish or an acción afirmativa."
    )
    cambios: list[CambioOut]


class PaginaOut(BaseModel):
    """One page of public profiles."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[PerfilOut]


class FiltrosQuery(BaseModel):
    """Filters and paging of the public list."""

    model_config = ConfigDict(extra="forbid")

    cargo: Cargo | None = None
    distrito: int | None = Field(default=None, ge=1, le=999)
    municipio: str | None = Field(default=None, max_length=10)
    partido: str | None = Field(default=None, max_length=20)
    sexo: Sexo | None = None
    pagina: int = Field(default=1, ge=1, le=100_000)
    por_pagina: int = Field(default=20, ge=1, le=100)

    def filtro(self) -> dict[str, Any]:
        """Query → store filter on the read model's query fields."""
        campos = {
            "cargo": self.cargo,
            "distrito": self.distrito,
            "municipio": self.municipio,
            "partido": self.partido,
            "sexo": self.sexo,
        }
        return {k: getattr(v, "value", v) for k, v in campos.items() if v is not None}


router = APIRouter(prefix="/api/publicacion/v1", tags=["publicacion"])


@router.get("/resumen")
async def resumen(repo: Repo) -> ResumenOut:
    """How many candidacies are registered and how many profiles are published."""
    datos = await handlers.resumen_publico(repo=repo)
    return ResumenOut(
        candidaturas_registradas=datos.registradas, perfiles_publicados=datos.publicadas
    )


@router.get("/candidaturas")
async def candidaturas(repo: Repo, consulta: Annotated[FiltrosQuery, Query()]) -> PaginaOut:
    """Public profiles, filtered and paged, in name order."""
    total, vistas = await handlers.perfiles_publicos(
        repo=repo, filtro=consulta.filtro(), pagina=consulta.pagina, por_pagina=consulta.por_pagina
    )
    return PaginaOut(
        total=total,
        pagina=consulta.pagina,
        por_pagina=consulta.por_pagina,
        resultados=[PerfilOut.model_validate(v) for v in vistas],
    )


@router.get("/candidaturas/{candidatura_id}", responses={404: {}, 410: {}})
async def candidatura(candidatura_id: Annotated[str, Path(max_length=80)], repo: Repo) -> PerfilOut:
    """One public profile."""
    estado, vista = await handlers.perfil_publico(repo=repo, candidatura_id=candidatura_id)
    if estado is EstadoPerfil.RETIRADO:
        raise Problema(410, "Perfil retirado", RETIRADA)
    if vista is None:
        raise NoEncontrado(NO_PUBLICADA)
    return PerfilOut.model_validate(vista)
