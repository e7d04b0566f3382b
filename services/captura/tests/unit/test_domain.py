"""Rules of the captura registry."""

from datetime import date

import pytest

from captura.domain import Candidatura, ErrorDominio, EstadoCandidatura, Registro, edad_al
from comun.eventos.vocabulario import Cargo, Postulante, Principio, Sexo, TipoCandidatura


def _registro(**cambios: object) -> Registro:
    base: dict[str, object] = {
        "eleccion": "edomex-2024",
        "nombres": "Ana Pérez",
        "cargo": Cargo.DIPUTACION_LOCAL,
        "principio": Principio.MR,
        "tipo_candidatura": TipoCandidatura.PROPIETARIA,
        "postulante": Postulante.PARTIDO,
        "sexo": Sexo.MUJER,
        "fecha_nacimiento": date(1990, 6, 3),
        "partido": "PAN",
        "distrito": 4,
    }
    return Registro(**{**base, **cambios})  # type: ignore[arg-type]


def test_una_candidatura_registrada_empieza_en_estado_registrada_con_version_1() -> None:
    c = Candidatura.registrar(id="DL-MR-04-PAN-P", registro=_registro())
    assert (c.estado, c.version) == (EstadoCandidatura.REGISTRADA, 1)


def test_registrar_anota_el_hecho_de_registro() -> None:
    c = Candidatura.registrar(id="DL-MR-04-PAN-P", registro=_registro())
    assert [h.candidatura_id for h in c.hechos] == ["DL-MR-04-PAN-P"]


def test_diputacion_de_mayoria_relativa_sin_distrito_se_rechaza() -> None:
    with pytest.raises(ErrorDominio, match="distrito"):
        Candidatura.registrar(id="X", registro=_registro(distrito=None))


def test_candidatura_de_ayuntamiento_sin_municipio_se_rechaza() -> None:
    with pytest.raises(ErrorDominio, match="municipio"):
        Candidatura.registrar(id="X", registro=_registro(cargo=Cargo.REGIDURIA, distrito=None))


def test_candidatura_de_partido_sin_partido_se_rechaza() -> None:
    with pytest.raises(ErrorDominio, match="partido"):
        Candidatura.registrar(id="X", registro=_registro(partido=None))


def test_candidatura_independiente_no_necesita_partido() -> None:
    c = Candidatura.registrar(
        id="X", registro=_registro(partido=None, postulante=Postulante.INDEPENDIENTE)
    )
    assert c.registro.partido is None


def test_identificador_vacio_se_rechaza() -> None:
    with pytest.raises(ErrorDominio, match="identificador"):
        Candidatura.registrar(id="  ", registro=_registro())


@pytest.mark.parametrize(
    ("nacimiento", "dia", "edad"),
    [
        (date(1990, 6, 3), date(2024, 6, 2), 33),
        (date(1990, 6, 2), date(2024, 6, 2), 34),
        (date(2000, 2, 29), date(2024, 2, 28), 23),
    ],
)
def test_la_edad_cuenta_anios_cumplidos_el_dia_de_la_jornada(
    nacimiento: date, dia: date, edad: int
) -> None:
    assert edad_al(nacimiento, dia) == edad


def test_actualizar_con_los_mismos_datos_no_cambia_la_version() -> None:
    c = Candidatura.registrar(id="X", registro=_registro())
    c.hechos.clear()
    assert c.actualizar(_registro()) == []
    assert (c.version, c.hechos) == (1, [])


def test_actualizar_anota_los_campos_corregidos() -> None:
    c = Candidatura.registrar(id="X", registro=_registro())
    assert c.actualizar(_registro(sobrenombre="Anita", distrito=5)) == ["sobrenombre", "distrito"]
    assert c.version == 2


def test_una_candidatura_sustituida_queda_ligada_a_su_sustituta_y_cerrada() -> None:
    c = Candidatura.registrar(id="X", registro=_registro())
    c.sustituir(por="Y")
    assert (c.estado, c.sustituta_id, c.vigente) == (EstadoCandidatura.SUSTITUIDA, "Y", False)
    with pytest.raises(ErrorDominio, match="sustituida"):
        c.actualizar(_registro(sobrenombre="Otra"))


def test_una_candidatura_cancelada_no_puede_cancelarse_otra_vez() -> None:
    c = Candidatura.registrar(id="X", registro=_registro())
    c.cancelar()
    with pytest.raises(ErrorDominio, match="cancelada"):
        c.cancelar()


def test_el_registro_vuelve_igual_de_su_forma_plana() -> None:
    registro = _registro(curp="GOMA800517MMCBCD01", sobrenombre="Anita")
    assert Registro.desde_dict(registro.como_dict()) == registro


def test_un_documento_antiguo_con_nombre_completo_se_sigue_leyendo() -> None:
    plano = {k: v for k, v in _registro().como_dict().items() if k != "nombres"}
    assert Registro.desde_dict({**plano, "nombre": "Ana Pérez"}).nombre == "Ana Pérez"
