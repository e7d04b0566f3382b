"""Bulk pre-load of questionnaires (PTO 14): template, file reading, row processing, jobs."""

import asyncio
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from uuid6 import uuid7

from captura.adapters import CandidaturaRepository, ConflictoVersion, ImportacionRepository
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.domain.candidatura import EDITABLES, EstadoCandidatura
from captura.domain.curricular import ETIQUETAS_ESTATUS, ETIQUETAS_GRADO
from captura.domain.precarga import (
    CLAVE,
    CLAVE_INE,
    COLUMNAS,
    CONTEXTO,
    CURRICULAR,
    HOJA_CATALOGOS,
    HOJA_CONTROL,
    HOJA_DATOS,
    HOJA_INE,
    HOJA_INE_IDENTIDAD,
    HOJA_INSTRUCCIONES,
    IDENTIDAD,
    NOMBRE_INE,
    NOMBRES_COLUMNAS,
    POR_NOMBRE,
    VERSION_PLANTILLA,
    FilaPrecarga,
    Observacion,
    descripcion,
    leer_fila,
    normalizar,
    revisar_fila,
)
from captura.domain.precarga_ine import PersonaRegistrada, asignar, indice_por_nombre
from captura.handlers.cuestionarios import configuracion, guardar_precarga, leer_identidad
from captura.handlers.importacion import MAX_FILAS, _guardar_subida
from captura.handlers.registro import Progreso, buscar_candidaturas
from comun import tabular
from comun.auth.alcance import en_alcance
from comun.auth.usuario import Usuario
from comun.cifrado import Cifrador
from comun.roles import Rol
from comun.store import Filter

CADA = 100
ROLES_PRECARGA = (Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA)
FUERA_DE_ALCANCE = (
    "No hay una candidatura con esta clave a su cargo en esta elección; revise la clave (la "
    "plantilla descargada del sistema trae las suyas)."
)


class PlantillaInvalida(ValueError):
    """The file is not a pre-load template of this election; the message is Spanish."""


async def _sin_progreso(fase: str, hechas: int, total: int | None) -> None:
    """Progress sink for callers that show none."""


# --- Template ---------------------------------------------------------------------------------


def _fila_plantilla(c: Candidatura, eleccion: Eleccion) -> list[tabular.Cell]:
    """A candidacy's row: context, then its curricular draft; identity always left empty."""
    r = c.registro
    municipio = eleccion.municipios.get(r.municipio) if r.municipio else None
    contexto: dict[str, tabular.Cell] = {
        "id": c.id,
        "nombre": r.nombre,
        "cargo": r.cargo.value,
        "distrito": r.distrito,
        "municipio": getattr(municipio, "nombre", r.municipio),
        "tipo": r.tipo_candidatura.value,
        "partido": r.partido or r.clave_postulante,
        "estado": c.estado.value,
        "revision": c.cuestionarios.revision_curricular,
    }
    borrador = c.cuestionarios.curricular
    redes = borrador.get("redes_sociales") or {}
    fila: list[tabular.Cell] = []
    for columna in COLUMNAS:
        if columna.cuestionario == CONTEXTO:
            fila.append(contexto[columna.clave])
        elif columna.cuestionario == IDENTIDAD:
            fila.append(None)
        elif columna.clave.startswith("redes_sociales."):
            fila.append(redes.get(columna.clave.removeprefix("redes_sociales.")))
        else:
            fila.append(_celda_curricular(columna.clave, borrador.get(columna.clave)))
    return fila


def _celda_curricular(clave: str, valor: Any) -> tabular.Cell:
    """A clean draft value as people write it in the template."""
    if valor is None:
        return None
    if clave == "grado_maximo_estudios":
        return str(ETIQUETAS_GRADO.get(valor, valor))
    if clave == "estatus_estudios":
        return str(ETIQUETAS_ESTATUS.get(valor, valor))
    if isinstance(valor, list):
        return "\n".join(str(v) for v in valor)
    return str(valor)


