"""JSON API of captura under /api/captura/v1."""

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from captura import handlers
from captura.adapters import CandidaturaRepository, EleccionRepository, ImportacionRepository
from captura.config import Settings
from captura.domain import Candidatura, ColumnasIncorrectas, Eleccion, EstadoCandidatura
from captura.handlers import importacion
from comun import tabular
from comun.app import recursos_de
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario, actor_de
from comun.errores import NoEncontrado, Problema
from comun.eventos.vocabulario import Cargo, Principio
from comun.roles import Rol
from comun.servicios import Servicio

ROLES_CAPTURA = (Rol.ADMINISTRADOR, Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA)
MB = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def repositorio(request: Request) -> CandidaturaRepository:
    """A repository bound to this process's captura store (one per request)."""
    recursos = recursos_de(request, Servicio.CAPTURA)
    return CandidaturaRepository(recursos.store, avisar_relay=recursos.avisar_relay)


def repositorio_importaciones(request: Request) -> ImportacionRepository:
    """Import jobs of this process's captura store."""
    return ImportacionRepository(recursos_de(request, Servicio.CAPTURA).store)


def ajustes_de(request: Request) -> Settings:
    """captura's settings, read once per app (the environment is read at start-up)."""
    ajustes: Settings | None = getattr(request.app.state, "ajustes_captura", None)
    if ajustes is None:
        ajustes = Settings()
        request.app.state.ajustes_captura = ajustes
    return ajustes


async def eleccion_actual(request: Request) -> Eleccion:
    """The configured election's catalog (422 with how to load it when missing)."""
    recursos = recursos_de(request, Servicio.CAPTURA)
    repo = EleccionRepository(recursos.store, avisar_relay=recursos.avisar_relay)
    return await handlers.eleccion_cargada(repo=repo, eleccion_id=ajustes_de(request).eleccion)


Repo = Annotated[CandidaturaRepository, Depends(repositorio)]
Importaciones = Annotated[ImportacionRepository, Depends(repositorio_importaciones)]
EleccionActual = Annotated[Eleccion, Depends(eleccion_actual)]
Ajustes = Annotated[Settings, Depends(ajustes_de)]
Capturista = Annotated[Usuario, Depends(requiere_rol(*ROLES_CAPTURA))]
Administrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR))]
Registrador = Annotated[Usuario, Depends(requiere_rol(Rol.ADMINISTRADOR, Rol.SISTEMA_REGISTRO))]


class CandidaturaOut(BaseModel):
    """A candidacy as the capture team sees it."""

    model_config = ConfigDict(frozen=True)

    id: str
    nombre: str
    sobrenombre: str | None
    cargo: str
    principio: str
    distrito: int | None
    municipio: str | None
    posicion: int | None
    tipo_candidatura: str
    postulante: str
    clave_postulante: str | None
    partido: str | None
    sexo: str
    accion_afirmativa: str | None
    estado: str
    sustituye_a: str | None
    sustituta_id: str | None
    version: int

    @classmethod
    def de(cls, c: Candidatura) -> "CandidaturaOut":
        """Aggregate → response model (no CURP, no birth date)."""
        r = c.registro
        return cls(
            id=c.id,
            nombre=r.nombre,
            sobrenombre=r.sobrenombre,
            cargo=r.cargo.value,
            principio=r.principio.value,
            distrito=r.distrito,
            municipio=r.municipio,
            posicion=r.posicion,
            tipo_candidatura=r.tipo_candidatura.value,
            postulante=r.postulante.value,
            clave_postulante=r.clave_postulante,
            partido=r.partido,
            sexo=r.sexo.value,
            accion_afirmativa=r.accion_afirmativa.value if r.accion_afirmativa else None,
            estado=c.estado.value,
            sustituye_a=c.sustituye_a,
            sustituta_id=c.sustituta_id,
            version=c.version,
        )


class PaginaOut(BaseModel):
    """One page of candidacies and how many match in total."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[CandidaturaOut]


class LoteIn(BaseModel):
    """A batch from the registration system: rows of the registry layout as JSON objects."""

    model_config = ConfigDict(extra="forbid")

    candidaturas: list[dict[str, str | int | None]] = Field(min_length=1, max_length=5000)
    todo_o_nada: bool = False


router = APIRouter(prefix="/api/captura/v1", tags=["captura"])


class FiltrosQuery(BaseModel):
    """Query filters of the candidacy list."""

    cargo: Cargo | None = None
    principio: Principio | None = None
    distrito: int | None = Field(default=None, ge=1)
    municipio: str | None = Field(default=None, max_length=10)
    partido: str | None = Field(default=None, max_length=20)
    estado: EstadoCandidatura | None = None
    pagina: int = Field(default=1, ge=1)
    por_pagina: int = Field(default=50, ge=1, le=500)

    def filtros(self) -> handlers.Filtros:
        """Query → handler filters."""
        return handlers.Filtros(
            cargo=self.cargo,
            principio=self.principio,
            distrito=self.distrito,
            municipio=self.municipio,
            partido=self.partido,
            estado=self.estado,
        )


@router.get("/candidaturas")
async def listar(
    usuario: Capturista,
    repo: Repo,
    ajustes: Ajustes,
    consulta: Annotated[FiltrosQuery, Query()],
) -> PaginaOut:
    """Candidacies in the user's scope, filtered and paged."""
    total, candidaturas = await handlers.buscar_candidaturas(
        repo=repo,
        usuario=usuario,
        eleccion_id=ajustes.eleccion,
        filtros=consulta.filtros(),
        pagina=consulta.pagina,
        por_pagina=consulta.por_pagina,
    )
    return PaginaOut(
        total=total,
        pagina=consulta.pagina,
        por_pagina=consulta.por_pagina,
        resultados=[CandidaturaOut.de(c) for c in candidaturas],
    )


