"""JSON API of the questionnaire pre-load (PTO 14) under /api/captura/v1/precarga."""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from captura.adapters import CandidaturaRepository, ImportacionRepository
from captura.api import MB, XLSX, Capturista, EleccionActual, Repo, _descarga
from captura.api.cuestionarios import Capturador, Cifra
from captura.config import Settings
from captura.domain import Eleccion
from captura.handlers import precarga
from comun import tabular
from comun.app import recursos_de
from comun.auth.usuario import Usuario
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado, Problema
from comun.servicios import Servicio

router = APIRouter(prefix="/api/captura/v1", tags=["precarga"])


def repositorio_precargas(request: Request) -> ImportacionRepository:
    """Pre-load jobs of this process's captura store."""
    return ImportacionRepository.precargas(recursos_de(request, Servicio.CAPTURA).store)


Precargas = Annotated[ImportacionRepository, Depends(repositorio_precargas)]


@router.get("/precarga/plantilla.xlsx")
async def plantilla(usuario: Capturista, repo: Repo, eleccion: EleccionActual) -> Response:
    """The template with a row per candidacy in scope (empty for institute accounts)."""
    candidaturas = await precarga.candidaturas_de_plantilla(
        repo=repo, usuario=usuario, eleccion=eleccion
    )
    contenido = precarga.plantilla_xlsx(
        eleccion=eleccion, candidaturas=candidaturas, usuario=usuario
    )
    return _descarga(contenido, f"precarga-{eleccion.id}.xlsx", XLSX)


@router.post("/precarga", status_code=202)
async def subir(
    archivo: Annotated[UploadFile, File(description="Plantilla de precarga o formato del INE.")],
    usuario: Capturador,
    repo: Repo,
    precargas: Precargas,
    eleccion: EleccionActual,
    cifrador: Cifra,
) -> dict[str, str]:
    """Upload a filled template; it is checked now and processed in the background."""
    precarga_id = await recibir_archivo(
        archivo=archivo, usuario=usuario, repo=repo, precargas=precargas, eleccion=eleccion,
        cifrador=cifrador,
    )  # fmt: skip
    return {"id": precarga_id, "estado": "en_proceso"}


async def trabajo_visible(
    precargas: ImportacionRepository, precarga_id: str, usuario: Usuario
) -> dict[str, Any]:
    """A job the user may see; 404 otherwise (same answer as missing)."""
    doc = await precargas.obtener(precarga_id)
    if doc is None or not precarga.visible_para(doc, usuario):
        raise NoEncontrado("No existe esa precarga o no es suya.")
    return doc


@router.get("/precarga/{precarga_id}")
async def estado(precarga_id: str, usuario: Capturador, precargas: Precargas) -> dict[str, Any]:
    """Progress of a pre-load and, when done, its report."""
    doc = await trabajo_visible(precargas, precarga_id, usuario)
    return {k: v for k, v in doc.items() if k not in ("_id", "version")} | {"id": doc["_id"]}


@router.get("/precarga/{precarga_id}/reporte.xlsx")
async def reporte(precarga_id: str, usuario: Capturador, precargas: Precargas) -> Response:
    """The report of a finished pre-load as a workbook."""
    doc = await trabajo_visible(precargas, precarga_id, usuario)
    if "reporte" not in doc:
        raise NoEncontrado("La precarga todavía no termina; espere a que termine.")
    contenido = precarga.reporte_xlsx(doc["reporte"])
    return _descarga(contenido, f"precarga-{precarga_id[:8]}.xlsx", XLSX)


async def recibir_archivo(
    *,
    archivo: UploadFile,
    usuario: Usuario,
    repo: CandidaturaRepository,
    precargas: ImportacionRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
) -> str:
    """Save and check the file (4xx now), then process it in the background."""
    ajustes = Settings()
    nombre = Path(archivo.filename or "precarga").name[:120]
    try:
        return await precarga.recibir(
            origen=archivo.file, nombre=nombre, carpeta=ajustes.carpeta_importaciones(),
            max_bytes=ajustes.max_archivo_mb * MB, repo=repo, precargas=precargas,
            eleccion=eleccion, cifrador=cifrador, usuario=usuario,
        )  # fmt: skip
    except tabular.UnusableFile as exc:
        raise Problema(400, "Archivo no utilizable", str(exc)) from exc
    except precarga.PlantillaInvalida as exc:
        raise Problema(422, "Plantilla no válida", str(exc)) from exc
