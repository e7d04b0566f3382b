"""One registry row checked on its own and against the catalog."""

from datetime import date, datetime

import pytest

from captura.domain import ColumnasIncorrectas, Eleccion, FilaRegistro, Rechazo, leer_fila
from captura.domain.formato_registro import NOMBRES_COLUMNAS, revisar_encabezados
from comun.eventos.vocabulario import Cargo, Postulante, Sexo

from .conftest import curp, fila


def rechazos(eleccion: Eleccion, **cambios: object) -> list[tuple[str, str]]:
    resultado = leer_fila(7, fila(**cambios), eleccion)
    assert isinstance(resultado, list), "la fila debía rechazarse"
    assert all(r.fila == 7 for r in resultado)
    return [(r.columna, r.motivo) for r in resultado]


def test_una_fila_valida_da_su_registro(eleccion: Eleccion) -> None:
    leida = leer_fila(2, fila(), eleccion)
    assert isinstance(leida, FilaRegistro)
    r = leida.registro
    assert (r.nombre, r.cargo, r.municipio, r.partido) == (
        "Ana Sofía Gómez Núñez", Cargo.PRESIDENCIA_MUNICIPAL, "99001", "PRO",
    )  # fmt: skip


def test_acepta_etiquetas_sin_acentos_y_en_mayusculas(eleccion: Eleccion) -> None:
    leida = leer_fila(
        2,
        fila(CARGO="PRESIDENCIA MUNICIPAL", SEXO="mujer", POSTULANTE="PARTIDO POLITICO"),
        eleccion,
    )
    assert isinstance(leida, FilaRegistro)


def test_el_municipio_puede_darse_por_nombre_o_por_clave_corta(eleccion: Eleccion) -> None:
    por_nombre = leer_fila(2, fila(MUNICIPIO="san martin de las flores"), eleccion)
    por_clave = leer_fila(2, fila(MUNICIPIO=1), eleccion)
    assert isinstance(por_nombre, FilaRegistro) and isinstance(por_clave, FilaRegistro)
    assert por_nombre.registro.municipio == por_clave.registro.municipio == "99001"


def test_una_fecha_de_celda_de_excel_se_acepta(eleccion: Eleccion) -> None:
    leida = leer_fila(2, fila(FECHA_NACIMIENTO=datetime(1980, 5, 17)), eleccion)
    assert isinstance(leida, FilaRegistro)
    assert leida.registro.fecha_nacimiento == date(1980, 5, 17)


def test_una_curp_con_digito_verificador_erroneo_se_rechaza(eleccion: Eleccion) -> None:
    mala = curp()[:17] + str((int(curp()[17]) + 1) % 10)
    assert rechazos(eleccion, CURP=mala) == [
        ("CURP", f"El dígito verificador de la CURP «{mala}» no es correcto.")
    ]


def test_la_fecha_de_nacimiento_debe_coincidir_con_la_curp(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, FECHA_NACIMIENTO="18/05/1980") == [
        ("FECHA_NACIMIENTO", "La fecha 18/05/1980 no coincide con la de la CURP (17/05/1980).")
    ]


def test_el_sexo_debe_coincidir_con_la_curp(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, SEXO="Hombre") == [
        ("SEXO", "El sexo «Hombre» no coincide con el de la CURP.")
    ]


def test_una_persona_menor_de_edad_el_dia_de_la_jornada_se_rechaza(eleccion: Eleccion) -> None:
    joven = curp(nacimiento=date(2008, 1, 5), sexo=Sexo.MUJER)
    assert (
        "FECHA_NACIMIENTO",
        "La persona no tendrá 18 años el día de la jornada electoral.",
    ) in rechazos(eleccion, CURP=joven, FECHA_NACIMIENTO="05/01/2008")


def test_una_fecha_ilegible_se_explica(eleccion: Eleccion) -> None:
    assert ("FECHA_NACIMIENTO", "«mayo 1980» no es una fecha válida; use DD/MM/AAAA.") in rechazos(
        eleccion, FECHA_NACIMIENTO="mayo 1980"
    )


def test_una_regiduria_sin_municipio_se_rechaza(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, CARGO="Regiduría", MUNICIPIO=None)[0][0] == "MUNICIPIO"


def test_una_diputacion_de_mayoria_necesita_distrito_existente(eleccion: Eleccion) -> None:
    columnas = rechazos(eleccion, CARGO="Diputación local", MUNICIPIO=None, DISTRITO=7)
    assert columnas == [
        ("DISTRITO", "Una diputación de mayoría relativa necesita un distrito de 1 a 3; es 7.")
    ]


def test_una_diputacion_no_lleva_municipio(eleccion: Eleccion) -> None:
    assert ("MUNICIPIO", "Una diputación no lleva municipio.") in rechazos(
        eleccion, CARGO="Diputación local", DISTRITO=3
    )


def test_la_posicion_no_puede_exceder_el_tamano_de_la_planilla(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, CARGO="Regiduría", POSICION=4, MUNICIPIO="99002") == [
        ("POSICION", "La posición 4 excede las 3 que tiene regiduría (MR) aquí.")
    ]


