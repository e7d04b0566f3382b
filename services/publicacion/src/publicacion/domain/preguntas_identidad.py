"""The 20 questions of the cuestionario de identidad as publicacion publishes them.

The answers arrive from validacion already clean (captura validated them): `clave` → a label, a
list of labels (multiple choice), or None; the free text of «Otro»/«Otra» under `<clave>_otro`.
Services never import each other, so the keys, INE's header wording and the options that the
data dictionary lists are written here once more; a test checks the headers against INE's file.
"""

from dataclasses import dataclass

PREFIERO_NO_CONTESTAR = "Prefiero no contestar"
NO_APLICA = "No aplica"
SUFIJO_OTRO = "_otro"
SI_NO = ("Sí", "No")


@dataclass(frozen=True, slots=True)
class Pregunta:
    """One question: its key, INE's column header, its options and how it is answered."""

    numero: int
    clave: str
    encabezado_ine: str
    opciones: tuple[str, ...]
    multiple: bool = False
    otro: bool = False
    condicion: str = ""

    @property
    def texto(self) -> str:
        """The question without its number."""
        return self.encabezado_ine.split(". ", 1)[1].strip()


_DIFICULTADES = (
    "Caminar, subir o bajar escaleras con sus piernas",
    "Mover o usar brazos y/o manos",
    "Ver (aunque use lentes)",
    "Escuchar (aunque use aparato auditivo)",
    "Hablar o comunicarse",
    "Aprender, recordar y/o concentrarse",
    "Interactuar emocional y/o intelectualmente en un entorno social",
    "Otra",
)
_LGBTTTIQ = (
    "Hombre gay",
    "Mujer lesbiana",
    "Persona bisexual",
    "Mujer trans",
    "Hombre trans",
    "Persona intersexual",
    "Persona no binaria",
    "Queer",
    "Otra",
)
_INGRESOS = (
    "Menos de $11,000",
    "De $11,001 a $25,000",
    "De $25,001 a $50,000",
    "De $50,001 a $75,000",
    "De $75,001 a $112,000",
    "Más de $112,000",
    "No recibe ingresos",
)
_FUENTES = (
    "Salario",
    "Negocio propio",
    "Compañía o empresa registrada, con 5 empleados o más",
    "No ha laborado en los 3 meses anteriores",
)
# Long catalogs are described rather than listed; the questionnaire holds them.
PUEBLOS = ("Nombre del pueblo o comunidad indígena (catálogo del cuestionario)", "Otro")
PAISES = ("Nombre del país (catálogo del cuestionario)", "Otro")
ENTIDADES = ("Nombre oficial de una de las 32 entidades federativas (por ejemplo, «México»)",)
SI_INDIGENA = "solo si la pregunta 1 es «Sí»"
SI_DISCAPACIDAD = "solo si la pregunta 4 es «Sí»"
SI_LGBTTTIQ = "solo si la pregunta 9 es «Sí»"
SI_MIGRANTE = "solo si la pregunta 11 es «Sí»"

PREGUNTAS: tuple[Pregunta, ...] = (
    Pregunta(1, "indigena", "1. ¿Se identifica como una persona indígena o como parte de algún "
             "pueblo o comunidad indígena?", SI_NO),
    Pregunta(2, "lengua_indigena", "2. ¿Habla y/o entiende alguna lengua indígena nacional?",
             SI_NO),
    Pregunta(3, "pueblo_indigena", "3. ¿A qué pueblo y/o comunidad indígena pertenece?", PUEBLOS,
             otro=True, condicion=SI_INDIGENA),
    Pregunta(4, "discapacidad", "4. ¿Tiene alguna discapacidad?", SI_NO),
    Pregunta(5, "tipo_discapacidad", "5. En caso de haber respondido afirmativamente la pregunta "
             "anterior, El tipo de discapacidad con el que vive es:", ("Permanente", "Temporal"),
             condicion=SI_DISCAPACIDAD),
    Pregunta(6, "clase_discapacidad", "6. En caso afirmativo, ¿de qué tipo?",
             ("Física", "Sensorial", "Mental", "Intelectual", "Otra"), multiple=True, otro=True,
             condicion=SI_DISCAPACIDAD),
    Pregunta(7, "dificultad_discapacidad", "7. Su discapacidad le dificulta o impide:",
             _DIFICULTADES, multiple=True, otro=True, condicion=SI_DISCAPACIDAD),
    Pregunta(8, "afromexicana", "8. ¿Se considera una persona afromexicana o que forma parte de "
             "alguna comunidad afrodescendiente?", SI_NO),
    Pregunta(9, "lgbtttiq", "9. ¿Es usted una persona de la población LGBTTTIQ+ (Lesbiana, Gay, "
             "Bisexual, Transgénero, Travesti, Transexual, Intersexual, Queer, No Binaria, u "
             "otra)?", SI_NO),
    Pregunta(10, "identidad_lgbtttiq", "10. En caso de haber respondido afirmativamente a la "
             "pregunta anterior, usted se identifica como:", _LGBTTTIQ, multiple=True, otro=True,
             condicion=SI_LGBTTTIQ),
    Pregunta(11, "migrante", "11. ¿Es usted migrante?", SI_NO),
    Pregunta(12, "pais_residencia", "12. ¿En qué país reside?", PAISES, otro=True,
             condicion=SI_MIGRANTE),
    Pregunta(13, "tiempo_extranjero", "13. ¿Cuánto tiempo ha vivido en el extranjero?",
             ("De 0 a 5 años", "De 6 a 15 años", "Más de 15 años"), condicion=SI_MIGRANTE),
    Pregunta(14, "motivo_extranjero", "14. ¿Cuál fue el motivo de la residencia en el "
             "extranjero?", ("Familiar", "Estudio", "Trabajo", "Otro"), otro=True,
             condicion=SI_MIGRANTE),
    Pregunta(15, "situacion_regular", "15. Cuando emigró, ¿se encontraba con una situación "
             "regular de trabajo o con un lugar asegurado en alguna institución educativa del "
             "país extranjero?", SI_NO, condicion=SI_MIGRANTE),
    Pregunta(16, "joven", "16. ¿Es parte de la población joven (entre 18 y 29 años)?", SI_NO),
    Pregunta(17, "persona_mayor", "17. ¿Es parte de la población de personas mayores (60 años o "
             "más)?", SI_NO),
    Pregunta(18, "ingresos", "18. ¿En cuál de los siguientes grupos de ingresos se encuentra?",
             _INGRESOS),
    Pregunta(19, "fuente_ingresos", "19. Su fuente principal de ingresos es:", _FUENTES),
    # INE's header ends with a space; kept, so that the layout matches byte for byte.
    Pregunta(20, "entidad_nacimiento", "20. Entidad federativa de nacimiento: ", ENTIDADES),
)  # fmt: skip


def valores_permitidos(pregunta: Pregunta) -> tuple[str, ...]:
    """Every answer the question may carry once published."""
    especiales = (
        (PREFIERO_NO_CONTESTAR, NO_APLICA) if pregunta.condicion else (PREFIERO_NO_CONTESTAR,)
    )
    return (*pregunta.opciones, *especiales)
