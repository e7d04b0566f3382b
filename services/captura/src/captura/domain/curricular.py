"""Cuestionario curricular (DOMINIO §3): fields, per-election limits and answer validation."""

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from captura.domain.contacto import (
    RespuestaInvalida,
    cifra,
    limpiar_texto,
    validar_correo,
    validar_domicilio,
    validar_telefono,
    validar_url,
)
from captura.domain.redes import OTRA, REDES, validar_red
from comun.eventos.vocabulario import EstatusEstudios, GradoEstudios

ETIQUETAS_GRADO: dict[str, str] = {
    GradoEstudios.SIN_ESTUDIOS: "Sin estudios",
    GradoEstudios.PRIMARIA: "Primaria",
    GradoEstudios.SECUNDARIA: "Secundaria",
    GradoEstudios.PREPARATORIA: "Preparatoria/Bachillerato",
    GradoEstudios.CARRERA_TECNICA: "Carrera técnica",
    GradoEstudios.LICENCIATURA: "Licenciatura",
    GradoEstudios.ESPECIALIDAD: "Especialidad",
    GradoEstudios.MAESTRIA: "Maestría",
    GradoEstudios.DOCTORADO: "Doctorado",
    GradoEstudios.POSDOCTORADO: "Posdoctorado",
}
ETIQUETAS_ESTATUS: dict[str, str] = {
    EstatusEstudios.TRUNCO: "Trunco",
    EstatusEstudios.CURSANDO: "Cursando",
    EstatusEstudios.CONCLUIDO: "Concluido",
    EstatusEstudios.CERTIFICADO: "Certificado",
    EstatusEstudios.TITULO: "Título",
    EstatusEstudios.CEDULA_PROFESIONAL: "Cédula profesional",
}
# Other ways capture teams write the same option.
_SINONIMOS_GRADO = {"preparatoria": "preparatoria", "bachillerato": "preparatoria"}
_SINONIMOS_ESTATUS = {"titulado": "titulo", "cedula": "cedula_profesional"}

_LIMITES = {
    "cursos": "limite_curso",
    "historia_profesional": "limite_historia_profesional",
    "trayectoria_politica": "limite_trayectoria_politica",
    "motivo_cargo_publico": "limite_motivo_cargo_publico",
    "propuesta_1": "limite_propuesta",
    "propuesta_2": "limite_propuesta",
    "propuesta_genero": "limite_propuesta",
    "domicilio_casa_campana": "limite_domicilio",
}


def _citar(valores: list[Any]) -> str:
    return ", ".join(f"«{v}»" for v in valores)


@dataclass(frozen=True, slots=True)
class ConfiguracionCurricular:
    """Per-election limits and catalogs of the cuestionario curricular (DOMINIO §3 defaults)."""

    limite_curso: int = 250
    max_cursos: int = 20
    limite_historia_profesional: int = 5000
    limite_trayectoria_politica: int = 5000
    limite_motivo_cargo_publico: int = 2500
    limite_propuesta: int = 1600
    limite_domicilio: int = 300
    grados: tuple[GradoEstudios, ...] = tuple(GradoEstudios)
    estatus: tuple[EstatusEstudios, ...] = tuple(EstatusEstudios)

    def __post_init__(self) -> None:
        for campo in fields(self):
            valor = getattr(self, campo.name)
            if campo.name in ("grados", "estatus"):
                if not valor:
                    raise ValueError(
                        f"La configuración «{campo.name}» necesita al menos una opción."
                    )
            elif isinstance(valor, bool) or not isinstance(valor, int) or valor < 1:
                raise ValueError(
                    f"La configuración «{campo.name}» debe ser un número entero mayor que 0; "
                    f"recibimos «{valor}»."
                )

    @classmethod
    def desde_dict(cls, datos: Mapping[str, Any] | None) -> "ConfiguracionCurricular":
        """The configuration from an election's settings; None gives the defaults."""
        if datos is None:
            return cls()
        validas = [c.name for c in fields(cls)]
        desconocidas = [clave for clave in datos if clave not in validas]
        if desconocidas:
            raise ValueError(
                f"La configuración curricular no reconoce {_citar(desconocidas)}; "
                f"las claves válidas son: {', '.join(validas)}."
            )
        valores = dict(datos)
        for clave, enum in (("grados", GradoEstudios), ("estatus", EstatusEstudios)):
            if clave in valores:
                lista = valores[clave]
                if isinstance(lista, str) or not isinstance(lista, list | tuple):
                    raise ValueError(f"La configuración «{clave}» debe ser una lista de opciones.")
                invalidas = [v for v in lista if v not in {e.value for e in enum}]
                if invalidas:
                    raise ValueError(
                        f"La configuración «{clave}» tiene opciones que no existen: "
                        f"{_citar(invalidas)}; las válidas son: {', '.join(enum)}."
                    )
                valores[clave] = tuple(enum(v) for v in lista)
        return cls(**valores)

    def limite(self, campo: str) -> int | None:
        """Character limit of a free-text field (for cursos, per entry), None for other fields."""
        atributo = _LIMITES.get(campo)
        return None if atributo is None else int(getattr(self, atributo))