def _instrucciones(eleccion: Eleccion) -> list[tuple[str, str, str]]:
    """The INSTRUCCIONES sheet: general rules first, then every column."""
    config = configuracion(eleccion)
    generales = [
        ("Qué es", "", "Plantilla para precargar los cuestionarios curricular y de identidad de "
         "sus candidaturas (PTO 14). Lo precargado es un BORRADOR: no se publica nunca hasta que "
         "se valida en el sistema y llega la fecha de inicio de publicación."),
        ("Elección", "", f"{eleccion.nombre} ({eleccion.id}). Una plantilla de otra elección se "
         "rechaza completa."),
        ("Filas", "", "Una fila por candidatura, identificada por ID_CANDIDATURA. No agregue filas "
         "de candidaturas que no estén a su cargo: se rechazan."),
        ("Celdas vacías", "", "Una celda vacía deja el borrador como está (no borra nada). Para "
         "borrar una respuesta, hágalo en el cuestionario del sistema."),
        ("Errores", "", "Si una celda de una fila tiene un error, no se guarda nada de la fila; el "
         "reporte dice la fila, la columna y el motivo. Corrija y vuelva a cargar el archivo: "
         "las filas ya guardadas quedan «sin cambios»."),
        ("Encabezados", "", "No cambie, mueva ni borre los encabezados ni las hojas ocultas: el "
         "archivo se rechazaría. Descargue la plantilla de nuevo si los cambió."),
        ("Identidad", "", "Las respuestas del cuestionario de identidad son datos personales "
         "sensibles: la plantilla nunca las trae llenas, aunque ya estén capturadas. Llénelas "
         "solo si tiene la autorización de la persona; se guardan cifradas."),
        ("Fórmulas", "", "No use fórmulas: escriba los valores (las fórmulas no se calculan)."),
        ("Enviadas", "", "Las candidaturas ya enviadas a validación no se modifican por precarga."),
        ("Límites", "", f"Cursos: hasta {config.max_cursos}, de {config.limite_curso} caracteres "
         f"cada uno. Historia profesional: {config.limite_historia_profesional}. Trayectoria "
         f"política: {config.limite_trayectoria_politica}. Motivo: "
         f"{config.limite_motivo_cargo_publico}. Propuestas: {config.limite_propuesta}."),
    ]  # fmt: skip
    columnas = [
        (c.nombre, "solo consulta" if c.cuestionario == CONTEXTO and c.nombre != CLAVE
         else c.cuestionario, descripcion(c, config))
        for c in COLUMNAS
    ]  # fmt: skip
    return generales + columnas


def _catalogos() -> tuple[list[str], list[list[tabular.Cell]], dict[str, str]]:
    """The hidden CATALOGOS sheet (one column per catalog column) and each list's range."""
    from openpyxl.utils import get_column_letter

    con_lista = [c for c in COLUMNAS if c.opciones]
    largo = max(len(c.opciones) for c in con_lista)
    encabezados = [c.nombre[:250] for c in con_lista]
    filas = [
        [c.opciones[i] if i < len(c.opciones) else None for c in con_lista] for i in range(largo)
    ]
    rangos = {
        c.nombre: f"{HOJA_CATALOGOS}!${get_column_letter(i + 1)}$2:"
        f"${get_column_letter(i + 1)}${len(c.opciones) + 1}"
        for i, c in enumerate(con_lista)
    }
    return encabezados, filas, rangos  # type: ignore[return-value]


def plantilla_xlsx(
    *, eleccion: Eleccion, candidaturas: Sequence[Candidatura], usuario: Usuario
) -> bytes:
    """The pre-load template: instructions, one row per candidacy, catalogs and control data."""
    encabezados, catalogo, rangos = _catalogos()
    listas = [
        tabular.DropDown(i, rangos[c.nombre], strict=not c.multiple)
        for i, c in enumerate(COLUMNAS)
        if c.nombre in rangos
    ]
    control = [
        ("ELECCION", eleccion.id),
        ("VERSION_PLANTILLA", VERSION_PLANTILLA),
        ("GENERADA", datetime.now(UTC).isoformat(timespec="seconds")),
        ("USUARIO", usuario.nombre_usuario),
    ]
    salida = io.BytesIO()
    tabular.write_xlsx(
        salida,
        {
            HOJA_INSTRUCCIONES: (("TEMA O COLUMNA", "CUESTIONARIO", "INSTRUCCIONES"),
                                 _instrucciones(eleccion)),
            HOJA_DATOS: (NOMBRES_COLUMNAS, (_fila_plantilla(c, eleccion) for c in candidaturas)),
            HOJA_CATALOGOS: (encabezados, catalogo),
            HOJA_CONTROL: (("CLAVE", "VALOR"), control),
        },
        hidden={HOJA_CATALOGOS, HOJA_CONTROL},
        drop_downs={HOJA_DATOS: listas},
    )  # fmt: skip
    return salida.getvalue()


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


