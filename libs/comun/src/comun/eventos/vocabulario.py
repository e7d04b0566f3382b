"""Closed vocabularies that events carry (DOMINIO §2–§5), as wire codes."""

from enum import StrEnum


class Cargo(StrEnum):
    """Office a candidacy runs for."""

    DIPUTACION_LOCAL = "diputacion_local"
    PRESIDENCIA_MUNICIPAL = "presidencia_municipal"
    SINDICATURA = "sindicatura"
    REGIDURIA = "regiduria"


class Principio(StrEnum):
    """Mayoría relativa or representación proporcional."""

    MR = "MR"
    RP = "RP"


class TipoCandidatura(StrEnum):
    """Propietaria or suplente of a fórmula."""

    PROPIETARIA = "propietaria"
    SUPLENTE = "suplente"


class Postulante(StrEnum):
    """Who postulates the candidacy."""

    PARTIDO = "partido"
    COALICION = "coalicion"
    CANDIDATURA_COMUN = "candidatura_comun"
    INDEPENDIENTE = "independiente"


class Sexo(StrEnum):
    """Sex as recorded in the candidacy registry."""

    MUJER = "mujer"
    HOMBRE = "hombre"
    NO_BINARIO = "no_binario"


class AccionAfirmativa(StrEnum):
    """Group of the acción afirmativa a candidacy was registered under."""

    INDIGENA = "indigena"
    DISCAPACIDAD = "discapacidad"
    AFROMEXICANA = "afromexicana"
    LGBTTTIQ = "lgbtttiq"
    MIGRANTE = "migrante"
    JOVEN = "joven"
    PERSONA_MAYOR = "persona_mayor"


class Cuestionario(StrEnum):
    """The two questionnaires of a candidacy."""

    CURRICULAR = "curricular"
    IDENTIDAD = "identidad"


class CampoCurricular(StrEnum):
    """Capturable fields of the cuestionario curricular (names of `RespuestasCurriculares`)."""

    FOTOGRAFIA = "fotografia"
    TELEFONO_PUBLICO = "telefono_publico"
    CORREO_PUBLICO = "correo_publico"
    PAGINA_WEB = "pagina_web"
    REDES_SOCIALES = "redes_sociales"
    DOMICILIO_CASA_CAMPANA = "domicilio_casa_campana"
    GRADO_MAXIMO_ESTUDIOS = "grado_maximo_estudios"
    ESTATUS_ESTUDIOS = "estatus_estudios"
    CURSOS = "cursos"
    HISTORIA_PROFESIONAL = "historia_profesional"
    TRAYECTORIA_POLITICA = "trayectoria_politica"
    MOTIVO_CARGO_PUBLICO = "motivo_cargo_publico"
    PROPUESTA_1 = "propuesta_1"
    PROPUESTA_2 = "propuesta_2"
    PROPUESTA_GENERO = "propuesta_genero"


class GradoEstudios(StrEnum):
    """Grado máximo de estudios."""

    SIN_ESTUDIOS = "sin_estudios"
    PRIMARIA = "primaria"
    SECUNDARIA = "secundaria"
    PREPARATORIA = "preparatoria"
    CARRERA_TECNICA = "carrera_tecnica"
    LICENCIATURA = "licenciatura"
    ESPECIALIDAD = "especialidad"
    MAESTRIA = "maestria"
    DOCTORADO = "doctorado"
    POSDOCTORADO = "posdoctorado"


class EstatusEstudios(StrEnum):
    """Estatus of the grado máximo de estudios."""

    TRUNCO = "trunco"
    CURSANDO = "cursando"
    CONCLUIDO = "concluido"
    CERTIFICADO = "certificado"
    TITULO = "titulo"
    CEDULA_PROFESIONAL = "cedula_profesional"


class MotivoContenido(StrEnum):
    """Reason codes of PTO 22 / Lineamientos art. 18, in their official order 1–7."""

    COPIA_PROPUESTAS = "copia_propuestas"
    OFENSIVO_PARTIDOS = "ofensivo_partidos"
    LENGUAJE_DISCRIMINATORIO = "lenguaje_discriminatorio"
    OTRA_CANDIDATURA = "otra_candidatura"
    ALUSION_OTRO_PARTIDO = "alusion_otro_partido"
    RESTRINGIDO_LEGISLACION = "restringido_legislacion"
    PROPAGANDA = "propaganda"


ETIQUETAS: dict[str, str] = {
    Cargo.DIPUTACION_LOCAL: "Diputación local",
    Cargo.PRESIDENCIA_MUNICIPAL: "Presidencia municipal",
    Cargo.SINDICATURA: "Sindicatura",
    Cargo.REGIDURIA: "Regiduría",
    Principio.MR: "Mayoría relativa",
    Principio.RP: "Representación proporcional",
    TipoCandidatura.PROPIETARIA: "Propietaria",
    TipoCandidatura.SUPLENTE: "Suplente",
    Postulante.PARTIDO: "Partido político",
    Postulante.COALICION: "Coalición",
    Postulante.CANDIDATURA_COMUN: "Candidatura común",
    Postulante.INDEPENDIENTE: "Candidatura independiente",
    Sexo.MUJER: "Mujer",
    Sexo.HOMBRE: "Hombre",
    Sexo.NO_BINARIO: "No binario",
    MotivoContenido.COPIA_PROPUESTAS: "1. Copia íntegra de propuestas de otras candidaturas",
    MotivoContenido.OFENSIVO_PARTIDOS: (
        "2. Contenido ofensivo o discriminatorio hacia partidos o candidaturas"
    ),
    MotivoContenido.LENGUAJE_DISCRIMINATORIO: (
        "3. Lenguaje sexista, ofensivo o discriminatorio (incluida la violencia política contra "
        "las mujeres en razón de género)"
    ),
    MotivoContenido.OTRA_CANDIDATURA: "4. Información o imágenes de otra candidatura",
    MotivoContenido.ALUSION_OTRO_PARTIDO: "5. Alusiones a otro partido o candidatura",
    MotivoContenido.RESTRINGIDO_LEGISLACION: (
        "6. Contenido restringido por la legislación electoral"
    ),
    MotivoContenido.PROPAGANDA: "7. Lemas o imágenes de campaña, llamados al voto",
}


def etiqueta(codigo: object) -> str:
    """Spanish label of a wire code for people to read; unknown codes are shown as given."""
    texto = str(getattr(codigo, "value", codigo))
    return ETIQUETAS.get(texto, texto.replace("_", " ").capitalize())
