"""The all-in-one process: the six services' composition roots in one FastAPI app."""

import importlib

from fastapi import FastAPI

from comun.app import Modulo, crear_app
from comun.servicios import Servicio

# identidad goes first: its in-process key set verifies every service's tokens.
ORDEN = (
    Servicio.IDENTIDAD,
    Servicio.CAPTURA,
    Servicio.VALIDACION,
    Servicio.ESTADISTICA,
    Servicio.AUDITORIA,
    Servicio.PUBLICACION,
)


def modulo_de(servicio: Servicio) -> Modulo:
    """Load a service's composition root and build its module."""
    main = importlib.import_module(f"{servicio.value}.main")
    modulo: Modulo = main.modulo()
    return modulo


def modulos() -> list[Modulo]:
    """The six services, publicacion last so its catch-all public routes come after the rest."""
    return [modulo_de(servicio) for servicio in ORDEN]


def create_app() -> FastAPI:
    """All six services in one app with the embedded adapters."""
    return crear_app(modulos())
