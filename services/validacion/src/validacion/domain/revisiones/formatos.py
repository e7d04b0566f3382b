"""Whole-text formats of the contact fields, on the same patterns the personal-data check uses."""

from urllib.parse import urlsplit

from validacion.domain.revisiones.datos_personales import (
    CORREO,
    DOMINIO,
    TELEFONO,
    digitos_de_telefono,
)

ESQUEMAS_WEB = frozenset({"http", "https"})


def telefono_nacional(texto: str) -> str | None:
    """The 10 digits when the whole text is one Mexican phone number; None otherwise."""
    if TELEFONO.fullmatch(texto) is None:
        return None
    digitos = digitos_de_telefono(texto)
    # No Mexican number starts with 0 or 1: those are long-distance prefixes.
    if digitos is None or digitos[0] in "01":
        return None
    return digitos


def es_correo(texto: str) -> bool:
    """The whole text is one e-mail address."""
    return CORREO.fullmatch(texto) is not None


def es_pagina_web(texto: str) -> bool:
    """The whole text is an http(s) address of a named site, without user, password or spaces."""
    if any(c.isspace() for c in texto):
        return False
    try:
        partes = urlsplit(texto)
        partes.port  # noqa: B018  # urlsplit only checks the port when it is read
    except ValueError:
        return False
    sitio = partes.hostname or ""
    return (
        partes.scheme.lower() in ESQUEMAS_WEB
        and "@" not in partes.netloc
        and DOMINIO.fullmatch(sitio) is not None
    )