@dataclass(frozen=True, slots=True)
class Campo:
    """One capturable field of the cuestionario curricular, as forms and reports show it."""

    clave: str
    etiqueta: str
    seccion: str
    tipo: str
    ayuda: str = ""
    publico: bool = True


SECCIONES: dict[str, str] = {
    "contacto": "Medios de contacto",
    "formacion": "Formación académica",
    "trayectoria": "Historia profesional y trayectoria",
    "motivo": "¿Por qué quiero ocupar un cargo público?",
    "propuestas": "Propuestas",
    "aclaraciones": "Correo para aclaraciones",
}
_AYUDA_PROPUESTA = (
    "Indique la población objetivo, las metas, los plazos y la vía "
    "(iniciativa de ley o política pública)."
)
CAMPOS: tuple[Campo, ...] = (
    Campo("telefono_publico", "Teléfono público", "contacto", "telefono", "10 dígitos."),
    Campo("correo_publico", "Correo electrónico público", "contacto", "correo"),
    Campo("pagina_web", "Página web", "contacto", "url", "Dirección que empiece con https://."),
    *(
        Campo(
            f"redes_sociales.{clave}", red.nombre, "contacto", "red",
            f"Enlace a su perfil o nombre de usuario de {red.nombre}.",
        )
        for clave, red in REDES.items()
    ),
    Campo("redes_sociales.otra", "Otra red social", "contacto", "url", "Enlace a su perfil."),
    Campo(
        "domicilio_casa_campana", "Domicilio de casa de campaña", "contacto", "texto",
        "Calle, número, colonia, municipio y código postal.",
    ),
    Campo("grado_maximo_estudios", "Grado máximo de estudios", "formacion", "opcion"),
    Campo("estatus_estudios", "Estatus", "formacion", "opcion"),
    Campo(
        "cursos", "Cursos, diplomados, seminarios", "formacion", "lista",
        "Uno por renglón.",
    ),
    Campo("historia_profesional", "Historia profesional y/o laboral", "trayectoria", "texto_largo"),
    Campo(
        "trayectoria_politica", "Trayectoria política y/o participación social", "trayectoria",
        "texto_largo",
    ),
    Campo(
        "motivo_cargo_publico", "¿Por qué quiero ocupar un cargo público?", "motivo",
        "texto_largo",
    ),
    Campo("propuesta_1", "Propuesta 1", "propuestas", "texto_largo", _AYUDA_PROPUESTA),
    Campo("propuesta_2", "Propuesta 2", "propuestas", "texto_largo", _AYUDA_PROPUESTA),
    Campo(
        "propuesta_genero",
        "Propuesta en materia de género o del grupo en situación de discriminación que represento",
        "propuestas", "texto_largo", _AYUDA_PROPUESTA,
    ),
    Campo(
        "correo_aclaraciones", "Correo para aclaraciones", "aclaraciones", "correo",
        "No se publica; lo usamos para pedirle aclaraciones.", publico=False,
    ),
)  # fmt: skip
_CLAVES = frozenset(c.clave for c in CAMPOS)
_PREFIJO_REDES = "redes_sociales."
_VINETAS = ("- ", "* ", "• ", "· ", "– ")


def _sin_acentos(texto: str) -> str:
    """Case- and accent-free key to compare catalog options the way people type them."""
    descompuesto = unicodedata.normalize("NFD", texto.strip().casefold().replace("_", " "))
    return " ".join("".join(c for c in descompuesto if unicodedata.category(c) != "Mn").split())


def _indice(etiquetas: Mapping[str, str], sinonimos: Mapping[str, str]) -> dict[str, str]:
    """Every way of writing a catalog option (code, label, synonym), normalised → its code."""
    return {_sin_acentos(k): c for k, c in sinonimos.items()} | {
        _sin_acentos(n): c for c, e in etiquetas.items() for n in (c, e)
    }


