"""Open data: rows from the public views, the CSV, JSON and XLSX files and the dictionary."""

import csv
import datetime
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlrd

from comun.cuestionario_identidad import PREGUNTAS
from comun.eventos import CandidaturaRegistrada, muestra
from comun.settings import archivo_de_datos
from publicacion.domain import Perfil, formato_ine, vista_publica
from publicacion.domain import datos_abiertos as da
from publicacion.domain.formato_ine import ContextoEleccion
from publicacion.escritura_datos import EscritorInstantanea

ID = "AY-033-PM-MORENA-P"
CURP = "MAVR770312MMCRLS09"
NACIMIENTO = "1977-03-12"
FOLIO = "SNR-2024-15-033-000187"
LUNES = "2024-05-01T06:00:12+00:00"
IDENTIDAD = {
    "indigena": "Sí", "lengua_indigena": "No", "pueblo_indigena": "Otro",
    "pueblo_indigena_otro": "Mexica", "discapacidad": "No", "tipo_discapacidad": "No aplica",
    "clase_discapacidad": ["No aplica"], "clase_discapacidad_otro": None,
    "dificultad_discapacidad": ["No aplica"], "dificultad_discapacidad_otro": None,
    "afromexicana": "No", "lgbtttiq": "Sí", "identidad_lgbtttiq": ["Mujer lesbiana", "Otra"],
    "identidad_lgbtttiq_otro": "Género fluido", "migrante": "No", "pais_residencia": "No aplica",
    "pais_residencia_otro": None, "tiempo_extranjero": "No aplica",
    "motivo_extranjero": "No aplica", "motivo_extranjero_otro": None,
    "situacion_regular": "No aplica", "joven": "Prefiero no contestar", "persona_mayor": "No",
    "ingresos": "De $11,001 a $25,000", "fuente_ingresos": "Salario",
    "entidad_nacimiento": "México",
}  # fmt: skip
ELECCION = ContextoEleccion(
    eleccion="edomex-2024",
    entidad="Estado de México",
    partidos={"MORENA": "Morena", "PAN": "Partido Acción Nacional"},
    cabeceras={2: "Toluca de Lerdo"},
)
INE = archivo_de_datos("ine/ine-2022-baseDatosCandidatos.xls")


def registro(**cambios: Any) -> dict[str, Any]:
    """Registry data as captura sends it, plus private data that must never be published."""
    datos = muestra("mx.conoceles.captura.candidatura_registrada.v1").data
    modelo = CandidaturaRegistrada.model_validate({**datos, "candidatura_id": ID, **cambios})
    return {**modelo.model_dump(), "curp": CURP, "fecha_nacimiento": NACIMIENTO}


def curricular(**cambios: Any) -> dict[str, Any]:
    """Validated curricular answers as validacion publishes them."""
    datos = muestra("mx.conoceles.validacion.candidatura_publicable.v1").data["curricular"]
    return {**datos, "correo_aclaraciones": "privado@ejemplo.mx", **cambios}


def vista(
    *,
    identidad: dict[str, Any] | None = None,
    deshabilitados: tuple[str, ...] = (),
    perfil_completo: bool = False,
    registro_extra: dict[str, Any] | None = None,
    **respuestas: Any,
) -> dict[str, Any]:
    """The public view of a published profile, built by the domain as the read model does."""
    perfil = Perfil(ID)
    perfil.conocer_registro(datos=registro(**(registro_extra or {})), version=1)
    perfil.hacer_publicable(
        curricular=curricular(**respuestas), identidad=identidad, version=1, momento=LUNES
    )
    if deshabilitados or perfil_completo:
        perfil.deshabilitar(campos=deshabilitados, motivo="propaganda", version=1)
    publica = vista_publica(perfil)
    assert publica is not None
    return publica


