"""Rows in INE's published layout → candidacies of the registry (the number alone repeats).

In INE's file NUM_LISTA_O_FORMULA names a fórmula, not a person, and even repeats across
entities; a row is therefore matched by the person's name, and only when several candidacies
carry that name by type (propietaria/suplente), office and, last, the number itself.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from comun.eventos.vocabulario import Cargo, Principio, TipoCandidatura

# The sheet CANDIDATOS of INE's published layout, in order (datos/ine/).
COLUMNAS_CANDIDATOS = (
    "PARTIDO_COALICION", "CARGO", "ENTIDAD", "DISTRITO LOCAL", "CIRCUNSCRIPCION", "MUNICIPIO",
    "NUM_LISTA_O_FORMULA", "NOMBRE_CANDIDATO", "TIPO_CANDIDATO", "EDAD", "SEXO",
    "DIRECCION_CASA_CAMPAÑA", "TELEFONO", "CORREO_ELECTRONICO", "PAGINA_WEB", "REDES",
    "ESCOLARIDAD", "ESTATUS_ESCOLARIDAD", "CURSOS", "HISTORIA_PROFESIONAL",
    "TRAYECTORIA_POLITICA", "MOTIVO_CARGO_PUBLICO", "PROPUESTA_1", "PROPUESTA_2",
    "PROPUESTA_GENERO",
)  # fmt: skip
TIPOS_INE = {
    "propietaria": TipoCandidatura.PROPIETARIA,
    "propietario": TipoCandidatura.PROPIETARIA,
    "suplente": TipoCandidatura.SUPLENTE,
}
CARGOS_INE = {
    "diputacion local mr": (Cargo.DIPUTACION_LOCAL, Principio.MR),
    "diputacion local rp": (Cargo.DIPUTACION_LOCAL, Principio.RP),
    "presidencia municipal": (Cargo.PRESIDENCIA_MUNICIPAL, Principio.MR),
    "sindicatura": (Cargo.SINDICATURA, Principio.MR),
    "regiduria": (Cargo.REGIDURIA, Principio.MR),
    "regiduria rp": (Cargo.REGIDURIA, Principio.RP),
}


@dataclass(frozen=True, slots=True)
class ReferenciaIne:
    """How an INE row names its candidacy."""

    numero: str | None
    nombre: str
    tipo: str = ""
    cargo: str = ""


@dataclass(frozen=True, slots=True)
class PersonaRegistrada:
    """What the registry says of a candidacy in the uploader's scope, to match INE rows."""

    id: str
    nombre: str
    tipo: TipoCandidatura
    cargo: Cargo
    principio: Principio


def clave_nombre(nombre: str) -> str:
    """A person's name without case, accents or extra spaces."""
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFKD", nombre) if not unicodedata.combining(c)
    )
    return " ".join(sin_acentos.casefold().split())


def indice_por_nombre(
    personas: Sequence[PersonaRegistrada],
) -> dict[str, list[PersonaRegistrada]]:
    """The registry's candidacies grouped by normalised name."""
    indice: dict[str, list[PersonaRegistrada]] = {}
    for persona in personas:
        indice.setdefault(clave_nombre(persona.nombre), []).append(persona)
    return indice


def asignar(
    referencia: ReferenciaIne, indice: Mapping[str, list[PersonaRegistrada]]
) -> tuple[str | None, str | None]:
    """The candidacy id an INE row belongs to, or None and why (Spanish)."""
    candidatas = list(indice.get(clave_nombre(referencia.nombre), ()))
    if not candidatas:
        return None, (
            f"No hay una candidatura a su cargo con el nombre «{referencia.nombre}». Revise que "
            "esté escrito como en el registro."
        )
    filtros = (
        lambda p: p.tipo is TIPOS_INE.get(clave_nombre(referencia.tipo)),
        lambda p: (p.cargo, p.principio) == CARGOS_INE.get(clave_nombre(referencia.cargo)),
        lambda p: p.id == referencia.numero,
    )
    for filtro in filtros:
        if len(candidatas) == 1:
            break
        candidatas = [p for p in candidatas if filtro(p)] or candidatas
    if len(candidatas) > 1:
        return None, (
            f"Hay {len(candidatas)} candidaturas a su cargo con el nombre «{referencia.nombre}» "
            "y la fila no dice cuál es; use la plantilla del sistema, que trae la clave de cada "
            "candidatura."
        )
    return candidatas[0].id, None


def columnas_desconocidas(encabezados: Sequence[str]) -> list[str]:
    """Non-empty headers of a CANDIDATOS sheet that INE's layout does not have."""
    conocidas = {clave_nombre(c) for c in COLUMNAS_CANDIDATOS}
    return [h for h in encabezados if h.strip() and clave_nombre(h) not in conocidas]
