"""JSON API of validacion under /api/validacion/v1."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.cifrado import Cifrador
from comun.roles import Rol
from comun.servicios import Servicio
from validacion import handlers
from validacion.adapters import Filtros, PublicacionRepository, RevisionRepository
from validacion.domain import EstadoRevision, Revision

MAX_POR_PAGINA = 500


def repositorio(request: Request) -> RevisionRepository:
    """The review queue in this process's validacion store."""
    recursos = recursos_de(request, Servicio.VALIDACION)
    return RevisionRepository(recursos.store, avisar_relay=recursos.avisar_relay)


def repositorio_publicacion(request: Request) -> PublicacionRepository:
    """The publication start date in this process's validacion store."""
    recursos = recursos_de(request, Servicio.VALIDACION)
    return PublicacionRepository(recursos.store, avisar_relay=recursos.avisar_relay)


def cifrador(request: Request) -> Cifrador:
    """The identity envelope cipher (same master key as captura)."""
    plataforma = recursos_de(request, Servicio.VALIDACION).plataforma
    return handlers.cifrador_de(plataforma.secreto_identidad())


Repo = Annotated[RevisionRepository, Depends(repositorio)]
RepoPublicacion = Annotated[PublicacionRepository, Depends(repositorio_publicacion)]
Cifra = Annotated[Cifrador, Depends(cifrador)]
Revisor = Annotated[
    Usuario,
    Depends(requiere_rol(Rol.SUPERVISOR, Rol.CANDIDATURA, Rol.ADMINISTRADOR, Rol.VERIFICADOR)),
]
Validador = Annotated[Usuario, Depends(requiere_rol(Rol.SUPERVISOR, Rol.CANDIDATURA))]
Administrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR))]


class RevisionOut(BaseModel):
    """A candidacy in the review queue."""

    model_config = ConfigDict(frozen=True)

    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    distrito: int | None = None
    municipio: str | None = None
    estado: str
    hallazgos: int = 0


class ColaOut(BaseModel):
    """One page of the review queue with the counts per state."""

    total: int
    pagina: int
    por_pagina: int
    conteos: dict[str, int]
    resultados: list[RevisionOut]


class CandidaturaOut(RevisionOut):
    """A candidacy's review: registry, questionnaires (identity only for who validates)."""

    registro: dict[str, Any]
    curricular: dict[str, Any] | None
    identidad: dict[str, Any] | None
    identidad_publica: bool
    consentimiento: dict[str, Any] | None
    campos_editados: list[str]
    fuera_de_plazo: bool
    enviada_en: datetime | None
    validada_en: datetime | None
    validada_por: str | None
    puede_validar: bool


class InicioPublicacionIn(BaseModel):
    """The publication start date; without a time zone it is central Mexico's time."""

    fecha: datetime


class InicioPublicacionOut(BaseModel):
    """When validated candidacies start being public (None: not set yet)."""

    fecha: datetime | None


router = APIRouter(prefix="/api/validacion/v1", tags=["validacion"])


def revision_out(r: Revision) -> RevisionOut:
    """Queue row of a review."""
    return RevisionOut(
        candidatura_id=r.candidatura_id,
        nombre=r.nombre,
        cargo=r.cargo,
        partido=r.partido,
        distrito=r.registro.get("distrito"),
        municipio=r.registro.get("municipio"),
        estado=r.estado.value,
        hallazgos=r.hallazgos,
    )


def candidatura_out(r: Revision, *, usuario: Usuario, cifrador: Cifrador) -> CandidaturaOut:
    """Whole review of a candidacy as this user may see it."""
    return CandidaturaOut(
        **revision_out(r).model_dump(),
        registro=r.registro,
        curricular=r.curricular,
        identidad=handlers.identidad_de(r, usuario=usuario, cifrador=cifrador),
        identidad_publica=r.identidad_publica,
        consentimiento=r.consentimiento,
        campos_editados=list(r.campos_editados),
        fuera_de_plazo=r.fuera_de_plazo,
        enviada_en=r.enviada_en,
        validada_en=r.validada_en,
        validada_por=r.validada_por,
        puede_validar=handlers.puede_validar(usuario, r),
    )


@router.get("/revisiones")
async def cola_de_revision(
    usuario: Revisor,
    repo: Repo,
    cargo: str | None = None,
    distrito: Annotated[int | None, Query(ge=1)] = None,
    municipio: str | None = None,
    estado: EstadoRevision | None = None,
    con_observaciones: bool | None = None,
    pagina: Annotated[int, Query(ge=1)] = 1,
    por_pagina: Annotated[int, Query(ge=1, le=MAX_POR_PAGINA)] = 50,
) -> ColaOut:
    """The queue the user may review, filtered, one page, with counts per state."""
    filtros = Filtros(cargo, distrito, municipio, estado, con_observaciones)
    cola = await handlers.cola_de_revision(
        repo=repo, usuario=usuario, filtros=filtros, pagina=pagina, por_pagina=por_pagina
    )
    return ColaOut(
        total=cola.total,
        pagina=cola.pagina,
        por_pagina=cola.por_pagina,
        conteos={e.value: n for e, n in cola.conteos.items()},
        resultados=[revision_out(r) for r in cola.resultados],
    )


@router.get("/candidaturas/{candidatura_id}")
async def candidatura(
    candidatura_id: str, usuario: Revisor, repo: Repo, cifra: Cifra
) -> CandidaturaOut:
    """One candidacy's review; identity answers only for its supervisor or the independent."""
    r = await handlers.revision_en_alcance(
        repo=repo, usuario=usuario, candidatura_id=candidatura_id
    )
    return candidatura_out(r, usuario=usuario, cifrador=cifra)


@router.post("/candidaturas/{candidatura_id}/validacion")
async def validar(
    candidatura_id: str,
    usuario: Validador,
    repo: Repo,
    publicacion: RepoPublicacion,
    cifra: Cifra,
) -> CandidaturaOut:
    """Validate the sent questionnaires (PTO 26–27)."""
    r = await handlers.validar(
        repo=repo, publicacion=publicacion, usuario=usuario, candidatura_id=candidatura_id
    )
    return candidatura_out(r, usuario=usuario, cifrador=cifra)


@router.get("/publicacion/inicio")
async def inicio_publicacion(
    _usuario: Revisor, publicacion: RepoPublicacion
) -> InicioPublicacionOut:
    """When validated candidacies start being public."""
    return InicioPublicacionOut(fecha=await publicacion.inicio())


@router.put("/publicacion/inicio")
async def fijar_inicio_publicacion(
    cuerpo: InicioPublicacionIn, usuario: Administrador, publicacion: RepoPublicacion
) -> InicioPublicacionOut:
    """Set the publication start date (PTO 14)."""
    fecha = await handlers.fijar_inicio_publicacion(
        publicacion=publicacion, usuario=usuario, fecha=cuerpo.fecha
    )
    return InicioPublicacionOut(fecha=fecha)
