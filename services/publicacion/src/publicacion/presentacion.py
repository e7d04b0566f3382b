"""How a public profile reads on the site: sections, labels and Spanish values."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from comun.eventos.vocabulario import Cargo, GradoEstudios, Sexo, etiqueta
from publicacion.domain.territorio import Territorio

NO_PROPORCIONO = "No proporcionó"
ZONA = ZoneInfo("America/Mexico_City")

SECCIONES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "contacto",
        "Contacto",
        (
            ("telefono_publico", "Teléfono"),
            ("correo_publico", "Correo electrónico"),
            ("pagina_web", "Página web"),
            ("redes_sociales", "Redes sociales"),
            ("domicilio_casa_campana", "Domicilio de la casa de campaña"),
        ),
    ),
    (
        "formacion",
        "Formación",
        (
            ("grado_maximo_estudios", "Grado máximo de estudios"),
            ("estatus_estudios", "Estatus"),
            ("cursos", "Cursos, diplomados o seminarios"),
        ),
    ),
    (
        "historia",
        "Historia profesional y laboral",
        (("historia_profesional", "Historia profesional y laboral"),),
    ),
    ("trayectoria", "Trayectoria política", (("trayectoria_politica", "Trayectoria política"),)),
    (
        "motivo",
        "¿Por qué quiero ocupar un cargo público?",
        (("motivo_cargo_publico", "¿Por qué quiero ocupar un cargo público?"),),
    ),
    (
        "propuestas",
        "Propuestas",
        (
            ("propuesta_1", "Propuesta 1"),
            ("propuesta_2", "Propuesta 2"),
            (
                "propuesta_genero",
                "Propuesta en materia de género o del grupo en situación de "
                "discriminación que represento",
            ),
        ),
    ),
)

ETIQUETAS_CAMPO = {campo: texto for _, _, campos in SECCIONES for campo, texto in campos}
ETIQUETAS_CAMPO["fotografia"] = "Fotografía"

REDES = {
    "facebook": "Facebook",
    "x": "X",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "otra": "Otra",
}

ESTUDIOS = {
    "sin_estudios": "Sin estudios",
    "primaria": "Primaria",
    "secundaria": "Secundaria",
    "preparatoria": "Preparatoria o bachillerato",
    "carrera_tecnica": "Carrera técnica",
    "licenciatura": "Licenciatura",
    "especialidad": "Especialidad",
    "maestria": "Maestría",
    "doctorado": "Doctorado",
    "posdoctorado": "Posdoctorado",
    "trunco": "Trunco",
    "cursando": "Cursando",
    "concluido": "Concluido",
    "certificado": "Certificado",
    "titulo": "Título",
}

# Public labels of the identity answers (the questions' full wording is in the INE layout).
IDENTIDAD = (
    ("indigena", "Se identifica como persona indígena o de un pueblo o comunidad indígena"),
    ("lengua_indigena", "Habla o entiende una lengua indígena"),
    ("pueblo_indigena", "Pueblo o comunidad indígena"),
    ("discapacidad", "Tiene alguna discapacidad"),
    ("tipo_discapacidad", "Tipo de discapacidad"),
    ("clase_discapacidad", "Clase de discapacidad"),
    ("dificultad_discapacidad", "Dificultad"),
    ("afromexicana", "Se identifica como persona afromexicana o afrodescendiente"),
    ("lgbtttiq", "Se identifica como parte de la población LGBTTTIQ+"),
    ("identidad_lgbtttiq", "Se identifica como"),
    ("migrante", "Es migrante"),
    ("pais_residencia", "País de residencia"),
    ("tiempo_extranjero", "Tiempo en el extranjero"),
    ("motivo_extranjero", "Motivo de residir en el extranjero"),
    ("situacion_regular", "Situación migratoria regular al emigrar"),
    ("joven", "Es parte de la población joven (18 a 29 años)"),
    ("persona_mayor", "Es persona mayor (60 años o más)"),
    ("ingresos", "Ingresos mensuales"),
    ("fuente_ingresos", "Fuente principal de ingresos"),
    ("entidad_nacimiento", "Entidad federativa de nacimiento"),
)


def texto_de(campo: str, valor: Any) -> str | list[str]:
    """A curricular value as the public reads it; «No proporcionó» when empty."""
    if valor in (None, "", [], {}):
        return NO_PROPORCIONO
    if campo == "redes_sociales":
        redes = [f"{REDES.get(r, r)}: {v}" for r, v in valor.items() if v]
        return redes or NO_PROPORCIONO
    if campo in ("grado_maximo_estudios", "estatus_estudios"):
        return ESTUDIOS.get(str(valor), str(valor))
    if isinstance(valor, list):
        return [str(v) for v in valor]
    return str(valor)


def respuesta_identidad(clave: str, respuestas: dict[str, Any]) -> str:
    """One identity answer, with its «Otro» text when given."""
    valor = respuestas.get(clave)
    if valor in (None, "", []):
        return "Sin respuesta"
    partes = [str(v) for v in valor] if isinstance(valor, list) else [str(valor)]
    otro = respuestas.get(f"{clave}_otro")
    if otro:
        partes = [f"{p}: {otro}" if p in ("Otro", "Otra") else p for p in partes]
    return ", ".join(partes)


def contienda(vista: dict[str, Any]) -> str:
    """«Presidencia municipal · Toluca» / «Diputación local · Distrito 41 · Mayoría relativa»."""
    partes = [etiqueta(vista["cargo"])]
    if vista.get("nombre_municipio"):
        partes.append(str(vista["nombre_municipio"]))
    if vista.get("distrito"):
        partes.append(f"Distrito {vista['distrito']}")
    partes.append(etiqueta(vista["principio"]))
    if vista.get("posicion"):
        partes.append(f"Posición {vista['posicion']}")
    partes.append(etiqueta(vista["tipo_candidatura"]))
    return " · ".join(partes)


def fecha(iso: str | None) -> str:
    """«29/11/2026» in central Mexico time, from an ISO instant."""
    if not iso:
        return ""
    momento = datetime.fromisoformat(iso).astimezone(ZONA)
    return f"{momento:%d/%m/%Y}"


def fecha_dia(dia: str | None) -> str:
    """«02/06/2024» from a calendar date «2024-06-02»."""
    if not dia:
        return ""
    anio, mes, dia_ = dia[:10].split("-")
    return f"{dia_}/{mes}/{anio}"


def opciones_municipios(territorio: Territorio) -> list[tuple[str, str]]:
    """Municipalities for a select, by name."""
    return [(m.clave, m.nombre) for m in territorio.municipios]


def opciones_distritos(territorio: Territorio) -> list[tuple[int, str]]:
    """Local districts for a select: «Distrito 2 · Toluca de Lerdo»."""
    return [(n, f"Distrito {n} · {c}") for n, c in sorted(territorio.distritos.items())]


OPCIONES_CARGO = [(c.value, etiqueta(c)) for c in Cargo]
OPCIONES_SEXO = [(s.value, etiqueta(s)) for s in Sexo]
OPCIONES_ESTUDIOS = [(g.value, ESTUDIOS[g.value]) for g in GradoEstudios]


def opciones_partidos(territorio: Territorio) -> list[tuple[str, str]]:
    """Parties for a select: «PAN — Partido Acción Nacional»."""
    return [(p.siglas, f"{p.siglas} — {p.nombre}") for p in territorio.partidos]


def titulo_contienda(clave: str, vista: dict[str, Any] | None) -> str:
    """A contest's heading from one of its profiles (its key when there is none)."""
    if vista is None:
        return clave
    partes = [etiqueta(vista["cargo"])]
    if vista["cargo"] == "diputacion_local":
        partes.append(f"Distrito {vista['distrito']}" if vista["principio"] == "MR" else "")
    elif vista.get("nombre_municipio"):
        partes.append(str(vista["nombre_municipio"]))
    partes.append(etiqueta(vista["principio"]))
    return " · ".join(p for p in partes if p)


def url_pagina(request: Any, pagina: int) -> str:
    """The current search's URL on another page."""
    url = request.url.include_query_params(pagina=pagina)
    return f"{url.path}?{url.query}"
