"""Data scope rules of DOMINIO §1: out-of-scope objects are 404."""

import pytest

from comun.auth.alcance import en_alcance, filtro_alcance, verificar_alcance
from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado
from comun.roles import Rol


def usuario(rol: Rol, *, partido: str | None = None, candidatura: str | None = None) -> Usuario:
    return Usuario(
        id=f"id-{rol}",
        nombre_usuario=rol.value,
        roles=frozenset({rol}),
        partido=partido,
        candidatura=candidatura,
    )


@pytest.mark.parametrize(
    ("quien", "partido", "candidatura_id", "ve"),
    [
        (usuario(Rol.ADMINISTRADOR), "PAN", "C-1", True),
        (usuario(Rol.VERIFICADOR), "PRI", "C-2", True),
        (usuario(Rol.SOPORTE), None, "C-IND", False),
        (usuario(Rol.SUPERVISOR, partido="PAN"), "PAN", "C-1", True),
        (usuario(Rol.SUPERVISOR, partido="PAN"), "PRI", "C-2", False),
        (usuario(Rol.SUPERVISOR, partido="PAN"), None, "C-IND", False),
        (usuario(Rol.PARTIDO, partido="PRI"), "PRI", "C-2", True),
        (usuario(Rol.PARTIDO, partido="PRI"), "PAN", "C-1", False),
        (usuario(Rol.PARTIDO), None, "C-IND", False),
        (usuario(Rol.CANDIDATURA, partido="PAN", candidatura="C-1"), "PAN", "C-1", True),
        (usuario(Rol.CANDIDATURA, partido="PAN", candidatura="C-1"), "PAN", "C-3", False),
        (usuario(Rol.CANDIDATURA, candidatura="C-IND"), None, "C-IND", True),
        (usuario(Rol.CANDIDATURA), None, None, False),
    ],
    ids=lambda valor: valor.nombre_usuario if isinstance(valor, Usuario) else str(valor),
)
def test_reglas_de_alcance(
    quien: Usuario, partido: str | None, candidatura_id: str | None, ve: bool
) -> None:
    assert en_alcance(quien, partido=partido, candidatura_id=candidatura_id) is ve


def test_supervisor_no_ve_candidaturas_de_otro_partido_y_recibe_404() -> None:
    with pytest.raises(NoEncontrado) as error:
        verificar_alcance(usuario(Rol.SUPERVISOR, partido="PAN"), partido="MORENA")

    assert error.value.status == 404


def test_objeto_en_alcance_no_lanza_error() -> None:
    verificar_alcance(usuario(Rol.PARTIDO, partido="PAN"), partido="PAN")


def test_usuario_sin_roles_no_ve_nada() -> None:
    sin_roles = Usuario(id="x", nombre_usuario="x", partido="PAN")

    with pytest.raises(NoEncontrado):
        verificar_alcance(sin_roles, partido="PAN")


@pytest.mark.parametrize(
    ("quien", "filtro"),
    [
        (usuario(Rol.ADMINISTRADOR), None),
        (usuario(Rol.SUPERVISOR, partido="PAN"), {"partido": "PAN"}),
        (usuario(Rol.CANDIDATURA, candidatura="C-1"), {"_id": "C-1"}),
        (usuario(Rol.PARTIDO), {"_id": {"$in": []}}),
    ],
)
def test_filtro_de_alcance_para_listados(quien: Usuario, filtro: object) -> None:
    assert filtro_alcance(quien) == filtro
