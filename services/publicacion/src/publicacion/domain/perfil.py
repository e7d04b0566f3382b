"""A candidacy's public profile: what publicacion learned from the events and what it shows.

Three producers feed one profile, each with its own aggregate version: captura's registry,
validacion's published content (validated and publishable, or republished by a change request)
and validacion's takedowns. Each part is applied only when newer than the part held, so any
redelivery or interleaving of the three streams ends in the same profile.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

REGISTRO = "registro"
CONTENIDO = "contenido"
MODERACION = "moderacion"
PERFIL_COMPLETO = "*"

# Registry fields the public may see; CURP, birth date and registry folio never are.
CAMPOS_REGISTRO = (
    "eleccion",
    "nombre",
    "sobrenombre",
    "cargo",
    "principio",
    "distrito",
    "municipio",
    "nombre_municipio",
    "posicion",
    "tipo_candidatura",
    "postulante",
    "partido",
    "partidos",
    "nombre_postulante",
    "clave_postulante",
    "sexo",
    "edad",
    "accion_afirmativa",
)


class EstadoPerfil(StrEnum):
    """Where a profile stands for the public."""

    SIN_PUBLICAR = "sin_publicar"
    PUBLICADO = "publicado"
    DESHABILITADO = "deshabilitado"
    RETIRADO = "retirado"


@dataclass(frozen=True, slots=True)
class CambioPublicado:
    """One applied change request as the public change log shows it."""

    solicitud_id: str
    fecha: str
    campos: tuple[tuple[str, str | None, str | None], ...]


@dataclass
class Perfil:
    """Everything publicacion holds about one candidacy, public or not yet."""

    candidatura_id: str
    versiones: dict[str, int] = field(default_factory=dict)
    registro: dict[str, Any] | None = None
    vigente: bool = True
    baja: str | None = None
    curricular: dict[str, Any] | None = None
    identidad: dict[str, Any] | None = None
    deshabilitados: dict[str, str] = field(default_factory=dict)
    cambios: list[CambioPublicado] = field(default_factory=list)
    publicado_en: str | None = None
    actualizado_en: str | None = None

    def conocer_registro(self, *, datos: Mapping[str, Any], version: int) -> bool:
        """The registry data as registered or corrected (public fields only)."""
        if not self._nueva(REGISTRO, version):
            return False
        self.registro = {c: _plano(datos.get(c)) for c in CAMPOS_REGISTRO}
        return True

    def dar_de_baja(self, *, motivo: str, version: int) -> bool:
        """Substituted or cancelled in the registry: no longer public anywhere."""
        if not self._nueva(REGISTRO, version):
            return False
        self.vigente, self.baja = False, motivo
        return True

    def hacer_publicable(
        self,
        *,
        curricular: Mapping[str, Any],
        identidad: Mapping[str, Any] | None,
        version: int,
        momento: str,
    ) -> bool:
        """Validated content whose time has come (or republished after a change request)."""
        if not self._nueva(CONTENIDO, version):
            return False
        self.curricular = dict(curricular)
        self.identidad = None if identidad is None else dict(identidad)
        self.publicado_en = self.publicado_en or momento
        self.actualizado_en = momento
        return True

    def deshabilitar(self, *, campos: Iterable[str], motivo: str, version: int) -> bool:
        """A verifier's takedown of some fields, or of the whole profile when none are named."""
        if not self._nueva(MODERACION, version):
            return False
        for campo in tuple(campos) or (PERFIL_COMPLETO,):
            self.deshabilitados[campo] = motivo
        return True

    def habilitar(self, *, campos: Iterable[str], version: int) -> bool:
        """Disabled content shown again (the whole profile when no field is named)."""
        if not self._nueva(MODERACION, version):
            return False
        for campo in tuple(campos) or (PERFIL_COMPLETO,):
            self.deshabilitados.pop(campo, None)
        return True

    def anotar_cambio(self, *, cambio: CambioPublicado) -> bool:
        """Keep an applied change request in the change log, once."""
        if any(c.solicitud_id == cambio.solicitud_id for c in self.cambios):
            return False
        self.cambios.append(cambio)
        self.cambios.sort(key=lambda c: c.fecha)
        return True

    @property
    def estado(self) -> EstadoPerfil:
        """Public, disabled by a verifier, withdrawn from the registry, or not yet public."""
        if not self.vigente:
            return EstadoPerfil.RETIRADO
        if self.registro is None or self.curricular is None:
            return EstadoPerfil.SIN_PUBLICAR
        if PERFIL_COMPLETO in self.deshabilitados:
            return EstadoPerfil.DESHABILITADO
        return EstadoPerfil.PUBLICADO

    def _nueva(self, origen: str, version: int) -> bool:
        """Whether this producer's version is newer than the one held; record it if so."""
        if version <= self.versiones.get(origen, 0):
            return False
        self.versiones[origen] = version
        return True


def _plano(valor: Any) -> Any:
    """Enum members as their wire value, tuples as lists (a JSON-ready registry)."""
    if isinstance(valor, tuple | list):
        return [_plano(v) for v in valor]
    return getattr(valor, "value", valor)
