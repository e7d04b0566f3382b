"""Capture pages under /captura: my candidacies, questionnaires, consent, photo, send, deadlines."""

# isort: off
# Imported in this order on purpose: it is the order the routes are registered and matched in.
from captura.web.captura.paginas import router
from captura.web.captura import mis_candidaturas
from captura.web.captura import curricular
from captura.web.captura import identidad
from captura.web.captura import consentimiento
from captura.web.captura import fotografia
from captura.web.captura import envio
from captura.web.captura import plazos

# isort: on

__all__ = [
    "consentimiento",
    "curricular",
    "envio",
    "fotografia",
    "identidad",
    "mis_candidaturas",
    "plazos",
    "router",
]
