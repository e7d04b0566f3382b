"""Which service owns a URL path (DESIGN §5), decided in one place."""

from comun.servicios import Servicio

_POR_PREFIJO = {servicio.value: servicio for servicio in Servicio}


def es_api(ruta: str) -> bool:
    """Whether the path belongs to a JSON API (`/api/…`)."""
    return ruta == "/api" or ruta.startswith("/api/")


def servicio_de_ruta(ruta: str) -> Servicio:
    """The service that owns the path: `/api/<s>/…` or `/<s>/…`; anything else is publicacion."""
    partes = ruta.split("/", 3)
    indice = 2 if es_api(ruta) else 1
    candidato = partes[indice] if len(partes) > indice else ""
    return _POR_PREFIJO.get(candidato, Servicio.PUBLICACION)


def prefijo_estaticos(servicio: Servicio) -> str:
    """URL prefix of the static files served for a service's pages."""
    return "/static" if servicio is Servicio.PUBLICACION else f"/{servicio.value}/static"
