"""What an automatic check found: a rule, its DOMINIO §5 reason code and where in the text."""

from dataclasses import dataclass
from enum import StrEnum

from comun.eventos.vocabulario import CampoCurricular, MotivoContenido


class Regla(StrEnum):
    """The automatic content checks."""

    LENGUAJE = "lenguaje"
    ALUSION = "alusion"
    PROPAGANDA = "propaganda"
    MARCADOR = "marcador"
    DATOS_PERSONALES = "datos_personales"
    DUPLICADO = "duplicado"


class CampoTexto(StrEnum):
    """The free-text fields, as accepted by the live-hints route."""

    CURSOS = CampoCurricular.CURSOS.value
    HISTORIA_PROFESIONAL = CampoCurricular.HISTORIA_PROFESIONAL.value
    TRAYECTORIA_POLITICA = CampoCurricular.TRAYECTORIA_POLITICA.value
    MOTIVO_CARGO_PUBLICO = CampoCurricular.MOTIVO_CARGO_PUBLICO.value
    PROPUESTA_1 = CampoCurricular.PROPUESTA_1.value
    PROPUESTA_2 = CampoCurricular.PROPUESTA_2.value
    PROPUESTA_GENERO = CampoCurricular.PROPUESTA_GENERO.value


CAMPOS_TEXTO = frozenset(CampoCurricular(c.value) for c in CampoTexto)

# Fields where a real proposal (several sentences) is expected, not a label.
CAMPOS_PROPUESTA = frozenset(
    {
        CampoCurricular.MOTIVO_CARGO_PUBLICO,
        CampoCurricular.PROPUESTA_1,
        CampoCurricular.PROPUESTA_2,
        CampoCurricular.PROPUESTA_GENERO,
    }
)


@dataclass(frozen=True, slots=True)
class Hallazgo:
    """One likely problem in a text, for a person to decide on; offsets index the original text."""

    regla: Regla
    codigo: MotivoContenido | None
    campo: str
    inicio: int
    fin: int
    explicacion: str
    sugerencia: str | None = None


def motivo_de_numero(numero: int) -> MotivoContenido:
    """The reason code numbered 1–7 as in DOMINIO §5; ValueError otherwise."""
    motivos = list(MotivoContenido)
    if not 1 <= numero <= len(motivos):
        raise ValueError(f"El código de motivo debe ir de 1 a {len(motivos)}; recibimos {numero}.")
    return motivos[numero - 1]
