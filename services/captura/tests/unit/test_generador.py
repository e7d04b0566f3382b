"""The synthetic candidacy generator: valid, spread out, deterministic, realistic people."""

import codecs
import unicodedata
from collections import defaultdict
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from captura.adapters import leer_directorio_eleccion
from captura.domain import (
    NOMBRES_COLUMNAS,
    Eleccion,
    FilaRegistro,
    armar_eleccion,
    conciliar,
    edad_al,
    leer_fila,
)
from captura.domain.curp import leer_curp
from captura.generador import capacidad, escribir, generar
from comun.tabular import read_table

RAIZ = Path(__file__).resolve().parents[4]
ELECCIONES = RAIZ / "datos" / "elecciones"
EDOMEX = ELECCIONES / "edomex-2024"
CAPACIDAD_PRUEBA = 452


def _datos() -> dict[str, Any]:
    """A small election: 3 districts, 4 municipalities, a coalition, a común, 2 independents."""
    return {
        "eleccion": {
            "id": "prueba-2024",
            "nombre": "Elección de prueba 2024",
            "entidad": "Estado de México",
            "clave_entidad": "15",
            "zona_horaria": "America/Mexico_City",
            "fechas": {
                "registro": "2024-04-01",
                "inicio_captura": "2024-04-10",
                "limite_captura": "2024-04-25",
                "inicio_publicacion": "2024-05-01",
                "jornada": "2024-06-02",
                "fin_publicacion": "2024-09-01",
            },
            "diputaciones_rp": 3,
            "categorias_municipio": [
                {
                    "clave": "A",
                    "descripcion": "Hasta 150 mil habitantes",
                    "sindicaturas": 1,
                    "regidurias_mr": 3,
                    "regidurias_rp": 2,
                },
                {
                    "clave": "B",
                    "descripcion": "Más de 500 mil habitantes",
                    "sindicaturas": 2,
                    "regidurias_mr": 5,
                    "regidurias_rp": 3,
                },
            ],
            "totales": {"distritos": 3, "municipios": 4, "regidurias": 26},
        },
        "distritos": [
            {"numero": "1", "cabecera": "Toluca de Lerdo"},
            {"numero": "2", "cabecera": "Ecatepec de Morelos"},
            {"numero": "3", "cabecera": "Nezahualcóyotl"},
        ],
        "municipios": [
            {"clave_inegi": "15106", "nombre": "Toluca", "categoria": "B", "distritos": "1"},
            {"clave_inegi": "15033", "nombre": "Ecatepec", "categoria": "B", "distritos": "2"},
            {
                "clave_inegi": "15058",
                "nombre": "Nezahualcóyotl",
                "categoria": "A",
                "distritos": "3",
            },
            {"clave_inegi": "15001", "nombre": "Acambay", "categoria": "A", "distritos": "1|3"},
        ],
        "partidos": [
            {"siglas": s, "nombre": f"Partido {s}", "color": "#000000"}
            for s in ("PAN", "PRI", "PRD", "MORENA", "PT", "PVEM", "MC")
        ],
        "postulaciones": {
            "coaliciones": [
                {"clave": "FCM", "nombre": "Fuerza y Corazón", "partidos": ["PAN", "PRI", "PRD"]}
            ],
            "candidaturas_comunes": [
                {"clave": "SHH", "nombre": "Sigamos", "partidos": ["MORENA", "PT", "PVEM"]}
            ],
        },
        "siglado": [
            {"postulacion": p, "contienda": c, "territorio": t, "partido": s}
            for p, c, t, s in (
                ("FCM", "diputacion_local", "1", "PAN"),
                ("FCM", "diputacion_local", "2", "PRI"),
                ("FCM", "ayuntamiento", "15106", "PAN"),
                ("FCM", "ayuntamiento", "15058", "PRD"),
                ("SHH", "diputacion_local", "1", "MORENA"),
                ("SHH", "diputacion_local", "3", "PT"),
                ("SHH", "ayuntamiento", "15033", "MORENA"),
                ("SHH", "ayuntamiento", "15001", "PVEM"),
            )
        ],
        "independientes": [
            {
                "clave": "IND-DL-03",
                "nombre": "Ciudadanía por Neza",
                "contienda": "diputacion_local",
                "territorio": "3",
            },
            {
                "clave": "IND-AY-TOL",
                "nombre": "Juntos por Toluca",
                "contienda": "ayuntamiento",
                "territorio": "15106",
            },
        ],
    }