_INDICE_GRADO = _indice(ETIQUETAS_GRADO, _SINONIMOS_GRADO)
_INDICE_ESTATUS = _indice(ETIQUETAS_ESTATUS, _SINONIMOS_ESTATUS)


def _opcion(
    valor: Any,
    *,
    etiquetas: Mapping[str, str],
    indice: Mapping[str, str],
    permitidas: tuple[str, ...],
    que: str,
) -> str | None:
    """The wire code of a catalog option written as its code, label or a usual synonym."""
    texto = limpiar_texto(valor, una_linea=True)
    if texto is None:
        return None
    codigo = indice.get(_sin_acentos(texto))
    opciones = ", ".join(etiquetas[c] for c in permitidas)
    if codigo is None:
        raise RespuestaInvalida(f"No reconocemos {que} «{texto}»; elija uno de: {opciones}.")
    if codigo not in permitidas:
        raise RespuestaInvalida(
            f"{que.capitalize()} «{etiquetas[codigo]}» no se usa en esta elección; elija uno de: "
            f"{opciones}."
        )
    return codigo


def _cursos(valor: Any, *, config: ConfiguracionCurricular) -> list[str] | None:
    """Course entries, one per line or list item, without blanks, bullets or repetitions."""
    if isinstance(valor, list | tuple):
        entradas: list[Any] = list(valor)
    else:
        texto = limpiar_texto(valor)
        entradas = [] if texto is None else texto.split("\n")
    cursos: list[str] = []
    vistos: set[str] = set()
    errores: list[str] = []
    numero = 0
    for entrada in entradas:
        try:
            curso = limpiar_texto(entrada, una_linea=True)
        except RespuestaInvalida as exc:
            numero += 1
            errores.append(f"El curso {numero}: {str(exc)[0].lower()}{str(exc)[1:]}")
            continue
        if curso is None:
            continue
        numero += 1
        for vineta in _VINETAS:
            curso = curso.removeprefix(vineta).strip()
        if len(curso) > config.limite_curso:
            errores.append(
                f"El curso {numero} tiene {cifra(len(curso))} caracteres; "
                f"el máximo es {cifra(config.limite_curso)}."
            )
        elif curso and _sin_acentos(curso) not in vistos:
            vistos.add(_sin_acentos(curso))
            cursos.append(curso)
    if errores:
        resto = f" Y {len(errores) - 3} más." if len(errores) > 3 else ""
        raise RespuestaInvalida(" ".join(errores[:3]) + resto)
    if len(cursos) > config.max_cursos:
        raise RespuestaInvalida(
            f"Se pueden registrar hasta {config.max_cursos} cursos; recibimos {len(cursos)}. "
            "Deje los más relevantes."
        )
    return cursos or None


def _validador(clave: str, config: ConfiguracionCurricular) -> Callable[[Any], Any]:
    """The cleaning function of one flat field key."""
    if clave.startswith(_PREFIJO_REDES):
        return lambda valor: validar_red(clave.removeprefix(_PREFIJO_REDES), valor)
    simples: dict[str, Callable[[Any], Any]] = {
        "telefono_publico": validar_telefono,
        "correo_publico": validar_correo,
        "correo_aclaraciones": validar_correo,
        "pagina_web": validar_url,
        "domicilio_casa_campana": lambda v: validar_domicilio(v, limite=config.limite_domicilio),
        "cursos": lambda v: _cursos(v, config=config),
        "grado_maximo_estudios": lambda v: _opcion(
            v, etiquetas=ETIQUETAS_GRADO, indice=_INDICE_GRADO,
            permitidas=tuple(g.value for g in config.grados), que="el grado",
        ),
        "estatus_estudios": lambda v: _opcion(
            v, etiquetas=ETIQUETAS_ESTATUS, indice=_INDICE_ESTATUS,
            permitidas=tuple(e.value for e in config.estatus), que="el estatus",
        ),
    }  # fmt: skip
    if clave in simples:
        return simples[clave]
    return lambda valor: limpiar_texto(valor, limite=config.limite(clave))