def escribir(carpeta: Path, vistas: list[dict[str, Any]]) -> dict[str, Path]:
    """Every file of a snapshot of these views, by name."""
    momento = datetime.datetime(2024, 5, 13, 12, 0, tzinfo=datetime.UTC)
    escritor = EscritorInstantanea(carpeta, eleccion=ELECCION, generado_en=momento)
    escritor.agregar(vistas)
    escritos = [*escritor.cerrar(), escritor.escribir_xlsx()]
    return {e.archivo.nombre: e.ruta for e in escritos}


def ine(vista: dict[str, Any]) -> list[Any]:
    """The CANDIDATOS row of a view, made from its curricular row as the workbook is."""
    return formato_ine.fila_candidatos(da.fila_curricular(vista), ELECCION)


def leer_csv(ruta: Path) -> list[dict[str, str]]:
    """A CSV as Excel would read it (the BOM marks UTF-8)."""
    with ruta.open(encoding="utf-8-sig", newline="") as archivo:
        return list(csv.DictReader(archivo))


def encabezados_ine() -> dict[str, list[str]]:
    """The header row of each sheet of INE's real 2022 file."""
    libro = xlrd.open_workbook(str(INE))
    return {h.name: [str(h.cell_value(0, c)) for c in range(h.ncols)] for h in libro.sheets()}


# Rows from the public views


def test_la_fila_curricular_trae_el_registro_y_las_respuestas_publicas() -> None:
    fila = da.fila_curricular(vista())
    assert list(fila) == [c.nombre for c in da.COLUMNAS_CURRICULAR]
    assert fila["id"] == ID and fila["nombre"] == "Rosa Elena Martínez Villegas"
    assert fila["estado"] == "publicado" and fila["motivo_deshabilitado"] is None
    assert fila["partidos"] == ["MORENA", "PT", "PVEM"] and fila["edad"] == 47
    assert fila["propuesta_1"] == curricular()["propuesta_1"]
    assert fila["red_facebook"] == "https://www.facebook.com/MaFerLopezToluca"
    assert fila["red_youtube"] is None and fila["grado_maximo_estudios"] == "maestria"
    assert len(fila["cursos"]) == 2 and fila["campos_deshabilitados"] == []


def test_la_fila_curricular_no_trae_curp_fecha_de_nacimiento_folio_ni_correo_privado() -> None:
    texto = json.dumps(da.fila_curricular(vista(identidad=IDENTIDAD)), ensure_ascii=False)
    for privado in (CURP, NACIMIENTO, FOLIO, "privado@ejemplo.mx", "correo_aclaraciones"):
        assert privado not in texto


def test_un_campo_deshabilitado_va_vacio_y_se_nombra_en_campos_deshabilitados() -> None:
    fila = da.fila_curricular(vista(deshabilitados=("propuesta_1", "redes_sociales")))
    assert fila["propuesta_1"] is None and fila["red_facebook"] is None
    assert fila["campos_deshabilitados"] == ["propuesta_1", "redes_sociales"]
    assert fila["propuesta_2"] == curricular()["propuesta_2"]


def test_un_perfil_deshabilitado_completo_conserva_solo_el_registro_y_el_motivo() -> None:
    fila = da.fila_curricular(vista(perfil_completo=True, identidad=IDENTIDAD))
    assert fila["estado"] == "deshabilitado" and fila["motivo_deshabilitado"] == "propaganda"
    assert (
        fila["nombre"] == "Rosa Elena Martínez Villegas"
        and fila["cargo"] == "presidencia_municipal"
    )
    nombres = [c.nombre for c in da.COLUMNAS_CURRICULAR]
    assert all(fila[c] is None for c in nombres[nombres.index("fotografia") :])
    assert fila["campos_deshabilitados"] == []


def test_la_fila_de_identidad_existe_solo_si_las_respuestas_son_publicas() -> None:
    assert da.fila_identidad(vista(identidad=None)) is None
    fila = da.fila_identidad(vista(identidad=IDENTIDAD))
    assert fila is not None and list(fila) == [c.nombre for c in da.COLUMNAS_IDENTIDAD]


