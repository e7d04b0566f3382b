"""Bulk pre-load of questionnaires (PTO 14): row processing and background jobs."""

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from uuid6 import uuid7

from captura.adapters import CandidaturaRepository, ConflictoVersion, ImportacionRepository
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.domain.candidatura import EDITABLES, EstadoCandidatura
from captura.domain.precarga import (
    CLAVE,
    CLAVE_INE,
    CURRICULAR,
    HOJA_DATOS,
    IDENTIDAD,
    NOMBRE_INE,
    VERSION_BORRADOR,
    VERSION_IDENTIDAD,
    FilaPrecarga,
    Observacion,
    revisar_fila,
)
from captura.domain.precarga_ine import PersonaRegistrada, asignar, indice_por_nombre
from captura.handlers.cuestionarios import configuracion, guardar_precarga, leer_identidad
from captura.handlers.importacion import en_segundo_plano, guardar_subida, progreso_de
from captura.handlers.lectura_precarga import (
    PlantillaInvalida,
    leer_libro,
    revisar_pronto,
    tabular_texto,
)
from captura.handlers.plantilla_precarga import plantilla_xlsx
from captura.handlers.registro import Progreso, buscar_candidaturas, sin_progreso
from captura.handlers.reporte_precarga import (
    ResultadoPrecarga,
    linea_resumen,
    reporte,
    reporte_xlsx,
)
from comun import tabular
from comun.auth.alcance import en_alcance
from comun.auth.usuario import Usuario
from comun.cifrado import Cifrador
from comun.eventos.vocabulario import Cuestionario
from comun.roles import Rol
from comun.store import Filter

__all__ = [
    "ROLES_PRECARGA",
    "PlantillaInvalida",
    "ResultadoPrecarga",
    "candidaturas_de_plantilla",
    "ejecutar",
    "filtro_trabajos",
    "leer_libro",
    "linea_resumen",
    "plantilla_xlsx",
    "precargar",
    "recibir",
    "reporte",
    "reporte_xlsx",
    "tabular_texto",
    "visible_para",
]

CADA = 100
ROLES_PRECARGA = (Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA)
FUERA_DE_ALCANCE = (
    "No hay una candidatura con esta clave a su cargo en esta elección; revise la clave (la "
    "plantilla descargada del sistema trae las suyas)."
)

log = logging.getLogger(__name__)


async def candidaturas_de_plantilla(
    *, repo: CandidaturaRepository, usuario: Usuario, eleccion: Eleccion
) -> list[Candidatura]:
    """The rows a user's template carries: their scope; none for institute accounts."""
    if not usuario.tiene_rol(*ROLES_PRECARGA):
        return []
    _, candidaturas = await buscar_candidaturas(
        repo=repo, usuario=usuario, eleccion_id=eleccion.id, por_pagina=0
    )
    return candidaturas


async def _asignar_ine(
    filas: Sequence[FilaPrecarga], repo: CandidaturaRepository, eleccion: Eleccion, usuario: Usuario
) -> None:
    """Give each INE row the id of the candidacy in scope it names, or an observation."""
    pendientes = [f for f in filas if f.referencia is not None and f.candidatura_id is None]
    if not pendientes:
        return
    todas = await repo.de_eleccion(eleccion.id)
    indice = indice_por_nombre(
        [
            PersonaRegistrada(
                c.id, c.registro.nombre, c.registro.tipo_candidatura, c.registro.cargo,
                c.registro.principio,
            )
            for c in todas.values()
            if en_alcance(usuario, partido=c.registro.partido, candidatura_id=c.id)
        ]
    )  # fmt: skip
    for fila in pendientes:
        assert fila.referencia is not None
        fila.candidatura_id, motivo = asignar(fila.referencia, indice)
        if motivo is not None:
            fila.observaciones.append(Observacion(NOMBRE_INE, fila.referencia.nombre, motivo))


_NOMBRES = {Cuestionario.CURRICULAR: "curricular", Cuestionario.IDENTIDAD: "de identidad"}


