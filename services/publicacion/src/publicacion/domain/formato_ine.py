"""INE's published layout of the candidates' databases (sheets CANDIDATOS, CUESTIONARIO IDENTIDAD).

Column names and order are INE's 2022 file's (`datos/ine/`), so that analysis scripts written
for INE's downloads read ours. Values follow INE's conventions: context columns in capitals,
«No aplica» where a column does not apply to the office, «No proporcionó» for public data the
candidacy did not give. Two cells stay empty on purpose: a field a verifier disabled (its text
is not published) and every questionnaire cell of a profile disabled as a whole (only its
registry data is public, as on the site). NUM_LISTA_O_FORMULA carries the candidacy's id in
Conóceles, the key of INE's own system being unknown here; it links the two sheets, the CSV and
JSON files and the public API. Captura reads this layout back for its bulk pre-load.

Rows are made from the rows of the CSV and JSON bases, never from the views: what the workbook
shows is, by construction, what those files publish.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from comun.cuestionario_identidad import PREGUNTAS
from comun.eventos.vocabulario import Cargo, Principio, etiqueta

HOJA_CANDIDATOS = "CANDIDATOS"
HOJA_IDENTIDAD = "CUESTIONARIO IDENTIDAD"
NO_APLICA = "No aplica"
NO_PROPORCIONO = "No proporcionó"
SEPARADOR_OPCIONES = "; "
SEPARADOR_REDES = ", "

Celda = str | int | None


@dataclass(frozen=True, slots=True)
class ContextoEleccion:
    """What the layout needs of the election's catalog: entity, party names, district seats."""

    eleccion: str
    entidad: str
    partidos: Mapping[str, str] = field(default_factory=dict)
    cabeceras: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ColumnaIne:
    """One column of INE's layout and what the data dictionary says of it."""

    encabezado: str
    descripcion: str
    tipo: str = "texto"
    valores: str = ""


_CARGOS = {
    Cargo.DIPUTACION_LOCAL.value: "DIPUTACIÓN LOCAL",
    Cargo.PRESIDENCIA_MUNICIPAL.value: "PRESIDENCIA MUNICIPAL",
    Cargo.SINDICATURA.value: "SINDICATURA",
    Cargo.REGIDURIA.value: "REGIDURÍA",
}
_GRADOS = {
    "sin_estudios": "Sin estudios", "primaria": "Primaria", "secundaria": "Secundaria",
    "preparatoria": "Preparatoria/Bachillerato", "carrera_tecnica": "Carrera técnica",
    "licenciatura": "Licenciatura", "especialidad": "Especialidad", "maestria": "Maestría",
    "doctorado": "Doctorado", "posdoctorado": "Posdoctorado",
}  # fmt: skip
_ESTATUS = {
    "trunco": "Trunco", "cursando": "Cursando", "concluido": "Concluido",
    "certificado": "Certificado", "titulo": "Título", "cedula_profesional": "Cédula profesional",
}  # fmt: skip
_REDES = ("facebook", "x", "instagram", "youtube", "tiktok", "otra")
_TEXTOS = (
    "historia_profesional",
    "trayectoria_politica",
    "motivo_cargo_publico",
    "propuesta_1",
    "propuesta_2",
    "propuesta_genero",
)
_SI_FALTA = (
    f"«{NO_PROPORCIONO}» si no lo dio; vacía si el instituto deshabilitó el campo o el perfil."
)