# --- Reading ----------------------------------------------------------------------------------


def leer_libro(
    ruta: Path, archivo: str, *, eleccion_id: str, max_bytes: int = 20 * 1024 * 1024
) -> tuple[str, list[FilaPrecarga]]:
    """The rows of a template of this election or of INE's layout; PlantillaInvalida otherwise."""
    with tabular.read_workbook(ruta, filename=archivo, max_bytes=max_bytes) as libro:
        if HOJA_DATOS in libro.sheets or HOJA_CONTROL in libro.sheets:
            _revisar_control(libro, archivo, eleccion_id)
            return "plantilla", _filas_plantilla(libro.sheets[HOJA_DATOS])
        if HOJA_INE in libro.sheets:
            return "ine", _filas_ine(libro)
    raise PlantillaInvalida(
        f"El archivo «{archivo}» no es la plantilla de precarga: no tiene la hoja "
        f"«{HOJA_DATOS}» (ni la hoja «{HOJA_INE}» del formato del INE). Descargue la plantilla "
        "desde el sistema y llénela."
    )


def _revisar_control(libro: tabular.Workbook, archivo: str, eleccion_id: str) -> None:
    """The hidden control sheet says which election and layout version the template is."""
    otra = "Descargue la plantilla de nuevo desde el sistema y copie en ella sus datos."
    if HOJA_CONTROL not in libro.sheets or HOJA_DATOS not in libro.sheets:
        raise PlantillaInvalida(
            f"Al archivo «{archivo}» le falta una hoja de la plantilla ({HOJA_DATOS} o la hoja "
            f"oculta {HOJA_CONTROL}). {otra}"
        )
    control = {
        str(celdas[0]): tabular_texto(celdas[1])
        for _, celdas in libro.sheets[HOJA_CONTROL].rows
        if len(celdas) > 1 and celdas[0] is not None
    }
    if control.get("ELECCION") != eleccion_id:
        raise PlantillaInvalida(
            f"La plantilla «{archivo}» es de otra elección («{control.get('ELECCION') or '—'}»); "
            f"la elección actual es «{eleccion_id}». {otra}"
        )
    if control.get("VERSION_PLANTILLA") != VERSION_PLANTILLA:
        raise PlantillaInvalida(
            f"La plantilla «{archivo}» es de una versión anterior del formato. {otra}"
        )
    encabezados = libro.sheets[HOJA_DATOS].headers
    _revisar_encabezados(encabezados, NOMBRES_COLUMNAS, HOJA_DATOS)


def tabular_texto(valor: object) -> str:
    """A control cell as text."""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    return "" if valor is None else str(valor).strip()


def _revisar_encabezados(encontrados: Sequence[str], esperados: Sequence[str], hoja: str) -> None:
    """The header row must be the template's, unchanged and in order."""
    for i, (hay, va) in enumerate(zip(encontrados, esperados, strict=False), start=1):
        if hay.strip() != va:
            raise PlantillaInvalida(
                f"Los encabezados de la hoja {hoja} se modificaron: la columna {i} dice «{hay}» y "
                f"debe decir «{va}». No cambie, mueva ni borre encabezados; descargue la "
                "plantilla de nuevo y copie en ella sus datos."
            )
    if len(encontrados) != len(esperados):
        raise PlantillaInvalida(
            f"La hoja {hoja} tiene {len(encontrados)} columnas y la plantilla {len(esperados)}: "
            "no agregue ni borre columnas; descargue la plantilla de nuevo y copie en ella sus "
            "datos."
        )


