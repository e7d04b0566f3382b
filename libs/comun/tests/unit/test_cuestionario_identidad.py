"""The identity questionnaire's vocabulary, shared by captura and publicacion."""

from comun.cuestionario_identidad import (
    NO_APLICA,
    POR_CLAVE,
    PREFIERO_NO_CONTESTAR,
    PREGUNTAS,
    valores_permitidos,
)


def test_son_veinte_preguntas_numeradas_en_orden_con_claves_unicas() -> None:
    assert [p.numero for p in PREGUNTAS] == list(range(1, 21))
    assert len(POR_CLAVE) == 20


def test_cada_pregunta_condicional_depende_de_una_anterior_y_lo_dice() -> None:
    condicionales = [p for p in PREGUNTAS if p.depende_de]
    assert {p.numero for p in condicionales} == {3, 5, 6, 7, 10, 12, 13, 14, 15}
    for pregunta in condicionales:
        padre = POR_CLAVE[pregunta.depende_de[0]] if pregunta.depende_de else None
        assert padre is not None and padre.numero < pregunta.numero
        assert pregunta.condicion == f"solo si la pregunta {padre.numero} es «Sí»"
    assert POR_CLAVE["joven"].condicion == ""


def test_no_aplica_solo_se_admite_en_las_condicionales() -> None:
    for pregunta in PREGUNTAS:
        valores = valores_permitidos(pregunta)
        assert PREFIERO_NO_CONTESTAR in valores
        assert (NO_APLICA in valores) is bool(pregunta.depende_de)


def test_el_encabezado_ine_es_numero_y_texto_salvo_el_espacio_final_de_la_20() -> None:
    assert POR_CLAVE["migrante"].encabezado_ine == "11. ¿Es usted migrante?"
    assert (
        POR_CLAVE["entidad_nacimiento"].encabezado_ine == "20. Entidad federativa de nacimiento: "
    )
