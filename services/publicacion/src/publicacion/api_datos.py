"""Open-data downloads under /api/publicacion/v1/datos-abiertos (public, no account needed)."""

import base64
import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from comun.app import recursos_de
from comun.errores import NoEncontrado, Problema
from comun.servicios import Servicio
from publicacion import handlers_datos
from publicacion.adapters_datos import AlmacenPiezas, Instantanea, InstantaneaRepository
from publicacion.domain import datos_abiertos as da
from publicacion.http import CORS, json_publico

PREFIJO = "/api/publicacion/v1/datos-abiertos"
MANIFIESTO = "manifiesto.json"
FIRMA = "manifiesto.sig"
CLAVE_PUBLICA = "clave-publica.pem"
MAX_AGE = 300
EN_PREPARACION = (
    "Los archivos de datos abiertos todavía se están generando; intente de nuevo en un minuto."
)


def repositorio(request: Request) -> InstantaneaRepository:
    """The snapshots in this process's publicacion store."""
    return InstantaneaRepository(recursos_de(request, Servicio.PUBLICACION).store)


def almacen(request: Request) -> AlmacenPiezas:
    """The snapshots' file pieces in this process's publicacion file store."""
    return AlmacenPiezas(recursos_de(request, Servicio.PUBLICACION).archivos)


Instantaneas = Annotated[InstantaneaRepository, Depends(repositorio)]
Almacen = Annotated[AlmacenPiezas, Depends(almacen)]


class ArchivoOut(BaseModel):
    """A downloadable file of the snapshot."""

    nombre: str
    descripcion: str
    base: str = Field(description="curricular, identidad, ambas (XLSX) or diccionario.")
    formato: str
    tipo: str = Field(description="Media type.")
    tamano: int = Field(description="Bytes.")
    sha256: str
    filas: int = Field(description="Data rows (the XLSX: rows of the CANDIDATOS sheet).")
    url: str = Field(
        description="Download URL; its `v` changes with the content, so no cache serves it stale."
    )


class ManifiestoOut(BaseModel):
    """The signed manifest and its Ed25519 signature."""

    url: str
    sha256: str
    algoritmo: str = "Ed25519"
    firma: str = Field(description="Signature of the manifest's exact bytes, base64.")
    firma_url: str = Field(description="The same signature as 64 raw bytes.")


class ClavePublicaOut(BaseModel):
    """The public key that verifies the manifest."""

    url: str
    pem: str
    sha256: str = Field(description="sha256 of the raw 32-byte public key.")


class DatosAbiertosOut(BaseModel):
    """The current open-data snapshot."""

    eleccion: str
    generado_en: str
    filas: dict[str, int] = Field(description="Profiles in the curricular and identity bases.")
    archivos: list[ArchivoOut]
    manifiesto: ManifiestoOut
    clave_publica: ClavePublicaOut


router = APIRouter(prefix=PREFIJO, tags=["datos abiertos"])


async def _actual(instantaneas: InstantaneaRepository) -> Instantanea:
    """The current snapshot, or a Spanish 503 before the first one exists."""
    instantanea = await handlers_datos.instantanea_actual(instantaneas=instantaneas)
    if instantanea is None:
        raise Problema(503, "Datos abiertos en preparación", EN_PREPARACION)
    return instantanea


def descripcion(instantanea: Instantanea) -> DatosAbiertosOut:
    """The snapshot as the index and the page show it."""
    manifiesto = instantanea.manifiesto.encode()
    filas = {a.base: a.filas for a in instantanea.archivos if a.formato == "csv"}
    return DatosAbiertosOut(
        eleccion=instantanea.eleccion,
        generado_en=instantanea.generado_en,
        filas={b: filas[b] for b in (da.CURRICULAR, da.IDENTIDAD)},
        archivos=[
            ArchivoOut(
                nombre=a.nombre,
                descripcion=a.descripcion,
                base=a.base,
                formato=a.formato,
                tipo=a.tipo,
                tamano=a.tamano,
                sha256=a.sha256,
                filas=a.filas,
                url=f"{PREFIJO}/{a.nombre}?v={a.sha256[:16]}",
            )
            for a in instantanea.archivos
        ],
        manifiesto=ManifiestoOut(
            url=f"{PREFIJO}/{MANIFIESTO}",
            sha256=hashlib.sha256(manifiesto).hexdigest(),
            firma=instantanea.firma,
            firma_url=f"{PREFIJO}/{FIRMA}",
        ),
        clave_publica=ClavePublicaOut(
            url=f"{PREFIJO}/{CLAVE_PUBLICA}",
            pem=instantanea.clave_publica,
            sha256=instantanea.huella_clave,
        ),
    )


