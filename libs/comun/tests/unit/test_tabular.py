"""Spreadsheets from people are read safely, and the ones we write cannot run formulas."""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import psutil
import pytest

from comun.tabular import (
    Cell,
    Formula,
    Table,
    UnusableFile,
    neutralize,
    read_table,
    write_csv,
    write_xlsx,
)

ENCABEZADOS = ["Nombre", "Distrito", "Fecha de nacimiento"]
MB = 1024 * 1024


def libro(ruta: Path, filas: Sequence[Sequence[Cell] | None]) -> Path:
    """A workbook with one sheet; `None` leaves that row blank."""
    workbook = openpyxl.Workbook()
    hoja = workbook.active
    assert hoja is not None
    for numero, fila in enumerate(filas, start=1):
        for columna, valor in enumerate(fila or [], start=1):
            hoja.cell(row=numero, column=columna, value=valor)
    workbook.save(ruta)
    return ruta


def reemplazar_parte(ruta: Path, nombre: str, contenido: bytes) -> None:
    """Rewrite a workbook with one of its ZIP parts swapped or added."""
    original = ruta.read_bytes()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as viejo,
        zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as nuevo,
    ):
        for parte in viejo.infolist():
            if parte.filename != nombre:
                nuevo.writestr(parte.filename, viejo.read(parte.filename))
        nuevo.writestr(nombre, contenido)


def con_cadenas_compartidas(ruta: Path, xml: str) -> None:
    """Give a workbook a shared-strings part (openpyxl writes strings inline)."""
    tipo = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    tipos = parte(ruta, "[Content_Types].xml").replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{tipo}"/></Types>'
    )
    reemplazar_parte(ruta, "[Content_Types].xml", tipos.encode())
    reemplazar_parte(ruta, "xl/sharedStrings.xml", xml.encode())


def parte(ruta: Path, nombre: str) -> str:
    """The text of one ZIP part of a workbook."""
    with zipfile.ZipFile(ruta) as archivo:
        return archivo.read(nombre).decode()


def leer_todo(ruta: Path, nombre: str = "registro.xlsx") -> tuple[list[str], list[object]]:
    """Headers and every row of a file."""
    with read_table(ruta, filename=nombre) as tabla:
        return tabla.headers, list(tabla.rows)


def rechazo(ruta: Path, nombre: str = "registro.xlsx", **opciones: int) -> str:
    """The message of the UnusableFile raised while reading a whole file."""
    with pytest.raises(UnusableFile) as error:
        leer_todo_con(ruta, nombre, **opciones)
    return str(error.value)


def leer_todo_con(ruta: Path, nombre: str, **opciones: int) -> None:
    """Read a file to the end with options."""
    tabla = read_table(ruta, filename=nombre, **opciones)
    list(tabla.rows)


def archivos_abiertos() -> set[str]:
    """Paths this process holds open."""
    return {archivo.path for archivo in psutil.Process().open_files()}


# --- XLSX ---------------------------------------------------------------------------------------


def test_lee_un_xlsx_con_numeros_de_fila_y_sin_filas_en_blanco(tmp_path: Path) -> None:
    ruta = libro(
        tmp_path / "r.xlsx",
        [
            [" Nombre ", "Distrito", None, "Fecha de nacimiento"],
            ["  Ana Pérez ", 3, None, None],
            None,
            ["   ", None],
            ["Iñaki Núñez", 12.5, None, True],
        ],
    )

    encabezados, filas = leer_todo(ruta)

    assert encabezados == ["Nombre", "Distrito", "", "Fecha de nacimiento"]
    assert filas == [
        (2, ["Ana Pérez", 3, None, None]),
        (5, ["Iñaki Núñez", 12.5, None, True]),
    ]


def test_deja_las_fechas_de_un_xlsx_como_datetime(tmp_path: Path) -> None:
    nacimiento = datetime.datetime(1980, 5, 17)
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana", 1, nacimiento]])

    _, filas = leer_todo(ruta)

    assert filas == [(2, ["Ana", 1, nacimiento])]


