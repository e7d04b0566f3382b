"""Envelope encryption of identity answers: a data key per record, wrapped by the master key."""

import pytest

from comun.cifrado import Cifrador, Sobre, SobreIlegible

DATOS = "Sí, Mazahua".encode()


def test_lo_sellado_se_abre_con_la_misma_clave_y_el_mismo_contexto() -> None:
    cifrador = Cifrador("secreto-de-pruebas")
    sobre = cifrador.sellar(DATOS, contexto="AY-1")
    assert cifrador.abrir(sobre, contexto="AY-1") == DATOS


def test_el_sobre_no_contiene_el_texto_en_claro() -> None:
    sobre = Cifrador("secreto-de-pruebas").sellar(DATOS, contexto="AY-1")
    assert "Mazahua" not in sobre
    assert sobre.startswith("s1.")


def test_un_sobre_de_otra_candidatura_no_se_abre() -> None:
    cifrador = Cifrador("secreto-de-pruebas")
    sobre = cifrador.sellar(DATOS, contexto="AY-1")
    with pytest.raises(SobreIlegible, match="no corresponde"):
        cifrador.abrir(sobre, contexto="AY-2")


def test_otra_clave_maestra_no_abre_el_sobre_y_lo_dice() -> None:
    sobre = Cifrador("secreto-de-pruebas").sellar(DATOS, contexto="AY-1")
    with pytest.raises(SobreIlegible, match="CONOCELES_CLAVE_IDENTIDAD"):
        Cifrador("otro-secreto").abrir(sobre, contexto="AY-1")


def test_un_sobre_alterado_se_rechaza() -> None:
    cifrador = Cifrador("secreto-de-pruebas")
    sobre = Sobre.de_texto(cifrador.sellar(DATOS, contexto="AY-1"))
    alterado = Sobre(sobre.clave_id, sobre.clave_envuelta, sobre.cifrado[:-1] + b"\x00")
    with pytest.raises(SobreIlegible):
        cifrador.abrir(alterado.texto(), contexto="AY-1")


def test_un_texto_que_no_es_sobre_se_rechaza_con_mensaje() -> None:
    with pytest.raises(SobreIlegible, match="formato"):
        Cifrador("secreto-de-pruebas").abrir("no-es-un-sobre", contexto="AY-1")


def test_volver_a_sellar_conserva_la_clave_de_datos_de_la_candidatura() -> None:
    cifrador = Cifrador("secreto-de-pruebas")
    primero = cifrador.sellar(DATOS, contexto="AY-1")
    segundo = cifrador.sellar(b"No", contexto="AY-1", anterior=primero)
    assert Sobre.de_texto(primero).clave_envuelta == Sobre.de_texto(segundo).clave_envuelta
    assert cifrador.abrir(segundo, contexto="AY-1") == b"No"


def test_cada_sellado_usa_un_nonce_nuevo() -> None:
    cifrador = Cifrador("secreto-de-pruebas")
    primero = cifrador.sellar(DATOS, contexto="AY-1")
    assert cifrador.sellar(DATOS, contexto="AY-1", anterior=primero) != primero