def test_un_perfil_deshabilitado_completo_no_tiene_fila_de_identidad() -> None:
    deshabilitado = vista(perfil_completo=True, identidad=IDENTIDAD)
    assert da.fila_identidad(deshabilitado) is None


def test_la_fila_de_identidad_trae_las_veinte_respuestas_y_los_textos_de_otro() -> None:
    fila = da.fila_identidad(vista(identidad=IDENTIDAD))
    assert fila is not None
    assert fila["pueblo_indigena"] == "Otro" and fila["pueblo_indigena_otro"] == "Mexica"
    assert fila["identidad_lgbtttiq"] == ["Mujer lesbiana", "Otra"]
    assert fila["entidad_nacimiento"] == "México" and fila["joven"] == "Prefiero no contestar"
    assert len(PREGUNTAS) == 20 and all(p.clave in fila for p in PREGUNTAS)


def test_en_csv_las_listas_se_unen_con_el_separador_de_su_columna() -> None:
    fila = da.fila_curricular(vista(cursos=["Curso A", "Curso B"]))
    celdas = dict(zip([c.nombre for c in da.COLUMNAS_CURRICULAR],
                      da.celdas_csv(da.COLUMNAS_CURRICULAR, fila), strict=True))  # fmt: skip
    assert celdas["cursos"] == "Curso A\nCurso B"
    assert celdas["partidos"] == "MORENA; PT; PVEM" and celdas["sobrenombre"] == "Rosy Martínez"
    assert celdas["accion_afirmativa"] == ""


# INE's layout


def test_la_fila_ine_usa_las_convenciones_del_ine() -> None:
    fila = dict(zip(formato_ine.ENCABEZADOS_CANDIDATOS,
                    ine(vista()), strict=True))  # fmt: skip
    assert fila["PARTIDO_COALICION"] == "SIGAMOS HACIENDO HISTORIA EN EL ESTADO DE MÉXICO"
    assert fila["CARGO"] == "PRESIDENCIA MUNICIPAL" and fila["ENTIDAD"] == "ESTADO DE MÉXICO"
    assert fila["DISTRITO LOCAL"] == "No aplica" and fila["CIRCUNSCRIPCION"] == "No aplica"
    assert fila["MUNICIPIO"] == "ECATEPEC DE MORELOS" and fila["NUM_LISTA_O_FORMULA"] == ID
    assert fila["TIPO_CANDIDATO"] == "PROPIETARIA" and fila["SEXO"] == "MUJER"
    assert fila["EDAD"] == 47 and fila["ESCOLARIDAD"] == "Maestría"
    assert fila["ESTATUS_ESCOLARIDAD"] == "Título"
    assert fila["REDES"] == (
        "https://www.facebook.com/MaFerLopezToluca, https://x.com/mafer_lopez_h, "
        "https://www.instagram.com/mafer.lopez.toluca"
    )


def test_la_fila_ine_de_una_diputacion_lleva_distrito_con_cabecera_o_circunscripcion() -> None:
    mr = {"cargo": "diputacion_local", "distrito": 2, "municipio": None, "nombre_municipio": None}
    fila = ine(vista(registro_extra=mr))
    assert fila[1:6] == ["DIPUTACIÓN LOCAL MR", "ESTADO DE MÉXICO", "2-TOLUCA DE LERDO",
                         "No aplica", "No aplica"]  # fmt: skip
    rp = {**mr, "principio": "RP", "distrito": None, "postulante": "partido",
          "nombre_postulante": None, "partido": "PAN", "partidos": ["PAN"]}  # fmt: skip
    fila = ine(vista(registro_extra=rp))
    assert fila[:5] == ["PARTIDO ACCIÓN NACIONAL", "DIPUTACIÓN LOCAL RP", "ESTADO DE MÉXICO",
                        "No aplica", "1"]  # fmt: skip


