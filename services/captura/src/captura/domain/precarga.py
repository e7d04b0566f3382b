"""Bulk pre-load of questionnaires (PTO 14): template columns, row mapping and merge rules.

A row's non-empty cells are merged onto the candidacy's current drafts: an empty cell leaves
the draft's value as it is (the template documents it). INE's published layout (sheets
CANDIDATOS and CUESTIONARIO IDENTIDAD, keyed by NUM_LISTA_O_FORMULA) is read the same way.
"""

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from captura.domain.curricular import (
    ETIQUETAS_ESTATUS,
    ETIQUETAS_GRADO,
    ConfiguracionCurricular,
    validar_curricular,
)
from captura.domain.identidad import validar_identidad
from captura.domain.precarga_ine import ReferenciaIne
from captura.domain.redes import OTRA, REDES, red_de_host
from comun.cuestionario_identidad import NO_APLICA, PREFIERO_NO_CONTESTAR, PREGUNTAS, SUFIJO_OTRO

VERSION_PLANTILLA = "2"
HOJA_DATOS = "CUESTIONARIOS"
HOJA_INSTRUCCIONES = "INSTRUCCIONES"
HOJA_CATALOGOS = "CATALOGOS"
HOJA_CONTROL = "CONTROL"
CLAVE = "ID_CANDIDATURA"
VERSION_BORRADOR = "VERSION_BORRADOR"
VERSION_IDENTIDAD = "VERSION_IDENTIDAD"
CONTEXTO = "contexto"
CURRICULAR = "curricular"
IDENTIDAD = "identidad"
SEPARADOR_MULTIPLE = ";"
SENSIBLE = "(no se repite: dato sensible)"
# INE's published layout.
HOJA_INE = "CANDIDATOS"
HOJA_INE_IDENTIDAD = "CUESTIONARIO IDENTIDAD"
CLAVE_INE = "NUM_LISTA_O_FORMULA"
NOMBRE_INE = "NOMBRE_CANDIDATO"
TIPO_INE = "TIPO_CANDIDATO"
CARGO_INE = "CARGO"
REDES_INE = "REDES"


@dataclass(frozen=True, slots=True)
class Columna:
    """One column of the pre-load template."""

    nombre: str
    clave: str
    cuestionario: str
    descripcion: str
    opciones: tuple[str, ...] = ()
    multiple: bool = False


_CONTEXTO = (
    Columna(CLAVE, "id", CONTEXTO, "Clave de la candidatura en el registro. No la cambie."),
    Columna(NOMBRE_INE, "nombre", CONTEXTO, "Nombre de la persona candidata (solo consulta)."),
    Columna("CARGO", "cargo", CONTEXTO, "Cargo (solo consulta)."),
    Columna("DISTRITO LOCAL", "distrito", CONTEXTO, "Distrito local (solo consulta)."),
    Columna("MUNICIPIO", "municipio", CONTEXTO, "Municipio (solo consulta)."),
    Columna("TIPO_CANDIDATO", "tipo", CONTEXTO, "Propietaria o suplente (solo consulta)."),
    Columna("PARTIDO_COALICION", "partido", CONTEXTO, "Partido que la captura (solo consulta)."),
    Columna("ESTADO_CAPTURA", "estado", CONTEXTO, "Estado de la captura al descargar."),
    Columna(
        VERSION_BORRADOR, "revision", CONTEXTO,
        "Versión del borrador curricular al descargar. No la cambie: si alguien guarda el "
        "cuestionario en el sistema después, la fila se rechaza para no sobrescribir su trabajo.",
    ),
    Columna(
        VERSION_IDENTIDAD, "revision_identidad", CONTEXTO,
        "Versión del cuestionario de identidad al descargar. No la cambie: si alguien lo guarda "
        "en el sistema después, la fila se rechaza para no sobrescribir su trabajo.",
    ),
)  # fmt: skip
_AYUDA_TEXTO = "Texto libre; hasta {} caracteres."
_CURRICULAR = (
    Columna(
        "DIRECCION_CASA_CAMPAÑA", "domicilio_casa_campana", CURRICULAR,
        "Calle, número, colonia, municipio y código postal.",
    ),
    Columna("TELEFONO", "telefono_publico", CURRICULAR, "Teléfono público de 10 dígitos."),
    Columna("CORREO_ELECTRONICO", "correo_publico", CURRICULAR, "Correo electrónico público."),
    Columna("PAGINA_WEB", "pagina_web", CURRICULAR, "Dirección que empiece con https://."),
    *(
        Columna(
            red.nombre.upper(), f"redes_sociales.{clave}", CURRICULAR,
            f"Enlace a su perfil o nombre de usuario de {red.nombre}.",
        )
        for clave, red in REDES.items()
    ),
    Columna("OTRA_RED", f"redes_sociales.{OTRA}", CURRICULAR, "Enlace a otra red social."),
    Columna(
        "ESCOLARIDAD", "grado_maximo_estudios", CURRICULAR, "Grado máximo de estudios.",
        tuple(ETIQUETAS_GRADO.values()),
    ),
    Columna(
        "ESTATUS_ESCOLARIDAD", "estatus_estudios", CURRICULAR,
        "Estatus del grado máximo de estudios (no se llena con «Sin estudios»).",
        tuple(ETIQUETAS_ESTATUS.values()),
    ),
    Columna(
        "CURSOS", "cursos", CURRICULAR,
        "Cursos, diplomados y seminarios: uno por renglón (Alt+Enter en Excel), hasta {curso} "
        "caracteres cada uno y {max_cursos} en total.",
    ),
    Columna("HISTORIA_PROFESIONAL", "historia_profesional", CURRICULAR, _AYUDA_TEXTO),
    Columna("TRAYECTORIA_POLITICA", "trayectoria_politica", CURRICULAR, _AYUDA_TEXTO),
    Columna("MOTIVO_CARGO_PUBLICO", "motivo_cargo_publico", CURRICULAR, _AYUDA_TEXTO),
    Columna("PROPUESTA_1", "propuesta_1", CURRICULAR, _AYUDA_TEXTO),
    Columna("PROPUESTA_2", "propuesta_2", CURRICULAR, _AYUDA_TEXTO),
    Columna("PROPUESTA_GENERO", "propuesta_genero", CURRICULAR, _AYUDA_TEXTO),
    Columna(
        "CORREO_ACLARACIONES", "correo_aclaraciones", CURRICULAR,
        "Correo para aclaraciones. Privado: nunca se publica.",
    ),
)  # fmt: skip


