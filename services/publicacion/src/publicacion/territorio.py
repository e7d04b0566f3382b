"""The catalog of the election this site publishes, read once per process."""

import functools

from publicacion.config import Settings
from publicacion.domain.territorio import Territorio, leer_territorio


@functools.cache
def territorio() -> Territorio:
    """Geography, parties and dates of the configured catalog."""
    return leer_territorio(Settings().catalogo)