@router.get("", response_model=DatosAbiertosOut, responses={304: {}, 503: {}})
async def datos_abiertos(request: Request, instantaneas: Instantaneas) -> Response:
    """The current snapshot: its files with size, sha256 and URL, the signature and the key."""
    return json_publico(request, descripcion(await _actual(instantaneas)))


@router.get(f"/{MANIFIESTO}", response_class=Response, responses={503: {}})
async def manifiesto(request: Request, instantaneas: Instantaneas) -> Response:
    """The manifest, byte for byte as signed."""
    instantanea = await _actual(instantaneas)
    contenido = instantanea.manifiesto.encode()
    return _bytes(request, instantanea, contenido, MANIFIESTO, "application/json")


@router.get(f"/{FIRMA}", response_class=Response, responses={503: {}})
async def firma(request: Request, instantaneas: Instantaneas) -> Response:
    """The manifest's Ed25519 signature: 64 raw bytes (for `openssl pkeyutl -verify`)."""
    instantanea = await _actual(instantaneas)
    contenido = base64.b64decode(instantanea.firma)
    return _bytes(request, instantanea, contenido, FIRMA, "application/octet-stream")


@router.get(f"/{CLAVE_PUBLICA}", response_class=Response, responses={503: {}})
async def clave_publica(request: Request, instantaneas: Instantaneas) -> Response:
    """The public key (PEM, SubjectPublicKeyInfo) that verifies the manifest."""
    instantanea = await _actual(instantaneas)
    contenido = instantanea.clave_publica.encode("ascii")
    return _bytes(request, instantanea, contenido, CLAVE_PUBLICA, "application/x-pem-file")


@router.get("/{archivo}", response_class=Response, responses={304: {}, 404: {}, 503: {}})
async def descargar(
    request: Request,
    archivo: Annotated[str, Path(max_length=80)],
    instantaneas: Instantaneas,
    almacen: Almacen,
) -> Response:
    """A file of the current snapshot, streamed; ETag is its sha256."""
    instantanea = await _actual(instantaneas)
    publicado = instantanea.archivo(archivo)
    if publicado is None:
        raise NoEncontrado(
            f"No hay un archivo de datos abiertos llamado «{archivo}». Consulte la lista de "
            f"archivos en {PREFIJO}."
        )
    etag = f'"{publicado.sha256}"'
    cabeceras = _cabeceras(etag, nombre_descarga(instantanea, publicado.nombre))
    if _coincide(request, etag):
        return Response(status_code=304, headers=cabeceras)
    cabeceras["Content-Length"] = str(publicado.tamano)
    trozos: AsyncIterator[bytes] = almacen.leer(publicado.piezas)
    return StreamingResponse(trozos, media_type=publicado.tipo, headers=cabeceras)


def nombre_descarga(instantanea: Instantanea, nombre: str) -> str:
    """«conoceles-edomex-2024-20240513T1200Z-curricular.csv»: election and moment in the name."""
    momento = datetime.fromisoformat(instantanea.generado_en).astimezone(UTC)
    return f"conoceles-{instantanea.eleccion}-{momento:%Y%m%dT%H%MZ}-{nombre}"


def _bytes(
    request: Request, instantanea: Instantanea, contenido: bytes, nombre: str, tipo: str
) -> Response:
    """Small content with ETag and 304, as an attachment."""
    etag = f'"{hashlib.sha256(contenido).hexdigest()}"'
    cabeceras = _cabeceras(etag, nombre_descarga(instantanea, nombre))
    if _coincide(request, etag):
        return Response(status_code=304, headers=cabeceras)
    return Response(contenido, media_type=tipo, headers=cabeceras)


def _cabeceras(etag: str, nombre: str) -> dict[str, str]:
    return {
        **CORS,
        "ETag": etag,
        "Cache-Control": f"public, max-age={MAX_AGE}",
        "Content-Disposition": f'attachment; filename="{nombre}"',
    }


def _coincide(request: Request, etag: str) -> bool:
    """Whether If-None-Match names this entity tag (or is «*»)."""
    cabecera = request.headers.get("if-none-match", "")
    etiquetas = {e.strip().removeprefix("W/") for e in cabecera.split(",") if e.strip()}
    return etag in etiquetas or "*" in etiquetas