def _columnas_identidad() -> tuple[Columna, ...]:
    """The 20 questions with INE's header wording, plus an «(otro)» text column where needed."""
    columnas: list[Columna] = []
    for p in PREGUNTAS:
        especiales: tuple[str, ...] = (PREFIERO_NO_CONTESTAR,)
        condicion = ""
        if p.depende_de:
            especiales += (NO_APLICA,)
            padre = next(q.numero for q in PREGUNTAS if q.clave == p.depende_de[0])
            condicion = f" Solo si la pregunta {padre} es «{p.depende_de[1]}»; si no, déjela vacía."
        ayuda = "Varias opciones separadas por «;». " if p.multiple else ""
        columnas.append(
            Columna(
                f"{p.numero}. {p.texto}".strip(), p.clave, IDENTIDAD,
                f"{ayuda}Elija de la lista.{condicion}", (*p.opciones, *especiales), p.multiple,
            )
        )  # fmt: skip
        if p.otro:
            columnas.append(
                Columna(
                    f"{p.numero}. {p.texto} (otro)".strip(), p.clave + SUFIJO_OTRO, IDENTIDAD,
                    f"Si eligió «Otro» u «Otra» en la pregunta {p.numero}, escriba cuál "
                    "(hasta 100 caracteres).",
                )
            )  # fmt: skip
    return tuple(columnas)


COLUMNAS: tuple[Columna, ...] = (*_CONTEXTO, *_CURRICULAR, *_columnas_identidad())
NOMBRES_COLUMNAS: tuple[str, ...] = tuple(c.nombre for c in COLUMNAS)
POR_NOMBRE: dict[str, Columna] = {c.nombre: c for c in COLUMNAS}
POR_CLAVE: dict[str, Columna] = {c.clave: c for c in COLUMNAS if c.cuestionario != CONTEXTO}


def descripcion(columna: Columna, config: ConfiguracionCurricular) -> str:
    """A column's explanation with this election's limits."""
    limite = config.limite(columna.clave)
    return columna.descripcion.format(
        limite or "", curso=config.limite_curso, max_cursos=config.max_cursos
    )


# INE's labels that are not the questionnaire's own wording.
_GRADOS_INE = {"tecnica": "Carrera técnica", "tecnico": "Carrera técnica"}
_ESTATUS_INE = {"trunca": "Trunco"}
# Cells that mean «nothing to say» in INE's file and in people's spreadsheets.
_VACIOS = frozenset({"no proporciono", "sin informacion", "no aplica", "ninguno", "n/a"})
_SIN_CURSOS = frozenset({"sin cursos", "ninguno", "ningun curso"})


def normalizar(texto: str) -> str:
    """Case-, accent- and trailing-dot-free text to compare labels."""
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return " ".join(sin_acentos.casefold().split()).rstrip(".").strip()


@dataclass(frozen=True, slots=True)
class Observacion:
    """Why a row was rejected: the column, the value and the reason, in Spanish."""

    columna: str
    valor: str
    motivo: str