@cache
def _prueba() -> Eleccion:
    """The small election of these tests."""
    return armar_eleccion(_datos())


def _edomex() -> Eleccion:
    """The Edomex 2024 catalog, shipped with the repository."""
    assert (EDOMEX / "eleccion.json").is_file(), f"Falta el catálogo {EDOMEX}."
    return armar_eleccion(leer_directorio_eleccion(EDOMEX))


def _leidas(filas: list[dict[str, object]], eleccion: Eleccion) -> list[FilaRegistro]:
    """Every row through leer_fila, failing with the first rejections found."""
    leidas = []
    for numero, fila in enumerate(filas, start=2):
        resultado = leer_fila(numero, fila, eleccion)
        assert isinstance(resultado, FilaRegistro), (fila, resultado)
        leidas.append(resultado)
    return leidas


def _sin_marcas(texto: str) -> str:
    """Upper case without accents, Ñ as X: how the CURP spells names."""
    texto = texto.upper().replace("Ñ", "X")
    return "".join(
        c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn"
    )


def test_la_capacidad_cuenta_cada_lugar_de_cada_postulante_con_propietaria_y_suplente() -> None:
    assert capacidad(_prueba()) == CAPACIDAD_PRUEBA


@pytest.mark.parametrize("candidaturas", [2, 40, CAPACIDAD_PRUEBA])
def test_cada_fila_generada_pasa_la_revision_del_formato_y_la_conciliacion(
    candidaturas: int,
) -> None:
    filas = generar(_prueba(), candidaturas=candidaturas)
    plan = conciliar(_leidas(filas, _prueba()), {})
    assert plan.rechazadas == []
    assert len(plan.nuevas) == candidaturas


def test_las_filas_llevan_exactamente_las_columnas_del_formato() -> None:
    filas = generar(_prueba(), candidaturas=10)
    assert all(tuple(fila) == NOMBRES_COLUMNAS for fila in filas)


def test_los_valores_vienen_como_los_exporta_el_sistema_de_registro() -> None:
    filas = generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA)
    assert {f["ESTATUS"] for f in filas} == {"Registrada"}
    assert {f["SUSTITUYE_A"] for f in filas} == {None}
    assert {f["TIPO"] for f in filas} == {"Propietaria", "Suplente"}
    assert {f["POSTULANTE"] for f in filas} == {
        "Partido político",
        "Coalición",
        "Candidatura común",
        "Candidatura independiente",
    }
    assert all(isinstance(f["POSICION"], int) for f in filas)
    assert all(f["DISTRITO"] is None or isinstance(f["DISTRITO"], int) for f in filas)
    assert {f["MUNICIPIO"] for f in filas} == {None, "15106", "15033", "15058", "15001"}
    assert all(datetime.strptime(str(f["FECHA_NACIMIENTO"]), "%d/%m/%Y") for f in filas)


def test_los_folios_son_legibles() -> None:
    folios = {str(f["FOLIO"]) for f in generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA)}
    assert {
        "DL-MR-01-FCM-P",
        "DL-MR-03-IND-DL-03-S",
        "DL-RP-MC-03-P",
        "AY-15106-PM-IND-AY-TOL-P",
        "AY-15106-SI2-FCM-S",
        "AY-15033-RM05-SHH-P",
        "AY-15001-RP02-MC-S",
    } <= folios


def test_la_misma_semilla_da_exactamente_las_mismas_filas() -> None:
    assert generar(_prueba(), candidaturas=100, semilla=7) == generar(
        _prueba(), candidaturas=100, semilla=7
    )


def test_otra_semilla_da_otras_personas() -> None:
    def personas(semilla: int) -> list[tuple[object, ...]]:
        filas = generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA, semilla=semilla)
        return [(f["FOLIO"], f["NOMBRE"], f["PRIMER_APELLIDO"], f["CURP"]) for f in filas]

    assert personas(1) != personas(2)


def test_un_lugar_conserva_a_sus_personas_cuando_se_piden_mas_candidaturas() -> None:
    pocas = generar(_prueba(), candidaturas=40)
    muchas = {f["FOLIO"]: f for f in generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA)}
    assert all(muchas[f["FOLIO"]] == f for f in pocas)


