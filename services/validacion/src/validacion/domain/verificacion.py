"""Verifier takedowns (PTO 33): disable a field or the whole profile with a reason code."""

from dataclasses import dataclass, field
from datetime import datetime

from comun.eventos.vocabulario import ETIQUETAS, CampoCurricular, MotivoContenido

PERFIL = "perfil"
LIMITE_OBSERVACION = 1000
# The reason codes with their official numbered wording (vocabulary shared with publicacion).
ETIQUETAS_MOTIVO = {m: ETIQUETAS[m] for m in MotivoContenido}


class ErrorVerificacion(Exception):
    """A takedown breaks a rule; the message is Spanish for the verifier."""


class YaEnEseEstado(ErrorVerificacion):
    """The target is already disabled (or already visible): nothing to change (a 409)."""


@dataclass(frozen=True, slots=True)
class Deshabilitacion:
    """One disabled field (or the whole profile) and why."""

    objetivo: str
    motivo: MotivoContenido
    observacion: str
    por: str
    en: datetime


@dataclass
class Moderacion:
    """What a verifier has disabled in one published candidacy."""

    candidatura_id: str
    vigentes: dict[str, Deshabilitacion] = field(default_factory=dict)
    historial: list[tuple[str, Deshabilitacion]] = field(default_factory=list)
    version: int = 0

    @property
    def perfil_deshabilitado(self) -> bool:
        """The whole profile is hidden."""
        return PERFIL in self.vigentes

    def campos(self) -> tuple[CampoCurricular, ...]:
        """Disabled fields, in the questionnaire's order."""
        return tuple(c for c in CampoCurricular if c.value in self.vigentes)

    def deshabilitar(
        self,
        *,
        objetivo: str,
        motivo: str,
        observacion: str,
        por: str,
        ahora: datetime,
    ) -> Deshabilitacion:
        """Disable a field or the profile; a reason code and a note are required."""
        _exigir_objetivo(objetivo)
        codigo = _motivo(motivo)
        nota = " ".join(observacion.split())
        if not 10 <= len(nota) <= LIMITE_OBSERVACION:
            raise ErrorVerificacion(
                f"Escriba una observación de 10 a {LIMITE_OBSERVACION} caracteres: la leerá la "
                "persona supervisora o la candidatura independiente en su aviso."
            )
        if objetivo in self.vigentes:
            raise YaEnEseEstado(f"«{_nombre(objetivo)}» ya está deshabilitado.")
        hecha = Deshabilitacion(objetivo, codigo, nota, por, ahora)
        self.vigentes[objetivo] = hecha
        self.historial.append(("deshabilitado", hecha))
        return hecha

    def habilitar(self, *, objetivo: str, por: str, ahora: datetime) -> Deshabilitacion:
        """Show a disabled field or profile again."""
        _exigir_objetivo(objetivo)
        previa = self.vigentes.pop(objetivo, None)
        if previa is None:
            raise YaEnEseEstado(f"«{_nombre(objetivo)}» no está deshabilitado.")
        self.historial.append(
            ("habilitado", Deshabilitacion(objetivo, previa.motivo, "", por, ahora))
        )
        return previa


def _exigir_objetivo(objetivo: str) -> None:
    """A curricular field or the whole profile."""
    if objetivo != PERFIL and objetivo not in {c.value for c in CampoCurricular}:
        raise ErrorVerificacion(
            f"«{objetivo}» no es un campo del cuestionario curricular ni el perfil completo."
        )


def _motivo(motivo: str) -> MotivoContenido:
    """One of the seven reason codes of DOMINIO §5."""
    try:
        return MotivoContenido(motivo)
    except ValueError:
        raise ErrorVerificacion(
            "Elija el motivo de la lista (los siete supuestos del artículo 18 de los Lineamientos)."
        ) from None


def _nombre(objetivo: str) -> str:
    """How a target reads in messages."""
    return "El perfil completo" if objetivo == PERFIL else objetivo
