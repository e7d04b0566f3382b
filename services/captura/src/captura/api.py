"""JSON API of captura under /api/captura/v1."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from captura import handlers
from captura.adapters import CandidaturaRepository
from captura.config import Settings
from captura.domain import Candidatura, Registro
from comun.app import recursos_de
from comun.auth.dependencias import actor_de, requiere_rol
from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
from comun.eventos.vocabulario import (
    AccionAfirmativa,
    Cargo,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)
from comun.roles import Rol
from comun.servicios import Servicio

ROLES_CAPTURA = (Rol.ADMINISTRADOR, Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA)


def repositorio(request: Request) -> CandidaturaRepository:
    """A repository bound to this process's captura store (one per request)."""
    recursos = recursos_de(request, Servicio.CAPTURA)
    return CandidaturaRepository(recursos.store, avisar_relay=recursos.avisar_relay)


Repo = Annotated[CandidaturaRepository, Depends(repositorio)]
Capturista = Annotated[Usuario, Depends(requiere_rol(*ROLES_CAPTURA))]


class CandidaturaOut(BaseModel):
    """A candidacy as the capture team sees it."""

    model_config = ConfigDict(frozen=True)

    id: str
    nombre: str
    cargo: str
    principio: str
    distrito: int | None
    municipio: str | None
    tipo_candidatura: str
    partido: str | None
    estado: str
    version: int

    @classmethod
    def de(cls, c: Candidatura) -> "CandidaturaOut":
        """Aggregate → response model."""
        r = c.registro
        return cls(
            id=c.id,
            nombre=r.nombre,
            cargo=r.cargo.value,
            principio=r.principio.value,
            distrito=r.distrito,
            municipio=r.municipio,
            tipo_candidatura=r.tipo_candidatura.value,
            partido=r.partido,
            estado=c.estado.value,
            version=c.version,
        )


class CandidaturaIn(BaseModel):
    """A candidacy of the registration system, as the institute registers it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    nombre: str = Field(min_length=1, max_length=200)
    cargo: Cargo
    principio: Principio
    tipo_candidatura: TipoCandidatura
    postulante: Postulante
    sexo: Sexo
    fecha_nacimiento: date
    partido: str | None = Field(default=None, min_length=1, max_length=20)
    distrito: int | None = Field(default=None, ge=1, le=99)
    municipio: str | None = Field(default=None, min_length=1, max_length=100)
    posicion: int | None = Field(default=None, ge=1, le=99)
    accion_afirmativa: AccionAfirmativa | None = None

    def registro(self, *, eleccion: str) -> Registro:
        """Request body → the domain's registry data."""
        return Registro(eleccion=eleccion, **self.model_dump(exclude={"id"}))


router = APIRouter(prefix="/api/captura/v1", tags=["captura"])
Administrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR))]


@router.post("/candidaturas", status_code=201)
async def registrar(datos: CandidaturaIn, usuario: Administrador, repo: Repo) -> CandidaturaOut:
    """Register one candidacy of the registration system (the institute's staff)."""
    ajustes = Settings()
    candidatura = await handlers.registrar_candidatura(
        repo=repo,
        id=datos.id,
        registro=datos.registro(eleccion=ajustes.eleccion),
        fecha_jornada=ajustes.fecha_jornada,
        actor=actor_de(usuario),
    )
    return CandidaturaOut.de(candidatura)


@router.get("/candidaturas")
async def listar(usuario: Capturista, repo: Repo) -> list[CandidaturaOut]:
    """Candidacies in the user's scope."""
    candidaturas = await handlers.candidaturas_visibles(repo=repo, usuario=usuario)
    return [CandidaturaOut.de(c) for c in candidaturas]


@router.get("/candidaturas/{candidatura_id}")
async def obtener(candidatura_id: str, usuario: Capturista, repo: Repo) -> CandidaturaOut:
    """One candidacy; out of scope looks like missing."""
    candidatura = await handlers.obtener_candidatura(repo=repo, id=candidatura_id, usuario=usuario)
    if candidatura is None:
        raise NoEncontrado()
    return CandidaturaOut.de(candidatura)
