"""Aggregates by party and sex."""

from estadistica.domain import SIN_PARTIDO, Perfil, por_partido_y_sexo


def test_cuenta_por_partido_y_sexo_en_orden_de_columnas() -> None:
    filas = por_partido_y_sexo(
        [
            Perfil("PRI", "regiduria", "mujer"),
            Perfil("PRI", "regiduria", "hombre"),
            Perfil("PRI", "sindicatura", "mujer"),
            Perfil(None, "regiduria", "no_binario"),
        ]
    )
    assert [(f.partido, f.por_sexo, f.total) for f in filas] == [
        (SIN_PARTIDO, (0, 0, 1), 1),
        ("PRI", (2, 1, 0), 3),
    ]
