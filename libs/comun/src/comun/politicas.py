"""The one publication rule every service applies to identity answers (DOMINIO §4, PTO 19)."""

from datetime import datetime

from comun.eventos.vocabulario import AccionAfirmativa


def identidad_publica(
    *, autorizacion_publicacion: datetime | None, accion_afirmativa: AccionAfirmativa | None
) -> bool:
    """Identity answers are public iff consent (b) was given or an acción afirmativa applies."""
    return autorizacion_publicacion is not None or accion_afirmativa is not None