def test_la_presidencia_solo_es_de_mayoria_relativa(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, PRINCIPIO="RP") == [
        ("PRINCIPIO", "Presidencia municipal solo se elige por mayoría relativa.")
    ]


def test_un_partido_inexistente_se_rechaza(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, CLAVE_POSTULANTE="XYZ") == [
        ("CLAVE_POSTULANTE", "«XYZ» no es un partido de esta elección; use: PAZ, PRO, VER, UNI.")
    ]


def test_un_partido_coaligado_en_la_contienda_no_puede_ir_solo(eleccion: Eleccion) -> None:
    assert rechazos(eleccion, CLAVE_POSTULANTE="PAZ") == [
        (
            "CLAVE_POSTULANTE",
            "En esta contienda «PAZ» participa en «AVC»; regístrela con esa postulación.",
        )
    ]


def test_la_coalicion_toma_del_siglado_el_partido_que_postula(eleccion: Eleccion) -> None:
    leida = leer_fila(
        2, fila(POSTULANTE="Coalición", CLAVE_POSTULANTE="avc", MUNICIPIO="99003"), eleccion
    )
    assert isinstance(leida, FilaRegistro)
    assert (leida.registro.postulante, leida.registro.partido) == (Postulante.COALICION, "VER")


def test_un_partido_postulante_distinto_del_convenio_se_rechaza(eleccion: Eleccion) -> None:
    assert rechazos(
        eleccion,
        POSTULANTE="Coalición",
        CLAVE_POSTULANTE="AVC",
        MUNICIPIO="99003",
        PARTIDO_POSTULANTE="PAZ",
    ) == [("PARTIDO_POSTULANTE", "Según el convenio, en esta contienda postula «VER», no «PAZ».")]


def test_una_coalicion_fuera_de_sus_contiendas_se_rechaza(eleccion: Eleccion) -> None:
    assert rechazos(
        eleccion, POSTULANTE="Coalición", CLAVE_POSTULANTE="AVC", MUNICIPIO="99002"
    ) == [("CLAVE_POSTULANTE", "«AVC» no participa en esta contienda según su convenio.")]


def test_una_lista_de_representacion_proporcional_no_es_de_coalicion(eleccion: Eleccion) -> None:
    assert rechazos(
        eleccion, CARGO="Diputación local", PRINCIPIO="RP", MUNICIPIO=None, POSTULANTE="Coalición",
        CLAVE_POSTULANTE="AVC",
    )[0][0] == "POSTULANTE"  # fmt: skip


def test_un_independiente_solo_vale_en_su_contienda(eleccion: Eleccion) -> None:
    propia = leer_fila(
        2, fila(POSTULANTE="Independiente", CLAVE_POSTULANTE="IND-01", MUNICIPIO="99004"), eleccion
    )
    assert isinstance(propia, FilaRegistro) and propia.registro.partido is None
    assert rechazos(eleccion, POSTULANTE="Independiente", CLAVE_POSTULANTE="IND-01")[0][0] == (
        "CLAVE_POSTULANTE"
    )


def test_una_formula_en_una_celda_nunca_se_usa(eleccion: Eleccion) -> None:
    class Formula:
        text = '=HYPERLINK("http://x")'

    assert rechazos(eleccion, NOMBRE=Formula()) == [
        ("NOMBRE", "La celda contiene una fórmula o un valor no admitido; escriba el valor.")
    ]


def test_varios_errores_de_una_fila_se_informan_juntos(eleccion: Eleccion) -> None:
    columnas = {c for c, _ in rechazos(eleccion, CARGO="Senaduría", SEXO="?", NOMBRE=None)}
    assert columnas == {"CARGO", "SEXO", "NOMBRE"}


def test_valor_fuera_de_catalogo_muestra_las_opciones(eleccion: Eleccion) -> None:
    ((columna, motivo),) = rechazos(eleccion, TIPO="Titular suplente")
    assert columna == "TIPO" and "Propietaria" in motivo and "Suplente" in motivo


def test_los_encabezados_se_reconocen_sin_importar_mayusculas_ni_acentos() -> None:
    encabezados = [c.lower().replace("_", " ") for c in NOMBRES_COLUMNAS]
    encabezados[encabezados.index("posicion")] = "Posición"
    assert list(revisar_encabezados(encabezados)) == list(NOMBRES_COLUMNAS)


def test_columnas_faltantes_o_desconocidas_dan_un_solo_mensaje_con_lo_esperado() -> None:
    encabezados = [c for c in NOMBRES_COLUMNAS if c != "CURP"] + ["CRUP"]
    with pytest.raises(ColumnasIncorrectas) as exc:
        revisar_encabezados(encabezados)
    mensaje = str(exc.value)
    assert "Faltan: CURP." in mensaje and "No se reconocen: CRUP." in mensaje
    assert "Se esperaban: FOLIO, ESTATUS" in mensaje


def test_un_rechazo_lleva_el_folio_para_el_reporte(eleccion: Eleccion) -> None:
    resultado = leer_fila(3, fila(SEXO="?"), eleccion)
    assert isinstance(resultado, list)
    assert resultado[0] == Rechazo(3, "SEXO", resultado[0].motivo, "AY-99001-PM-PRO-P")
