"""The registry import layout: columns, accepted values, and one row → registry data."""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from captura.domain.candidatura import Registro, edad_al
from captura.domain.catalogo import Contienda, Eleccion, contienda_de
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
class Rechazo:
    """Why a row was not applied: spreadsheet row, column and a Spanish reason."""

    fila: int
    columna: str
    motivo: str
    folio: str = ""


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


def normalizar(texto: str) -> str:
    """Upper case, no accents, words joined by underscores: for tolerant matching."""
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn"
    )
    return "_".join(sin_acentos.upper().replace("-", " ").replace("_", " ").split())


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


def _vocabulario(
    *enumeraciones: type[StrEnum], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Accepted spellings (code or Spanish label, any case or accents) → wire code."""
    aceptados: dict[str, str] = {}
    for enumeracion in enumeraciones:
        for miembro in enumeracion:
            aceptados[normalizar(miembro.value)] = miembro.value
            if miembro.value in ETIQUETAS:
                aceptados[normalizar(ETIQUETAS[miembro.value])] = miembro.value
    aceptados.update({normalizar(k): v for k, v in (extra or {}).items()})
    return aceptados


_CARGOS = _vocabulario(
    Cargo, extra={"Diputación": "diputacion_local", "Presidencia": "presidencia_municipal"}
)
_PRINCIPIOS = _vocabulario(Principio)
_TIPOS = _vocabulario(
    TipoCandidatura, extra={"Propietario": "propietaria", "Titular": "propietaria"}
)
_POSTULANTES = _vocabulario(
    Postulante,
    extra={"Partido": "partido", "Independiente": "independiente", "Común": "candidatura_comun"},
)
_SEXOS = _vocabulario(Sexo, extra={"No binaria": "no_binario", "Persona no binaria": "no_binario"})
_ACCIONES = _vocabulario(
    AccionAfirmativa,
    extra={
        "Indígena": "indigena",
        "LGBTTTIQ+": "lgbtttiq",
        "Persona mayor": "persona_mayor",
        "Persona con discapacidad": "discapacidad",
    },
)
_ESTATUS = _vocabulario(Estatus)
_NINGUNA = {"", "NINGUNA", "NINGUNO", "NO", "NO_APLICA", "N_A"}


class _Lector:
    """Reads one row's cells, collecting a Rechazo per bad column."""

    def __init__(self, fila: int, celdas: Mapping[str, object]) -> None:
        self.fila = fila
        self.celdas = celdas
        self.rechazos: list[Rechazo] = []
        self.folio = ""

    def rechazar(self, columna: str, motivo: str) -> None:
        """Record one problem."""
        self.rechazos.append(Rechazo(self.fila, columna, motivo, self.folio))

    def texto(self, columna: str, *, obligatoria: bool = False, maximo: int = 200) -> str | None:
        """A text cell (numbers are written as integers when whole)."""
        valor = self.celdas.get(columna)
        if valor is None or (isinstance(valor, str) and not valor.strip()):
            if obligatoria:
                self.rechazar(columna, f"La columna {columna} es obligatoria y está vacía.")
            return None
        if isinstance(valor, bool) or not isinstance(valor, (str, int, float, date)):
            self.rechazar(
                columna, "La celda contiene una fórmula o un valor no admitido; escriba el valor."
            )
            return None
        texto = _como_texto(valor)
        if len(texto) > maximo:
            self.rechazar(
                columna, f"El texto tiene {len(texto)} caracteres; el máximo es {maximo}."
            )
            return None
        return texto

    def codigo(
        self, columna: str, aceptados: Mapping[str, str], *, obligatoria: bool = True
    ) -> str | None:
        """A value of a closed vocabulary."""
        texto = self.texto(columna, obligatoria=obligatoria)
        if texto is None:
            return None
        codigo = aceptados.get(normalizar(texto))
        if codigo is None:
            opciones = sorted({ETIQUETAS.get(c, c) for c in aceptados.values()})
            self.rechazar(columna, f"«{texto}» no es un valor válido; use: {', '.join(opciones)}.")
        return codigo

    def entero(self, columna: str) -> int | None:
        """A positive whole number, or None when blank."""
        texto = self.texto(columna)
        if texto is None:
            return None
        if not texto.isdigit() or int(texto) < 1:
            self.rechazar(columna, f"«{texto}» debe ser un número entero mayor que cero.")
            return None
        return int(texto)

    def fecha(self, columna: str) -> date | None:
        """A date cell or a DD/MM/AAAA (or AAAA-MM-DD) text."""
        valor = self.celdas.get(columna)
        if isinstance(valor, datetime):
            return valor.date()
        if isinstance(valor, date):
            return valor
        texto = self.texto(columna, obligatoria=True)
        if texto is None:
            return None
        for formato in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                return datetime.strptime(texto, formato).date()
            except ValueError:
                continue
        self.rechazar(columna, f"«{texto}» no es una fecha válida; use DD/MM/AAAA.")
        return None


def _como_texto(valor: object) -> str:
    """Cell → stripped text; whole floats lose their '.0' (spreadsheets store numbers as floats)."""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    if isinstance(valor, datetime):
        return valor.date().isoformat()
    return " ".join(str(valor).split())


def leer_fila(
    fila: int, celdas: Mapping[str, object], eleccion: Eleccion
) -> FilaRegistro | list[Rechazo]:
    """Check one row on its own and against the catalog."""
    lector = _Lector(fila, celdas)
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


def _leer_datos(lector: _Lector, eleccion: Eleccion) -> tuple[Estatus, str | None, Registro] | None:
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
    lugar = _territorio(lector, eleccion, Cargo(cargo), Principio(principio))
    if lugar is None:
        return None
    distrito, municipio, posicion = lugar
    claves = _postulacion(
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
        accion_afirmativa=AccionAfirmativa(accion) if accion else None,
    )
    return Estatus(estatus), sustituye_a, registro


def _accion_afirmativa(lector: _Lector) -> str | bool | None:
    """The affirmative-action group, None for none, False when unreadable."""
    texto = lector.texto("ACCION_AFIRMATIVA")
    if texto is None or normalizar(texto) in _NINGUNA:
        return None
    return lector.codigo("ACCION_AFIRMATIVA", _ACCIONES) or False


def _persona(lector: _Lector) -> tuple[str, str, str, str | None, str, date] | None:
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
    lector: _Lector, curp: str, nacimiento: date, sexo: Sexo, eleccion: Eleccion
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


def _territorio(
    lector: _Lector, e: Eleccion, cargo: Cargo, principio: Principio
) -> tuple[int | None, str | None, int] | None:
    """District or municipality consistent with the office, and the position within its size."""
    distrito = lector.entero("DISTRITO")
    municipio_texto = lector.texto("MUNICIPIO")
    posicion = lector.entero("POSICION") or 1
    if lector.rechazos:
        return None
    municipio = _municipio(e, municipio_texto)
    if cargo is Cargo.DIPUTACION_LOCAL:
        if principio is Principio.MR and distrito not in e.distritos:
            detalle = "está vacío" if distrito is None else f"es {distrito}"
            lector.rechazar(
                "DISTRITO",
                "Una diputación de mayoría relativa necesita un distrito de 1 a "
                f"{max(e.distritos)}; {detalle}.",
            )
        if principio is Principio.RP and distrito is not None:
            lector.rechazar(
                "DISTRITO", "Una diputación de representación proporcional no lleva distrito."
            )
        if municipio_texto:
            lector.rechazar("MUNICIPIO", "Una diputación no lleva municipio.")
        municipio = None
    else:
        if distrito is not None:
            lector.rechazar("DISTRITO", "Una candidatura de ayuntamiento no lleva distrito.")
        if municipio is None:
            lector.rechazar(
                "MUNICIPIO",
                f"«{municipio_texto or ''}» no es un municipio de {e.entidad}; "
                "use su clave INEGI o su nombre.",
            )
            return None
        if (
            cargo in (Cargo.PRESIDENCIA_MUNICIPAL, Cargo.SINDICATURA)
            and principio is not Principio.MR
        ):
            lector.rechazar("PRINCIPIO", f"{ETIQUETAS[cargo]} solo se elige por mayoría relativa.")
            return None
    maximo = e.posiciones(cargo, principio, municipio)
    if posicion > maximo:
        lector.rechazar(
            "POSICION",
            f"La posición {posicion} excede las {maximo} que tiene "
            f"{ETIQUETAS[cargo].lower()} ({principio.value}) aquí.",
        )
    return (
        None
        if lector.rechazos
        else (distrito if cargo is Cargo.DIPUTACION_LOCAL else None, municipio, posicion)
    )


def _municipio(e: Eleccion, texto: str | None) -> str | None:
    """Municipality key from its INEGI key (with or without the state prefix) or its name."""
    if not texto:
        return None
    if texto in e.municipios:
        return texto
    if texto.isdigit() and f"{e.clave_entidad}{int(texto):03d}" in e.municipios:
        return f"{e.clave_entidad}{int(texto):03d}"
    buscado = normalizar(texto)
    return next((m.clave for m in e.municipios.values() if normalizar(m.nombre) == buscado), None)


def _postulacion(
    lector: _Lector,
    e: Eleccion,
    postulante: Postulante,
    cargo: Cargo,
    principio: Principio,
    distrito: int | None,
    municipio: str | None,
) -> tuple[str, str | None] | None:
    """Who postulates (checked against the catalog and the siglado) → (clave, capturing party)."""
    clave = lector.texto("CLAVE_POSTULANTE", obligatoria=True, maximo=40)
    indicado = lector.texto("PARTIDO_POSTULANTE", maximo=20)
    if clave is None:
        return None
    clave, indicado = clave.upper(), indicado.upper() if indicado else None
    contienda = contienda_de(cargo)
    territorio = str(distrito) if contienda is Contienda.DIPUTACION_LOCAL else (municipio or "")
    if (
        principio is Principio.RP
        and cargo is Cargo.DIPUTACION_LOCAL
        and postulante is not Postulante.PARTIDO
    ):
        lector.rechazar(
            "POSTULANTE",
            "Las listas de representación proporcional las postula cada partido por sí solo.",
        )
        return None
    partido = _partido_postulante(lector, e, postulante, clave, contienda, territorio)
    if partido is not None and indicado and indicado != partido:
        lector.rechazar(
            "PARTIDO_POSTULANTE",
            f"Según el convenio, en esta contienda postula «{partido}», no «{indicado}».",
        )
    if lector.rechazos:
        return None
    return clave, partido


def _partido_postulante(
    lector: _Lector,
    e: Eleccion,
    postulante: Postulante,
    clave: str,
    contienda: Contienda,
    territorio: str,
) -> str | None:
    """The party that captures, per the postulante kind; records a Rechazo when not allowed."""
    if postulante is Postulante.INDEPENDIENTE:
        independiente = e.independientes.get(clave)
        if independiente is None or (independiente.contienda, independiente.territorio) != (
            contienda,
            territorio,
        ):
            lector.rechazar(
                "CLAVE_POSTULANTE",
                f"«{clave}» no es una candidatura independiente registrada para esta contienda.",
            )
        return None
    if postulante is Postulante.PARTIDO:
        if clave not in e.partidos:
            lector.rechazar(
                "CLAVE_POSTULANTE",
                f"«{clave}» no es un partido de esta elección; use: {', '.join(e.partidos)}.",
            )
            return None
        if territorio and (en := _coalicion_del_partido(e, clave, contienda, territorio)):
            lector.rechazar(
                "CLAVE_POSTULANTE",
                f"En esta contienda «{clave}» participa en «{en}»; regístrela con esa postulación.",
            )
        return clave
    definicion = e.postulaciones.get(clave)
    if definicion is None or definicion.tipo is not postulante:
        lector.rechazar(
            "CLAVE_POSTULANTE",
            f"«{clave}» no es una {ETIQUETAS[postulante].lower()} de esta elección.",
        )
        return None
    partido = definicion.siglado.get((contienda, territorio))
    if partido is None:
        lector.rechazar(
            "CLAVE_POSTULANTE", f"«{clave}» no participa en esta contienda según su convenio."
        )
    return partido


def _coalicion_del_partido(
    e: Eleccion, partido: str, contienda: Contienda, territorio: str
) -> str | None:
    """The coalition or común a party runs in for a contest, if any."""
    return next(
        (
            p.clave
            for p in e.postulaciones.values()
            if partido in p.partidos and (contienda, territorio) in p.siglado
        ),
        None,
    )
