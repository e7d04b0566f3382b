"""The registry import layout: columns, accepted values, and one row → registry data."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from captura.domain.ambito_fila import postulacion, territorio
from captura.domain.candidatura import Registro, edad_al
from captura.domain.catalogo import Contienda, Eleccion
from captura.domain.celdas import Lector, Rechazo, normalizar, vocabulario
from captura.domain.curp import CurpInvalida, leer_curp
from comun.eventos.vocabulario import (
    ETIQUETAS,
    AccionAfirmativa,
    Cargo,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)


class Estatus(StrEnum):
    """Registry status of a row (DOMINIO §2 side paths)."""

    REGISTRADA = "registrada"
    SUSTITUIDA = "sustituida"
    CANCELADA = "cancelada"


@dataclass(frozen=True, slots=True)
class Columna:
    """One column of the layout."""

    nombre: str
    obligatoria: bool
    descripcion: str


COLUMNAS = (
    Columna("FOLIO", True, "Clave única de la candidatura en el sistema de registro."),
    Columna("ESTATUS", False, "Registrada (por omisión), Sustituida o Cancelada."),
    Columna("SUSTITUYE_A", False, "FOLIO de la candidatura que esta sustituye."),
    Columna("CARGO", True, "Diputación local, Presidencia municipal, Sindicatura o Regiduría."),
    Columna("PRINCIPIO", True, "MR (mayoría relativa) o RP (representación proporcional)."),
    Columna("DISTRITO", False, "Número de distrito local; solo diputaciones de MR."),
    Columna("MUNICIPIO", False, "Clave INEGI o nombre del municipio; solo ayuntamientos."),
    Columna(
        "POSICION", False, "Número de fórmula o posición en la planilla o lista (1 si se omite)."
    ),
    Columna("TIPO", True, "Propietaria o Suplente."),
    Columna(
        "POSTULANTE",
        True,
        "Partido político, Coalición, Candidatura común o Candidatura independiente.",
    ),
    Columna(
        "CLAVE_POSTULANTE",
        True,
        "Siglas del partido o clave de la coalición, candidatura común o independiente.",
    ),
    Columna(
        "PARTIDO_POSTULANTE",
        False,
        "Siglas del partido que postula según el convenio; se toma del siglado si se omite.",
    ),
    Columna("NOMBRE", True, "Nombre o nombres de pila."),
    Columna("PRIMER_APELLIDO", True, "Primer apellido."),
    Columna("SEGUNDO_APELLIDO", False, "Segundo apellido."),
    Columna("SOBRENOMBRE", False, "Sobrenombre con el que aparecerá, si lo hay."),
    Columna("CURP", True, "CURP de 18 caracteres."),
    Columna("FECHA_NACIMIENTO", True, "DD/MM/AAAA; debe coincidir con la CURP."),
    Columna("SEXO", True, "Mujer, Hombre o No binario."),
    Columna(
        "ACCION_AFIRMATIVA",
        False,
        "Indígena, Discapacidad, Afromexicana, LGBTTTIQ+, Migrante, Joven, Persona mayor o vacío.",
    ),
)
NOMBRES_COLUMNAS = tuple(c.nombre for c in COLUMNAS)


@dataclass(frozen=True, slots=True)
class FilaRegistro:
    """A row that passed its own checks, ready to reconcile with the registry."""

    fila: int
    folio: str
    estatus: Estatus
    sustituye_a: str | None
    registro: Registro

    @property
    def contienda(self) -> tuple[Contienda, str, Principio | None]:
        """The contest: a district's deputation (MR or RP list) or a municipality's council."""
        r = self.registro
        if r.cargo is Cargo.DIPUTACION_LOCAL:
            return (Contienda.DIPUTACION_LOCAL, str(r.distrito or ""), r.principio)
        return (Contienda.AYUNTAMIENTO, r.municipio or "", None)


class ColumnasIncorrectas(ValueError):
    """The header does not match the layout; the message lists expected vs found."""


def revisar_encabezados(encabezados: list[str]) -> dict[str, int]:
    """Map each layout column to its position; ColumnasIncorrectas lists what is wrong."""
    posiciones = {normalizar(e): i for i, e in enumerate(encabezados) if e}
    faltan = [c for c in NOMBRES_COLUMNAS if c not in posiciones]
    sobran = [e for e in encabezados if e and normalizar(e) not in NOMBRES_COLUMNAS]
    if faltan or sobran:
        partes = [
            f"Faltan: {', '.join(faltan)}." if faltan else "",
            f"No se reconocen: {', '.join(sobran)}." if sobran else "",
        ]
        raise ColumnasIncorrectas(
            "Las columnas del archivo no coinciden con el formato del registro. "
            + " ".join(p for p in partes if p)
            + f" Se esperaban: {', '.join(NOMBRES_COLUMNAS)}. Se encontraron: "
            + f"{', '.join(e for e in encabezados if e) or '(ninguna)'}. "
            + "Descargue la plantilla para ver el formato."
        )
    return {c: posiciones[c] for c in NOMBRES_COLUMNAS}


_CARGOS = vocabulario(
    Cargo, extra={"Diputación": "diputacion_local", "Presidencia": "presidencia_municipal"}
)
_PRINCIPIOS = vocabulario(Principio)
_TIPOS = vocabulario(
    TipoCandidatura, extra={"Propietario": "propietaria", "Titular": "propietaria"}
)
_POSTULANTES = vocabulario(
    Postulante,
    extra={"Partido": "partido", "Independiente": "independiente", "Común": "candidatura_comun"},
)
_SEXOS = vocabulario(Sexo, extra={"No binaria": "no_binario", "Persona no binaria": "no_binario"})
_ACCIONES = vocabulario(
    AccionAfirmativa,
    extra={
        "Indígena": "indigena",
        "LGBTTTIQ+": "lgbtttiq",
        "Persona mayor": "persona_mayor",
        "Persona con discapacidad": "discapacidad",
    },
)
_ESTATUS = vocabulario(Estatus)
_NINGUNA = {"", "NINGUNA", "NINGUNO", "NO", "NO_APLICA", "N_A"}


def leer_fila(
    fila: int, celdas: Mapping[str, object], eleccion: Eleccion
) -> FilaRegistro | list[Rechazo]:
    """Check one row on its own and against the catalog."""
    lector = Lector(fila, celdas)
    folio = lector.texto("FOLIO", obligatoria=True, maximo=64) or ""
    lector.folio = folio
    if folio and not all(c.isalnum() or c in "-_./" for c in folio):
        lector.rechazar("FOLIO", "El folio solo puede tener letras, números y los signos - _ . /.")
    datos = _leer_datos(lector, eleccion)
    if lector.rechazos or datos is None:
        return lector.rechazos
    estatus, sustituye_a, registro = datos
    return FilaRegistro(
        fila=fila, folio=folio, estatus=estatus, sustituye_a=sustituye_a, registro=registro
    )


def _leer_datos(lector: Lector, eleccion: Eleccion) -> tuple[Estatus, str | None, Registro] | None:
    """Every column of the row; None when something is missing."""
    estatus = lector.codigo("ESTATUS", _ESTATUS, obligatoria=False) or Estatus.REGISTRADA.value
    sustituye_a = lector.texto("SUSTITUYE_A", maximo=64)
    cargo = lector.codigo("CARGO", _CARGOS)
    principio = lector.codigo("PRINCIPIO", _PRINCIPIOS)
    tipo = lector.codigo("TIPO", _TIPOS)
    postulante = lector.codigo("POSTULANTE", _POSTULANTES)
    sexo = lector.codigo("SEXO", _SEXOS)
    accion = _accion_afirmativa(lector)
    persona = _persona(lector)
    if None in (cargo, principio, tipo, postulante, sexo, persona) or accion is False:
        return None
    assert persona is not None and cargo and principio and tipo and postulante and sexo
    lugar = territorio(lector, eleccion, Cargo(cargo), Principio(principio))
    if lugar is None:
        return None
    distrito, municipio, posicion = lugar
    claves = postulacion(
        lector,
        eleccion,
        Postulante(postulante),
        Cargo(cargo),
        Principio(principio),
        distrito,
        municipio,
    )
    if claves is None:
        return None
    nombres, primer, segundo, sobrenombre, curp, nacimiento = persona
    _revisar_curp(lector, curp, nacimiento, Sexo(sexo), eleccion)
    registro = Registro(
        eleccion=eleccion.id,
        nombres=nombres,
        primer_apellido=primer,
        segundo_apellido=segundo,
        sobrenombre=sobrenombre,
        curp=curp,
        fecha_nacimiento=nacimiento,
        sexo=Sexo(sexo),
        cargo=Cargo(cargo),
        principio=Principio(principio),
        tipo_candidatura=TipoCandidatura(tipo),
        postulante=Postulante(postulante),
        clave_postulante=claves[0],
        partido=claves[1],
        distrito=distrito,
        municipio=municipio,
        posicion=posicion,
        accion_afirmativa=AccionAfirmativa(accion) if isinstance(accion, str) and accion else None,
    )
    return Estatus(estatus), sustituye_a, registro


def _accion_afirmativa(lector: Lector) -> str | bool | None:
    """The affirmative-action group, None for none, False when unreadable."""
    texto = lector.texto("ACCION_AFIRMATIVA")
    if texto is None or normalizar(texto) in _NINGUNA:
        return None
    return lector.codigo("ACCION_AFIRMATIVA", _ACCIONES) or False


def _persona(lector: Lector) -> tuple[str, str, str, str | None, str, date] | None:
    """Name parts, CURP and birth date."""
    nombres = lector.texto("NOMBRE", obligatoria=True, maximo=100)
    primer = lector.texto("PRIMER_APELLIDO", obligatoria=True, maximo=100)
    segundo = lector.texto("SEGUNDO_APELLIDO", maximo=100) or ""
    sobrenombre = lector.texto("SOBRENOMBRE", maximo=100)
    curp = lector.texto("CURP", obligatoria=True, maximo=30)
    nacimiento = lector.fecha("FECHA_NACIMIENTO")
    if nombres is None or primer is None or curp is None or nacimiento is None:
        return None
    return nombres, primer, segundo, sobrenombre, curp.upper(), nacimiento


def _revisar_curp(
    lector: Lector, curp: str, nacimiento: date, sexo: Sexo, eleccion: Eleccion
) -> None:
    """Check digit, and birth date and sex consistent with the CURP; adult on election day."""
    try:
        datos = leer_curp(curp)
    except CurpInvalida as exc:
        lector.rechazar("CURP", str(exc))
        return
    if datos.fecha_nacimiento != nacimiento:
        lector.rechazar(
            "FECHA_NACIMIENTO",
            f"La fecha {nacimiento:%d/%m/%Y} no coincide con la de la CURP "
            f"({datos.fecha_nacimiento:%d/%m/%Y}).",
        )
    if datos.sexo is not sexo and sexo is not Sexo.NO_BINARIO:
        lector.rechazar("SEXO", f"El sexo «{ETIQUETAS[sexo]}» no coincide con el de la CURP.")
    if edad_al(nacimiento, eleccion.fechas.jornada) < 18:
        lector.rechazar(
            "FECHA_NACIMIENTO", "La persona no tendrá 18 años el día de la jornada electoral."
        )
