"""Public JSON API of publicacion under /api/publicacion/v1 (no account needed)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict

from comun.app import recursos_de
from comun.servicios import Servicio
from publicacion import handlers
from publicacion.adapters import RegistroRepository


def repositorio(request: Request) -> RegistroRepository:
    """The read model in this process's publicacion store."""
    return RegistroRepository(recursos_de(request, Servicio.PUBLICACION).store)


Repo = Annotated[RegistroRepository, Depends(repositorio)]


class PartidoOut(BaseModel):
    """Candidacies of one postulating party."""

    model_config = ConfigDict(frozen=True)

    partido: str
    candidaturas: int


class ResumenOut(BaseModel):
    """Public counts of the election."""

    model_config = ConfigDict(frozen=True)

    candidaturas_registradas: int
    perfiles_publicados: int
    por_partido: list[PartidoOut]


router = APIRouter(prefix="/api/publicacion/v1", tags=["publicacion"])


@router.get("/resumen")
async def resumen(repo: Repo) -> ResumenOut:
    """How many candidacies are registered and how many profiles are published."""
    datos = await handlers.resumen_publico(repo=repo)
    return ResumenOut(
        candidaturas_registradas=datos.registradas,
        perfiles_publicados=datos.publicadas,
        por_partido=[PartidoOut(partido=p, candidaturas=n) for p, n in datos.por_partido],
    )
