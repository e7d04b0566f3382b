"""The 20 questions of the cuestionario de identidad, with INE's wording and options.

Captura validates answers against them, publicacion publishes and documents them; the answers
travel between the two in events, so their vocabulary lives here once.
"""

from dataclasses import dataclass

from comun.cuestionario_identidad.catalogos import ENTIDADES, PAISES, PUEBLOS_INDIGENAS

PREFIERO_NO_CONTESTAR = "Prefiero no contestar"
NO_APLICA = "No aplica"
SUFIJO_OTRO = "_otro"

SI_NO: tuple[str, ...] = ("Sí", "No")


@dataclass(frozen=True, slots=True)
class Pregunta:
    """One question of the cuestionario de identidad."""

    numero: int
    clave: str
    texto: str
    opciones: tuple[str, ...]
    multiple: bool = False
    otro: bool = False
    texto_libre: bool = False
    depende_de: tuple[str, str] | None = None
    # INE's column header, when it is not exactly "<numero>. <texto>".
    encabezado_propio: str = ""

    @property
    def encabezado_ine(self) -> str:
        """The column header of INE's published identity sheet."""
        return self.encabezado_propio or f"{self.numero}. {self.texto}"

    @property
    def condicion(self) -> str:
        """When a conditional question applies, in Spanish ("" when it always does)."""
        if self.depende_de is None:
            return ""
        padre, valor = self.depende_de
        return f"solo si la pregunta {POR_CLAVE[padre].numero} es «{valor}»"


PREGUNTAS: tuple[Pregunta, ...] = (
    Pregunta(
        1,
        "indigena",
        "¿Se identifica como una persona indígena o como parte de algún pueblo o comunidad "
        "indígena?",
        SI_NO,
    ),
    Pregunta(2, "lengua_indigena", "¿Habla y/o entiende alguna lengua indígena nacional?", SI_NO),
    Pregunta(
        3,
        "pueblo_indigena",
        "¿A qué pueblo y/o comunidad indígena pertenece?",
        PUEBLOS_INDIGENAS,
        otro=True,
        depende_de=("indigena", "Sí"),
    ),
    Pregunta(4, "discapacidad", "¿Tiene alguna discapacidad?", SI_NO),
    Pregunta(
        5,
        "tipo_discapacidad",
        "En caso de haber respondido afirmativamente la pregunta anterior, El tipo de "
        "discapacidad con el que vive es:",
        ("Permanente", "Temporal"),
        depende_de=("discapacidad", "Sí"),
    ),
    Pregunta(
        6,
        "clase_discapacidad",
        "En caso afirmativo, ¿de qué tipo?",
        ("Física", "Sensorial", "Mental", "Intelectual", "Otra"),
        multiple=True,
        otro=True,
        depende_de=("discapacidad", "Sí"),
    ),
    Pregunta(
        7,
        "dificultad_discapacidad",
        "Su discapacidad le dificulta o impide:",
        (
            "Caminar, subir o bajar escaleras con sus piernas",
            "Mover o usar brazos y/o manos",
            "Ver (aunque use lentes)",
            "Escuchar (aunque use aparato auditivo)",
            "Hablar o comunicarse",
            "Aprender, recordar y/o concentrarse",
            "Interactuar emocional y/o intelectualmente en un entorno social",
            "Otra",
        ),
        multiple=True,
        otro=True,
        depende_de=("discapacidad", "Sí"),
    ),
    Pregunta(
        8,
        "afromexicana",
        "¿Se considera una persona afromexicana o que forma parte de alguna comunidad "
        "afrodescendiente?",
        SI_NO,
    ),
    Pregunta(
        9,
        "lgbtttiq",
        "¿Es usted una persona de la población LGBTTTIQ+ (Lesbiana, Gay, Bisexual, Transgénero, "
        "Travesti, Transexual, Intersexual, Queer, No Binaria, u otra)?",
        SI_NO,
    ),
    Pregunta(
        10,
        "identidad_lgbtttiq",
        "En caso de haber respondido afirmativamente a la pregunta anterior, usted se identifica "
        "como:",
        (
            "Hombre gay",
            "Mujer lesbiana",
            "Persona bisexual",
            "Mujer trans",
            "Hombre trans",
            "Persona intersexual",
            "Persona no binaria",
            "Queer",
            "Otra",
        ),
        # Orientation and gender identity are independent (a trans woman may be lesbian).
        multiple=True,
        otro=True,
        depende_de=("lgbtttiq", "Sí"),
    ),
    Pregunta(11, "migrante", "¿Es usted migrante?", SI_NO),
    Pregunta(
        12,
        "pais_residencia",
        "¿En qué país reside?",
        PAISES,
        otro=True,
        depende_de=("migrante", "Sí"),
    ),
    Pregunta(
        13,
        "tiempo_extranjero",
        "¿Cuánto tiempo ha vivido en el extranjero?",
        ("De 0 a 5 años", "De 6 a 15 años", "Más de 15 años"),
        depende_de=("migrante", "Sí"),
    ),
    Pregunta(
        14,
        "motivo_extranjero",
        "¿Cuál fue el motivo de la residencia en el extranjero?",
        ("Familiar", "Estudio", "Trabajo", "Otro"),
        otro=True,
        depende_de=("migrante", "Sí"),
    ),
    Pregunta(
        15,
        "situacion_regular",
        "Cuando emigró, ¿se encontraba con una situación regular de trabajo o con un lugar "
        "asegurado en alguna institución educativa del país extranjero?",
        SI_NO,
        depende_de=("migrante", "Sí"),
    ),
    Pregunta(16, "joven", "¿Es parte de la población joven (entre 18 y 29 años)?", SI_NO),
    Pregunta(
        17,
        "persona_mayor",
        "¿Es parte de la población de personas mayores (60 años o más)?",
        SI_NO,
    ),
    Pregunta(
        18,
        "ingresos",
        "¿En cuál de los siguientes grupos de ingresos se encuentra?",
        (
            "Menos de $11,000",
            "De $11,001 a $25,000",
            "De $25,001 a $50,000",
            "De $50,001 a $75,000",
            "De $75,001 a $112,000",
            "Más de $112,000",
            "No recibe ingresos",
        ),
    ),
    Pregunta(
        19,
        "fuente_ingresos",
        "Su fuente principal de ingresos es:",
        (
            "Salario",
            "Negocio propio",
            "Compañía o empresa registrada, con 5 empleados o más",
            "No ha laborado en los 3 meses anteriores",
        ),
    ),
    # INE's header ends with a space; kept, so that the layout matches byte for byte.
    Pregunta(
        20,
        "entidad_nacimiento",
        "Entidad federativa de nacimiento:",
        ENTIDADES,
        encabezado_propio="20. Entidad federativa de nacimiento: ",
    ),
)

POR_CLAVE: dict[str, Pregunta] = {pregunta.clave: pregunta for pregunta in PREGUNTAS}


def valores_permitidos(pregunta: Pregunta) -> tuple[str, ...]:
    """Every answer the question may carry once clean."""
    especiales = (NO_APLICA,) if pregunta.depende_de else ()
    return (*pregunta.opciones, PREFIERO_NO_CONTESTAR, *especiales)
