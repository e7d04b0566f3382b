"""The whole-election pass finds what the one-by-one checks find, copies on both sides."""

from validacion.domain.revisiones import Catalogo, Propia, Regla, revisar_curricular
from validacion.handlers.revision_completa import EntradaRevision, revisar_eleccion

PROPUESTA = (
    "Construiremos una red de bibliotecas públicas en cada colonia del municipio con horarios "
    "nocturnos, talleres de lectura para niñas y niños, y acceso gratuito a internet para "
    "estudiantes de secundaria y preparatoria durante los tres años de gobierno."
)
CATALOGO = Catalogo.de([])


def entrada(candidatura_id: str, **respuestas: object) -> EntradaRevision:
    """A candidacy of its own party."""
    return EntradaRevision(candidatura_id, respuestas, Propia(candidatura_id=candidatura_id))


def test_la_revision_completa_coincide_con_la_revision_una_por_una() -> None:
    entradas = [
        entrada("A", propuesta_1="Vota por mí este 2 de junio.", historia_profesional="N/A"),
        entrada("B", motivo_cargo_publico="Los ciudadanos merecen un gobierno honesto."),
    ]
    completa = revisar_eleccion(entradas, catalogo=CATALOGO, procesos=2)
    for e in entradas:
        sola = revisar_curricular(e.respuestas, catalogo=CATALOGO, propia=e.propia)
        assert completa[e.candidatura_id] == sola


def test_una_copia_se_senala_en_las_dos_candidaturas() -> None:
    entradas = [
        entrada("A", propuesta_1=PROPUESTA),
        entrada("B", propuesta_2=PROPUESTA.replace("tres años", "3 años")),
        entrada("C", propuesta_1="Agua potable para todas las colonias en dos años."),
    ]
    completa = revisar_eleccion(entradas, catalogo=CATALOGO, procesos=2)
    copias = {
        cid: [h.campo for h in hallazgos if h.regla is Regla.DUPLICADO]
        for cid, hallazgos in completa.items()
    }
    assert copias == {"A": ["propuesta_1"], "B": ["propuesta_2"], "C": []}