@dataclass
class FilaPrecarga:
    """One row of a pre-load file, its cells already mapped to questionnaire keys."""

    numero: int
    hoja: str
    candidatura_id: str | None
    curricular: dict[str, Any] = field(default_factory=dict)
    identidad: dict[str, Any] = field(default_factory=dict)
    revision: int | None = None
    revision_identidad: int | None = None
    crudos: dict[str, str] = field(default_factory=dict)
    observaciones: list[Observacion] = field(default_factory=list)
    referencia: ReferenciaIne | None = None

    @property
    def vacia(self) -> bool:
        """Whether the row brings nothing to save."""
        return not self.curricular and not self.identidad


def texto_de(valor: Any) -> str:
    """A cell as text for reports."""
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    if isinstance(valor, datetime.date):
        return valor.isoformat()
    return str(valor)


def clave_de(valor: Any) -> str | None:
    """A candidacy id cell as text (spreadsheets turn numbers into 236787.0)."""
    texto = texto_de(valor).strip()
    return texto or None


def _es_vacio(columna: Columna, valor: Any) -> bool:
    """Whether a cell leaves the draft as it is."""
    if valor is None:
        return True
    if not isinstance(valor, str):
        return False
    clave = normalizar(valor)
    if not clave:
        return True
    if columna.cuestionario == CURRICULAR:
        return clave in _VACIOS or (columna.clave == "cursos" and clave in _SIN_CURSOS)
    return False


def _valor_curricular(columna: Columna, valor: Any) -> Any:
    """INE's labels turned into the questionnaire's; everything else is validated as it comes."""
    if isinstance(valor, str) and columna.clave == "grado_maximo_estudios":
        return _GRADOS_INE.get(normalizar(valor), valor)
    if isinstance(valor, str) and columna.clave == "estatus_estudios":
        return _ESTATUS_INE.get(normalizar(valor), valor)
    return valor


def _valor_identidad(columna: Columna, valor: Any) -> Any:
    """Multiple-choice cells split on «;» or line breaks; numbers as text."""
    texto = texto_de(valor).strip()
    if columna.multiple:
        partes = texto.replace("\r", "\n").replace("\n", SEPARADOR_MULTIPLE).split(";")
        return [p.strip() for p in partes if p.strip()]
    return texto


def redes_de_ine(valor: str) -> tuple[dict[str, str], str | None]:
    """INE's REDES cell (comma-separated links) split by network, or why it cannot be."""
    redes: dict[str, str] = {}
    for enlace in (e.strip() for e in valor.replace("\n", ",").replace(" ", ",").split(",")):
        if not enlace:
            continue
        con_esquema = enlace if "//" in enlace else f"https://{enlace}"
        host = (urlsplit(con_esquema).hostname or "").lower()
        red = red_de_host(host) or ("youtube" if host == "youtu.be" else OTRA)
        if red in redes:
            nombre = REDES[red].nombre if red in REDES else "otras redes"
            return {}, (
                f"REDES trae más de un enlace de {nombre}; la plantilla admite uno por red. "
                "Deje uno solo."
            )
        redes[red] = enlace
    return redes, None


def leer_fila(
    numero: int, celdas: Mapping[str, Any], *, hoja: str = HOJA_DATOS, formulas: frozenset[str]
) -> FilaPrecarga:
    """A row's cells (by column name) → questionnaire keys; formula cells are observations."""
    fila = FilaPrecarga(numero=numero, hoja=hoja, candidatura_id=None)
    if hoja != HOJA_DATOS:
        fila.referencia = ReferenciaIne(
            numero=clave_de(celdas.get(CLAVE_INE)),
            nombre=texto_de(celdas.get(NOMBRE_INE)).strip(),
            tipo=texto_de(celdas.get(TIPO_INE)),
            cargo=texto_de(celdas.get(CARGO_INE)),
        )
    for nombre, valor in celdas.items():
        if nombre == CLAVE:
            fila.candidatura_id = clave_de(valor)
            continue
        if nombre == CLAVE_INE:
            continue
        if nombre in formulas:
            de_formula = POR_NOMBRE.get(nombre)
            sensible = de_formula is not None and de_formula.cuestionario == IDENTIDAD
            fila.observaciones.append(
                Observacion(
                    nombre, SENSIBLE if sensible else texto_de(valor),
                    "La celda tiene una fórmula; no se calculan fórmulas: escriba el valor.",
                )
            )  # fmt: skip
            continue
        if nombre == VERSION_BORRADOR:
            fila.revision = _revision(valor, fila, nombre)
            continue
        if nombre == VERSION_IDENTIDAD:
            fila.revision_identidad = _revision(valor, fila, nombre)
            continue
        if nombre == REDES_INE:
            _redes_ine(valor, fila)
            continue
        columna = POR_NOMBRE.get(nombre)
        if columna is None or columna.cuestionario == CONTEXTO or _es_vacio(columna, valor):
            continue
        fila.crudos[columna.clave] = texto_de(valor)
        if columna.cuestionario == CURRICULAR:
            fila.curricular[columna.clave] = _valor_curricular(columna, valor)
        else:
            fila.identidad[columna.clave] = _valor_identidad(columna, valor)
    return fila