def _filas(tabla: tabular.Table, hoja: str) -> Iterable[tuple[int, dict[str, Any], frozenset[str]]]:
    """Rows as cells by header, with the columns holding formulas."""
    encabezados = [h.strip() for h in tabla.headers]
    for leidas, (numero, celdas) in enumerate(tabla.rows, start=1):
        if leidas > MAX_FILAS:
            raise tabular.UnusableFile(
                f"La hoja {hoja} tiene más de {MAX_FILAS:,} filas; divídala en varios archivos."
            )
        formulas = frozenset(
            encabezados[i] for i, v in enumerate(celdas) if isinstance(v, tabular.Formula)
        )
        valores = {
            encabezados[i]: (v.text if isinstance(v, tabular.Formula) else v)
            for i, v in enumerate(celdas)
            if encabezados[i]
        }
        yield numero, valores, formulas


def _filas_plantilla(tabla: tabular.Table) -> list[FilaPrecarga]:
    """The template's data rows."""
    return [
        leer_fila(numero, celdas, hoja=HOJA_DATOS, formulas=formulas)
        for numero, celdas, formulas in _filas(tabla, HOJA_DATOS)
    ]


def _filas_ine(libro: tabular.Workbook) -> list[FilaPrecarga]:
    """INE's two sheets joined by NUM_LISTA_O_FORMULA and name (the number alone repeats)."""
    candidatos = libro.sheets[HOJA_INE]
    for requerida in (CLAVE_INE, NOMBRE_INE):
        if requerida not in [h.strip() for h in candidatos.headers]:
            raise PlantillaInvalida(
                f"La hoja {HOJA_INE} no tiene la columna {requerida} del formato del INE."
            )
    filas: dict[tuple[str | None, str], FilaPrecarga] = {}
    for numero, celdas, formulas in _filas(candidatos, HOJA_INE):
        fila = leer_fila(numero, celdas, hoja=HOJA_INE, formulas=formulas)
        filas[_llave_ine(fila)] = fila
    identidad = libro.sheets.get(HOJA_INE_IDENTIDAD)
    if identidad is not None:
        preguntas = [h.strip() for h in identidad.headers if h.strip()[:1].isdigit()]
        desconocidas = [h for h in preguntas if h not in POR_NOMBRE]
        if desconocidas:
            raise PlantillaInvalida(
                f"La hoja {HOJA_INE_IDENTIDAD} tiene preguntas con otro texto que el del INE: "
                f"«{desconocidas[0]}». No cambie los encabezados."
            )
        for numero, celdas, formulas in _filas(identidad, HOJA_INE_IDENTIDAD):
            otra = leer_fila(numero, celdas, hoja=HOJA_INE_IDENTIDAD, formulas=formulas)
            fila = filas.setdefault(_llave_ine(otra), otra)
            if fila is not otra:
                fila.identidad |= otra.identidad
                fila.crudos |= otra.crudos
                fila.observaciones += otra.observaciones
    return list(filas.values())


def _llave_ine(fila: FilaPrecarga) -> tuple[str | None, str]:
    """Joins INE's two sheets: the number and the name (the number alone repeats)."""
    referencia = fila.referencia
    assert referencia is not None
    return referencia.numero, normalizar(referencia.nombre)


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


# --- Processing -------------------------------------------------------------------------------


@dataclass
class ResultadoPrecarga:
    """What a pre-load did, row by row."""

    filas: int = 0
    aceptadas: list[dict[str, Any]] = field(default_factory=list)
    sin_cambios: list[dict[str, Any]] = field(default_factory=list)
    rechazadas: list[dict[str, Any]] = field(default_factory=list)

    def rechazar(self, fila: FilaPrecarga, observaciones: Sequence[Observacion]) -> None:
        """Record a rejected row, one entry per bad cell."""
        for o in observaciones:
            self.rechazadas.append(
                {"hoja": fila.hoja, "fila": fila.numero, "id": fila.candidatura_id or "",
                 "columna": o.columna, "valor": o.valor[:300], "motivo": o.motivo}
            )  # fmt: skip

    @property
    def filas_rechazadas(self) -> int:
        """Rejected rows (a row may have several bad cells)."""
        return len({(r["hoja"], r["fila"]) for r in self.rechazadas})


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
    progreso: Progreso = _sin_progreso,
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
    if (
        revision.curricular is not None
        and fila.revision is not None
        and fila.revision != c.cuestionarios.revision_curricular
    ):
        revision.observaciones.append(
            Observacion(
                "VERSION_BORRADOR", str(fila.revision),
                "Alguien guardó el cuestionario curricular en el sistema después de que usted "
                f"descargó la plantilla (versión {fila.revision}; ahora es la "
                f"{c.cuestionarios.revision_curricular}). Para no sobrescribir su trabajo, "
                "descargue la plantilla de nuevo y copie sus cambios.",
            )
        )  # fmt: skip
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