@router.get("/candidaturas/{candidatura_id}")
async def obtener(candidatura_id: str, usuario: Capturista, repo: Repo) -> CandidaturaOut:
    """One candidacy; out of scope looks like missing."""
    candidatura = await handlers.obtener_candidatura(repo=repo, id=candidatura_id, usuario=usuario)
    if candidatura is None:
        raise NoEncontrado()
    return CandidaturaOut.de(candidatura)


@router.post("/registro/candidaturas")
async def recibir_lote(
    lote: LoteIn, usuario: Registrador, repo: Repo, eleccion: EleccionActual
) -> dict[str, Any]:
    """Batch from the registration system, idempotent by FOLIO; answers the report."""
    try:
        filas = importacion.filas_de_lote(lote.candidaturas)
    except importacion.LoteInvalido as exc:
        raise Problema(422, "Lote inválido", str(exc)) from exc
    resultado = await handlers.importar_registro(
        repo=repo,
        eleccion=eleccion,
        filas=filas,
        actor=actor_de(usuario),
        todo_o_nada=lote.todo_o_nada,
    )
    return importacion.reporte(resultado, archivo="lote", todo_o_nada=lote.todo_o_nada)


@router.get("/registro/importaciones/{importacion_id}")
async def importacion_estado(
    importacion_id: str, usuario: Administrador, importaciones: Importaciones
) -> dict[str, Any]:
    """Progress of an import job and, when done, its report."""
    doc = await importaciones.obtener(importacion_id)
    if doc is None:
        raise NoEncontrado()
    return {k: v for k, v in doc.items() if k not in ("_id", "version")} | {"id": doc["_id"]}


@router.get("/registro/importaciones/{importacion_id}/reporte.xlsx")
async def importacion_reporte(
    importacion_id: str, usuario: Administrador, importaciones: Importaciones
) -> Response:
    """The reconciliation report of a finished import as a workbook."""
    doc = await importaciones.obtener(importacion_id)
    if doc is None or "reporte" not in doc:
        raise NoEncontrado()
    contenido = importacion.reporte_xlsx(doc["reporte"])
    nombre = f"conciliacion-{importacion_id[:8]}.xlsx"
    return _descarga(contenido, nombre, XLSX)


@router.get("/registro/plantilla.{formato}")
async def plantilla(formato: Literal["xlsx"], usuario: Registrador) -> Response:
    """Empty registry template with the layout explained."""
    return _descarga(importacion.plantilla_xlsx(), "plantilla-registro.xlsx", XLSX)


def _descarga(contenido: bytes, nombre: str, tipo: str) -> Response:
    """A file download response."""
    return Response(
        contenido,
        media_type=tipo,
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )


@router.post("/registro/importaciones", status_code=202)
async def importar_archivo(
    request: Request,
    archivo: Annotated[UploadFile, File(description="Registro en XLSX o CSV.")],
    usuario: Administrador,
    repo: Repo,
    importaciones: Importaciones,
    eleccion: EleccionActual,
    todo_o_nada: Annotated[bool, Form()] = False,
) -> dict[str, str]:
    """Upload a registry file; it is checked now and imported in the background."""
    importacion_id = await recibir_archivo(
        archivo=archivo,
        usuario=usuario,
        repo=repo,
        importaciones=importaciones,
        eleccion=eleccion,
        todo_o_nada=todo_o_nada,
    )
    return {"id": importacion_id, "estado": "en_proceso"}


async def recibir_archivo(
    *,
    archivo: UploadFile,
    usuario: Usuario,
    repo: CandidaturaRepository,
    importaciones: ImportacionRepository,
    eleccion: Eleccion,
    todo_o_nada: bool,
) -> str:
    """Save, check the file's format and columns (4xx now), then import in the background."""
    ajustes = Settings()
    nombre = Path(archivo.filename or "registro").name[:120]
    try:
        return await importacion.recibir(
            origen=archivo.file,
            nombre=nombre,
            carpeta=ajustes.carpeta_importaciones(),
            max_bytes=ajustes.max_archivo_mb * MB,
            repo=repo,
            importaciones=importaciones,
            eleccion=eleccion,
            actor=actor_de(usuario),
            todo_o_nada=todo_o_nada,
        )
    except tabular.UnusableFile as exc:
        raise Problema(400, "Archivo no utilizable", str(exc)) from exc
    except ColumnasIncorrectas as exc:
        raise Problema(422, "Columnas incorrectas", str(exc)) from exc
