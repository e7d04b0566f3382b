"""Post-publication change requests (PTO 31–32): one per candidacy, applied by a due date."""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from comun.eventos.vocabulario import CampoCurricular
from validacion.domain.calendario import Calendario

# The photograph and social networks are replaced through capture, not as free text.
CAMPOS_CON_TEXTO = tuple(
    c
    for c in CampoCurricular
    if c not in (CampoCurricular.FOTOGRAFIA, CampoCurricular.REDES_SOCIALES)
)
# DOMINIO §3 defaults; short contact fields get 300 characters.
LIMITES = {
    CampoCurricular.HISTORIA_PROFESIONAL: 5000,
    CampoCurricular.TRAYECTORIA_POLITICA: 5000,
    CampoCurricular.MOTIVO_CARGO_PUBLICO: 2500,
    CampoCurricular.PROPUESTA_1: 1600,
    CampoCurricular.PROPUESTA_2: 1600,
    CampoCurricular.PROPUESTA_GENERO: 1600,
    CampoCurricular.CURSOS: 5000,
}
LIMITE_CORTO = 300
LIMITE_MOTIVO = 1000


class ErrorSolicitud(Exception):
    """A change request breaks a rule; the message is Spanish for the user."""


class EstadoSolicitud(StrEnum):
    """Where a change request stands."""

    PRESENTADA = "presentada"
    APLICADA = "aplicada"
    RECHAZADA = "rechazada"


@dataclass(frozen=True, slots=True)
class Cambio:
    """One field and its new text."""

    campo: CampoCurricular
    texto: str


@dataclass
class SolicitudCambio:
    """A candidacy's one change request and its resolution."""

    id: str
    candidatura_id: str
    cambios: tuple[Cambio, ...]
    presentada_por: str
    presentada_en: datetime
    vence: datetime
    estado: EstadoSolicitud = EstadoSolicitud.PRESENTADA
    resuelta_por: str | None = None
    resuelta_en: datetime | None = None
    motivo_rechazo: str | None = None
    anteriores: dict[CampoCurricular, str | None] = field(default_factory=dict)

    def aplicar(
        self, *, publicados: Mapping[CampoCurricular, str | None], por: str, ahora: datetime
    ) -> None:
        """Approve and apply, remembering the published texts it replaces (public change log)."""
        self._exigir_presentada()
        self.anteriores = {c.campo: publicados.get(c.campo) for c in self.cambios}
        self.estado, self.resuelta_por, self.resuelta_en = EstadoSolicitud.APLICADA, por, ahora

    def rechazar(self, *, motivo: str, por: str, ahora: datetime) -> None:
        """Reject with a reason the requester will read."""
        self._exigir_presentada()
        motivo = " ".join(motivo.split())
        if not 10 <= len(motivo) <= LIMITE_MOTIVO:
            raise ErrorSolicitud(
                f"Explique el rechazo en 10 a {LIMITE_MOTIVO} caracteres; la persona que lo "
                "pidió lo leerá."
            )
        self.estado, self.resuelta_por, self.resuelta_en = EstadoSolicitud.RECHAZADA, por, ahora
        self.motivo_rechazo = motivo

    def vencida(self, ahora: datetime) -> bool:
        """Still pending after its due date."""
        return self.estado is EstadoSolicitud.PRESENTADA and ahora > self.vence

    def _exigir_presentada(self) -> None:
        """A request is resolved once."""
        if self.estado is not EstadoSolicitud.PRESENTADA:
            raise ErrorSolicitud(
                f"La solicitud ya fue {self.estado.value}; no se resuelve dos veces."
            )


def presentar(
    *,
    id: str,
    candidatura_id: str,
    cambios: Sequence[tuple[str, str]],
    previa: SolicitudCambio | None,
    publicada: bool,
    por: str,
    ahora: datetime,
    calendario: Calendario,
) -> SolicitudCambio:
    """File the candidacy's one change request, due the next business day (PTO 31–32)."""
    if not publicada:
        raise ErrorSolicitud(
            "La candidatura todavía no está publicada; antes de publicarse, los cambios se hacen "
            "en la captura o en la revisión."
        )
    if previa is not None:
        raise ErrorSolicitud(
            "Esta candidatura ya usó su única solicitud de cambio "
            f"(presentada el {previa.presentada_en:%d/%m/%Y}); no se admite otra (PTO 31)."
        )
    limpios = _cambios(cambios)
    return SolicitudCambio(
        id=id,
        candidatura_id=candidatura_id,
        cambios=limpios,
        presentada_por=por,
        presentada_en=ahora,
        vence=calendario.vencimiento(ahora),
    )


def _cambios(cambios: Sequence[tuple[str, str]]) -> tuple[Cambio, ...]:
    """Each named field exists, appears once and gets a clean new text."""
    if not cambios:
        raise ErrorSolicitud("Indique al menos un campo y su nuevo texto.")
    validos = {c.value: c for c in CAMPOS_CON_TEXTO}
    vistos: set[str] = set()
    limpios = []
    for campo, texto in cambios:
        if campo not in validos:
            raise ErrorSolicitud(
                f"El campo «{campo}» no existe o no se cambia por solicitud; elija uno de: "
                f"{', '.join(validos)}."
            )
        if campo in vistos:
            raise ErrorSolicitud(f"El campo «{campo}» aparece dos veces; déjelo una sola vez.")
        vistos.add(campo)
        limpios.append(Cambio(validos[campo], _texto(validos[campo], texto)))
    return tuple(limpios)


def _texto(campo: CampoCurricular, texto: str) -> str:
    """The new text: normalised, without control characters, within the field's limit."""
    limpio = unicodedata.normalize("NFC", texto.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not limpio:
        raise ErrorSolicitud(f"Escriba el nuevo texto de «{campo.value}».")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in limpio):
        raise ErrorSolicitud(
            f"El nuevo texto de «{campo.value}» tiene caracteres de control; quítelos."
        )
    limite = LIMITES.get(campo, LIMITE_CORTO)
    if len(limpio) > limite:
        raise ErrorSolicitud(
            f"El nuevo texto de «{campo.value}» tiene {len(limpio):,} caracteres; el máximo es "
            f"{limite:,}."
        )
    return limpio
