"""JSON API of auditoria under /api/auditoria/v1."""

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from auditoria import handlers
from auditoria.adapters import HistorialRepository
from auditoria.config import Settings
from auditoria.domain import Entrada
from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio

ZONA = ZoneInfo(Settings().zona_horaria)


def repositorio(request: Request) -> HistorialRepository:
    """The history in this process's auditoria store."""
    return HistorialRepository(recursos_de(request, Servicio.AUDITORIA).store)


Repo = Annotated[HistorialRepository, Depends(repositorio)]
Administrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR))]
Pagina = Annotated[int, Query(ge=1, le=100_000, description="Página, desde 1.")]


class EntradaOut(BaseModel):
    """One line of the activity history: fecha, hora, usuario, módulo, acción."""

    model_config = ConfigDict(frozen=True)

    evento_id: str
    fecha: str
    hora: str
    usuario: str
    rol: str
    partido: str | None
    modulo: str
    accion: str
    sujeto: str

    @classmethod
    def de(cls, e: Entrada) -> "EntradaOut":
        """Entry → response model, in local time."""
        return cls(
            evento_id=e.evento_id,
            fecha=e.fecha(ZONA),
            hora=e.hora(ZONA),
            usuario=e.usuario,
            rol=e.rol,
            partido=e.partido,
            modulo=e.modulo,
            accion=e.accion,
            sujeto=e.sujeto,
        )


class HistorialOut(BaseModel):
    """A page of the history."""

    model_config = ConfigDict(frozen=True)

    total: int
    pagina: int
    entradas: list[EntradaOut]


router = APIRouter(prefix="/api/auditoria/v1", tags=["auditoria"])


@router.get("/historial")
async def historial(_usuario: Administrador, repo: Repo, pagina: Pagina = 1) -> HistorialOut:
    """The activity history, newest first, 100 entries a page."""
    entradas, total = await handlers.consultar(
        repo=repo, pagina=pagina, por_pagina=Settings().entradas_por_pagina
    )
    return HistorialOut(total=total, pagina=pagina, entradas=[EntradaOut.de(e) for e in entradas])
