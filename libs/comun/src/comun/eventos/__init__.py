"""Event envelope, event data models and their registry."""

from comun.eventos.envelope import SISTEMA, Actor, DatosEvento, Evento, nuevo_evento

__all__ = ["SISTEMA", "Actor", "DatosEvento", "Evento", "nuevo_evento"]
