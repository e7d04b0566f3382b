"""Rules of the cuestionario de identidad: options, conditionals, «Otro» texts and progress."""

from typing import Any

import pytest

from captura.domain.identidad import (
    avance_visible,
    porcentaje_contestado,
    respuestas_vacias,
    validar_identidad,
)
from comun.cuestionario_identidad import NO_APLICA, POR_CLAVE, PREFIERO_NO_CONTESTAR, PREGUNTAS
from comun.cuestionario_identidad.catalogos import ENTIDADES, PUEBLOS_INDIGENAS

CONDICIONALES = {
    "pueblo_indigena": ("indigena", "Sí"),
    "tipo_discapacidad": ("discapacidad", "Sí"),
    "clase_discapacidad": ("discapacidad", "Sí"),
    "dificultad_discapacidad": ("discapacidad", "Sí"),
    "identidad_lgbtttiq": ("lgbtttiq", "Sí"),
    "pais_residencia": ("migrante", "Sí"),
    "tiempo_extranjero": ("migrante", "Sí"),
    "motivo_extranjero": ("migrante", "Sí"),
    "situacion_regular": ("migrante", "Sí"),
}


def completas() -> dict[str, Any]:
    """A full, valid questionnaire where every conditional question applies."""
    return {
        "indigena": "Sí",
        "lengua_indigena": "No",
        "pueblo_indigena": "Mazahua",
        "discapacidad": "Sí",
        "tipo_discapacidad": "Permanente",
        "clase_discapacidad": ["Física"],
        "dificultad_discapacidad": ["Mover o usar brazos y/o manos"],
        "afromexicana": "No",
        "lgbtttiq": "Sí",
        "identidad_lgbtttiq": ["Mujer lesbiana"],
        "migrante": "Sí",
        "pais_residencia": "Estados Unidos de América",
        "tiempo_extranjero": "De 0 a 5 años",
        "motivo_extranjero": "Familiar",
        "situacion_regular": "No",
        "joven": "No",
        "persona_mayor": "No",
        "ingresos": "De $25,001 a $50,000",
        "fuente_ingresos": "Salario",
        "entidad_nacimiento": "Campeche",
    }


def test_son_veinte_preguntas_numeradas_en_orden_con_claves_unicas() -> None:
    assert [p.numero for p in PREGUNTAS] == list(range(1, 21))
    assert len(POR_CLAVE) == 20


def test_los_textos_son_los_de_ine_sin_numeracion_ni_espacios_finales() -> None:
    for pregunta in PREGUNTAS:
        assert pregunta.texto == pregunta.texto.strip()
        assert not pregunta.texto.startswith(f"{pregunta.numero}.")
    assert POR_CLAVE["discapacidad"].texto == "¿Tiene alguna discapacidad?"
    assert POR_CLAVE["entidad_nacimiento"].texto == "Entidad federativa de nacimiento:"


def test_las_opciones_no_incluyen_prefiero_no_contestar_ni_no_aplica() -> None:
    for pregunta in PREGUNTAS:
        assert PREFIERO_NO_CONTESTAR not in pregunta.opciones
        assert NO_APLICA not in pregunta.opciones
        assert len(set(pregunta.opciones)) == len(pregunta.opciones)