def _revision(valor: Any, fila: FilaPrecarga, columna: str) -> int | None:
    """A draft revision the template was downloaded with."""
    texto = texto_de(valor).strip()
    if not texto:
        return None
    if not texto.isdigit():
        fila.observaciones.append(
            Observacion(
                columna, texto,
                "No cambie esta columna: debe quedar el número que traía la plantilla.",
            )
        )  # fmt: skip
        return None
    return int(texto)


def _redes_ine(valor: Any, fila: FilaPrecarga) -> None:
    """INE's REDES column into one field per network."""
    columna = POR_CLAVE[f"redes_sociales.{OTRA}"]
    if _es_vacio(columna, valor):
        return
    redes, error = redes_de_ine(texto_de(valor))
    if error is not None:
        fila.observaciones.append(Observacion(REDES_INE, texto_de(valor), error))
    for red, enlace in redes.items():
        fila.curricular[f"redes_sociales.{red}"] = enlace
        fila.crudos[f"redes_sociales.{red}"] = enlace


def combinar_curricular(actual: Mapping[str, Any], nuevos: Mapping[str, Any]) -> dict[str, Any]:
    """The current clean draft with a row's cells on top (redes merged network by network)."""
    combinado = {k: v for k, v in actual.items() if k != "redes_sociales"}
    redes = dict(actual.get("redes_sociales") or {})
    for clave, valor in nuevos.items():
        if clave.startswith("redes_sociales."):
            redes[clave.removeprefix("redes_sociales.")] = valor
        else:
            combinado[clave] = valor
    if redes:
        combinado["redes_sociales"] = redes
    return combinado


def combinar_identidad(actual: Mapping[str, Any], nuevos: Mapping[str, Any]) -> dict[str, Any]:
    """The current answers with a row's cells on top; derived «No aplica» is derived again."""
    combinado = {k: v for k, v in actual.items() if v not in (NO_APLICA, [NO_APLICA])}
    combinado.update(nuevos)
    return combinado


@dataclass
class Revision:
    """What a row would save: clean drafts (None: unchanged) or why it cannot."""

    curricular: dict[str, Any] | None = None
    identidad: dict[str, Any] | None = None
    observaciones: list[Observacion] = field(default_factory=list)


def revisar_fila(
    fila: FilaPrecarga,
    *,
    curricular: Mapping[str, Any],
    identidad: Mapping[str, Any] | None,
    config: ConfiguracionCurricular,
) -> Revision:
    """Validate a row merged onto the current drafts; every bad cell becomes an observation."""
    revision = Revision(observaciones=list(fila.observaciones))
    if fila.curricular:
        combinado = combinar_curricular(curricular, fila.curricular)
        limpias, errores = validar_curricular(combinado, config=config)
        for clave, motivo in errores.items():
            revision.observaciones.append(_observacion(fila, clave, motivo))
        if limpias != curricular:
            revision.curricular = limpias
    if fila.identidad and identidad is not None:
        combinado = combinar_identidad(identidad, fila.identidad)
        limpias, errores = validar_identidad(combinado)
        for clave, motivo in errores.items():
            revision.observaciones.append(_observacion(fila, clave, motivo, sensible=True))
        if limpias != identidad:
            revision.identidad = limpias
    return revision


def _observacion(
    fila: FilaPrecarga, clave: str, motivo: str, *, sensible: bool = False
) -> Observacion:
    """An error of a field key as the cell that caused it (identity values are not repeated)."""
    columna = POR_CLAVE.get(clave)
    nombre = columna.nombre if columna is not None else clave
    if clave.startswith("redes_sociales.") and fila.hoja == HOJA_INE:
        nombre = REDES_INE
    valor = fila.crudos.get(clave)
    if valor is None:
        valor = "(vacía: el problema está en el borrador guardado)"
    if sensible:
        # Identity answers are sensitive: the report keeps neither the cell nor its echo.
        for parte in {valor, *valor.split(SEPARADOR_MULTIPLE), *valor.splitlines()}:
            if parte.strip():
                motivo = motivo.replace(f"«{parte.strip()}»", "«(su respuesta)»")
        valor = SENSIBLE
    return Observacion(nombre, valor, motivo)
