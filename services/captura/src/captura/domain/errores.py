"""Errors the domain of captura raises; their messages are Spanish for the user."""


class ErrorDominio(Exception):
    """A rule of the domain refused the operation; the message is Spanish for the user."""


class CandidaturaDuplicada(ErrorDominio):
    """The registry already holds a candidacy with this id."""

    def __init__(self, candidatura_id: str) -> None:
        super().__init__(f"Ya existe una candidatura con la clave «{candidatura_id}».")


class CapturaCerrada(ErrorDominio):
    """The candidacy cannot be edited now: sent, validated, closed or past its deadline."""


class ConflictoEdicion(ErrorDominio):
    """Someone saved the questionnaire after the revision the user loaded."""

    def __init__(self, *, revision_esperada: int, revision_actual: int) -> None:
        super().__init__(
            "Otra persona guardó este cuestionario mientras usted lo editaba "
            f"(usted partió de la versión {revision_esperada}; la vigente es la "
            f"{revision_actual}). Revise las diferencias y elija qué conservar."
        )
        self.revision_esperada = revision_esperada
        self.revision_actual = revision_actual