def _desconocido(clave: str) -> str:
    if clave.startswith(_PREFIJO_REDES):
        return (
            f"La red «{clave.removeprefix(_PREFIJO_REDES)}» no está en el cuestionario; "
            "escriba su enlace en «Otra red social»."
        )
    if clave == "fotografia":
        return "La fotografía se carga por separado; quite el campo «fotografia» de estos datos."
    return f"El campo «{clave}» no existe en el cuestionario curricular."


def validar_campo(
    clave: str, valor: Any, *, config: ConfiguracionCurricular
) -> tuple[Any, str | None]:
    """One field's clean value (None if empty) and its error, for live validation."""
    if clave == "redes_sociales":
        limpios, errores = validar_curricular({clave: valor}, config=config)
        return limpios.get(clave), " ".join(errores.values()) or None
    if clave not in _CLAVES:
        return None, _desconocido(clave)
    try:
        return _validador(clave, config)(valor), None
    except RespuestaInvalida as exc:
        return None, str(exc)


def _planos(datos: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Flat field keys with their raw values; nested redes_sociales become redes_sociales.x."""
    planos: dict[str, Any] = {}
    errores: dict[str, str] = {}
    for clave, valor in datos.items():
        if clave != "redes_sociales":
            planos[clave] = valor
        elif isinstance(valor, Mapping):
            planos |= {f"{_PREFIJO_REDES}{red}": enlace for red, enlace in valor.items()}
        elif valor is not None:
            errores[clave] = (
                "Las redes sociales deben indicarse por red (facebook, x, instagram, youtube, "
                "tiktok, otra)."
            )
    return planos, errores


def validar_curricular(
    datos: Mapping[str, Any], *, config: ConfiguracionCurricular
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean answers and Spanish errors by field key; empty values are absent, not errors."""
    planos, errores = _planos(datos)
    limpios: dict[str, Any] = {}
    redes: dict[str, str] = {}
    for clave, valor in planos.items():
        limpio, error = validar_campo(clave, valor, config=config)
        if error is not None:
            errores[clave] = error
        elif limpio is not None and clave.startswith(_PREFIJO_REDES):
            redes[clave.removeprefix(_PREFIJO_REDES)] = limpio
        elif limpio is not None:
            limpios[clave] = limpio
    if redes:
        limpios["redes_sociales"] = {r: redes[r] for r in (*REDES, OTRA) if r in redes}
    grado = limpios.get("grado_maximo_estudios")
    if "estatus_estudios" in limpios and "grado_maximo_estudios" not in errores:
        if grado is None:
            errores["estatus_estudios"] = (
                "Indique también el grado máximo de estudios al que corresponde este estatus."
            )
        elif grado == GradoEstudios.SIN_ESTUDIOS:
            errores["estatus_estudios"] = (
                "Con «Sin estudios» no se indica estatus; borre el estatus o elija otro grado."
            )
    if "estatus_estudios" in errores:
        limpios.pop("estatus_estudios", None)
    return limpios, errores


# The 14 public answers a citizen reads: all redes count as one answer (one profile is enough),
# estatus drops out under «Sin estudios», the photo is tracked elsewhere and correo_aclaraciones
# is private. Rounded down so that 100 means everything is there.
_COMPLETITUD = (
    "telefono_publico", "correo_publico", "pagina_web", "redes_sociales",
    "domicilio_casa_campana", "grado_maximo_estudios", "estatus_estudios", "cursos",
    "historia_profesional", "trayectoria_politica", "motivo_cargo_publico", "propuesta_1",
    "propuesta_2", "propuesta_genero",
)  # fmt: skip


def _tiene_valor(valor: Any) -> bool:
    if isinstance(valor, str):
        return bool(valor.strip())
    if isinstance(valor, Mapping):
        return any(_tiene_valor(v) for v in valor.values())
    if isinstance(valor, list | tuple):
        return any(_tiene_valor(v) for v in valor)
    return valor is not None


def porcentaje_completo(respuestas: Mapping[str, Any]) -> int:
    """Percent, rounded down, of the public answers of _COMPLETITUD that have a value."""
    presentes = dict(respuestas)
    redes = {k: v for k, v in presentes.items() if k.startswith(_PREFIJO_REDES)}
    presentes["redes_sociales"] = [presentes.get("redes_sociales"), *redes.values()]
    contados = list(_COMPLETITUD)
    if str(presentes.get("grado_maximo_estudios") or "") == GradoEstudios.SIN_ESTUDIOS:
        contados.remove("estatus_estudios")
    hechos = sum(_tiene_valor(presentes.get(c)) for c in contados)
    return hechos * 100 // len(contados)
