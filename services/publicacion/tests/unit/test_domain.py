"""Counts of the public home page."""

from publicacion.domain import SIN_PARTIDO, FichaRegistro, resumir


def test_resumen_cuenta_registradas_publicadas_y_por_partido() -> None:
    fichas = [
        FichaRegistro("A", "Ana", "diputacion_local", "PAN", publicada=True),
        FichaRegistro("B", "Beto", "regiduria", "PAN"),
        FichaRegistro("C", "Caro", "regiduria", None),
    ]
    resumen = resumir(fichas)
    assert (resumen.registradas, resumen.publicadas) == (3, 1)
    assert resumen.por_partido == ((SIN_PARTIDO, 1), ("PAN", 2))


def test_resumen_de_nada_es_cero() -> None:
    assert resumir([]).registradas == 0
