"""Automatic content checks (DOMINIO §5), one rule at a time."""

from pathlib import Path

import pytest

from comun.eventos.vocabulario import MotivoContenido
from validacion.domain.revisiones import (
    Catalogo,
    Hallazgo,
    IndiceDuplicados,
    LexicoInvalido,
    Mencionable,
    Propia,
    Regla,
    TipoMencionable,
    leer_lexico,
    revisar_curricular,
    revisar_texto,
)
from validacion.domain.revisiones.texto import expandir, plegar

CATALOGO = Catalogo.de(
    [
        Mencionable(TipoMencionable.PARTIDO, "PAN", "Partido Acción Nacional", ("PAN",),
                    frozenset({"PAN"})),
        Mencionable(TipoMencionable.PARTIDO, "PT", "Partido del Trabajo", ("PT",),
                    frozenset({"PT"})),
        Mencionable(TipoMencionable.PARTIDO, "MORENA", "Morena", ("MORENA",),
                    frozenset({"MORENA"})),
        Mencionable(TipoMencionable.COALICION, "C1", "Sigamos Haciendo Historia",
                    partidos=frozenset({"MORENA", "PT"})),
        Mencionable(TipoMencionable.CANDIDATURA, "C-77", "María Candelaria Raygoza Alcocer",
                    partidos=frozenset({"PAN"})),
    ]
)  # fmt: skip
PROPIA_PT = Propia(partidos=frozenset({"PT"}), candidatura_id="C-1")


def reglas(texto: str, campo: str = "historia_profesional") -> list[tuple[Regla, str]]:
    """The rule and matched fragment of every finding."""
    return [
        (h.regla, texto[h.inicio : h.fin])
        for h in revisar_texto(texto, campo=campo, catalogo=CATALOGO, propia=PROPIA_PT)
    ]


def de_regla(texto: str, regla: Regla, campo: str = "historia_profesional") -> list[Hallazgo]:
    """The findings of one rule."""
    return [
        h
        for h in revisar_texto(texto, campo=campo, catalogo=CATALOGO, propia=PROPIA_PT)
        if h.regla is regla
    ]


def test_plegar_quita_acentos_y_mayusculas_sin_mover_posiciones() -> None:
    texto = "Niñas, ÁRBOL y Ünica"
    assert plegar(texto) == "ninas, arbol y unica"
    assert len(plegar(texto)) == len(texto)


def test_expandir_genera_las_variantes_de_genero_y_numero() -> None:
    assert expandir("minusválid{o,a,os,as}") == [
        "minusválido", "minusválida", "minusválidos", "minusválidas",
    ]  # fmt: skip


def test_el_lexico_encuentra_terminos_sin_importar_acentos_ni_mayusculas() -> None:
    texto = "Apoyo a personas MINUSVALIDAS y a los Discapacitados."
    hallazgos = de_regla(texto, Regla.LENGUAJE)
    assert [texto[h.inicio : h.fin] for h in hallazgos] == ["MINUSVALIDAS", "Discapacitados"]
    assert all(h.codigo is MotivoContenido.LENGUAJE_DISCRIMINATORIO for h in hallazgos)
    assert hallazgos[0].sugerencia == "persona con discapacidad"


def test_el_lexico_respeta_los_limites_de_palabra() -> None:
    assert de_regla("Programa antidiscapacitadores y naconal.", Regla.LENGUAJE) == []


def test_el_lexico_encuentra_expresiones_de_varias_palabras_con_espacios_de_mas() -> None:
    texto = "Atención a los  adultos\nmayores del municipio."
    assert [f for r, f in reglas(texto) if r is Regla.LENGUAJE] == ["los  adultos\nmayores"]


def test_el_masculino_generico_no_se_senala_si_ya_se_desdobla() -> None:
    for texto in (
        "Escuchar a los ciudadanos y las ciudadanas.",
        "Escuchar a las y los ciudadanos.",
        "Escuchar a los ciudadanos y ciudadanas.",
        "Escuchar a los niños y niñas.",
    ):
        assert de_regla(texto, Regla.LENGUAJE) == [], texto


def test_el_masculino_generico_se_senala_con_su_alternativa() -> None:
    (hallazgo,) = de_regla("Servir a los ciudadanos de Toluca.", Regla.LENGUAJE)
    assert hallazgo.sugerencia is not None and "la ciudadanía" in hallazgo.sugerencia


