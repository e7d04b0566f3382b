"""Loading an election catalog: everything resolves, totals add up, nothing is Edomex-only."""

import copy
from typing import Any

import pytest

from captura.adapters import leer_directorio_eleccion
from captura.domain import CatalogoInvalido, Contienda, armar_eleccion
from comun.eventos.vocabulario import Cargo, Principio
from comun.settings import archivo_de_datos


def datos(eleccion: str = "simulacro-2025") -> dict[str, Any]:
    return leer_directorio_eleccion(archivo_de_datos(f"elecciones/{eleccion}"))


def errores(datos: dict[str, Any]) -> list[str]:
    with pytest.raises(CatalogoInvalido) as exc:
        armar_eleccion(datos)
    return exc.value.errores


def test_el_catalogo_del_estado_de_mexico_2024_carga_con_sus_totales() -> None:
    eleccion = armar_eleccion(datos("edomex-2024"))
    assert eleccion.calculados() == {
        "distritos": 45,
        "municipios": 125,
        "diputaciones_mr": 45,
        "diputaciones_rp": 30,
        "presidencias": 125,
        "sindicaturas": 136,
        "regidurias": 966,
    }
    assert len(eleccion.partidos) == 8


def test_el_simulacro_carga_sin_nada_del_estado_de_mexico() -> None:
    eleccion = armar_eleccion(datos())
    assert (eleccion.id, eleccion.clave_entidad, len(eleccion.municipios)) == (
        "simulacro-2025",
        "99",
        4,
    )
    assert eleccion.postulacion_en("AVC", Contienda.AYUNTAMIENTO, "99003") == "VER"


def test_las_posiciones_salen_de_la_categoria_del_municipio() -> None:
    eleccion = armar_eleccion(datos())
    assert eleccion.posiciones(Cargo.SINDICATURA, Principio.MR, "99001") == 2
    assert eleccion.posiciones(Cargo.REGIDURIA, Principio.RP, "99002") == 2
    assert eleccion.posiciones(Cargo.DIPUTACION_LOCAL, Principio.RP, None) == 3


def test_un_total_declarado_que_no_cuadra_se_rechaza() -> None:
    mal = datos()
    mal["eleccion"]["totales"]["regidurias"] = 24
    assert errores(mal) == [
        "eleccion.json: el total de regidurias declarado es 24, pero el catálogo suma 23."
    ]


def test_un_municipio_en_un_distrito_inexistente_se_rechaza() -> None:
    mal = datos()
    mal["municipios"][1]["distritos"] = "2|9"
    assert any("distrito 9, que no existe" in e for e in errores(mal))


def test_un_siglado_con_un_partido_ajeno_a_la_coalicion_se_rechaza() -> None:
    mal = datos()
    mal["siglado"][0]["partido"] = "PRO"
    assert any("no es parte de ella" in e for e in errores(mal))


def test_un_partido_en_dos_postulaciones_de_la_misma_contienda_se_rechaza() -> None:
    mal = copy.deepcopy(datos())
    mal["siglado"].append(
        {
            "postulacion": "CC-PU",
            "contienda": "ayuntamiento",
            "territorio": "99001",
            "partido": "PRO",
        }
    )
    mal["postulaciones"]["candidaturas_comunes"][0]["partidos"].append("PAZ")
    assert any("«PAZ» está en «AVC» y en «CC-PU»" in e for e in errores(mal))


def test_fechas_fuera_de_orden_se_rechazan() -> None:
    mal = datos()
    mal["eleccion"]["fechas"]["jornada"] = "2025-01-01"
    assert any(
        "jornada electoral es posterior" in e or "posterior a la de jornada" in e
        for e in errores(mal)
    )


def test_una_clave_repetida_se_rechaza_con_su_fila() -> None:
    mal = datos()
    mal["partidos"].append(dict(mal["partidos"][0]))
    assert "partidos.csv, fila 6: la clave «PAZ» está repetida." in errores(mal)


def test_un_independiente_en_una_contienda_inexistente_se_rechaza() -> None:
    mal = datos()
    mal["independientes"][0]["territorio"] = "99999"
    assert any("IND-01" in e and "no existe" in e for e in errores(mal))


def test_una_fila_sin_dato_obligatorio_se_rechaza_sin_romper_la_carga() -> None:
    mal = datos()
    mal["distritos"][0]["cabecera"] = ""
    assert any(e.startswith("distritos.csv, fila 2") for e in errores(mal))