# --- Reports ----------------------------------------------------------------------------------


def reporte(resultado: ResultadoPrecarga, *, archivo: str, formato: str) -> dict[str, Any]:
    """The pre-load report as plain data (stored, returned by the API, exported)."""
    return {
        "archivo": archivo,
        "formato": formato,
        "filas": resultado.filas,
        "resumen": {
            "aceptadas": len(resultado.aceptadas),
            "rechazadas": resultado.filas_rechazadas,
            "sin_cambios": len(resultado.sin_cambios),
        },
        "aceptadas": resultado.aceptadas,
        "rechazadas": sorted(resultado.rechazadas, key=lambda r: (r["hoja"], r["fila"])),
    }


def linea_resumen(datos: Mapping[str, Any]) -> str:
    """`aceptadas=N rechazadas=N sin_cambios=N`."""
    return " ".join(
        f"{k}={datos['resumen'][k]}" for k in ("aceptadas", "rechazadas", "sin_cambios")
    )


def reporte_xlsx(datos: Mapping[str, Any]) -> bytes:
    """The report as a workbook: a summary and the rejected cells."""
    resumen: list[tuple[str, tabular.Cell]] = [
        ("archivo", datos["archivo"]),
        ("filas", datos["filas"]),
    ]
    resumen += list(datos["resumen"].items())
    columnas = ("hoja", "fila", "id", "columna", "valor", "motivo")
    salida = io.BytesIO()
    tabular.write_xlsx(
        salida,
        {
            "RESUMEN": (("CONCEPTO", "VALOR"), resumen),
            "RECHAZADAS": (
                [c.upper() for c in columnas],
                [[r[c] for c in columnas] for r in datos["rechazadas"]],
            ),
            "ACEPTADAS": (
                ("HOJA", "FILA", "ID", "CUESTIONARIOS"),
                [[a["hoja"], a["fila"], a["id"], ", ".join(a["cuestionarios"])]
                 for a in datos["aceptadas"]],
            ),
        },
    )  # fmt: skip
    return salida.getvalue()


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

    async def progreso(fase: str, hechas: int, total: int | None) -> None:
        await precargas.actualizar(precarga_id, fase=fase, hechas=hechas, total=total)

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
    datos = reporte(resultado, archivo=archivo, formato=formato)
    await precargas.terminar(
        precarga_id, datos, estado="terminada", fin=datetime.now(UTC).isoformat()
    )
    return datos


_tareas: set[asyncio.Task[Any]] = set()
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
    ruta = await asyncio.to_thread(_guardar_subida, origen, carpeta, Path(nombre).suffix, max_bytes)
    try:
        await asyncio.to_thread(_revisar_pronto, ruta, nombre, eleccion.id, max_bytes)
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
    tarea = asyncio.create_task(_en_turno(ruta, trabajo), name=f"precarga-{precarga_id}")
    _tareas.add(tarea)
    tarea.add_done_callback(_tareas.discard)
    return precarga_id


def _revisar_pronto(ruta: Path, nombre: str, eleccion_id: str, max_bytes: int) -> None:
    """Format, election and header checks, so a wrong file is refused at upload."""
    with tabular.read_workbook(ruta, filename=nombre, max_bytes=max_bytes) as libro:
        if HOJA_DATOS in libro.sheets or HOJA_CONTROL in libro.sheets:
            _revisar_control(libro, nombre, eleccion_id)
            return
        if HOJA_INE in libro.sheets:
            return
    leer_libro(ruta, nombre, eleccion_id=eleccion_id, max_bytes=max_bytes)


async def _en_turno(ruta: Path, trabajo: Any) -> None:
    """One pre-load at a time per process; the uploaded file is removed afterwards."""
    try:
        async with _turno:
            await trabajo
    except (tabular.UnusableFile, ValueError):
        return  # already recorded on the job
    finally:
        await asyncio.to_thread(ruta.unlink, missing_ok=True)
