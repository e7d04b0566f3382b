"""Registry of event types: type string → data model, and the JSON samples."""

from collections.abc import Iterable
from pathlib import Path

from comun.eventos.catalogo import CATALOGO
from comun.eventos.envelope import DatosEvento, Evento

MUESTRAS = Path(__file__).parent / "muestras"


class TipoDesconocido(LookupError):
    """No registered model describes this event type."""

    def __init__(self, tipo: str) -> None:
        super().__init__(f"Tipo de evento desconocido: {tipo!r}")
        self.tipo = tipo


class TipoDuplicado(ValueError):
    """Two models claim the same event type."""


def registrar(modelos: Iterable[type[DatosEvento]]) -> dict[str, type[DatosEvento]]:
    """Map each model's type string to the model, refusing two models with one type."""
    tipos: dict[str, type[DatosEvento]] = {}
    for modelo in modelos:
        tipo = modelo.tipo()
        if tipo in tipos:
            otro = tipos[tipo].__name__
            raise TipoDuplicado(f"{modelo.__name__} y {otro} declaran el mismo tipo {tipo!r}")
        tipos[tipo] = modelo
    return tipos


TIPOS: dict[str, type[DatosEvento]] = registrar(CATALOGO)


def modelo_de(tipo: str) -> type[DatosEvento]:
    """The data model registered for an event type."""
    try:
        return TIPOS[tipo]
    except KeyError:
        raise TipoDesconocido(tipo) from None


def datos_de(evento: Evento) -> DatosEvento:
    """Parse an event's data with the model registered for its type."""
    return modelo_de(evento.type).model_validate(evento.data)


def muestra(tipo: str) -> Evento:
    """The committed JSON sample of an event type, for tests of producers and consumers."""
    modelo_de(tipo)
    return Evento.model_validate_json((MUESTRAS / f"{tipo}.json").read_bytes())
