"""Open data (DOMINIO §8): the curricular and identity databases built from the public views.

Rows come only from the public view of each profile, so what the site hides the files hide:
CURP, birth date and private e-mail never reach a view; a field a verifier disabled is empty
and named in `campos_deshabilitados`; identity answers appear only where the publication rule
allows (the view's `identidad` is None otherwise). A profile disabled as a whole keeps its row
in the curricular database with its registry columns, `estado` «deshabilitado» and the reason,
and every questionnaire column empty — exactly what its page shows — and has no identity row.

The CSV and JSON files use Conóceles' column names (those of the public API); the XLSX file
keeps INE's layout (`formato_ine`). The data dictionary describes both.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from comun.cuestionario_identidad import PREGUNTAS, SUFIJO_OTRO, valores_permitidos
from comun.eventos.vocabulario import (
    AccionAfirmativa,
    Cargo,
    EstatusEstudios,
    GradoEstudios,
    MotivoContenido,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
    etiqueta,
)
from publicacion.domain import formato_ine

# Bump when the bytes of any file change for the same rows (columns, order, formatting).
VERSION_FORMATO = 2
CURRICULAR = "curricular"
IDENTIDAD = "identidad"
TEXTO, ENTERO, FECHA, LISTA = "texto", "entero", "fecha y hora (ISO 8601)", "lista de textos"
SEPARADOR_LISTA = "; "


@dataclass(frozen=True, slots=True)
class Columna:
    """One column of the CSV and JSON files and what the data dictionary says of it."""

    nombre: str
    descripcion: str
    tipo: str = TEXTO
    valores: str = ""
    separador: str = SEPARADOR_LISTA


def _codigos(codigos: Iterable[Any]) -> str:
    """«mujer (Mujer); hombre (Hombre)»: wire codes with the label the site shows."""
    return "; ".join(f"{c.value} ({etiqueta(c)})" for c in codigos)


_LISTA_CSV = "En JSON, una lista; en CSV, separados por «; »."
_VACIA = "Vacía si no lo dio o si el instituto deshabilitó el campo (ver campos_deshabilitados)."

_REGISTRO: tuple[Columna, ...] = (
    Columna("id", "Clave de la candidatura en Conóceles; la misma en ambas bases, en el XLSX "
            "(NUM_LISTA_O_FORMULA) y en la API pública."),
    Columna("url", "Ruta del perfil en el sitio público."),
    Columna("eleccion", "Clave de la elección."),
    Columna("nombre", "Nombre de la persona candidata."),
    Columna("sobrenombre", "Sobrenombre con el que se registró, si lo hay."),
    Columna("cargo", "Cargo al que se postula.", valores=_codigos(Cargo)),
    Columna("principio", "Principio de elección.", valores=_codigos(Principio)),
    Columna("distrito", "Número de distrito local (diputaciones de mayoría relativa).", ENTERO),
    Columna("municipio", "Clave INEGI del municipio (cargos municipales)."),
    Columna("nombre_municipio", "Nombre del municipio."),
    Columna("posicion", "Número de fórmula o posición en la planilla o lista.", ENTERO),
    Columna("tipo_candidatura", "Propietaria o suplente.", valores=_codigos(TipoCandidatura)),
    Columna("postulante", "Quién postula la candidatura.", valores=_codigos(Postulante)),
    Columna("partido", "Siglas del partido que captura la candidatura (vacía si es "
            "independiente)."),
    Columna("partidos", f"Siglas de todos los partidos que la postulan. {_LISTA_CSV}", LISTA),
    Columna("nombre_postulante", "Nombre de la coalición, candidatura común o candidatura "
            "independiente."),
    Columna("clave_postulante", "Clave de la postulación en el catálogo de la elección."),
    Columna("sexo", "Sexo según el registro de candidaturas.", valores=_codigos(Sexo)),
    Columna("edad", "Edad el día de la jornada electoral.", ENTERO),
    Columna("accion_afirmativa", "Grupo de la acción afirmativa con que se registró; vacía si "
            "ninguna.", valores=_codigos(AccionAfirmativa)),
)  # fmt: skip
_REGISTRO_IDENTIDAD = tuple(
    c for c in _REGISTRO if c.nombre not in ("sobrenombre", "partidos", "clave_postulante")
)
_REDES = (("facebook", "Facebook"), ("x", "X"), ("instagram", "Instagram"),
          ("youtube", "YouTube"), ("tiktok", "TikTok"), ("otra", "otra red social"))  # fmt: skip
_TEXTOS = (
    ("historia_profesional", "Historia profesional y/o laboral."),
    ("trayectoria_politica", "Trayectoria política y/o participación social."),
    ("motivo_cargo_publico", "¿Por qué quiero ocupar un cargo público?"),
    ("propuesta_1", "Propuesta 1."),
    ("propuesta_2", "Propuesta 2."),
    ("propuesta_genero", "Propuesta en materia de género o del grupo en situación de "
                         "discriminación que representa."),
)  # fmt: skip
_CAMPOS_SIMPLES = (
    "fotografia", "telefono_publico", "correo_publico", "pagina_web", "domicilio_casa_campana",
    "grado_maximo_estudios", "estatus_estudios", *(c for c, _ in _TEXTOS),
)  # fmt: skip

COLUMNAS_CURRICULAR: tuple[Columna, ...] = (
    *_REGISTRO,
    Columna("estado", "publicado: el perfil se muestra completo; deshabilitado: el instituto "
            "deshabilitó todo su contenido y solo se publican los datos del registro.",
            valores="publicado; deshabilitado"),
    Columna("motivo_deshabilitado", "Motivo por el que el instituto deshabilitó el perfil "
            "completo (Lineamientos, art. 18).", valores=_codigos(MotivoContenido)),
    Columna("campos_deshabilitados", "Campos que el instituto deshabilitó: su texto no se "
            f"publica y su columna va vacía. {_LISTA_CSV}", LISTA),
    Columna("publicado_en", "Cuándo se publicó el perfil por primera vez.", FECHA),
    Columna("actualizado_en", "Cuándo se publicó su contenido vigente.", FECHA),
    Columna("fotografia", f"Ruta de la fotografía en el sitio público. {_VACIA}"),
    Columna("telefono_publico", f"Teléfono público. {_VACIA}"),
    Columna("correo_publico", f"Correo electrónico público. {_VACIA}"),
    Columna("pagina_web", f"Página web. {_VACIA}"),
    *(Columna(f"red_{r}", f"Enlace a {n}. {_VACIA}") for r, n in _REDES),
    Columna("domicilio_casa_campana", f"Domicilio de la casa de campaña. {_VACIA}"),
    Columna("grado_maximo_estudios", f"Grado máximo de estudios. {_VACIA}",
            valores=_codigos(GradoEstudios)),
    Columna("estatus_estudios", f"Estatus del grado máximo de estudios. {_VACIA}",
            valores=_codigos(EstatusEstudios)),
    Columna("cursos", "Cursos, diplomados o seminarios. En JSON, una lista; en CSV, uno por "
            f"línea. {_VACIA}", LISTA, separador="\n"),
    *(Columna(c, f"{d} {_VACIA}") for c, d in _TEXTOS),
)  # fmt: skip


def _columnas_preguntas() -> tuple[Columna, ...]:
    columnas: list[Columna] = []
    for p in PREGUNTAS:
        multiple = f" Varias respuestas: {_LISTA_CSV}" if p.multiple else ""
        condicion = f" ({p.condicion})" if p.condicion else ""
        columnas.append(
            Columna(p.clave, f"Pregunta {p.numero}: {p.texto}{condicion}.{multiple} Vacía si no "
                    "respondió.", LISTA if p.multiple else TEXTO,
                    valores="; ".join(valores_permitidos(p)))
        )  # fmt: skip
        if p.otro:
            columnas.append(
                Columna(p.clave + SUFIJO_OTRO, f"Texto de «Otro»/«Otra» de la pregunta "
                        f"{p.numero}, cuando lo eligió (hasta 100 caracteres).")
            )  # fmt: skip
    return tuple(columnas)


COLUMNAS_IDENTIDAD: tuple[Columna, ...] = (*_REGISTRO_IDENTIDAD, *_columnas_preguntas())


def fila_curricular(vista: Mapping[str, Any]) -> dict[str, Any]:
    """A public view as a row of the curricular database (JSON types; lists kept)."""
    fila: dict[str, Any] = {c.nombre: vista.get(c.nombre) for c in _REGISTRO}
    deshabilitado = vista.get("deshabilitado")
    publicado = vista.get("estado") == "publicado"
    curricular = (vista.get("curricular") if publicado else None) or {}
    redes = curricular.get("redes_sociales") or {}
    fila |= {
        "estado": vista.get("estado"),
        "motivo_deshabilitado": deshabilitado.get("motivo") if deshabilitado else None,
        "campos_deshabilitados": [
            d["campo"] for d in vista.get("contenido_deshabilitado") or () if publicado
        ],
        "publicado_en": vista.get("publicado_en"),
        "actualizado_en": vista.get("actualizado_en"),
        **{c: curricular.get(c) for c in _CAMPOS_SIMPLES},
        **{f"red_{r}": redes.get(r) for r, _ in _REDES},
        "cursos": curricular.get("cursos") if curricular else None,
    }
    fila["partidos"] = list(fila["partidos"] or ())
    return {c.nombre: fila[c.nombre] for c in COLUMNAS_CURRICULAR}


def fila_identidad(vista: Mapping[str, Any]) -> dict[str, Any] | None:
    """A public view as a row of the identity database; None unless its answers are public."""
    respuestas = vista.get("identidad")
    if not respuestas or vista.get("estado") != "publicado":
        return None
    fila: dict[str, Any] = {c.nombre: vista.get(c.nombre) for c in _REGISTRO_IDENTIDAD}
    for p in PREGUNTAS:
        valor = respuestas.get(p.clave)
        if p.multiple and isinstance(valor, str):
            valor = [valor]
        fila[p.clave] = list(valor) if isinstance(valor, list | tuple) else valor
        if p.otro:
            fila[p.clave + SUFIJO_OTRO] = respuestas.get(p.clave + SUFIJO_OTRO)
    return fila


def celdas_csv(columnas: Sequence[Columna], fila: Mapping[str, Any]) -> list[str | int]:
    """A row as CSV cells: empty for None, lists joined by the column's separator."""
    celdas: list[str | int] = []
    for columna in columnas:
        valor = fila.get(columna.nombre)
        if valor is None:
            celdas.append("")
        elif isinstance(valor, list | tuple):
            celdas.append(columna.separador.join(str(v) for v in valor))
        else:
            celdas.append(valor)
    return celdas


