"""A candidacy's public profile: when it is public, versions per producer, takedowns, change log."""

from typing import Any

import pytest

from comun.eventos import CandidaturaRegistrada, muestra
from publicacion.domain import CambioPublicado, EstadoPerfil, Perfil, vista_publica

ID = "AY-033-PM-MORENA-P"
CURP = "MAVR770312MMCRLS09"
NACIMIENTO = "1977-03-12"
FOLIO = "SNR-2024-15-033-000187"
PROPAGANDA = "7. Lemas o imágenes de campaña, llamados al voto"
LUNES = "2024-05-01T06:00:12+00:00"
MARTES = "2024-05-02T06:00:12+00:00"
MIERCOLES = "2024-05-03T06:00:12+00:00"


def registro(**cambios: Any) -> dict[str, Any]:
    """Registry data as captura sends it, plus private data publicacion must never show."""
    datos = muestra("mx.conoceles.captura.candidatura_registrada.v1").data
    modelo = CandidaturaRegistrada.model_validate({**datos, "candidatura_id": ID, **cambios})
    return {**modelo.model_dump(), "curp": CURP, "fecha_nacimiento": NACIMIENTO}


def curricular(**cambios: Any) -> dict[str, Any]:
    """Validated curricular answers as validacion publishes them."""
    datos = muestra("mx.conoceles.validacion.candidatura_publicable.v1").data["curricular"]
    return {**datos, **cambios}


def perfil(*, con_registro: bool = True, con_contenido: bool = True) -> Perfil:
    """A profile that learned its registry and/or its publishable content (version 1 each)."""
    nuevo = Perfil(ID)
    if con_registro:
        nuevo.conocer_registro(datos=registro(), version=1)
    if con_contenido:
        nuevo.hacer_publicable(
            curricular=curricular(), identidad={"joven": "Sí"}, version=1, momento=LUNES
        )
    return nuevo


def vista(p: Perfil) -> dict[str, Any]:
    """The public view of a profile that must have one."""
    publica = vista_publica(p)
    assert publica is not None
    return publica


def cambio(solicitud_id: str, fecha: str, campo: str = "propuesta_1") -> CambioPublicado:
    return CambioPublicado(solicitud_id, fecha, ((campo, "Texto anterior", "Texto nuevo"),))


def test_un_perfil_con_solo_datos_de_registro_no_es_publico() -> None:
    solo_registro = perfil(con_contenido=False)
    assert solo_registro.estado is EstadoPerfil.SIN_PUBLICAR
    assert vista_publica(solo_registro) is None


def test_un_perfil_con_solo_contenido_publicable_no_es_publico() -> None:
    solo_contenido = perfil(con_registro=False)
    assert solo_contenido.estado is EstadoPerfil.SIN_PUBLICAR
    assert vista_publica(solo_contenido) is None


def test_un_perfil_con_registro_y_contenido_publicable_es_publico() -> None:
    publicado = perfil()
    assert publicado.estado is EstadoPerfil.PUBLICADO
    publica = vista(publicado)
    assert publica["estado"] == "publicado" and publica["url"] == f"/candidaturas/{ID}"
    assert publica["nombre"] == "Rosa Elena Martínez Villegas"
    assert publica["curricular"] == curricular()


@pytest.mark.parametrize("motivo", ["sustituida", "cancelada"])
def test_una_candidatura_dada_de_baja_queda_retirada_y_sin_vista_publica(motivo: str) -> None:
    retirado = perfil()
    assert retirado.dar_de_baja(motivo=motivo, version=2)
    assert retirado.estado is EstadoPerfil.RETIRADO and retirado.baja == motivo
    assert vista_publica(retirado) is None


def test_una_version_vieja_o_repetida_del_registro_no_cambia_nada() -> None:
    p = perfil()
    p.conocer_registro(datos=registro(nombre="Rosa Elena Martínez"), version=3)
    assert not p.conocer_registro(datos=registro(nombre="Otra persona"), version=3)
    assert not p.conocer_registro(datos=registro(nombre="Otra persona"), version=2)
    assert not p.dar_de_baja(motivo="cancelada", version=2)
    assert vista(p)["nombre"] == "Rosa Elena Martínez" and p.vigente


def test_una_version_vieja_o_repetida_del_contenido_no_cambia_nada() -> None:
    p = perfil()
    p.hacer_publicable(
        curricular=curricular(propuesta_1="Nueva"), identidad=None, version=3, momento=MARTES
    )
    for version in (3, 2):
        assert not p.hacer_publicable(
            curricular=curricular(propuesta_1="Vieja"),
            identidad={"joven": "Sí"},
            version=version,
            momento=MIERCOLES,
        )
    assert vista(p)["curricular"]["propuesta_1"] == "Nueva"
    assert p.identidad is None and p.actualizado_en == MARTES


def test_una_version_vieja_o_repetida_de_la_moderacion_no_cambia_nada() -> None:
    p = perfil()
    p.deshabilitar(campos=["propuesta_1"], motivo="propaganda", version=3)
    assert not p.habilitar(campos=["propuesta_1"], version=3)
    assert not p.habilitar(campos=["propuesta_1"], version=2)
    assert not p.deshabilitar(campos=[], motivo="propaganda", version=1)
    assert p.deshabilitados == {"propuesta_1": "propaganda"}


