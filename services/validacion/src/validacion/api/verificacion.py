"""JSON API of the verifier (PTO 33) under /api/validacion/v1/verificacion."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from validacion.adapters.moderacion import ModeracionRepository
from validacion.api import MAX_POR_PAGINA, Repo
from validacion.api.revisiones import Catalogos, HallazgoOut
from validacion.domain.verificacion import ETIQUETAS_MOTIVO, Deshabilitacion, Moderacion
from validacion.handlers import verificacion as handlers
from validacion.handlers.verificacion import Fila, FiltrosVerificacion, Verificacion


def moderaciones_de(request: Request) -> ModeracionRepository:
    """The takedowns in this process's validacion store."""
    recursos = recursos_de(request, Servicio.VALIDACION)
    return ModeracionRepository(recursos.store, avisar_relay=recursos.avisar_relay)


Moderaciones = Annotated[ModeracionRepository, Depends(moderaciones_de)]
# The administrator reads the queue; only the verifier takes content down (DOMINIO §1).
LectorVerificacion = Annotated[Usuario, Depends(requiere_rol(Rol.VERIFICADOR, Rol.ADMINISTRADOR))]
Verificador = Annotated[Usuario, Depends(requiere_rol(Rol.VERIFICADOR))]


class DeshabilitarIn(BaseModel):
    """What to disable (a curricular field or «perfil»), why (DOMINIO §5 code) and a note."""

    model_config = ConfigDict(extra="forbid")

    # Plain strings: a missing or wrong value gets the domain's Spanish message.
    objetivo: str = ""
    motivo: str = ""
    observacion: str = ""


class HabilitarIn(BaseModel):
    """What to show again (a curricular field or «perfil»)."""

    model_config = ConfigDict(extra="forbid")

    objetivo: str = ""


class DeshabilitacionOut(BaseModel):
    """A takedown in force, or one step of the history."""

    model_config = ConfigDict(frozen=True)

    objetivo: str
    motivo: str
    motivo_etiqueta: str
    observacion: str
    por: str
    en: datetime


class MovimientoOut(DeshabilitacionOut):
    """One step of the history: «deshabilitado» or «habilitado»."""

    accion: str


class FilaOut(BaseModel):
    """A published candidacy in the verifier's queue."""

    model_config = ConfigDict(frozen=True)

    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    distrito: int | None = None
    municipio: str | None = None
    hallazgos: int
    perfil_deshabilitado: bool
    deshabilitados: list[str]


class ColaVerificacionOut(BaseModel):
    """One page of the verifier's queue."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[FilaOut]


class VerificacionOut(FilaOut):
    """One candidacy for the verifier: published answers, check hits, takedowns, history."""

    publicada: bool
    curricular: dict[str, Any] | None
    hallazgos_por_campo: dict[str, list[HallazgoOut]]
    vigentes: list[DeshabilitacionOut]
    historial: list[MovimientoOut]
    version: int


router = APIRouter(prefix="/api/validacion/v1/verificacion", tags=["verificacion"])


def deshabilitacion_out(d: Deshabilitacion) -> DeshabilitacionOut:
    """A takedown as sent."""
    return DeshabilitacionOut(
        objetivo=d.objetivo,
        motivo=d.motivo.value,
        motivo_etiqueta=ETIQUETAS_MOTIVO[d.motivo],
        observacion=d.observacion,
        por=d.por,
        en=d.en,
    )


def fila_out(fila: Fila) -> FilaOut:
    """Queue row."""
    r, m = fila.revision, fila.moderacion
    return FilaOut(
        candidatura_id=r.candidatura_id,
        nombre=r.nombre,
        cargo=r.cargo,
        partido=r.partido,
        distrito=r.registro.get("distrito"),
        municipio=r.registro.get("municipio"),
        hallazgos=r.hallazgos,
        perfil_deshabilitado=m.perfil_deshabilitado,
        deshabilitados=sorted(m.vigentes),
    )


def verificacion_out(v: Verificacion) -> VerificacionOut:
    """The whole verifier's view of a candidacy."""
    m: Moderacion = v.moderacion
    return VerificacionOut(
        **fila_out(Fila(v.revision, m)).model_dump(),
        publicada=v.publicada,
        curricular=v.revision.curricular,
        hallazgos_por_campo={c: [HallazgoOut.de(h) for h in hs] for c, hs in v.hallazgos.items()},
        vigentes=[deshabilitacion_out(d) for d in m.vigentes.values()],
        historial=[
            MovimientoOut(accion=accion, **deshabilitacion_out(d).model_dump())
            for accion, d in m.historial
        ],
        version=m.version,
    )


@router.get("")
async def cola(
    usuario: LectorVerificacion,
    repo: Repo,
    moderaciones: Moderaciones,
    cargo: str | None = None,
    distrito: Annotated[int | None, Query(ge=1)] = None,
    municipio: str | None = None,
    partido: str | None = None,
    con_hallazgos: bool | None = None,
    deshabilitada: bool | None = None,
    pagina: Annotated[int, Query(ge=1)] = 1,
    por_pagina: Annotated[int, Query(ge=1, le=MAX_POR_PAGINA)] = 50,
) -> ColaVerificacionOut:
    """Published candidacies, filtered, one page, each with what is disabled."""
    filtros = FiltrosVerificacion(cargo, distrito, municipio, partido, con_hallazgos, deshabilitada)
    resultado = await handlers.cola_de_verificacion(
        repo=repo,
        moderaciones=moderaciones,
        usuario=usuario,
        filtros=filtros,
        pagina=pagina,
        por_pagina=por_pagina,
    )
    return ColaVerificacionOut(
        total=resultado.total,
        pagina=resultado.pagina,
        por_pagina=resultado.por_pagina,
        resultados=[fila_out(f) for f in resultado.resultados],
    )


@router.get("/{candidatura_id}")
async def candidatura(
    candidatura_id: str,
    usuario: LectorVerificacion,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
) -> VerificacionOut:
    """One candidacy: published answers with check hits, takedowns in force and history."""
    v = await handlers.verificacion_de(
        repo=repo,
        moderaciones=moderaciones,
        catalogo=catalogos,
        usuario=usuario,
        candidatura_id=candidatura_id,
    )
    return verificacion_out(v)


@router.post("/{candidatura_id}/deshabilitar")
async def deshabilitar(
    candidatura_id: str,
    cuerpo: DeshabilitarIn,
    usuario: Verificador,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
) -> VerificacionOut:
    """Disable a field or the whole profile with a reason code and a note; a notice follows."""
    await handlers.deshabilitar(
        repo=repo,
        moderaciones=moderaciones,
        usuario=usuario,
        candidatura_id=candidatura_id,
        objetivo=cuerpo.objetivo,
        motivo=cuerpo.motivo,
        observacion=cuerpo.observacion,
    )
    return await candidatura(candidatura_id, usuario, repo, moderaciones, catalogos)


@router.post("/{candidatura_id}/habilitar")
async def habilitar(
    candidatura_id: str,
    cuerpo: HabilitarIn,
    usuario: Verificador,
    repo: Repo,
    moderaciones: Moderaciones,
    catalogos: Catalogos,
) -> VerificacionOut:
    """Show a disabled field or the whole profile again; a notice follows."""
    await handlers.habilitar(
        repo=repo,
        moderaciones=moderaciones,
        usuario=usuario,
        candidatura_id=candidatura_id,
        objetivo=cuerpo.objetivo,
    )
    return await candidatura(candidatura_id, usuario, repo, moderaciones, catalogos)