# The files of a snapshot, in the order the page lists them.
@dataclass(frozen=True, slots=True)
class Archivo:
    """One file of the snapshot: its public name, database, format and media type."""

    nombre: str
    base: str
    formato: str
    tipo: str
    descripcion: str


CSV_TIPO = "text/csv; charset=utf-8"
JSON_TIPO = "application/json"
XLSX_TIPO = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_INE = "candidaturas-formato-ine.xlsx"
DICCIONARIO = "diccionario"
ARCHIVOS: tuple[Archivo, ...] = (
    Archivo("curricular.csv", CURRICULAR, "csv", CSV_TIPO, "Base curricular"),
    Archivo("curricular.json", CURRICULAR, "json", JSON_TIPO, "Base curricular"),
    Archivo("identidad.csv", IDENTIDAD, "csv", CSV_TIPO, "Base de identidad"),
    Archivo("identidad.json", IDENTIDAD, "json", JSON_TIPO, "Base de identidad"),
    Archivo(XLSX_INE, "ambas", "xlsx", XLSX_TIPO, "Ambas bases con el formato del INE"),
    Archivo("diccionario.csv", DICCIONARIO, "csv", CSV_TIPO, "Diccionario de datos"),
    Archivo("diccionario.json", DICCIONARIO, "json", JSON_TIPO, "Diccionario de datos"),
)
POR_NOMBRE = {a.nombre: a for a in ARCHIVOS}
COLUMNAS_DICCIONARIO = ("archivos", "columna", "descripcion", "tipo", "valores_permitidos")


