"""The registry maps each event type to one model and parses event data with it."""

import re

import pytest

from comun.eventos import (
    CATALOGO,
    SISTEMA,
    TIPOS,
    CampoCurricular,
    CuentaCreada,
    CuestionarioGuardado,
    DatosEvento,
    RespuestasCurriculares,
    TipoDesconocido,
    TipoDuplicado,
    datos_de,
    muestra,
    nuevo_evento,
    registrar,
)
from comun.eventos.vocabulario import Cuestionario
from comun.servicios import Servicio

FORMATO_TIPO = re.compile(r"^mx\.conoceles\.(?P<servicio>[a-z]+)\.[a-z]+(_[a-z]+)*\.v[1-9][0-9]*$")


def test_cada_modelo_del_catalogo_esta_registrado_con_su_tipo() -> None:
    assert len(TIPOS) == len(CATALOGO)
    assert all(TIPOS[modelo.tipo()] is modelo for modelo in CATALOGO)


@pytest.mark.parametrize("tipo", list(TIPOS))
def test_el_tipo_sigue_el_formato_de_design(tipo: str) -> None:
    coincidencia = FORMATO_TIPO.match(tipo)
    assert coincidencia, f"{tipo} no sigue mx.conoceles.<servicio>.<evento>.v<N>"
    assert Servicio(coincidencia["servicio"]) is TIPOS[tipo].SERVICIO


@pytest.mark.parametrize("modelo", CATALOGO, ids=lambda modelo: modelo.__name__)
def test_los_modelos_son_inmutables_e_ignoran_campos_nuevos(modelo: type[DatosEvento]) -> None:
    assert modelo.model_config.get("frozen") is True
    assert modelo.model_config.get("extra") == "ignore"


def test_registrar_rechaza_dos_modelos_con_el_mismo_tipo() -> None:
    class OtraCuentaCreada(DatosEvento):
        SERVICIO = Servicio.IDENTIDAD
        NOMBRE = "cuenta_creada"

    with pytest.raises(TipoDuplicado, match="cuenta_creada"):
        registrar([CuentaCreada, OtraCuentaCreada])


def test_datos_de_devuelve_el_modelo_registrado() -> None:
    datos = CuestionarioGuardado(
        candidatura_id="DL-MR-01-PAN-P", version=2, cuestionario=Cuestionario.CURRICULAR
    )
    evento = nuevo_evento(datos, subject="DL-MR-01-PAN-P", actor=SISTEMA, accion="guardar")
    assert datos_de(evento) == datos


def test_datos_de_rechaza_un_tipo_desconocido() -> None:
    evento = muestra(CuentaCreada.tipo()).model_copy(
        update={"type": "mx.conoceles.identidad.cuenta_creada.v9"}
    )
    with pytest.raises(TipoDesconocido) as error:
        datos_de(evento)
    assert error.value.tipo == "mx.conoceles.identidad.cuenta_creada.v9"


def test_muestra_rechaza_un_tipo_desconocido() -> None:
    with pytest.raises(TipoDesconocido):
        muestra("mx.conoceles.captura.no_existe.v1")


def test_los_campos_curriculares_nombran_las_respuestas_curriculares() -> None:
    assert {campo.value for campo in CampoCurricular} == set(RespuestasCurriculares.model_fields)