def test_pedir_mas_candidaturas_de_las_que_caben_es_un_error_que_dice_el_maximo() -> None:
    with pytest.raises(ValueError, match=f"como máximo {CAPACIDAD_PRUEBA}"):
        generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA + 2)


def test_un_numero_negativo_de_candidaturas_es_un_error() -> None:
    with pytest.raises(ValueError, match="negativo"):
        generar(_prueba(), candidaturas=-2)


def test_en_edomex_2000_candidaturas_cubren_cargos_postulantes_y_distritos() -> None:
    e = _edomex()
    filas = generar(e, candidaturas=2000)
    assert len({(f["CARGO"], f["PRINCIPIO"]) for f in filas}) == 6
    assert {*e.partidos, *e.postulaciones, *e.independientes} <= {
        f["CLAVE_POSTULANTE"] for f in filas
    }
    assert {f["DISTRITO"] for f in filas} - {None} == set(e.distritos)


def test_un_numero_impar_se_redondea_hacia_abajo_a_formulas_completas() -> None:
    assert len(generar(_prueba(), candidaturas=11)) == 10


def test_cero_candidaturas_no_generan_filas() -> None:
    assert generar(_prueba(), candidaturas=0) == []


def test_pocas_candidaturas_ya_cubren_todos_los_cargos_postulantes_y_territorios() -> None:
    filas = generar(_prueba(), candidaturas=120)
    cargos = {(f["CARGO"], f["PRINCIPIO"]) for f in filas}
    assert cargos == {
        ("Diputación local", "MR"),
        ("Diputación local", "RP"),
        ("Presidencia municipal", "MR"),
        ("Sindicatura", "MR"),
        ("Regiduría", "MR"),
        ("Regiduría", "RP"),
    }
    claves = {f["CLAVE_POSTULANTE"] for f in filas}
    e = _prueba()
    assert {*e.partidos, *e.postulaciones, *e.independientes} <= claves
    assert {f["DISTRITO"] for f in filas} - {None} == set(e.distritos)
    assert {f["MUNICIPIO"] for f in filas} - {None} == set(e.municipios)


def test_propietaria_y_suplente_de_un_lugar_comparten_sexo() -> None:
    por_lugar: dict[str, set[object]] = defaultdict(set)
    for f in generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA):
        por_lugar[str(f["FOLIO"])[:-2]].add(f["SEXO"])
    assert all(len(sexos) == 1 for sexos in por_lugar.values())


def test_la_planilla_de_mayoria_alterna_mujeres_y_hombres() -> None:
    planillas: dict[tuple[object, object], list[object]] = defaultdict(list)
    for f in generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA):
        if f["MUNICIPIO"] and f["PRINCIPIO"] == "MR" and f["TIPO"] == "Propietaria":
            planillas[(f["MUNICIPIO"], f["CLAVE_POSTULANTE"])].append(f["SEXO"])
    for sexos in planillas.values():
        pares = {s for s in sexos[0::2] if s != "No binario"}
        nones = {s for s in sexos[1::2] if s != "No binario"}
        assert len(pares) <= 1 and len(nones) <= 1 and not pares & nones, sexos


def test_hay_paridad_de_genero_en_el_total() -> None:
    filas = generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA)
    mujeres = sum(f["SEXO"] == "Mujer" for f in filas)
    hombres = sum(f["SEXO"] == "Hombre" for f in filas)
    assert abs(mujeres - hombres) < len(filas) * 0.15


def test_las_curp_son_unicas_y_coinciden_con_fecha_y_sexo() -> None:
    filas = generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA)
    assert len({f["CURP"] for f in filas}) == len(filas)
    for f in filas:
        datos = leer_curp(str(f["CURP"]))
        assert f"{datos.fecha_nacimiento:%d/%m/%Y}" == f["FECHA_NACIMIENTO"]
        assert datos.sexo.value == {"Mujer": "mujer", "Hombre": "hombre"}.get(
            str(f["SEXO"]), "no_binario"
        )


