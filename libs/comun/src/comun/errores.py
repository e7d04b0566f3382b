"""Errors that become RFC 9457 problem+json responses with Spanish text."""

from typing import Any


class Problema(Exception):
    """An error with an HTTP status and a Spanish title and detail."""

    def __init__(
        self, status: int, title: str, detail: str, *, tipo: str = "about:blank", **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.tipo = tipo
        self.extra = extra


class NoEncontrado(Problema):
    """404: missing, or out of the user's scope (never reveal existence)."""

    def __init__(self, detail: str = "El recurso solicitado no existe.") -> None:
        super().__init__(404, "No encontrado", detail)


class NoAutenticado(Problema):
    """401: no valid session or token."""

    def __init__(self, detail: str = "Inicie sesión para continuar.") -> None:
        super().__init__(401, "Sesión requerida", detail)


class SinPermiso(Problema):
    """403: authenticated but without the needed role."""

    def __init__(self, detail: str = "Su cuenta no tiene permiso para esta acción.") -> None:
        super().__init__(403, "Acceso denegado", detail)
