"""Reconciling a registry file with what is already registered."""

from typing import Any

from captura.domain import Candidatura, Eleccion, FilaRegistro, Plan, conciliar, leer_fila

from .conftest import curp, fila, pareja


def leidas(eleccion: Eleccion, filas: list[dict[str, Any]]) -> list[FilaRegistro]:
    resultado = []
    for numero, celdas in enumerate(filas, start=2):
        leida = leer_fila(numero, celdas, eleccion)
        assert isinstance(leida, FilaRegistro), leida
        resultado.append(leida)
    return resultado


def registradas(eleccion: Eleccion, filas: list[dict[str, Any]]) -> dict[str, Candidatura]:
    return {
        f.folio: Candidatura.registrar(id=f.folio, registro=f.registro)
        for f in leidas(eleccion, filas)
    }


def plan(
    eleccion: Eleccion,
    filas: list[dict[str, Any]],
    existentes: dict[str, Candidatura] | None = None,
) -> Plan:
    return conciliar(leidas(eleccion, filas), existentes or {})


def test_filas_nuevas_se_registran(eleccion: Eleccion) -> None:
    resultado = plan(eleccion, pareja())
    assert [a.folio for a in resultado.nuevas] == ["AY-99001-PM-PRO-P", "AY-99001-PM-PRO-S"]
    assert resultado.resumen() == {
        "nuevas": 2,
        "modificadas": 0,
        "sustituidas": 0,
        "canceladas": 0,
        "rechazadas": 0,
    }


def test_reimportar_el_mismo_archivo_no_cambia_nada(eleccion: Eleccion) -> None:
    filas = pareja()
    resultado = plan(eleccion, filas, registradas(eleccion, filas))
    assert resultado.resumen()["nuevas"] == 0 and resultado.sin_cambios == 2


def test_un_dato_corregido_es_una_modificacion_con_sus_campos(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja())
    corregidas = pareja()
    corregidas[0]["SOBRENOMBRE"] = "Anis"
    resultado = plan(eleccion, corregidas, existentes)
    assert [(c.folio, c.campos) for c in resultado.modificadas] == [
        ("AY-99001-PM-PRO-P", ("sobrenombre",))
    ]


def test_la_sustituta_liga_a_la_sustituida(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja())
    nueva = fila("AY-99001-PM-PRO-P2", SUSTITUYE_A="AY-99001-PM-PRO-P", CURP=curp(n=40))
    resultado = plan(eleccion, [nueva], existentes)
    assert [(a.sustituye_a, a.folio) for a in resultado.sustituciones] == [
        ("AY-99001-PM-PRO-P", "AY-99001-PM-PRO-P2")
    ]
    assert resultado.resumen()["sustituidas"] == 1


def test_la_sustituta_debe_ocupar_el_mismo_lugar(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja())
    nueva = fila("X-P2", SUSTITUYE_A="AY-99001-PM-PRO-P", CURP=curp(n=40), CLAVE_POSTULANTE="UNI")
    resultado = plan(eleccion, [nueva], existentes)
    assert [r.columna for r in resultado.rechazadas] == ["SUSTITUYE_A"]


def test_sustituir_una_candidatura_inexistente_se_rechaza(eleccion: Eleccion) -> None:
    resultado = plan(eleccion, [fila("N-P", SUSTITUYE_A="NO-EXISTE")])
    assert (
        resultado.rechazadas[0].motivo
        == "No hay una candidatura registrada con el folio «NO-EXISTE»."
    )


def test_una_fila_cancelada_da_de_baja_una_vez(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja())
    baja = [{**pareja()[1], "ESTATUS": "Cancelada"}]
    resultado = plan(eleccion, baja, existentes)
    assert [b.folio for b in resultado.canceladas] == ["AY-99001-PM-PRO-S"]
    existentes["AY-99001-PM-PRO-S"].cancelar()
    assert plan(eleccion, baja, existentes).sin_cambios == 1


def test_cancelar_lo_que_no_existe_se_rechaza(eleccion: Eleccion) -> None:
    resultado = plan(eleccion, [fila(ESTATUS="cancelada")])
    assert resultado.rechazadas[0].columna == "FOLIO"


def test_una_sustituida_no_vuelve_a_registrarse(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja())
    existentes["AY-99001-PM-PRO-P"].sustituir(por="OTRA")
    resultado = plan(eleccion, pareja()[:1], existentes)
    assert "está sustituida" in resultado.rechazadas[0].motivo


def test_marcar_sustituida_sin_sustituta_se_explica(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja())
    resultado = plan(eleccion, [{**pareja()[0], "ESTATUS": "Sustituida"}], existentes)
    assert "SUSTITUYE_A" in resultado.rechazadas[0].motivo


def test_un_folio_repetido_en_el_archivo_se_rechaza_la_segunda_vez(eleccion: Eleccion) -> None:
    resultado = plan(eleccion, [*pareja(), pareja()[0]])
    assert [(r.fila, r.motivo) for r in resultado.rechazadas] == [
        (4, "El folio ya aparece en la fila 2.")
    ]


def test_propietaria_sin_suplente_se_rechaza(eleccion: Eleccion) -> None:
    resultado = plan(eleccion, pareja()[:1])
    assert [(r.columna, r.folio) for r in resultado.rechazadas] == [("TIPO", "AY-99001-PM-PRO-P")]
    assert resultado.nuevas == []


def test_la_suplente_puede_estar_ya_registrada(eleccion: Eleccion) -> None:
    existentes = registradas(eleccion, pareja()[1:])
    assert plan(eleccion, pareja()[:1], existentes).rechazadas == []


def test_la_misma_persona_dos_veces_en_una_contienda_se_rechaza(eleccion: Eleccion) -> None:
    otra = pareja("AY-99001-SI1-PRO", CARGO="Sindicatura")
    otra[0]["CURP"] = pareja()[0]["CURP"]
    resultado = plan(eleccion, [*pareja(), *otra])
    rechazo = resultado.rechazadas[0]
    assert (rechazo.columna, rechazo.folio) == ("CURP", "AY-99001-SI1-PRO-P")
    assert "AY-99001-PM-PRO-P" in rechazo.motivo


def test_un_rechazo_en_cascada_deja_sola_a_su_pareja(eleccion: Eleccion) -> None:
    otra = pareja("AY-99001-SI1-PRO", CARGO="Sindicatura")
    otra[1]["CURP"] = pareja()[0]["CURP"]
    resultado = plan(eleccion, [*pareja(), *otra])
    assert {r.folio for r in resultado.rechazadas} == {"AY-99001-SI1-PRO-S", "AY-99001-SI1-PRO-P"}
    assert resultado.resumen()["rechazadas"] == 2


def test_la_misma_persona_en_otra_contienda_es_valida(eleccion: Eleccion) -> None:
    diputacion = pareja("DL-MR-03-PRO", CARGO="Diputación local", MUNICIPIO=None, DISTRITO=3)
    assert plan(eleccion, [*pareja(), *diputacion]).rechazadas == []


def test_suplente_sin_propietaria_se_rechaza(eleccion: Eleccion) -> None:
    resultado = plan(eleccion, pareja()[1:])
    assert [(r.columna, r.folio) for r in resultado.rechazadas] == [("TIPO", "AY-99001-PM-PRO-S")]
