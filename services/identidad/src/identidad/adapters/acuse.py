"""The files of a delivery package: the PDF receipt, the CSV and the ZIP that carries both."""

import io
import zipfile
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from comun import tabular
from comun.roles import Rol
from identidad.domain.gestion import MotivoClave, Paquete

try:
    ZONA: timezone | ZoneInfo = ZoneInfo("America/Mexico_City")
except ZoneInfoNotFoundError:  # pragma: no cover - systems without tzdata
    ZONA = timezone(timedelta(hours=-6), "CST")

# DejaVu covers every Spanish letter and more; without it the PDF core fonts (Latin-1) do.
DIRECTORIOS_FUENTES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
ROLES = {
    Rol.PARTIDO: "Captura (partido)",
    Rol.SUPERVISOR: "Supervisión",
    Rol.CANDIDATURA: "Candidatura",
    Rol.ADMINISTRADOR: "Administración",
    Rol.VERIFICADOR: "Verificación",
    Rol.SOPORTE: "Soporte",
}
MOTIVOS = {
    MotivoClave.ENTREGA: "Entrega de cuentas",
    MotivoClave.REENTREGA: "Reemisión del paquete (las contraseñas anteriores ya no sirven)",
    MotivoClave.RESTABLECIMIENTO: "Restablecimiento de contraseña",
    MotivoClave.EXTRAVIO: "Reposición por extravío (PTO 13)",
}
COLUMNAS_CSV = ("usuario", "nombre", "rol", "partido", "candidatura", "contrasena_temporal")


def hora_local(momento: datetime) -> str:
    """«10/04/2024 11:05 (hora del centro de México)»."""
    return f"{momento.astimezone(ZONA):%d/%m/%Y %H:%M} (hora del centro de México)"


def nombre_rol(rol: Rol) -> str:
    """The role as people read it."""
    return ROLES.get(rol, rol.value)


def acuse_pdf(
    *,
    paquete: Paquete,
    claves: Mapping[str, str],
    institucion: str,
    area: str,
    direccion: str | None = None,
) -> bytes:
    """The PDF receipt; fpdf2 is imported on first use (0.8 s of every start-up otherwise)."""
    from identidad.adapters import acuse_pdf as pdf

    return pdf.acuse_pdf(
        paquete=paquete, claves=claves, institucion=institucion, area=area, direccion=direccion
    )


def acuse_csv(*, paquete: Paquete, claves: Mapping[str, str]) -> bytes:
    """The accounts and passwords as CSV (UTF-8 with BOM so spreadsheets read the accents)."""
    salida = io.StringIO()
    filas = (
        (
            c.usuario,
            c.nombre,
            nombre_rol(c.rol),
            c.partido or "",
            c.candidatura or "",
            claves.get(c.usuario, ""),
        )
        for c in paquete.cuentas
    )
    tabular.write_csv(salida, COLUMNAS_CSV, filas)
    return salida.getvalue().encode("utf-8-sig")


def nombre_archivo(paquete: Paquete) -> str:
    """`acuse-pan-20240410-110500` (no extension)."""
    return f"acuse-{paquete.folio}"


def paquete_zip(*, paquete: Paquete, pdf: bytes, csv: bytes) -> bytes:
    """One download with the receipt and the CSV: nothing is kept on the server."""
    salida = io.BytesIO()
    base = nombre_archivo(paquete)
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr(f"{base}.pdf", pdf)
        archivo.writestr(f"{base}.csv", csv)
    return salida.getvalue()
