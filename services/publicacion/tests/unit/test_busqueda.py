"""Search over public profiles: words, typos, filters and the contests of a place."""

from typing import Any

from publicacion.domain.busqueda import (
    Criterios,
    Fila,
    agrupar_contiendas,
    buscar,
    normalizar,
    palabras,
)


def fila(id_: str, nombre: str, **cambios: Any) -> Fila:
    vista = {
        "id": id_,
        "nombre": nombre,
        "sobrenombre": None,
        "cargo": "presidencia_municipal",
        "principio": "MR",
        "distrito": None,
        "municipio": "15007",
        "nombre_municipio": "Amecameca",
        "partido": "PRD",
        "partidos": ["PRD"],
        "clave_postulante": "PRD",
        "postulante": "partido",
        "sexo": "mujer",
        "edad": 40,
        "accion_afirmativa": None,
        "curricular": {"grado_maximo_estudios": "licenciatura"},
        **cambios,
    }
    return Fila.de_vista(vista, normalizar(nombre))


def ids(filas: list[Fila]) -> list[str]:
    return [f.id for f in filas]


def test_normalizar_quita_acentos_y_mayusculas_pero_conserva_la_enie() -> None:
    assert normalizar("ÁNGELA Muñoz Güémez") == "angela muñoz guemez"


def test_los_operadores_y_la_puntuacion_solo_separan_palabras() -> None:
    assert palabras('{"$ne": "x"} .* [a-z]+') == ("ne", "x", "a", "z")


def test_un_error_de_dedo_encuentra_el_nombre() -> None:
    filas = [fila("A", "María Hernández López"), fila("B", "José Pérez")]
    assert ids(buscar(filas, Criterios(q="hernandes"))) == ["A"]


def test_cada_palabra_buscada_debe_coincidir() -> None:
    filas = [fila("A", "María Hernández López"), fila("B", "María Pérez")]
    assert ids(buscar(filas, Criterios(q="maria lopez"))) == ["A"]


def test_el_sobrenombre_tambien_se_busca() -> None:
    filas = [fila("A", "Juan Carlos Ruiz", sobrenombre="El Güero")]
    assert ids(buscar(filas, Criterios(q="guero"))) == ["A"]


def test_la_coincidencia_exacta_va_antes_que_la_parecida() -> None:
    filas = [fila("A", "Ana Ruis"), fila("B", "Ana Ruiz")]
    assert ids(buscar(filas, Criterios(q="ruiz"))) == ["B", "A"]


def test_palabras_cortas_no_admiten_errores() -> None:
    assert buscar([fila("A", "Eva Paz")], Criterios(q="pax")) == []


def test_solo_puntuacion_no_encuentra_a_nadie() -> None:
    assert buscar([fila("A", "Eva Paz")], Criterios(q=".*")) == []


def test_el_partido_coincide_con_cualquier_partido_de_la_coalicion() -> None:
    coalicion = fila("A", "Ana Ruiz", partido="PRD", partidos=["PAN", "PRI", "PRD"])
    assert ids(buscar([coalicion], Criterios(partido="PRI"))) == ["A"]


def test_el_rango_de_edad_deja_fuera_a_quien_no_tiene_edad() -> None:
    filas = [fila("A", "Ana", edad=30), fila("B", "Beto", edad=None), fila("C", "Caro", edad=65)]
    assert ids(buscar(filas, Criterios(edad_min=25, edad_max=60))) == ["A"]


def test_la_boleta_de_un_municipio_incluye_sus_distritos_y_las_listas_del_estado() -> None:
    filas = [
        fila("PM", "Ana"),
        fila("OTRO", "Beto", municipio="15001"),
        fila("DMR", "Caro", cargo="diputacion_local", municipio=None, distrito=33),
        fila("DOTRO", "Dora", cargo="diputacion_local", municipio=None, distrito=2),
        fila("DRP", "Eli", cargo="diputacion_local", principio="RP", municipio=None),
    ]
    contiendas = agrupar_contiendas(filas, municipio="15007", distritos=[33])
    assert [c.clave for c in contiendas] == [
        "diputacion_local-MR-33",
        "diputacion_local-RP",
        "presidencia_municipal-15007",
    ]
