"""False positives of the lexicons over the 479 real INE 2022 candidacies (datos/ine/).

Reviewed by hand (2025): every hit below was read in context.
Kept as true positives: masculine generics (239: «los ciudadanos» 81, «los adultos mayores» 44,
«los niños» 39, «los trabajadores» 19…), «la mujer» as a uniform group (95), «tercera edad» /
«los ancianos» (27), «capacidades diferentes» (13), «discapacitados» (6), «preferencias sexuales»
(3), «los indígenas» (3), «nuestros pueblos indígenas», «sufren de autismo», «lenguaje de señas»,
«drogadictos», and «los putos anteriores» (a typo of «puntos» that a reader would still see);
propaganda: «Cuarta Transformación» (16), hashtags such as «#QuintanaRoo» (4).
False positives fixed by refining the lexicon: «los habitantes» (78, epicene: dropped), bare
«el hombre» («que el hombre»: only humanity phrases kept), «la mujer» in institution names
(«Instituto Municipal de la Mujer»: excepto_antes) and next to «el hombre», «los doctores y
doctoras» (feminine doublets: excepto_despues), «círculos de viciosos» (dropped «viciosos»),
«Congreso Nacional de Menores Infractores» (dropped), «ama de casa» (self-description: dropped),
coalition names in past trajectories («Juntos Hacemos Historia», 9: left to the catalog check).
"""

from collections import Counter
from functools import cache
from pathlib import Path

from comun.eventos.vocabulario import MotivoContenido
from comun.tabular import read_workbook
from validacion.domain.revisiones import Hallazgo, Regla, revisar_texto

INE = Path(__file__).resolve().parents[4] / "datos" / "ine" / "ine-2022-baseDatosCandidatos.xls"
COLUMNAS = {
    "CURSOS": "cursos",
    "HISTORIA_PROFESIONAL": "historia_profesional",
    "TRAYECTORIA_POLITICA": "trayectoria_politica",
    "MOTIVO_CARGO_PUBLICO": "motivo_cargo_publico",
    "PROPUESTA_1": "propuesta_1",
    "PROPUESTA_2": "propuesta_2",
    "PROPUESTA_GENERO": "propuesta_genero",
}


@cache
def hallazgos_ine() -> tuple[Hallazgo, ...]:
    """Every finding over every free-text answer of the INE file."""
    with read_workbook(INE, filename=INE.name) as libro:
        hoja = libro.sheets["CANDIDATOS"]
        filas = [fila for _, fila in hoja.rows]
        indices = {c: hoja.headers.index(c) for c in COLUMNAS}
    assert len(filas) == 479
    return tuple(
        h
        for fila in filas
        for columna, campo in COLUMNAS.items()
        if isinstance(texto := fila[indices[columna]], str)
        for h in revisar_texto(texto, campo=campo)
    )


def cuenta(regla: Regla) -> Counter[MotivoContenido | None]:
    """Findings of one rule by reason code."""
    return Counter(h.codigo for h in hallazgos_ine() if h.regla is regla)


def test_el_lexico_de_lenguaje_da_en_el_ine_solo_los_aciertos_revisados() -> None:
    assert cuenta(Regla.LENGUAJE) == {MotivoContenido.LENGUAJE_DISCRIMINATORIO: 391}


def test_ningun_texto_del_ine_se_marca_como_ofensivo_hacia_partidos() -> None:
    assert cuenta(Regla.LENGUAJE)[MotivoContenido.OFENSIVO_PARTIDOS] == 0


def test_el_lexico_de_propaganda_da_en_el_ine_solo_los_aciertos_revisados() -> None:
    assert cuenta(Regla.PROPAGANDA) == {MotivoContenido.PROPAGANDA: 30}


def test_los_datos_personales_del_ine_son_los_telefonos_y_el_correo_de_referencias() -> None:
    assert sum(cuenta(Regla.DATOS_PERSONALES).values()) == 5