@pytest.mark.parametrize(
    ("clave", "opciones"),
    [
        ("tipo_discapacidad", ("Permanente", "Temporal")),
        ("clase_discapacidad", ("Física", "Sensorial", "Mental", "Intelectual", "Otra")),
        ("tiempo_extranjero", ("De 0 a 5 años", "De 6 a 15 años", "Más de 15 años")),
        ("motivo_extranjero", ("Familiar", "Estudio", "Trabajo", "Otro")),
        (
            "ingresos",
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
        (
            "fuente_ingresos",
            (
                "Salario",
                "Negocio propio",
                "Compañía o empresa registrada, con 5 empleados o más",
                "No ha laborado en los 3 meses anteriores",
            ),
        ),
    ],
)
def test_las_opciones_coinciden_con_las_de_ine(clave: str, opciones: tuple[str, ...]) -> None:
    assert POR_CLAVE[clave].opciones == opciones


def test_las_preguntas_de_si_o_no_ofrecen_si_y_no() -> None:
    for clave in (
        "indigena",
        "lengua_indigena",
        "discapacidad",
        "afromexicana",
        "lgbtttiq",
        "migrante",
        "situacion_regular",
        "joven",
        "persona_mayor",
    ):
        assert POR_CLAVE[clave].opciones == ("Sí", "No")


def test_la_dificultad_y_la_identidad_lgbtttiq_incluyen_las_opciones_de_ine() -> None:
    assert "Mover o usar brazos y/o manos" in POR_CLAVE["dificultad_discapacidad"].opciones
    assert len(POR_CLAVE["dificultad_discapacidad"].opciones) == 8
    assert POR_CLAVE["identidad_lgbtttiq"].opciones[-2:] == ("Queer", "Otra")
    assert len(POR_CLAVE["identidad_lgbtttiq"].opciones) == 9


def test_el_catalogo_de_pueblos_empieza_con_los_originarios_del_estado_de_mexico() -> None:
    assert PUEBLOS_INDIGENAS[:5] == ("Mazahua", "Otomí", "Nahua", "Matlatzinca", "Tlahuica")
    assert {"Maya", "Zapoteco", "Mixteco", "Tepehuano del sur"} <= set(PUEBLOS_INDIGENAS)
    assert PUEBLOS_INDIGENAS[-1] == "Otro"


def test_hay_32_entidades_escritas_como_ine() -> None:
    assert len(ENTIDADES) == 32 == len(set(ENTIDADES))
    assert {"México", "Ciudad de México", "Veracruz de Ignacio de la Llave"} <= set(ENTIDADES)


def test_las_condicionales_dependen_de_la_pregunta_que_las_abre() -> None:
    condicionales = {p.clave: p.depende_de for p in PREGUNTAS if p.depende_de is not None}
    assert condicionales == CONDICIONALES


def test_solo_clase_dificultad_e_identidad_lgbtttiq_admiten_varias_opciones() -> None:
    multiples = {p.clave for p in PREGUNTAS if p.multiple}
    assert multiples == {"clase_discapacidad", "dificultad_discapacidad", "identidad_lgbtttiq"}


def test_un_cuestionario_completo_es_valido_y_queda_al_cien_por_ciento() -> None:
    limpias, errores = validar_identidad(completas())
    assert errores == {}
    assert limpias["pueblo_indigena"] == "Mazahua"
    assert porcentaje_contestado(completas()) == 100


def test_las_respuestas_vacias_tienen_todas_las_claves_sin_contestar() -> None:
    vacias = respuestas_vacias()
    assert all(valor is None for valor in vacias.values())
    assert set(POR_CLAVE) <= set(vacias)
    assert "pueblo_indigena_otro" in vacias
    assert porcentaje_contestado(vacias) == 0


def test_un_borrador_puede_dejar_preguntas_sin_contestar() -> None:
    limpias, errores = validar_identidad({"indigena": "No"})
    assert errores == {}
    assert limpias["joven"] is None
    assert set(limpias) == set(respuestas_vacias())


@pytest.mark.parametrize("clave", sorted(POR_CLAVE))
def test_toda_pregunta_aplicable_acepta_prefiero_no_contestar(clave: str) -> None:
    respuestas = completas()
    respuestas[clave] = PREFIERO_NO_CONTESTAR
    limpias, errores = validar_identidad(respuestas)
    assert errores == {}
    esperado = [PREFIERO_NO_CONTESTAR] if POR_CLAVE[clave].multiple else PREFIERO_NO_CONTESTAR
    assert limpias[clave] == esperado


@pytest.mark.parametrize(("hija", "condicion"), sorted(CONDICIONALES.items()))
@pytest.mark.parametrize("otra_respuesta", ["No", PREFIERO_NO_CONTESTAR])
def test_una_condicional_queda_no_aplica_aunque_se_haya_contestado(
    hija: str, condicion: tuple[str, str], otra_respuesta: str
) -> None:
    respuestas = completas()
    respuestas[condicion[0]] = otra_respuesta
    limpias, errores = validar_identidad(respuestas)
    assert errores == {}
    assert limpias[hija] == ([NO_APLICA] if POR_CLAVE[hija].multiple else NO_APLICA)


def test_no_aplica_en_una_pregunta_que_aplica_es_un_error() -> None:
    respuestas = completas() | {"tipo_discapacidad": "No aplica"}
    _, errores = validar_identidad(respuestas)
    assert "aplica por su respuesta a la pregunta 4" in errores["tipo_discapacidad"]


def test_no_aplica_en_una_pregunta_sin_condicion_es_un_error() -> None:
    _, errores = validar_identidad({"joven": "No aplica"})
    assert errores["joven"].startswith("La pregunta 16 siempre aplica")


def test_no_aplica_mientras_la_pregunta_que_abre_no_se_contesta_queda_sin_contestar() -> None:
    limpias, errores = validar_identidad({"tipo_discapacidad": "No aplica"})
    assert errores == {}
    assert limpias["tipo_discapacidad"] is None


def test_una_opcion_desconocida_explica_las_opciones_validas() -> None:
    _, errores = validar_identidad({"discapacidad": "Talvez"})
    assert errores["discapacidad"] == (
        "La respuesta «Talvez» no es una opción de la pregunta 4; "
        "elija Sí, No o Prefiero no contestar."
    )


def test_en_catalogos_largos_el_error_no_enumera_todas_las_opciones() -> None:
    _, errores = validar_identidad({"entidad_nacimiento": "Atlántida"})
    assert errores["entidad_nacimiento"].endswith(
        "elija una opción de la lista o Prefiero no contestar."
    )


@pytest.mark.parametrize(
    ("enviada", "canonica"),
    [
        ("si", "Sí"),
        ("  SÍ ", "Sí"),
        ("prefiero   NO contestar", PREFIERO_NO_CONTESTAR),
    ],
)
def test_las_etiquetas_se_reconocen_sin_importar_acentos_mayusculas_o_espacios(
    enviada: str, canonica: str
) -> None:
    limpias, errores = validar_identidad({"indigena": enviada})
    assert errores == {}
    assert limpias["indigena"] == canonica


def test_la_entidad_se_guarda_con_el_nombre_de_ine_aunque_llegue_abreviada() -> None:
    limpias, _ = validar_identidad(
        {"entidad_nacimiento": "estado de mexico", "lgbtttiq": "Sí", "identidad_lgbtttiq": "queer"}
    )
    assert limpias["entidad_nacimiento"] == "México"
    assert limpias["identidad_lgbtttiq"] == ["Queer"]


def test_las_multiples_aceptan_una_cadena_y_devuelven_una_lista() -> None:
    limpias, errores = validar_identidad({"discapacidad": "Sí", "clase_discapacidad": "fisica"})
    assert errores == {}
    assert limpias["clase_discapacidad"] == ["Física"]


def test_las_multiples_quedan_en_el_orden_del_catalogo_y_sin_repetidos() -> None:
    respuestas = {
        "discapacidad": "Sí",
        "dificultad_discapacidad": [
            "Ver (aunque use lentes)",
            "Hablar o comunicarse",
            "ver (aunque use lentes)",
        ],
    }
    limpias, errores = validar_identidad(respuestas)
    assert errores == {}
    assert limpias["dificultad_discapacidad"] == ["Ver (aunque use lentes)", "Hablar o comunicarse"]


def test_prefiero_no_contestar_no_se_combina_con_otras_opciones() -> None:
    respuestas = {"lgbtttiq": "Sí", "identidad_lgbtttiq": ["Mujer trans", "Prefiero no contestar"]}
    _, errores = validar_identidad(respuestas)
    assert "no puede combinarse" in errores["identidad_lgbtttiq"]


def test_una_multiple_sin_opciones_es_un_error() -> None:
    _, errores = validar_identidad({"discapacidad": "Sí", "clase_discapacidad": []})
    assert "al menos una opción" in errores["clase_discapacidad"]


def test_una_pregunta_de_una_sola_respuesta_no_acepta_una_lista() -> None:
    _, errores = validar_identidad({"ingresos": ["Salario"]})
    assert "una sola respuesta" in errores["ingresos"]


def test_una_respuesta_que_no_es_texto_es_un_error() -> None:
    _, errores = validar_identidad({"joven": 1})
    assert errores["joven"].startswith("La respuesta de la pregunta 16 debe ser texto")


def test_una_clave_desconocida_es_un_error() -> None:
    _, errores = validar_identidad({"religion": "Sí"})
    assert errores == {"religion": "«religion» no es una pregunta del cuestionario de identidad."}


def test_el_texto_de_otro_solo_existe_en_preguntas_con_otro() -> None:
    _, errores = validar_identidad({"joven_otro": "algo"})
    assert "joven_otro" in errores


def test_otro_guarda_su_texto_en_la_clave_con_sufijo_otro() -> None:
    respuestas = completas() | {"pueblo_indigena": "otro", "pueblo_indigena_otro": "  Mazateco "}
    limpias, errores = validar_identidad(respuestas)
    assert errores == {}
    assert limpias["pueblo_indigena"] == "Otro"
    assert limpias["pueblo_indigena_otro"] == "Mazateco"


def test_otra_en_una_multiple_pide_su_texto() -> None:
    respuestas = {"discapacidad": "Sí", "clase_discapacidad": ["Física", "Otra"]}
    _, errores = validar_identidad(respuestas)
    assert errores["clase_discapacidad_otro"].startswith("Escriba cuál en la pregunta 6")
    assert "«Otra»" in errores["clase_discapacidad_otro"]


def test_el_texto_de_otro_admite_hasta_cien_caracteres() -> None:
    base = {"migrante": "Sí", "motivo_extranjero": "Otro"}
    limpias, errores = validar_identidad(base | {"motivo_extranjero_otro": "a" * 100})
    assert errores == {}
    assert limpias["motivo_extranjero_otro"] == "a" * 100
    _, errores = validar_identidad(base | {"motivo_extranjero_otro": "a" * 101})
    assert errores["motivo_extranjero_otro"] == (
        "El texto de «Otro» de la pregunta 14 tiene 101 caracteres; el máximo es 100."
    )


@pytest.mark.parametrize("texto", ["dos\nlíneas", "tab\tulador", "nulo\x00", "sep\u2028arador"])
def test_el_texto_de_otro_no_admite_saltos_ni_caracteres_de_control(texto: str) -> None:
    respuestas = {"migrante": "Sí", "pais_residencia": "Otro", "pais_residencia_otro": texto}
    _, errores = validar_identidad(respuestas)
    assert "una sola línea" in errores["pais_residencia_otro"]


def test_el_texto_de_otro_se_descarta_si_no_se_eligio_otro() -> None:
    respuestas = completas() | {"motivo_extranjero_otro": "Texto de antes"}
    limpias, errores = validar_identidad(respuestas)
    assert errores == {}
    assert limpias["motivo_extranjero_otro"] is None


def test_el_porcentaje_cuenta_solo_las_preguntas_que_aplican() -> None:
    respuestas = {
        "indigena": "No",
        "lengua_indigena": "No",
        "discapacidad": "No",
        "afromexicana": "No",
        "lgbtttiq": "No",
        "migrante": "No",
        "joven": "No",
        "persona_mayor": "No",
        "ingresos": PREFIERO_NO_CONTESTAR,
        "fuente_ingresos": "Salario",
        "entidad_nacimiento": "México",
    }
    assert porcentaje_contestado(respuestas) == 100
    assert porcentaje_contestado(respuestas | {"entidad_nacimiento": None}) == 91


def test_abrir_una_condicional_agrega_sus_preguntas_al_porcentaje() -> None:
    # 11 unconditional answered out of 11 + 4 migrant questions now applicable.
    respuestas = {clave: completas()[clave] for clave in POR_CLAVE if clave not in CONDICIONALES}
    solo_migrante = {"migrante": "Sí", "discapacidad": "No", "indigena": "No", "lgbtttiq": "No"}
    assert porcentaje_contestado(respuestas | solo_migrante) == round(100 * 11 / 15)


def test_una_respuesta_invalida_no_cuenta_como_contestada() -> None:
    assert porcentaje_contestado({"joven": "Talvez"}) == 0


def test_el_avance_visible_no_cambia_con_la_respuesta_de_una_pregunta_condicional() -> None:
    si, _ = validar_identidad({"lgbtttiq": "Sí", "migrante": "Sí"})
    no, _ = validar_identidad({"lgbtttiq": "No", "migrante": "No"})
    assert avance_visible(si) == avance_visible(no)
