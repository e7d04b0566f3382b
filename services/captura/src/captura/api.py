"""JSON API of captura under /api/captura/v1."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict

from captura import handlers
from captura.adapters import CandidaturaRepository
from captura.domain import Candidatura
from comun.app import recursos_de
from comun.auth.alcance import verificar_alcance
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
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


router = APIRouter(prefix="/api/captura/v1", tags=["captura"])


@router.get("/candidaturas")
async def listar(usuario: Capturista, repo: Repo) -> list[CandidaturaOut]:
    """Candidacies in the user's scope."""
    candidaturas = await handlers.candidaturas_visibles(repo=repo, usuario=usuario)
    return [CandidaturaOut.de(c) for c in candidaturas]


@router.get("/candidaturas/{candidatura_id}")
async def obtener(candidatura_id: str, usuario: Capturista, repo: Repo) -> CandidaturaOut:
    """One candidacy; out of scope looks like missing."""
    candidatura = await repo.obtener(candidatura_id)
    if candidatura is None:
        raise NoEncontrado("No existe una candidatura con ese identificador.")
    verificar_alcance(usuario, partido=candidatura.registro.partido, candidatura_id=candidatura.id)
    return CandidaturaOut.de(candidatura)