def test_las_expresiones_ofensivas_hacia_partidos_llevan_el_codigo_2() -> None:
    (hallazgo,) = de_regla("No más gobiernos del PRIAN.", Regla.LENGUAJE)
    assert hallazgo.codigo is MotivoContenido.OFENSIVO_PARTIDOS


def test_la_violencia_politica_contra_las_mujeres_se_senala() -> None:
    hallazgos = de_regla("Que se regrese a la cocina, es una juanita más.", Regla.LENGUAJE)
    assert len(hallazgos) == 1
    assert hallazgos[0].codigo is MotivoContenido.LENGUAJE_DISCRIMINATORIO


def test_las_lenguas_indigenas_no_son_dialectos() -> None:
    (hallazgo,) = de_regla("Traducir los trámites a los dialectos de la región.", Regla.LENGUAJE)
    assert hallazgo.sugerencia is not None and "lengua indígena" in hallazgo.sugerencia


def test_el_diminutivo_y_el_posesivo_paternalista_hacia_pueblos_indigenas_se_senalan() -> None:
    texto = "Apoyar a nuestros indígenas y a los inditos de la sierra."
    assert [f for r, f in reglas(texto) if r is Regla.LENGUAJE] == [
        "nuestros indígenas", "inditos",
    ]  # fmt: skip


