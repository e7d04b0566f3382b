"""Pre-load column mapping and row validation (domain.precarga), without storage."""

from pathlib import Path

import openpyxl
import pytest

from captura.domain.curricular import ConfiguracionCurricular
from captura.domain.identidad import respuestas_vacias, validar_identidad
from captura.domain.precarga import (
    CLAVE,
    NOMBRES_COLUMNAS,
    POR_CLAVE,
    combinar_curricular,
    leer_fila,
    redes_de_ine,
    revisar_fila,
)
from captura.handlers.lectura_precarga import PlantillaInvalida, leer_libro
from comun.cuestionario_identidad import NO_APLICA

CONFIG = ConfiguracionCurricular()
SIN_FORMULAS: frozenset[str] = frozenset()
INDIGENA = POR_CLAVE["indigena"].nombre


def test_las_columnas_usan_los_nombres_del_ine_y_las_20_preguntas_numeradas() -> None:
    for nombre in ("DIRECCION_CASA_CAMPAÑA", "TELEFONO", "ESCOLARIDAD", "PROPUESTA_GENERO"):
        assert nombre in NOMBRES_COLUMNAS
    assert sum(1 for n in NOMBRES_COLUMNAS if n.split(".")[0].isdigit()) >= 20
    assert "20. Entidad federativa de nacimiento:" in NOMBRES_COLUMNAS
    assert len(set(NOMBRES_COLUMNAS)) == len(NOMBRES_COLUMNAS)


def test_las_etiquetas_del_ine_y_no_proporciono_se_traducen() -> None:
    fila = leer_fila(
        2,
        {CLAVE: 236787.0, "ESCOLARIDAD": "Técnica", "ESTATUS_ESCOLARIDAD": "Trunca",
         "PAGINA_WEB": "No proporcionó", "CURSOS": "Sin cursos", "TELEFONO": 5512345678.0},
        formulas=SIN_FORMULAS,
    )  # fmt: skip
    assert fila.candidatura_id == "236787"
    assert fila.curricular == {
        "grado_maximo_estudios": "Carrera técnica",
        "estatus_estudios": "Trunco",
        "telefono_publico": 5512345678.0,
    }
    revision = revisar_fila(fila, curricular={}, identidad=None, config=CONFIG)
    assert revision.observaciones == []
    assert revision.curricular is not None


def test_una_celda_vacia_deja_el_borrador_como_esta() -> None:
    actual = {"telefono_publico": "5512345678", "redes_sociales": {"x": "https://x.com/ana"}}
    combinado = combinar_curricular(actual, {"redes_sociales.facebook": "ana.gomez"})
    assert combinado["telefono_publico"] == "5512345678"
    assert set(combinado["redes_sociales"]) == {"x", "facebook"}


def test_una_fila_sin_cambios_no_guarda_nada() -> None:
    fila = leer_fila(2, {CLAVE: "A-1", "TELEFONO": "5512345678"}, formulas=SIN_FORMULAS)
    revision = revisar_fila(
        fila, curricular={"telefono_publico": "5512345678"}, identidad=None, config=CONFIG
    )
    assert (revision.curricular, revision.observaciones) == (None, [])


def test_cada_celda_mala_se_reporta_con_su_columna() -> None:
    fila = leer_fila(
        7, {CLAVE: "A-1", "TELEFONO": "123", "CORREO_ELECTRONICO": "no-es-correo"},
        formulas=SIN_FORMULAS,
    )  # fmt: skip
    revision = revisar_fila(fila, curricular={}, identidad=None, config=CONFIG)
    assert {o.columna for o in revision.observaciones} == {"TELEFONO", "CORREO_ELECTRONICO"}


def test_una_formula_no_se_calcula_y_rechaza_la_celda() -> None:
    fila = leer_fila(2, {CLAVE: "A-1", "TELEFONO": "=1+1"}, formulas=frozenset({"TELEFONO"}))
    assert [o.columna for o in fila.observaciones] == ["TELEFONO"]
    assert "fórmula" in fila.observaciones[0].motivo


def test_las_respuestas_de_identidad_no_se_repiten_en_el_reporte() -> None:
    fila = leer_fila(2, {CLAVE: "A-1", INDIGENA: "Tal vez"}, formulas=SIN_FORMULAS)
    revision = revisar_fila(fila, curricular={}, identidad=respuestas_vacias(), config=CONFIG)
    [observacion] = revision.observaciones
    assert "Tal vez" not in observacion.valor + observacion.motivo


def test_el_no_aplica_derivado_se_recalcula_al_combinar() -> None:
    actual, _ = validar_identidad({"indigena": "No"})
    assert actual["pueblo_indigena"] == NO_APLICA
    fila = leer_fila(
        2, {CLAVE: "A-1", INDIGENA: "Sí", POR_CLAVE["pueblo_indigena"].nombre: "Otomí"},
        formulas=SIN_FORMULAS,
    )  # fmt: skip
    revision = revisar_fila(fila, curricular={}, identidad=actual, config=CONFIG)
    assert revision.observaciones == []
    assert revision.identidad is not None and revision.identidad["pueblo_indigena"] == "Otomí"


def test_las_celdas_de_identidad_vacias_no_tocan_la_identidad() -> None:
    fila = leer_fila(2, {CLAVE: "A-1", "TELEFONO": "5512345678"}, formulas=SIN_FORMULAS)
    assert fila.identidad == {}


def test_redes_del_ine_se_separan_por_red() -> None:
    redes, error = redes_de_ine(
        "https://facebook.com/MMarthaMarquez, https://twitter.com/mmarquezags"
    )
    assert error is None
    assert set(redes) == {"facebook", "x"}


def test_una_formula_en_una_pregunta_de_identidad_no_se_repite_en_el_reporte() -> None:
    fila = leer_fila(2, {CLAVE: "A-1", INDIGENA: '="Sí"'}, formulas=frozenset({INDIGENA}))
    assert [o.valor for o in fila.observaciones] == ["(no se repite: dato sensible)"]


def test_el_formato_del_ine_con_un_encabezado_cambiado_se_rechaza(tmp_path: Path) -> None:
    libro = openpyxl.Workbook()
    hoja = libro.active
    assert hoja is not None
    hoja.title = "CANDIDATOS"
    hoja.append(["NUM_LISTA_O_FORMULA", "NOMBRE_CANDIDATO", "TELEFONO_MOVIL"])
    hoja.append([236787, "Ana Pérez", "5512345678"])
    ruta = tmp_path / "ine.xlsx"
    libro.save(ruta)
    with pytest.raises(PlantillaInvalida, match="TELEFONO_MOVIL"):
        leer_libro(ruta, "ine.xlsx", eleccion_id="simulacro-2025")