def _sobrescrituras(fila: FilaPrecarga, revision: Any, c: Candidatura) -> list[Observacion]:
    """Refuse what would silently overwrite a questionnaire saved in the system meanwhile."""
    q = c.cuestionarios
    casos = (
        (Cuestionario.CURRICULAR, revision.curricular, fila.revision, VERSION_BORRADOR),
        (Cuestionario.IDENTIDAD, revision.identidad, fila.revision_identidad, VERSION_IDENTIDAD),
    )
    observaciones = []
    for cuestionario, nuevo, version, columna in casos:
        actual, nombre = q.revision(cuestionario), _NOMBRES[cuestionario]
        edicion = q.ediciones.get(cuestionario)
        if nuevo is None:
            continue
        if fila.referencia is not None and edicion is not None and not edicion.carga_masiva:
            # INE's layout carries no version: whatever was captured in the system wins.
            observaciones.append(Observacion(
                NOMBRE_INE, fila.referencia.nombre,
                f"El cuestionario {nombre} ya se capturó en el sistema ({edicion.por}, "
                f"{edicion.en:%d/%m/%Y}); el formato del INE no sabe qué versión corrige. Use la "
                "plantilla del sistema o corrija en la página de la candidatura.",
            ))  # fmt: skip
        elif version is not None and version != actual:
            observaciones.append(Observacion(
                columna, str(version),
                f"Alguien guardó el cuestionario {nombre} en el sistema después de que usted "
                f"descargó la plantilla (versión {version}; ahora es la {actual}). Para no "
                "sobrescribir su trabajo, descargue la plantilla de nuevo y copie sus cambios.",
            ))  # fmt: skip
    return observaciones


def _estado_cerrado(c: Candidatura) -> str | None:
    """Why a candidacy takes no pre-load, or None if it can."""
    if c.estado in EDITABLES:
        return None
    if c.estado is EstadoCandidatura.ENVIADA:
        return (
            "La candidatura ya se envió a validación: la precarga solo llena borradores. Las "
            "correcciones las hace la persona supervisora en el sistema."
        )
    return (
        f"La candidatura está {c.estado.value}; ya no admite precarga. Quite la fila del archivo."
    )


async def _en_alcance(
    repo: CandidaturaRepository, eleccion: Eleccion, usuario: Usuario, ids: set[str]
) -> dict[str, Candidatura]:
    """The file's candidacies that exist in this election and are the user's."""
    alcance: list[Filter] | None = [{"_id": {"$in": sorted(ids)}}] if len(ids) < 1000 else None
    todas = await repo.de_eleccion(eleccion.id, alcance=alcance)
    return {
        i: c
        for i, c in todas.items()
        if i in ids and en_alcance(usuario, partido=c.registro.partido, candidatura_id=i)
    }


async def precargar(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
    usuario: Usuario,
    filas: Sequence[FilaPrecarga],
    progreso: Progreso = sin_progreso,
) -> ResultadoPrecarga:
    """Validate each row onto the current drafts and save the valid ones as drafts."""
    resultado = ResultadoPrecarga(filas=len(filas))
    await _asignar_ine(filas, repo, eleccion, usuario)
    conteo = Counter(f.candidatura_id for f in filas if f.candidatura_id)
    candidaturas = await _en_alcance(repo, eleccion, usuario, set(conteo))
    config = configuracion(eleccion)
    for hechas, fila in enumerate(filas, start=1):
        await _procesar(fila, conteo, candidaturas, repo, eleccion, cifrador, usuario, config,
                        resultado)  # fmt: skip
        if hechas % CADA == 0 or hechas == len(filas):
            await progreso("aplicando", hechas, len(filas))
    return resultado


async def _procesar(
    fila: FilaPrecarga,
    conteo: Counter[str],
    candidaturas: Mapping[str, Candidatura],
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
    usuario: Usuario,
    config: Any,
    resultado: ResultadoPrecarga,
) -> None:
    """One row: checks, validation on the merged drafts, then the saves."""
    clave = fila.candidatura_id
    valor = clave or ""
    if clave is None:
        if fila.vacia and not fila.observaciones:
            return
        if fila.referencia is not None and fila.observaciones:
            resultado.rechazar(fila, fila.observaciones)
            return
        motivo = f"Falta la clave de la candidatura ({CLAVE} o {CLAVE_INE})."
        resultado.rechazar(fila, [Observacion(CLAVE, "", motivo)])
        return
    columna_clave = CLAVE if fila.hoja == HOJA_DATOS else CLAVE_INE
    if conteo[clave] > 1:
        motivo = (
            f"La clave aparece en {conteo[clave]} filas del archivo; no sabemos cuál vale. Deje "
            "una sola fila por candidatura."
        )
        resultado.rechazar(fila, [Observacion(columna_clave, valor, motivo)])
        return
    c = candidaturas.get(clave)
    if c is None:
        resultado.rechazar(fila, [Observacion(columna_clave, valor, FUERA_DE_ALCANCE)])
        return
    cerrado = _estado_cerrado(c)
    if cerrado is not None:
        resultado.rechazar(fila, [Observacion("ESTADO_CAPTURA", c.estado.value, cerrado)])
        return
    actual_identidad = leer_identidad(c, cifrador=cifrador) if fila.identidad else None
    revision = revisar_fila(
        fila, curricular=c.cuestionarios.curricular, identidad=actual_identidad, config=config
    )
    revision.observaciones.extend(_sobrescrituras(fila, revision, c))
    if revision.observaciones:
        resultado.rechazar(fila, revision.observaciones)
        return
    entrada = {"hoja": fila.hoja, "fila": fila.numero, "id": clave}
    if revision.curricular is None and revision.identidad is None:
        resultado.sin_cambios.append(entrada)
        return
    guardados = [n for n, v in ((CURRICULAR, revision.curricular), (IDENTIDAD, revision.identidad))
                 if v is not None]  # fmt: skip
    try:
        await guardar_precarga(
            repo=repo, eleccion=eleccion, cifrador=cifrador, usuario=usuario, candidatura=c,
            curricular=revision.curricular, identidad=revision.identidad,
        )  # fmt: skip
    except (ErrorDominio, ConflictoVersion) as exc:
        resultado.rechazar(fila, [Observacion(columna_clave, valor, str(exc))])
        return
    resultado.aceptadas.append({**entrada, "cuestionarios": guardados})