def test_en_formato_ine_lo_no_proporcionado_lo_dice_y_lo_deshabilitado_va_vacio() -> None:
    publica = vista(deshabilitados=("propuesta_1",), pagina_web=None, cursos=[])
    fila = dict(zip(formato_ine.ENCABEZADOS_CANDIDATOS, ine(publica), strict=True))
    assert fila["PAGINA_WEB"] == "No proporcionó" and fila["CURSOS"] == "No proporcionó"
    assert fila["PROPUESTA_1"] is None and fila["PROPUESTA_2"] == curricular()["propuesta_2"]


def test_en_formato_ine_un_perfil_deshabilitado_completo_solo_trae_el_contexto() -> None:
    fila = ine(vista(perfil_completo=True))
    assert fila[7] == "ROSA ELENA MARTÍNEZ VILLEGAS" and fila[11:] == [None] * 14


def test_la_fila_ine_de_identidad_une_las_opciones_multiples_con_punto_y_coma() -> None:
    identidad = da.fila_identidad(vista(identidad=IDENTIDAD))
    assert identidad is not None
    fila = formato_ine.fila_identidad(identidad, ELECCION)
    assert len(fila) == 31
    respuestas = dict(zip(formato_ine.ENCABEZADOS_IDENTIDAD[11:], fila[11:], strict=True))
    assert respuestas["1. ¿Se identifica como una persona indígena o como parte de algún "
                      "pueblo o comunidad indígena?"] == "Sí"  # fmt: skip
    assert "Mujer lesbiana; Otra" in fila and "Género fluido" not in fila


def test_los_encabezados_ine_son_los_del_archivo_real_de_2022() -> None:
    reales = encabezados_ine()
    assert list(formato_ine.ENCABEZADOS_CANDIDATOS) == reales["CANDIDATOS"]
    assert list(formato_ine.ENCABEZADOS_IDENTIDAD) == reales["CUESTIONARIO IDENTIDAD"]


# Dictionary


def test_el_diccionario_describe_cada_columna_de_cada_archivo() -> None:
    entradas = da.diccionario()
    descritas = {(e["archivos"].split(",")[0], e["columna"]) for e in entradas}
    for columna in da.COLUMNAS_CURRICULAR:
        assert ("curricular.csv", columna.nombre) in descritas
    for columna in da.COLUMNAS_IDENTIDAD:
        assert ("identidad.csv", columna.nombre) in descritas
    for encabezado in (*formato_ine.ENCABEZADOS_CANDIDATOS, *formato_ine.ENCABEZADOS_IDENTIDAD):
        assert (da.XLSX_INE, encabezado) in descritas
    assert all(e["descripcion"] and e["tipo"] for e in entradas)
    sexo = next(e for e in entradas if e["columna"] == "sexo")
    assert sexo["valores_permitidos"] == "mujer (Mujer); hombre (Hombre); no_binario (No binario)"


# Files


def test_el_csv_empieza_con_bom_y_cita_segun_rfc_4180(tmp_path: Path) -> None:
    texto = 'Dijo "agua, luz y drenaje"\ny más'
    rutas = escribir(tmp_path, [vista(propuesta_1=texto)])
    crudo = rutas["curricular.csv"].read_bytes()
    assert crudo.startswith(b"\xef\xbb\xbf") and b"\r\n" in crudo
    assert '"Dijo ""agua, luz y drenaje""\ny más"'.encode() in crudo
    (fila,) = leer_csv(rutas["curricular.csv"])
    assert fila["propuesta_1"] == texto and fila["id"] == ID