def test_devuelve_las_formulas_como_formula_sin_evaluarlas(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana", "=1+1", '=HYPERLINK("x")']])

    _, filas = leer_todo(ruta)

    assert filas == [(2, ["Ana", Formula("=1+1"), Formula('=HYPERLINK("x")')])]


def test_ignora_el_valor_guardado_de_una_formula(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana", "=1+1"]])
    hoja = parte(ruta, "xl/worksheets/sheet1.xml")
    reemplazar_parte(
        ruta, "xl/worksheets/sheet1.xml", hoja.replace("</f>", "</f><v>2</v>").encode()
    )

    _, filas = leer_todo(ruta)

    assert filas == [(2, ["Ana", Formula("=1+1"), None])]


def test_toma_los_encabezados_de_la_primera_fila_no_vacia(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [None, None, ENCABEZADOS, ["Ana", 1]])

    encabezados, filas = leer_todo(ruta)

    assert encabezados == ENCABEZADOS
    assert filas == [(4, ["Ana", 1, None])]


def test_lee_la_primera_hoja_visible(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    oculta = workbook.active
    assert oculta is not None
    oculta.append(["Secreto"])
    oculta.sheet_state = "hidden"
    workbook.create_sheet("Registro").append(ENCABEZADOS)
    workbook.save(tmp_path / "r.xlsx")

    encabezados, _ = leer_todo(tmp_path / "r.xlsx")

    assert encabezados == ENCABEZADOS


def test_lee_todas_las_columnas_aunque_la_dimension_declarada_mienta(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana", 1, "x"]])
    hoja = parte(ruta, "xl/worksheets/sheet1.xml").replace('ref="A1:C2"', 'ref="A1"')
    reemplazar_parte(ruta, "xl/worksheets/sheet1.xml", hoja.encode())

    encabezados, filas = leer_todo(ruta)

    assert encabezados == ENCABEZADOS
    assert filas == [(2, ["Ana", 1, "x"])]


def test_salta_deprisa_hasta_la_ultima_fila_de_excel(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana"]])
    lejana = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Luis</t></is></c></row>'
    hoja = parte(ruta, "xl/worksheets/sheet1.xml").replace("</sheetData>", lejana + "</sheetData>")
    reemplazar_parte(ruta, "xl/worksheets/sheet1.xml", hoja.encode())

    _, filas = leer_todo(ruta)

    assert filas == [(2, ["Ana", None, None]), (1_048_576, ["Luis", None, None])]


def test_ignora_las_celdas_a_la_derecha_del_ultimo_encabezado(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [["Nombre"], ["Ana", "sobra"], [None, "sobra"]])

    _, filas = leer_todo(ruta)

    assert filas == [(2, ["Ana"])]


def test_cierra_el_archivo_al_agotar_las_filas(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana"]])

    tabla = read_table(ruta, filename="r.xlsx")
    assert str(ruta) in archivos_abiertos()
    list(tabla.rows)

    assert str(ruta) not in archivos_abiertos()


def test_cierra_el_archivo_al_salir_del_with_sin_leer_las_filas(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana"]])

    with read_table(ruta, filename="r.xlsx") as tabla:
        assert isinstance(tabla, Table)

    assert str(ruta) not in archivos_abiertos()


def test_rechaza_un_xlsx_protegido_con_contrasena_o_un_xls(tmp_path: Path) -> None:
    ruta = tmp_path / "r.xlsx"
    ruta.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))

    mensaje = rechazo(ruta, "padrón.xlsx")

    assert "«padrón.xlsx»" in mensaje
    assert "contraseña" in mensaje
    assert "Excel 97-2003 (.xls)" in mensaje
    assert "«Libro de Excel (.xlsx)» sin contraseña" in mensaje


def test_rechaza_una_bomba_zip_que_descomprime_demasiado(tmp_path: Path) -> None:
    ruta = tmp_path / "r.xlsx"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archivo:
        archivo.writestr("xl/workbook.xml", "<workbook/>")
        with archivo.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as parte_grande:
            for _ in range(300):
                parte_grande.write(bytes(MB))

    assert "más de 200 MB al descomprimirse" in rechazo(ruta)


def test_rechaza_una_parte_con_compresion_anomala(tmp_path: Path) -> None:
    ruta = tmp_path / "r.xlsx"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr("xl/workbook.xml", "<workbook/>")
        archivo.writestr("xl/worksheets/sheet1.xml", bytes(20 * MB))

    assert "compresión anómala" in rechazo(ruta)


def test_rechaza_un_zip_con_demasiadas_partes(tmp_path: Path) -> None:
    ruta = tmp_path / "r.xlsx"
    with zipfile.ZipFile(ruta, "w") as archivo:
        archivo.writestr("xl/workbook.xml", "<workbook/>")
        for numero in range(10_000):
            archivo.writestr(f"xl/media/{numero}.txt", "")

    assert "más de 10,000 partes" in rechazo(ruta)


@pytest.mark.parametrize(
    "contenido",
    [b"PK\x03\x04" + b"basura" * 100, b"PK\x05\x06"],
    ids=["basura", "truncado"],
)
def test_rechaza_un_zip_corrupto(tmp_path: Path, contenido: bytes) -> None:
    ruta = tmp_path / "r.xlsx"
    ruta.write_bytes(contenido)

    assert (
        rechazo(ruta) == "El archivo «registro.xlsx» está dañado o no es un libro de Excel válido."
    )


def test_rechaza_un_xlsx_cortado_a_la_mitad(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana"]])
    ruta.write_bytes(ruta.read_bytes()[: ruta.stat().st_size // 2])

    assert "dañado" in rechazo(ruta)


def test_rechaza_un_zip_que_no_es_libro_de_excel(tmp_path: Path) -> None:
    ruta = tmp_path / "carta.xlsx"
    with zipfile.ZipFile(ruta, "w") as archivo:
        archivo.writestr("[Content_Types].xml", "<Types/>")
        archivo.writestr("word/document.xml", "<document/>")

    mensaje = rechazo(ruta, "carta.xlsx")

    assert mensaje.startswith("El archivo «carta.xlsx» no es un libro de Excel")
    assert "«Libro de Excel (.xlsx)»" in mensaje


def test_rechaza_un_libro_con_xml_invalido(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS])
    reemplazar_parte(ruta, "xl/workbook.xml", b"<workbook")

    assert "dañado" in rechazo(ruta)


def test_un_error_a_mitad_de_la_hoja_llega_como_archivo_inutilizable(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana"]])
    hoja = parte(ruta, "xl/worksheets/sheet1.xml")
    rota = hoja.replace("</sheetData>", '<row r="9"><c r="A9"><v>1</c></row></sheetData>')
    reemplazar_parte(ruta, "xl/worksheets/sheet1.xml", rota.encode())
    tabla = read_table(ruta, filename="registro.xlsx")

    with pytest.raises(UnusableFile, match="dañado"):
        list(tabla.rows)
    assert str(ruta) not in archivos_abiertos()


# Few levels on purpose: should the protection fail, the test fails instead of hanging.
BOMBA_DE_ENTIDADES = """<?xml version="1.0"?>
<!DOCTYPE raiz [
  <!ENTITY a "jajajajaja">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
"""


SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_lee_las_cadenas_compartidas_de_un_xlsx(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana", 1]])
    con_cadenas_compartidas(ruta, SST + "<si><t> Luis </t></si></sst>")
    hoja = parte(ruta, "xl/worksheets/sheet1.xml")
    compartida = '<c r="B2" t="s"><v>0</v></c>'
    reemplazar_parte(
        ruta,
        "xl/worksheets/sheet1.xml",
        re.sub(r'<c r="B2"[^>]*>.*?</c>', compartida, hoja).encode(),
    )

    assert leer_todo(ruta)[1] == [(2, ["Ana", "Luis", None])]


def test_rechaza_una_bomba_de_entidades_en_las_cadenas_compartidas(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana"]])
    con_cadenas_compartidas(ruta, BOMBA_DE_ENTIDADES + SST + "<si><t>&c;</t></si></sst>")

    assert "dañado" in rechazo(ruta)


def test_rechaza_una_bomba_de_entidades_en_la_hoja(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [ENCABEZADOS, ["Ana", 1]])
    hoja = parte(ruta, "xl/worksheets/sheet1.xml").replace("<v>1</v>", "<v>&c;</v>")
    reemplazar_parte(ruta, "xl/worksheets/sheet1.xml", (BOMBA_DE_ENTIDADES + hoja).encode())

    assert "dañado" in rechazo(ruta)


def test_rechaza_una_hoja_vacia(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [])

    assert "no tiene fila de encabezados" in rechazo(ruta)


def test_rechaza_demasiadas_columnas(tmp_path: Path) -> None:
    ruta = libro(tmp_path / "r.xlsx", [["columna"] * 1_001])

    assert "tiene 1,001 columnas y el máximo es 1,000" in rechazo(ruta)


# --- CSV ----------------------------------------------------------------------------------------


def test_lee_un_csv_utf8_con_bom(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_bytes("Nombre,Distrito\nAna Peña,3\n".encode("utf-8-sig"))

    assert leer_todo(ruta, "r.csv") == (["Nombre", "Distrito"], [(2, ["Ana Peña", "3"])])


def test_lee_un_csv_en_cp1252_con_enes_y_acentos(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_bytes("Año,Género\n2024,Señora María José – “Pepa”\n".encode("cp1252"))

    encabezados, filas = leer_todo(ruta, "r.csv")

    assert encabezados == ["Año", "Género"]
    assert filas == [(2, ["2024", "Señora María José – “Pepa”"])]


def test_lee_un_csv_utf16_de_excel(tmp_path: Path) -> None:
    ruta = tmp_path / "r.txt"
    ruta.write_bytes("Nombre\tDistrito\r\nÑoño\t3\r\n".encode("utf-16"))

    assert leer_todo(ruta, "r.txt") == (["Nombre", "Distrito"], [(2, ["Ñoño", "3"])])


@pytest.mark.parametrize("delimitador", [";", "\t", "|", ","])
def test_detecta_el_delimitador_del_csv(tmp_path: Path, delimitador: str) -> None:
    ruta = tmp_path / "r.csv"
    filas = [["Nombre", "Cargo", "Distrito"], ["Pérez, Ana", "Diputación; suplente", "3"]]
    with ruta.open("w", encoding="utf-8", newline="") as archivo:
        csv.writer(archivo, delimiter=delimitador).writerows(filas)

    encabezados, leidas = leer_todo(ruta, "r.csv")

    assert encabezados == filas[0]
    assert leidas == [(2, filas[1])]


def test_csv_de_una_columna_usa_la_extension_para_desempatar(tmp_path: Path) -> None:
    ruta = tmp_path / "r.tsv"
    ruta.write_text("Nombre completo\nPérez, Ana\n", encoding="utf-8")

    assert leer_todo(ruta, "r.tsv") == (["Nombre completo"], [(2, ["Pérez, Ana"])])


def test_csv_alinea_las_celdas_a_los_encabezados(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_text(
        ' Nombre ,Distrito,Cargo,\nAna,  ,\n\n , ,\n"Luis\nLópez",4,Regiduría,sobra\n',
        encoding="utf-8",
    )

    encabezados, filas = leer_todo(ruta, "r.csv")

    assert encabezados == ["Nombre", "Distrito", "Cargo"]
    assert filas == [(2, ["Ana", None, None]), (5, ["Luis\nLópez", "4", "Regiduría"])]


def test_en_csv_una_formula_es_solo_texto(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_text("Nombre,Distrito\n=1+1,3\n", encoding="utf-8")

    assert leer_todo(ruta, "r.csv")[1] == [(2, ["=1+1", "3"])]


def test_rechaza_un_csv_con_una_celda_interminable(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_text('Nombre,Distrito\nAna,1\n"' + "x" * 200_000 + "\n", encoding="utf-8")

    assert "error de formato CSV cerca de la fila 3" in rechazo(ruta, "r.csv")


def test_rechaza_un_csv_vacio_de_datos(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_text("\n ,  \n\n", encoding="utf-8")

    assert "no tiene fila de encabezados" in rechazo(ruta, "r.csv")


def test_rechaza_una_pagina_web_disfrazada_de_hoja(tmp_path: Path) -> None:
    ruta = tmp_path / "r.xls"
    ruta.write_text("\n<html><table><tr><td>Nombre</td></tr></table></html>", encoding="utf-8")

    assert "es una página web o un XML" in rechazo(ruta, "r.xls")


def test_rechaza_texto_que_no_es_cp1252_ni_utf8(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_bytes(b"Nombre\n\x81\x8d\n")

    assert "codificación de texto reconocida" in rechazo(ruta, "r.csv")


# --- Any format ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "contenido",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"Nombre,Distrito\n\x00\x01\x02\x03garbage",
    ],
    ids=["pdf", "vacio", "png", "binario"],
)
def test_rechaza_lo_que_no_es_hoja_de_calculo(tmp_path: Path, contenido: bytes) -> None:
    ruta = tmp_path / "r.xlsx"
    ruta.write_bytes(contenido)

    mensaje = rechazo(ruta, "acta.pdf")

    assert mensaje == "El archivo «acta.pdf» no es una hoja de cálculo: use XLSX o CSV."


def test_rechaza_un_archivo_mayor_que_el_maximo(tmp_path: Path) -> None:
    ruta = tmp_path / "r.csv"
    ruta.write_bytes(b"Nombre\n" + b"Ana\n" * (MB // 2))

    mensaje = rechazo(ruta, "r.csv", max_bytes=MB)

    assert mensaje == (
        "El archivo «r.csv» pesa 2.0 MB y el máximo es 1 MB: divida los datos en varios archivos."
    )


# --- Writing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+52 55 1234 5678", "'+52 55 1234 5678"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_neutraliza_el_texto_que_una_hoja_ejecutaria(valor: str, esperado: str) -> None:
    assert neutralize(valor) == esperado


@pytest.mark.parametrize(
    "valor",
    ["Ana Pérez", "", " =1+1", "a=b", -1, 3.5, True, None, datetime.date(2024, 6, 2)],
)
def test_deja_intacto_lo_que_no_es_peligroso(valor: Cell) -> None:
    assert neutralize(valor) == valor


def test_el_xlsx_exportado_guarda_las_formulas_como_texto_inerte(tmp_path: Path) -> None:
    ruta = tmp_path / "reporte.xlsx"
    nacimiento = datetime.datetime(1980, 5, 17, 8, 30)
    filas: list[list[Cell]] = [["=cmd|' /C calc'!A0", "#N/A", -2, nacimiento, "a\x07b"]]

    write_xlsx(ruta, {"Candidaturas": (["=Nombre", "Error", "Número", "Fecha", "Control"], filas)})

    encabezados, leidas = leer_todo(ruta)
    assert encabezados == ["'=Nombre", "Error", "Número", "Fecha", "Control"]
    assert leidas == [(2, ["'=cmd|' /C calc'!A0", "#N/A", -2, nacimiento, "ab"])]
    hoja = openpyxl.load_workbook(ruta)["Candidaturas"]
    assert [celda.data_type for celda in hoja[2]] == ["s", "s", "n", "d", "s"]
    assert hoja["A1"].font.bold
    assert "<f>" not in parte(ruta, "xl/worksheets/sheet1.xml")


def test_el_xlsx_exportado_admite_varias_hojas_y_un_flujo() -> None:
    flujo = io.BytesIO()
    perezosas: list[list[Cell]] = [["x"], [None]]

    write_xlsx(flujo, {"Uno": (["A"], [[1]]), "Dos": (["B"], iter(perezosas))})

    workbook = openpyxl.load_workbook(flujo)
    assert workbook.sheetnames == ["Uno", "Dos"]
    assert [[celda.value for celda in fila] for fila in workbook["Dos"].iter_rows()] == [
        ["B"],
        ["x"],
    ]


def test_el_csv_exportado_neutraliza_el_texto() -> None:
    flujo = io.StringIO()

    write_csv(flujo, ["Nombre", "@Cargo"], [['=HYPERLINK("http://x")', 3], ["Ana, Pérez", None]])

    assert flujo.getvalue() == ('Nombre,\'@Cargo\n"\'=HYPERLINK(""http://x"")",3\n"Ana, Pérez",\n')