def _contexto(distrito: str) -> tuple[ColumnaIne, ...]:
    """The 11 context columns both sheets share (INE spells the district column two ways)."""
    return (
        ColumnaIne("PARTIDO_COALICION", "Partido, coalición, candidatura común o candidatura "
                   "independiente que postula (nombre, en mayúsculas)."),
        ColumnaIne("CARGO", "Cargo y principio de elección.", valores="; ".join(
            ("DIPUTACIÓN LOCAL MR", "DIPUTACIÓN LOCAL RP", "PRESIDENCIA MUNICIPAL",
             "SINDICATURA", "SINDICATURA RP", "REGIDURÍA", "REGIDURÍA RP"))),
        ColumnaIne("ENTIDAD", "Entidad federativa de la elección (en mayúsculas)."),
        ColumnaIne(distrito, "Distrito local: número y cabecera («número-CABECERA»).",
                   valores=f"«{NO_APLICA}» en cargos municipales y de representación proporcional"),
        ColumnaIne("CIRCUNSCRIPCION", "Circunscripción plurinominal.",
                   valores=f"1 en diputaciones de representación proporcional; «{NO_APLICA}» en "
                   "los demás cargos"),
        ColumnaIne("MUNICIPIO", "Municipio (nombre, en mayúsculas).",
                   valores=f"«{NO_APLICA}» en diputaciones"),
        ColumnaIne("NUM_LISTA_O_FORMULA", "Clave de la candidatura en Conóceles: la misma en "
                   "ambas hojas, en los archivos CSV y JSON (columna id) y en la API pública."),
        ColumnaIne("NOMBRE_CANDIDATO", "Nombre de la persona candidata (en mayúsculas)."),
        ColumnaIne("TIPO_CANDIDATO", "Propietaria o suplente.", valores="PROPIETARIA; SUPLENTE"),
        ColumnaIne("EDAD", "Edad el día de la jornada electoral.", tipo="entero"),
        ColumnaIne("SEXO", "Sexo según el registro de candidaturas.",
                   valores="MUJER; HOMBRE; NO BINARIO"),
    )  # fmt: skip


COLUMNAS_CANDIDATOS: tuple[ColumnaIne, ...] = (
    *_contexto("DISTRITO LOCAL"),
    ColumnaIne("DIRECCION_CASA_CAMPAÑA", f"Domicilio de la casa de campaña. {_SI_FALTA}"),
    ColumnaIne("TELEFONO", f"Teléfono público. {_SI_FALTA}"),
    ColumnaIne("CORREO_ELECTRONICO", f"Correo electrónico público. {_SI_FALTA}"),
    ColumnaIne("PAGINA_WEB", f"Página web. {_SI_FALTA}"),
    ColumnaIne("REDES", f"Enlaces a redes sociales, separados por «{SEPARADOR_REDES}». "
               f"{_SI_FALTA}"),
    ColumnaIne("ESCOLARIDAD", f"Grado máximo de estudios. {_SI_FALTA}",
               valores="; ".join(_GRADOS.values())),
    ColumnaIne("ESTATUS_ESCOLARIDAD", f"Estatus del grado máximo de estudios. {_SI_FALTA}",
               valores="; ".join(_ESTATUS.values())),
    ColumnaIne("CURSOS", f"Cursos, diplomados o seminarios, uno por línea. {_SI_FALTA}"),
    ColumnaIne("HISTORIA_PROFESIONAL", f"Historia profesional y/o laboral. {_SI_FALTA}"),
    ColumnaIne("TRAYECTORIA_POLITICA", f"Trayectoria política y/o participación social. "
               f"{_SI_FALTA}"),
    ColumnaIne("MOTIVO_CARGO_PUBLICO", f"¿Por qué quiero ocupar un cargo público? {_SI_FALTA}"),
    ColumnaIne("PROPUESTA_1", f"Propuesta 1. {_SI_FALTA}"),
    ColumnaIne("PROPUESTA_2", f"Propuesta 2. {_SI_FALTA}"),
    ColumnaIne("PROPUESTA_GENERO", "Propuesta en materia de género o del grupo en situación de "
               f"discriminación que representa. {_SI_FALTA}"),
)  # fmt: skip

COLUMNAS_IDENTIDAD: tuple[ColumnaIne, ...] = (
    *_contexto("DISTRITOLOCAL"),
    *(
        ColumnaIne(
            p.encabezado_ine,
            f"Pregunta {p.numero} del cuestionario de identidad"
            + (f" ({p.condicion})" if p.condicion else "")
            + (". Varias respuestas separadas por «; »" if p.multiple else "")
            + (". El texto de «Otro»/«Otra» está en los archivos CSV y JSON" if p.otro else "")
            + ". Vacía si no respondió.",
        )
        for p in PREGUNTAS
    ),
)