def test_las_versiones_de_cada_productor_son_independientes() -> None:
    p = Perfil(ID)
    assert p.hacer_publicable(curricular=curricular(), identidad=None, version=5, momento=LUNES)
    assert p.deshabilitar(campos=["propuesta_1"], motivo="propaganda", version=1)
    assert p.conocer_registro(datos=registro(), version=1)
    assert p.estado is EstadoPerfil.PUBLICADO
    assert vista(p)["curricular"]["propuesta_1"] is None


def test_un_campo_deshabilitado_no_aparece_en_la_vista_publica() -> None:
    p = perfil()
    p.deshabilitar(campos=["motivo_cargo_publico"], motivo="propaganda", version=1)
    publica = vista(p)
    assert publica["curricular"]["motivo_cargo_publico"] is None
    assert publica["curricular"]["propuesta_1"] == curricular()["propuesta_1"]
    assert publica["estado"] == "publicado"


def test_un_campo_deshabilitado_se_lista_con_su_motivo_y_la_explicacion_en_espanol() -> None:
    p = perfil()
    p.deshabilitar(campos=["motivo_cargo_publico"], motivo="propaganda", version=1)
    assert vista(p)["contenido_deshabilitado"] == [
        {"campo": "motivo_cargo_publico", "motivo": "propaganda", "explicacion": PROPAGANDA}
    ]


def test_deshabilitar_sin_campos_deshabilita_el_perfil_completo_y_muestra_el_motivo() -> None:
    p = perfil()
    p.deshabilitar(campos=[], motivo="propaganda", version=1)
    assert p.estado is EstadoPerfil.DESHABILITADO
    publica = vista(p)
    assert publica["estado"] == "deshabilitado"
    assert publica["deshabilitado"] == {"motivo": "propaganda", "explicacion": PROPAGANDA}


def test_un_perfil_deshabilitado_no_muestra_curricular_identidad_ni_cambios() -> None:
    p = perfil()
    p.anotar_cambio(cambio=cambio("SC-1", MARTES))
    p.deshabilitar(campos=[], motivo="propaganda", version=1)
    publica = vista(p)
    assert publica["curricular"] is None and publica["identidad"] is None
    assert publica["cambios"] == [] and publica["contenido_deshabilitado"] == []


def test_habilitar_un_campo_lo_vuelve_a_mostrar() -> None:
    p = perfil()
    p.deshabilitar(campos=["propuesta_1"], motivo="propaganda", version=1)
    assert p.habilitar(campos=["propuesta_1"], version=2)
    publica = vista(p)
    assert publica["curricular"]["propuesta_1"] == curricular()["propuesta_1"]
    assert publica["contenido_deshabilitado"] == []


def test_habilitar_sin_campos_vuelve_a_publicar_el_perfil_completo() -> None:
    p = perfil()
    p.deshabilitar(campos=[], motivo="propaganda", version=1)
    assert p.habilitar(campos=[], version=2)
    assert p.estado is EstadoPerfil.PUBLICADO
    assert vista(p) == vista(perfil())


def test_la_vista_publica_nunca_contiene_curp_fecha_de_nacimiento_ni_folio() -> None:
    p = perfil()
    texto = repr(vista(p)) + repr(p.registro)
    for privado in ("curp", "fecha_nacimiento", "folio_registro", CURP, NACIMIENTO, FOLIO):
        assert privado not in texto


def test_el_historial_de_cambios_guarda_cada_solicitud_una_vez() -> None:
    p = perfil()
    assert p.anotar_cambio(cambio=cambio("SC-1", MARTES))
    assert not p.anotar_cambio(cambio=cambio("SC-1", MARTES))
    assert [c["solicitud_id"] for c in vista(p)["cambios"]] == ["SC-1"]


def test_el_historial_de_cambios_queda_en_orden_de_fecha() -> None:
    p = perfil()
    p.anotar_cambio(cambio=cambio("SC-3", MIERCOLES))
    p.anotar_cambio(cambio=cambio("SC-1", LUNES))
    p.anotar_cambio(cambio=cambio("SC-2", MARTES))
    assert [c["fecha"] for c in vista(p)["cambios"]] == [LUNES, MARTES, MIERCOLES]


def test_un_campo_deshabilitado_no_muestra_sus_textos_en_el_historial_de_cambios() -> None:
    p = perfil()
    p.anotar_cambio(cambio=cambio("SC-1", MARTES, campo="propuesta_1"))
    p.deshabilitar(campos=["propuesta_1"], motivo="propaganda", version=1)
    ((campo,),) = [c["campos"] for c in vista(p)["cambios"]]
    assert campo == {"campo": "propuesta_1", "anterior": None, "nuevo": None, "deshabilitado": True}


def test_un_campo_habilitado_muestra_sus_textos_en_el_historial_de_cambios() -> None:
    p = perfil()
    p.anotar_cambio(cambio=cambio("SC-1", MARTES, campo="propuesta_1"))
    ((campo,),) = [c["campos"] for c in vista(p)["cambios"]]
    assert campo["anterior"] == "Texto anterior" and campo["nuevo"] == "Texto nuevo"
    assert not campo["deshabilitado"]


def test_publicado_en_conserva_la_primera_publicacion_y_actualizado_en_avanza() -> None:
    p = perfil()
    p.hacer_publicable(
        curricular=curricular(propuesta_1="Nueva"), identidad=None, version=2, momento=MARTES
    )
    publica = vista(p)
    assert (publica["publicado_en"], publica["actualizado_en"]) == (LUNES, MARTES)