@pytest.mark.parametrize("inicio", ["=", "+", "-", "@"])
def test_el_csv_neutraliza_las_celdas_que_una_hoja_ejecutaria(tmp_path: Path, inicio: str) -> None:
    rutas = escribir(tmp_path, [vista(propuesta_2=f'{inicio}HYPERLINK("http://x")')])
    (fila,) = leer_csv(rutas["curricular.csv"])
    assert fila["propuesta_2"] == f'\'{inicio}HYPERLINK("http://x")'


def test_el_json_es_un_arreglo_utf8_con_las_columnas_del_diccionario(tmp_path: Path) -> None:
    rutas = escribir(tmp_path, [vista(identidad=IDENTIDAD), vista(perfil_completo=True)])
    curriculares = json.loads(rutas["curricular.json"].read_text(encoding="utf-8"))
    identidades = json.loads(rutas["identidad.json"].read_text(encoding="utf-8"))
    assert "Martínez".encode() in rutas["curricular.json"].read_bytes()
    assert len(curriculares) == 2 and len(identidades) == 1
    assert list(curriculares[0]) == [c.nombre for c in da.COLUMNAS_CURRICULAR]
    assert identidades[0]["identidad_lgbtttiq"] == ["Mujer lesbiana", "Otra"]


def test_sin_perfiles_cada_archivo_existe_con_sus_encabezados(tmp_path: Path) -> None:
    rutas = escribir(tmp_path, [])
    assert json.loads(rutas["curricular.json"].read_bytes()) == []
    assert rutas["identidad.csv"].read_text(encoding="utf-8-sig").startswith("id,url,")
    assert list(json.loads(rutas["diccionario.json"].read_bytes())[0]) == list(
        da.COLUMNAS_DICCIONARIO
    )


def test_el_xlsx_repite_los_encabezados_del_archivo_real_del_ine(tmp_path: Path) -> None:
    rutas = escribir(tmp_path, [vista(identidad=IDENTIDAD)])
    libro = openpyxl.load_workbook(rutas[da.XLSX_INE], read_only=True)
    reales = encabezados_ine()
    assert libro.sheetnames == list(reales)
    for hoja, encabezados in reales.items():
        primera = next(libro[hoja].iter_rows(max_row=1, values_only=True))
        assert list(primera) == encabezados


def test_el_xlsx_trae_solo_las_identidades_publicas(tmp_path: Path) -> None:
    rutas = escribir(tmp_path, [vista(identidad=IDENTIDAD), vista(), vista(perfil_completo=True)])
    libro = openpyxl.load_workbook(rutas[da.XLSX_INE], read_only=True)
    assert len(list(libro[formato_ine.HOJA_CANDIDATOS].iter_rows(min_row=2))) == 3
    assert len(list(libro[formato_ine.HOJA_IDENTIDAD].iter_rows(min_row=2))) == 1


def test_el_xlsx_guarda_como_texto_lo_que_parece_formula(tmp_path: Path) -> None:
    rutas = escribir(tmp_path, [vista(propuesta_1="=1+1", propuesta_2="#N/A")])
    libro = openpyxl.load_workbook(rutas[da.XLSX_INE])
    hoja = libro[formato_ine.HOJA_CANDIDATOS]
    columna = {h: i + 1 for i, h in enumerate(formato_ine.ENCABEZADOS_CANDIDATOS)}
    for encabezado, texto in (("PROPUESTA_1", "=1+1"), ("PROPUESTA_2", "#N/A")):
        celda = hoja.cell(row=2, column=columna[encabezado])
        assert celda.value == texto and celda.data_type == "s"


def test_los_csv_y_json_salen_iguales_para_las_mismas_vistas(tmp_path: Path) -> None:
    vistas = [vista(identidad=IDENTIDAD), vista(deshabilitados=("cursos",))]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    primera, segunda = escribir(tmp_path / "a", vistas), escribir(tmp_path / "b", vistas)
    for nombre in ("curricular.csv", "curricular.json", "identidad.csv", "identidad.json"):
        assert primera[nombre].read_bytes() == segunda[nombre].read_bytes()