ENCABEZADOS_CANDIDATOS = tuple(c.encabezado for c in COLUMNAS_CANDIDATOS)
ENCABEZADOS_IDENTIDAD = tuple(c.encabezado for c in COLUMNAS_IDENTIDAD)


def cargo_ine(cargo: str, principio: str) -> str:
    """«DIPUTACIÓN LOCAL MR», «PRESIDENCIA MUNICIPAL», «REGIDURÍA RP», as INE writes them."""
    base = _CARGOS.get(cargo, etiqueta(cargo).upper())
    if cargo == Cargo.DIPUTACION_LOCAL.value:
        return f"{base} {principio}"
    return f"{base} RP" if principio == Principio.RP.value else base


def contexto_ine(fila: Mapping[str, Any], eleccion: ContextoEleccion) -> list[Celda]:
    """The 11 context cells of a row of either base."""
    distrito = fila.get("distrito")
    cabecera = eleccion.cabeceras.get(int(distrito)) if distrito else None
    rp_local = (
        fila.get("cargo") == Cargo.DIPUTACION_LOCAL.value
        and fila.get("principio") == Principio.RP.value
    )
    partido, municipio = fila.get("partido"), fila.get("nombre_municipio")
    postulante = fila.get("nombre_postulante") or eleccion.partidos.get(str(partido)) or partido
    return [
        str(postulante or "").upper(),
        cargo_ine(str(fila.get("cargo")), str(fila.get("principio"))),
        eleccion.entidad.upper(),
        (f"{distrito}-{cabecera.upper()}" if cabecera else str(distrito))
        if distrito
        else NO_APLICA,
        "1" if rp_local else NO_APLICA,
        str(municipio).upper() if municipio else NO_APLICA,
        str(fila["id"]),
        str(fila.get("nombre") or "").upper(),
        etiqueta(fila.get("tipo_candidatura")).upper(),
        fila.get("edad"),
        etiqueta(fila.get("sexo")).upper(),
    ]


def fila_candidatos(fila: Mapping[str, Any], eleccion: ContextoEleccion) -> list[Celda]:
    """A row of the curricular base as a row of the CANDIDATOS sheet."""
    if fila.get("estado") != "publicado":
        return [*contexto_ine(fila, eleccion), *([None] * 14)]
    ocultos = set(fila.get("campos_deshabilitados") or ())

    def celda(campo: str, valor: Any) -> Celda:
        if campo in ocultos:
            return None
        if valor in (None, "", [], {}):
            return NO_PROPORCIONO
        return valor  # type: ignore[no-any-return]

    enlaces = SEPARADOR_REDES.join(str(fila[f"red_{r}"]) for r in _REDES if fila.get(f"red_{r}"))
    grado, estatus = fila.get("grado_maximo_estudios"), fila.get("estatus_estudios")
    return [
        *contexto_ine(fila, eleccion),
        celda("domicilio_casa_campana", fila.get("domicilio_casa_campana")),
        celda("telefono_publico", fila.get("telefono_publico")),
        celda("correo_publico", fila.get("correo_publico")),
        celda("pagina_web", fila.get("pagina_web")),
        celda("redes_sociales", enlaces),
        celda("grado_maximo_estudios", _GRADOS.get(grado, grado) if grado else None),
        celda("estatus_estudios", _ESTATUS.get(estatus, estatus) if estatus else None),
        celda("cursos", "\n".join(fila.get("cursos") or ())),
        *(celda(c, fila.get(c)) for c in _TEXTOS),
    ]


def fila_identidad(fila: Mapping[str, Any], eleccion: ContextoEleccion) -> list[Celda]:
    """A row of the identity base as a row of the CUESTIONARIO IDENTIDAD sheet."""
    celdas: list[Celda] = contexto_ine(fila, eleccion)
    for pregunta in PREGUNTAS:
        valor = fila.get(pregunta.clave)
        if isinstance(valor, list | tuple):
            celdas.append(SEPARADOR_OPCIONES.join(str(v) for v in valor) or None)
        else:
            celdas.append(None if valor in (None, "") else str(valor))
    return celdas
