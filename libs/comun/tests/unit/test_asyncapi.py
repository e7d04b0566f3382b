"""The published AsyncAPI document describes every registered event and is up to date."""

from pathlib import Path
from typing import Any

from comun.eventos import TIPOS
from comun.eventos.asyncapi import COMANDO, generar_asyncapi, serializar
from comun.servicios import topic

PUBLICADO = Path(__file__).resolve().parents[4] / "docs" / "asyncapi.json"


def _referencias(nodo: Any) -> list[str]:
    if isinstance(nodo, dict):
        propias = [nodo["$ref"]] if isinstance(nodo.get("$ref"), str) else []
        return propias + [ref for valor in nodo.values() for ref in _referencias(valor)]
    if isinstance(nodo, list):
        return [ref for valor in nodo for ref in _referencias(valor)]
    return []


def _resolver(documento: dict[str, Any], referencia: str) -> Any:
    nodo: Any = documento
    for parte in referencia.removeprefix("#/").split("/"):
        nodo = nodo[parte]
    return nodo


def test_asyncapi_publicado_esta_al_dia() -> None:
    assert PUBLICADO.exists(), f"Falta {PUBLICADO}; genérelo con: {COMANDO}"
    publicado = PUBLICADO.read_text(encoding="utf-8")
    assert publicado == serializar(generar_asyncapi()), (
        f"{PUBLICADO} no coincide con los modelos de eventos; regenérelo con: {COMANDO}"
    )


def test_cada_tipo_es_un_mensaje_del_canal_de_su_servicio() -> None:
    documento = generar_asyncapi()
    for tipo, modelo in TIPOS.items():
        canal = documento["channels"][modelo.SERVICIO.value]
        assert canal["address"] == topic(modelo.SERVICIO)
        assert tipo in canal["messages"]
        assert documento["components"]["messages"][tipo]["name"] == modelo.NOMBRE


def test_todas_las_referencias_internas_resuelven() -> None:
    documento = generar_asyncapi()
    for referencia in _referencias(documento):
        assert referencia.startswith("#/")
        assert _resolver(documento, referencia) is not None
