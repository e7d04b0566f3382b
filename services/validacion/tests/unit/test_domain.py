"""The review queue."""

from validacion.domain import EstadoRevision, Revision, pendientes


def test_pendientes_cuenta_solo_las_que_esperan_al_supervisor() -> None:
    cola = [
        Revision("A", "Ana", "regiduria", "PT", EstadoRevision.POR_VALIDAR),
        Revision("B", "Beto", "regiduria", "PT", EstadoRevision.EN_ESPERA),
        Revision("C", "Caro", "regiduria", "PT", EstadoRevision.VALIDADA),
    ]
    assert pendientes(cola) == 1


def test_cada_estado_tiene_etiqueta_en_espanol() -> None:
    assert Revision("A", "Ana", "regiduria", "PT").etiqueta == "En espera de captura"
