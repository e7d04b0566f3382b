"""JSON API of notices under /api/validacion/v1/avisos."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from validacion.adapters.avisos import AvisoRepository
from validacion.domain.avisos import Aviso
from validacion.handlers import avisos as handlers


def avisos_de(request: Request) -> AvisoRepository:
    """The notices in this process's validacion store."""
    recursos = recursos_de(request, Servicio.VALIDACION)
    return AvisoRepository(recursos.store, avisar_relay=recursos.avisar_relay)


Avisos = Annotated[AvisoRepository, Depends(avisos_de)]
# Recipients (supervisors, candidacies) and the institute staff who issue and follow notices.
Lector = Annotated[
    Usuario,
    Depends(requiere_rol(Rol.SUPERVISOR, Rol.CANDIDATURA, Rol.ADMINISTRADOR, Rol.VERIFICADOR)),
]


class AvisoOut(BaseModel):
    """A notice as one account sees it."""

    model_config = ConfigDict(frozen=True)

    id: str
    candidatura_id: str
    destinatario: str
    asunto: str
    mensaje: str
    motivo: str | None
    motivo_etiqueta: str | None
    campos: list[str]
    creado_en: datetime
    creado_por: str
    leido: bool
    leido_en: datetime | None

    @classmethod
    def de(cls, aviso: Aviso, usuario: Usuario) -> "AvisoOut":
        """The notice with this account's read mark."""
        return cls(
            id=aviso.id,
            candidatura_id=aviso.candidatura_id,
            destinatario=aviso.destinatario.descripcion,
            asunto=aviso.asunto,
            mensaje=aviso.mensaje,
            motivo=None if aviso.motivo is None else aviso.motivo.value,
            motivo_etiqueta=aviso.etiqueta_motivo,
            campos=[c.value for c in aviso.campos],
            creado_en=aviso.creado_en,
            creado_por=aviso.creado_por,
            leido=aviso.leido(usuario.nombre_usuario),
            leido_en=aviso.leido_por.get(usuario.nombre_usuario),
        )


class BandejaOut(BaseModel):
    """An account's notices, unread first, and how many it has not read."""

    model_config = ConfigDict(frozen=True)

    no_leidos: int
    avisos: list[AvisoOut]


router = APIRouter(prefix="/api/validacion/v1", tags=["avisos"])


@router.get("/avisos")
async def bandeja(
    usuario: Lector,
    avisos: Avisos,
    no_leidos: Annotated[bool, Query(description="Solo los avisos no leídos.")] = False,
) -> BandejaOut:
    """The caller's inbox."""
    lista = await handlers.bandeja(avisos=avisos, usuario=usuario, solo_no_leidos=no_leidos)
    cuantos = await handlers.no_leidos(avisos=avisos, usuario=usuario)
    return BandejaOut(no_leidos=cuantos, avisos=[AvisoOut.de(a, usuario) for a in lista])


@router.post("/avisos/{aviso_id}/leido")
async def marcar_leido(aviso_id: str, usuario: Lector, avisos: Avisos) -> AvisoOut:
    """Mark a notice read for the caller (repeating it changes nothing)."""
    aviso = await handlers.marcar_leido(avisos=avisos, usuario=usuario, aviso_id=aviso_id)
    return AvisoOut.de(aviso, usuario)