def diccionario() -> list[dict[str, str]]:
    """Every column of every file: name, Spanish description, type and allowed values."""
    entradas: list[dict[str, str]] = []
    for archivos, columnas in (
        ("curricular.csv, curricular.json", COLUMNAS_CURRICULAR),
        ("identidad.csv, identidad.json", COLUMNAS_IDENTIDAD),
    ):
        entradas += [
            dict(zip(COLUMNAS_DICCIONARIO, (archivos, c.nombre, c.descripcion, c.tipo, c.valores),
                     strict=True))
            for c in columnas
        ]  # fmt: skip
    for hoja, columnas_ine in (
        (formato_ine.HOJA_CANDIDATOS, formato_ine.COLUMNAS_CANDIDATOS),
        (formato_ine.HOJA_IDENTIDAD, formato_ine.COLUMNAS_IDENTIDAD),
    ):
        archivos = f"{XLSX_INE}, hoja {hoja}"
        entradas += [
            dict(zip(COLUMNAS_DICCIONARIO, (archivos, c.encabezado, c.descripcion, c.tipo,
                                            c.valores), strict=True))
            for c in columnas_ine
        ]  # fmt: skip
    return entradas


@dataclass(frozen=True, slots=True)
class ArchivoGenerado:
    """A written file of a snapshot: its size, checksum and rows."""

    nombre: str
    tamano: int
    sha256: str
    filas: int


def huella_contenido(archivos: Iterable[ArchivoGenerado]) -> str:
    """What identifies a snapshot's content: the checksums of its byte-stable files.

    XLSX files carry their save time inside, so the workbook is left out: it is made from the
    rows of the JSON files, and `VERSION_FORMATO` covers changes of layout.
    """
    partes = [f"v{VERSION_FORMATO}"]
    partes += sorted(f"{a.nombre}:{a.sha256}" for a in archivos if not a.nombre.endswith(".xlsx"))
    return hashlib.sha256("\n".join(partes).encode()).hexdigest()


def manifiesto(
    *,
    eleccion: str,
    generado_en: str,
    archivos: Sequence[ArchivoGenerado],
    filas: Mapping[str, int],
    huella_clave: str,
) -> bytes:
    """The signed manifest: every file's name, size, sha256 and rows, and the signing key."""
    documento = {
        "version": VERSION_FORMATO,
        "eleccion": eleccion,
        "generado_en": generado_en,
        "huella_contenido": huella_contenido(archivos),
        "filas": dict(filas),
        "archivos": [
            {
                "nombre": a.nombre,
                "base": POR_NOMBRE[a.nombre].base,
                "formato": POR_NOMBRE[a.nombre].formato,
                "tipo": POR_NOMBRE[a.nombre].tipo,
                "tamano": a.tamano,
                "sha256": a.sha256,
                "filas": a.filas,
            }
            for a in archivos
        ],
        "firma": {"algoritmo": "Ed25519", "clave_publica_sha256": huella_clave},
    }
    return (json.dumps(documento, ensure_ascii=False, indent=2) + "\n").encode()
