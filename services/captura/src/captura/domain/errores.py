"""Errors the domain of captura raises; their messages are Spanish for the user."""


class ErrorDominio(Exception):
    """A rule of the domain refused the operation; the message is Spanish for the user."""


class CandidaturaDuplicada(ErrorDominio):
    """The registry already holds a candidacy with this id."""

    def __init__(self, candidatura_id: str) -> None:
        super().__init__(f"Ya existe una candidatura con la clave «{candidatura_id}».")
