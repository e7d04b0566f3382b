"""JSON API of validacion under /api/validacion/v1."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from validacion import handlers
from validacion.adapters import RevisionRepository


def repositorio(request: Request) -> RevisionRepository:
    """The review queue in this process's validacion store."""
    return RevisionRepository(recursos_de(request, Servicio.VALIDACION).store)


Repo = Annotated[RevisionRepository, Depends(repositorio)]
Revisor = Annotated[
    Usuario,
    Depends(requiere_rol(Rol.SUPERVISOR, Rol.CANDIDATURA, Rol.ADMINISTRADOR, Rol.VERIFICADOR)),
]


class RevisionOut(BaseModel):
    """A candidacy in the review queue."""

    model_config = ConfigDict(frozen=True)

    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    estado: str


router = APIRouter(prefix="/api/validacion/v1", tags=["validacion"])


@router.get("/revisiones")
async def revisiones(usuario: Revisor, repo: Repo) -> list[RevisionOut]:
    """The queue the user may review."""
    cola = await handlers.cola_de_revision(repo=repo, usuario=usuario)
    return [
        RevisionOut(
            candidatura_id=r.candidatura_id,
            nombre=r.nombre,
            cargo=r.cargo,
            partido=r.partido,
            estado=r.estado.value,
        )
        for r in cola
    ]