# --- Jobs -------------------------------------------------------------------------------------


def visible_para(doc: Mapping[str, Any], usuario: Usuario) -> bool:
    """A job is its uploader's, and its party's for party accounts."""
    if doc.get("usuario") == usuario.nombre_usuario:
        return True
    return bool(
        usuario.tiene_rol(Rol.PARTIDO, Rol.SUPERVISOR)
        and usuario.partido is not None
        and doc.get("partido") == usuario.partido
    )


def filtro_trabajos(usuario: Usuario) -> Filter:
    """Store filter of the jobs a user may see."""
    opciones: list[Filter] = [{"usuario": usuario.nombre_usuario}]
    if usuario.tiene_rol(Rol.PARTIDO, Rol.SUPERVISOR) and usuario.partido is not None:
        opciones.append({"partido": usuario.partido})
    return {"$or": opciones}


async def ejecutar(
    *,
    precarga_id: str,
    precargas: ImportacionRepository,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
    usuario: Usuario,
    ruta: Path,
    archivo: str,
    max_bytes: int,
) -> dict[str, Any]:
    """Run a pre-load job, keeping its progress and report up to date."""

    progreso = progreso_de(precargas, precarga_id)
    try:
        formato, filas = await asyncio.to_thread(
            leer_libro, ruta, archivo, eleccion_id=eleccion.id, max_bytes=max_bytes
        )
        await progreso("aplicando", 0, len(filas))
        resultado = await precargar(
            repo=repo, eleccion=eleccion, cifrador=cifrador, usuario=usuario, filas=filas,
            progreso=progreso,
        )  # fmt: skip
    except (tabular.UnusableFile, ValueError) as exc:
        await precargas.actualizar(precarga_id, estado="fallida", error=str(exc))
        raise
    except Exception:
        # The file may hold identity answers: log where it failed, never what it held.
        log.exception("La precarga %s falló", precarga_id)
        await precargas.actualizar(
            precarga_id,
            estado="fallida",
            error="La precarga se detuvo por un error interno; lo ya guardado se conserva. "
            "Vuelva a subir el archivo o avise a soporte con la clave de esta precarga.",
        )
        raise
    datos = reporte(resultado, archivo=archivo, formato=formato)
    await precargas.terminar(
        precarga_id, datos, estado="terminada", fin=datetime.now(UTC).isoformat()
    )
    return datos


_turno = asyncio.Lock()


async def recibir(
    *,
    origen: BinaryIO,
    nombre: str,
    carpeta: Path,
    max_bytes: int,
    repo: CandidaturaRepository,
    precargas: ImportacionRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
    usuario: Usuario,
) -> str:
    """Keep an upload, check it is a usable template now (4xx), and process it in background."""
    ruta = await asyncio.to_thread(guardar_subida, origen, carpeta, Path(nombre).suffix, max_bytes)
    try:
        await asyncio.to_thread(revisar_pronto, ruta, nombre, eleccion.id, max_bytes)
    except BaseException:
        await asyncio.to_thread(ruta.unlink, missing_ok=True)
        raise
    precarga_id = str(uuid7())
    await precargas.crear(
        {
            "_id": precarga_id,
            "archivo": nombre,
            "estado": "en_proceso",
            "fase": "leyendo",
            "hechas": 0,
            "total": None,
            "inicio": datetime.now(UTC).isoformat(),
            "usuario": usuario.nombre_usuario,
            "partido": usuario.partido,
            "candidatura": usuario.candidatura,
        }
    )
    trabajo = ejecutar(
        precarga_id=precarga_id, precargas=precargas, repo=repo, eleccion=eleccion,
        cifrador=cifrador, usuario=usuario, ruta=ruta, archivo=nombre, max_bytes=max_bytes,
    )  # fmt: skip
    en_segundo_plano(ruta, trabajo, turno=_turno, nombre=f"precarga-{precarga_id}")
    return precarga_id
