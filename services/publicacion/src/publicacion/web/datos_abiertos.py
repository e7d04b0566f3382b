"""The open-data page: the current snapshot's files, the dictionary and how to verify them."""

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from comun.auth.dependencias import UsuarioOpcional
from publicacion import handlers_datos, presentacion
from publicacion.api_datos import (
    CLAVE_PUBLICA,
    FIRMA,
    MANIFIESTO,
    PREFIJO,
    Instantaneas,
    descripcion,
)
from publicacion.domain import datos_abiertos as da
from publicacion.domain import formato_ine
from publicacion.territorio import territorio
from publicacion.web.plantillas import plantillas

router = APIRouter(include_in_schema=False)


def tamano_legible(bytes_: int) -> str:
    """«1.4 MB», «830 kB», «512 bytes» (decimal units, as file managers show them)."""
    for unidad, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if bytes_ >= factor:
            return f"{bytes_ / factor:.1f} {unidad}"
    return f"{bytes_} bytes"


def fecha_hora(iso: str) -> str:
    """«13/05/2024 09:30» in central Mexico time, from an ISO instant."""
    return f"{datetime.fromisoformat(iso).astimezone(presentacion.ZONA):%d/%m/%Y %H:%M}"


@router.api_route("/datos-abiertos", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def datos_abiertos(
    request: Request, instantaneas: Instantaneas, usuario: UsuarioOpcional
) -> HTMLResponse:
    """Downloads of both databases in CSV, XLSX and JSON, with checksums and signature."""
    instantanea = await handlers_datos.instantanea_actual(instantaneas=instantaneas)
    contexto = {
        "usuario": usuario,
        "titulo": "Datos abiertos",
        "eleccion": territorio().eleccion,
        "datos": descripcion(instantanea) if instantanea is not None else None,
        "generado": fecha_hora(instantanea.generado_en) if instantanea is not None else "",
        "tamano_legible": tamano_legible,
        "origen": str(request.base_url).rstrip("/"),
        "prefijo": PREFIJO,
        "manifiesto": MANIFIESTO,
        "firma": FIRMA,
        "clave": CLAVE_PUBLICA,
        "columnas_curricular": da.COLUMNAS_CURRICULAR,
        "columnas_identidad": da.COLUMNAS_IDENTIDAD,
        "hojas_ine": (formato_ine.HOJA_CANDIDATOS, formato_ine.HOJA_IDENTIDAD),
        "xlsx": da.XLSX_INE,
    }
    return plantillas.TemplateResponse(request, "publicacion/datos_abiertos.html", contexto)