def test_un_lexico_con_codigo_fuera_de_rango_se_rechaza(tmp_path: Path) -> None:
    ruta = tmp_path / "l.csv"
    ruta.write_text(
        "tipo,expresion,categoria,codigo,explicacion,sugerencia,excepto_antes,excepto_despues\n"
        "frase,algo,x,9,Explicación,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(LexicoInvalido, match="fila 2"):
        leer_lexico(ruta, regla=Regla.LENGUAJE)


def test_se_senalan_otros_partidos_por_siglas_en_mayusculas_y_por_nombre() -> None:
    texto = "Colaboré con el PAN y con el Partido Acción Nacional."
    assert [f for r, f in reglas(texto) if r is Regla.ALUSION] == ["PAN", "Partido Acción Nacional"]


def test_las_siglas_cortas_en_minusculas_son_palabras_comunes() -> None:
    assert (
        de_regla("Programa de pan y leche para la niñez morena y no morena.", Regla.ALUSION) == []
    )


def test_el_partido_propio_y_su_coalicion_no_son_alusiones() -> None:
    texto = "Milito en el PT, parte de Sigamos Haciendo Historia."
    assert [f for r, f in reglas(texto) if r is Regla.ALUSION] == []


def test_el_nombre_completo_de_otra_candidatura_se_senala_con_el_codigo_5() -> None:
    (hallazgo,) = de_regla("Trabajé con Maria Candelaria RAYGOZA alcocer.", Regla.ALUSION)
    assert hallazgo.codigo is MotivoContenido.ALUSION_OTRO_PARTIDO


def test_los_llamados_al_voto_y_los_lemas_llevan_el_codigo_7() -> None:
    texto = "¡Vamos con todo! Este 2 de junio vota por mí. #ToluCambia"
    hallazgos = de_regla(texto, Regla.PROPAGANDA, campo="propuesta_1")
    assert {texto[h.inicio : h.fin] for h in hallazgos} >= {"vota por", "#ToluCambia"}
    assert all(h.codigo is MotivoContenido.PROPAGANDA for h in hallazgos)


def test_un_voto_pasado_en_la_trayectoria_no_es_llamado_al_voto() -> None:
    assert de_regla("Como diputada voté por la reforma educativa.", Regla.PROPAGANDA) == []


@pytest.mark.parametrize(
    "texto", ["N/A", "Pendiente.", "sin información", ".", "xxx", "-", "Lorem ipsum dolor sit amet"]
)
def test_los_textos_de_relleno_se_senalan(texto: str) -> None:
    assert de_regla(texto, Regla.MARCADOR), texto


def test_una_propuesta_demasiado_breve_se_senala_pero_no_un_curso() -> None:
    assert de_regla("Más seguridad.", Regla.MARCADOR, campo="propuesta_1")
    assert de_regla("Diplomado en finanzas.", Regla.MARCADOR, campo="cursos") == []


def test_un_texto_vacio_no_tiene_hallazgos() -> None:
    assert revisar_texto("   ", campo="propuesta_1") == []


def test_curp_y_rfc_de_terceros_llevan_el_codigo_6() -> None:
    texto = "Mi socio (CURP GOMA800101HMCRRN09, RFC GOMA800101AB1) firmó."
    hallazgos = de_regla(texto, Regla.DATOS_PERSONALES)
    assert [texto[h.inicio : h.fin] for h in hallazgos] == ["GOMA800101HMCRRN09", "GOMA800101AB1"]
    assert all(h.codigo is MotivoContenido.RESTRINGIDO_LEGISLACION for h in hallazgos)


def test_telefonos_y_correos_en_texto_libre_se_senalan_sin_codigo() -> None:
    texto = "Referencia: Lic. Ana Pérez, tel. (998) 315-6544, ana.perez@correo.mx."
    hallazgos = de_regla(texto, Regla.DATOS_PERSONALES)
    assert sorted(texto[h.inicio : h.fin] for h in hallazgos) == [
        "(998) 315-6544", "ana.perez@correo.mx",
    ]  # fmt: skip
    assert all(h.codigo is None for h in hallazgos)


def test_los_periodos_de_anios_no_son_telefonos() -> None:
    assert de_regla("Regidora (2015-2018) y síndica 2019 - 2021 2022-2024.",
                    Regla.DATOS_PERSONALES) == []  # fmt: skip


# As long as a real proposal: MinHash estimates a 120-bin similarity, which is only precise
# with a few hundred shingles (a 30-word text can be under-estimated by 0.1).
PROPUESTA = (
    "Construir tres clínicas de salud materna en las comunidades rurales del municipio, con "
    "personal médico de tiempo completo, ambulancias equipadas y un programa de visitas "
    "domiciliarias para mujeres embarazadas que viven lejos de la cabecera municipal. La meta "
    "es atender a cuatro mil mujeres al año desde el segundo año de gobierno, con un "
    "presupuesto etiquetado y aprobado por el cabildo, y con reportes trimestrales públicos "
    "sobre consultas, partos atendidos, traslados de urgencia y tiempos de espera. Para lograrlo "
    "se firmarán convenios con la Secretaría de Salud del Estado y con las universidades de la "
    "región, que enviarán médicas y enfermeras en servicio social a las tres clínicas, y se "
    "habilitará una línea telefónica gratuita para pedir una ambulancia a cualquier hora."
)


def test_el_indice_encuentra_propuestas_casi_copiadas_entre_candidaturas() -> None:
    indice = IndiceDuplicados()
    indice.agregar("A", "propuesta_1", PROPUESTA)
    indice.agregar("B", "propuesta_2", PROPUESTA.replace("tres", "cuatro"))
    indice.agregar("C", "propuesta_1", "Crear un fondo municipal de becas " * 3)
    (similitud,) = indice.similares("A", "propuesta_1")
    assert (similitud.otra_candidatura_id, similitud.otro_campo) == ("B", "propuesta_2")
    assert similitud.jaccard >= 0.8
    assert [(s.candidatura_id, s.otra_candidatura_id) for s in indice.pares()] == [("A", "B")]


def test_el_indice_no_compara_una_candidatura_consigo_misma_y_olvida_textos_reemplazados() -> None:
    indice = IndiceDuplicados()
    indice.agregar("A", "propuesta_1", PROPUESTA)
    indice.agregar("A", "propuesta_2", PROPUESTA)
    indice.agregar("B", "propuesta_1", PROPUESTA)
    assert list(indice.pares()) != []
    indice.agregar("B", "propuesta_1", "Otra propuesta muy distinta sobre transporte público " * 2)
    assert [s for s in indice.pares()] == []


def test_los_textos_cortos_no_entran_al_indice() -> None:
    indice = IndiceDuplicados()
    indice.agregar("A", "propuesta_1", "Mejorar la seguridad pública.")
    assert len(indice) == 0


def test_la_revision_curricular_reporta_copias_con_el_codigo_1() -> None:
    indice = IndiceDuplicados()
    revisar_curricular({"propuesta_1": PROPUESTA}, propia=Propia(candidatura_id="A"),
                       indice=indice)  # fmt: skip
    hallazgos = revisar_curricular(
        {"propuesta_genero": PROPUESTA, "cursos": ["Taller para discapacitados"]},
        propia=Propia(candidatura_id="B"),
        indice=indice,
    )
    por_regla = {h.regla: h for h in hallazgos}
    assert por_regla[Regla.DUPLICADO].codigo is MotivoContenido.COPIA_PROPUESTAS
    assert por_regla[Regla.DUPLICADO].campo == "propuesta_genero"
    assert por_regla[Regla.LENGUAJE].campo == "cursos"
