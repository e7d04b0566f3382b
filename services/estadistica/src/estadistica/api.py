"""JSON API of estadistica under /api/estadistica/v1."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from estadistica import handlers
from estadistica.adapters import PerfilRepository
from estadistica.domain import SEXOS


def repositorio(request: Request) -> PerfilRepository:
    """Statistics inputs in this process's estadistica store."""
    return PerfilRepository(recursos_de(request, Servicio.ESTADISTICA).store)


Repo = Annotated[PerfilRepository, Depends(repositorio)]
# Per-party counts are not yet under disclosure control, so only institute staff see them.
Personal = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR, Rol.VERIFICADOR))]


class FilaOut(BaseModel):
    """Candidacies of one party by sex."""

    model_config = ConfigDict(frozen=True)

    partido: str
    por_sexo: dict[str, int]
    total: int


router = APIRouter(prefix="/api/estadistica/v1", tags=["estadistica"])


@router.get("/candidaturas-por-partido")
async def candidaturas_por_partido(_usuario: Personal, repo: Repo) -> list[FilaOut]:
    """Registered candidacies per party and sex."""
    filas = await handlers.candidaturas_por_partido(repo=repo)
    return [
        FilaOut(
            partido=f.partido, por_sexo=dict(zip(SEXOS, f.por_sexo, strict=True)), total=f.total
        )
        for f in filas
    ]