def test_la_curp_toma_las_letras_del_nombre_como_renapo() -> None:
    for f in generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA):
        curp, primer = str(f["CURP"]), _sin_marcas(str(f["PRIMER_APELLIDO"]))
        segundo = _sin_marcas(str(f["SEGUNDO_APELLIDO"] or "X"))
        nombres = _sin_marcas(str(f["NOMBRE"])).split()
        if " " not in primer:
            assert curp[0] == primer[0]
        if " " not in segundo:
            assert curp[2] == segundo[0]
        if len(nombres) == 2 and nombres[0] in ("MARIA", "JOSE"):
            assert curp[3] == nombres[1][0]
        elif len(nombres) == 1:
            assert curp[3] == nombres[0][0]


def test_las_edades_el_dia_de_la_jornada_van_de_21_a_78() -> None:
    jornada = _prueba().fechas.jornada
    for f in generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA, semilla=3):
        nacimiento = datetime.strptime(str(f["FECHA_NACIMIENTO"]), "%d/%m/%Y").date()
        assert 21 <= edad_al(nacimiento, jornada) <= 78


def test_algunas_formulas_tienen_accion_afirmativa_coherente_con_la_edad() -> None:
    filas = generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA)
    con_accion = [f for f in filas if f["ACCION_AFIRMATIVA"]]
    assert 0.02 * len(filas) < len(con_accion) < 0.2 * len(filas)
    jornada = _prueba().fechas.jornada
    for f in con_accion:
        edad = edad_al(datetime.strptime(str(f["FECHA_NACIMIENTO"]), "%d/%m/%Y").date(), jornada)
        assert f["ACCION_AFIRMATIVA"] != "Joven" or edad <= 29
        assert f["ACCION_AFIRMATIVA"] != "Persona mayor" or edad >= 60


def test_los_nombres_llevan_acentos_y_enie() -> None:
    _revisar_acentos(generar(_prueba(), candidaturas=CAPACIDAD_PRUEBA))


def test_en_el_catalogo_de_edomex_los_nombres_llevan_acentos_y_enie() -> None:
    _revisar_acentos(generar(_edomex(), candidaturas=2000))


def _revisar_acentos(filas: list[dict[str, object]]) -> None:
    """Somewhere in the names there is an accented vowel and an ñ."""
    texto = " ".join(
        str(f[c] or "") for f in filas for c in ("NOMBRE", "PRIMER_APELLIDO", "SEGUNDO_APELLIDO")
    )
    assert "ñ" in texto
    assert set("áéíóú") & set(texto)


@pytest.mark.parametrize(
    "directorio",
    sorted(p.parent for p in ELECCIONES.glob("*/eleccion.json")),
    ids=lambda p: p.name,
)
def test_cada_eleccion_del_repositorio_se_llena_completa_sin_rechazos(directorio: Path) -> None:
    eleccion = armar_eleccion(leer_directorio_eleccion(directorio))
    filas = generar(eleccion, candidaturas=capacidad(eleccion))
    assert conciliar(_leidas(filas, eleccion), {}).rechazadas == []


@pytest.mark.parametrize("nombre", ["registro.xlsx", "registro.csv"])
def test_escribir_y_leer_devuelve_las_mismas_candidaturas(tmp_path: Path, nombre: str) -> None:
    filas = generar(_prueba(), candidaturas=60)
    escribir(filas, tmp_path / nombre)
    with read_table(tmp_path / nombre, filename=nombre) as tabla:
        assert tuple(tabla.headers) == NOMBRES_COLUMNAS
        leidas = [dict(zip(tabla.headers, celdas, strict=True)) for _, celdas in tabla.rows]
    originales = [r.registro for r in _leidas(filas, _prueba())]
    assert [r.registro for r in _leidas(leidas, _prueba())] == originales  # type: ignore[arg-type]


def test_el_csv_lleva_bom_para_que_excel_respete_los_acentos(tmp_path: Path) -> None:
    escribir(generar(_prueba(), candidaturas=4), tmp_path / "registro.csv")
    assert (tmp_path / "registro.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_el_xlsx_tiene_la_hoja_registro(tmp_path: Path) -> None:
    import openpyxl

    escribir(generar(_prueba(), candidaturas=4), tmp_path / "registro.xlsx")
    assert openpyxl.load_workbook(tmp_path / "registro.xlsx", read_only=True).sheetnames == [
        "REGISTRO"
    ]


def test_escribir_en_un_formato_desconocido_es_un_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx o \.csv"):
        escribir([], tmp_path / "registro.json")
