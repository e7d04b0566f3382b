"""Review and validation of a candidacy's questionnaires: plain Python, no frameworks."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from comun.eventos.vocabulario import CampoCurricular, Postulante
from comun.politicas import identidad_publica


class EstadoRevision(StrEnum):
    """Where a candidacy stands from the reviewer's point of view."""

    EN_ESPERA = "en_espera"
    POR_VALIDAR = "por_validar"
    VALIDADA = "validada"


ETIQUETAS = {
    EstadoRevision.EN_ESPERA: "En espera de captura",
    EstadoRevision.POR_VALIDAR: "Por validar",
    EstadoRevision.VALIDADA: "Validada",
}


ETIQUETAS_CAMPOS = {
    CampoCurricular.TELEFONO_PUBLICO: "Teléfono público",
    CampoCurricular.CORREO_PUBLICO: "Correo electrónico público",
    CampoCurricular.PAGINA_WEB: "Página web",
    CampoCurricular.REDES_SOCIALES: "Redes sociales",
    CampoCurricular.DOMICILIO_CASA_CAMPANA: "Domicilio de casa de campaña",
    CampoCurricular.GRADO_MAXIMO_ESTUDIOS: "Grado máximo de estudios",
    CampoCurricular.ESTATUS_ESTUDIOS: "Estatus",
    CampoCurricular.CURSOS: "Cursos, diplomados, seminarios",
    CampoCurricular.HISTORIA_PROFESIONAL: "Historia profesional y/o laboral",
    CampoCurricular.TRAYECTORIA_POLITICA: "Trayectoria política y/o participación social",
    CampoCurricular.MOTIVO_CARGO_PUBLICO: "¿Por qué quiero ocupar un cargo público?",
    CampoCurricular.PROPUESTA_1: "Propuesta 1",
    CampoCurricular.PROPUESTA_2: "Propuesta 2",
    CampoCurricular.PROPUESTA_GENERO: (
        "Propuesta en materia de género o del grupo en situación de discriminación"
    ),
}


def etiqueta_campo(campo: CampoCurricular) -> str:
    """Spanish label of a curricular field."""
    return ETIQUETAS_CAMPOS.get(campo, campo.value.replace("_", " ").capitalize())


class ErrorValidacion(Exception):
    """A validation the candidacy's state does not allow (Spanish message, a 409)."""


class TodaviaNoEnviada(ErrorValidacion):
    """The capturers have not sent the questionnaires yet."""


class YaValidada(ErrorValidacion):
    """The candidacy was validated before."""


class CandidaturaDeBaja(ErrorValidacion):
    """The candidacy was substituted or cancelled in the registry."""


@dataclass(frozen=True, slots=True)
class CandidaturaValidadaHecho:
    """Fact: the questionnaires were validated (by the supervisor or the independent)."""

    candidatura_id: str


@dataclass(frozen=True, slots=True)
class CandidaturaPublicableHecho:
    """Fact: validated and the publication start date has arrived."""

    candidatura_id: str


Hecho = CandidaturaValidadaHecho | CandidaturaPublicableHecho


@dataclass
class Revision:
    """A candidacy as the reviewer sees it: registry, sent questionnaires, consent, state."""

    candidatura_id: str
    nombre: str
    cargo: str
    partido: str | None
    estado: EstadoRevision = EstadoRevision.EN_ESPERA
    registro: dict[str, Any] = field(default_factory=dict)
    version_captura: int = 0
    curricular: dict[str, Any] | None = None
    identidad_cifrada: str | None = None
    identidad_publica: bool = False
    fuera_de_plazo: bool = False
    consentimiento: dict[str, Any] | None = None
    campos_editados: tuple[str, ...] = ()
    hallazgos: int = 0
    enviada_en: datetime | None = None
    validada_en: datetime | None = None
    validada_por: str | None = None
    publicable: bool = False
    vigente: bool = True
    version: int = 0
    hechos: list[Hecho] = field(default_factory=list)
    _avanzada: bool = field(default=False, repr=False, compare=False)

    @property
    def etiqueta(self) -> str:
        """Spanish label of the state."""
        return ETIQUETAS[self.estado]

    @property
    def independiente(self) -> bool:
        """Registered by an independent candidacy (validates its own, PTO 27)."""
        return self.registro.get("postulante") == Postulante.INDEPENDIENTE.value

    def recibir_registro(self, registro: Mapping[str, Any], *, version: int) -> bool:
        """Take the registry data of a captura version newer than the last one applied."""
        if not self._mas_nueva(version):
            return False
        self.registro = dict(registro)
        self.nombre, self.cargo = str(registro["nombre"]), str(registro["cargo"])
        self.partido = registro.get("partido")
        self._recalcular_publicidad()
        return True

    def recibir_envio(
        self,
        *,
        curricular: Mapping[str, Any],
        identidad_cifrada: str | None,
        fuera_de_plazo: bool,
        hallazgos: int,
        enviada_en: datetime,
        version: int,
    ) -> bool:
        """The capturers sent the questionnaires (PTO 23): now the supervisor reviews them."""
        if not self._mas_nueva(version) or self.estado is EstadoRevision.VALIDADA:
            return False
        self.curricular, self.identidad_cifrada = dict(curricular), identidad_cifrada
        self.fuera_de_plazo, self.hallazgos, self.enviada_en = fuera_de_plazo, hallazgos, enviada_en
        self.estado = EstadoRevision.POR_VALIDAR
        return True

    def recibir_edicion(
        self,
        *,
        curricular: Mapping[str, Any] | None,
        identidad_cifrada: str | None,
        campos: tuple[str, ...],
        hallazgos: int,
        version: int,
    ) -> bool:
        """A supervisor's edit of the sent questionnaires before validating (PTO 26)."""
        if not self._mas_nueva(version):
            return False
        if self.estado is EstadoRevision.POR_VALIDAR:
            if curricular is not None:
                self.curricular, self.hallazgos = dict(curricular), hallazgos
                nuevos = [c for c in campos if c not in self.campos_editados]
                self.campos_editados = (*self.campos_editados, *nuevos)
            if identidad_cifrada is not None:
                self.identidad_cifrada = identidad_cifrada
        return True

    def recibir_consentimiento(self, consentimiento: Mapping[str, Any], *, version: int) -> bool:
        """The consent authorizations and the signed document's type."""
        if not self._mas_nueva(version):
            return False
        self.consentimiento = dict(consentimiento)
        self._recalcular_publicidad()
        return True

    def recibir_version(self, version: int) -> bool:
        """Another captura change that only moves the version (drafts before sending)."""
        return self._mas_nueva(version)

    def dar_de_baja(self, *, version: int) -> bool:
        """Substituted or cancelled in the registry: out of the queue."""
        if not self._mas_nueva(version):
            return False
        self.vigente = False
        return True

    def validar(self, *, por: str, ahora: datetime) -> None:
        """Validate the sent questionnaires; refused before sending and a second time."""
        if not self.vigente:
            raise CandidaturaDeBaja(
                f"La candidatura «{self.candidatura_id}» fue sustituida o cancelada en el "
                "registro; ya no se valida."
            )
        if self.estado is EstadoRevision.EN_ESPERA:
            raise TodaviaNoEnviada(
                "La candidatura todavía no se envía a validación: el partido (o la candidatura) "
                "debe capturar y enviar sus cuestionarios antes de que se puedan validar."
            )
        if self.estado is EstadoRevision.VALIDADA:
            cuando = f" el {self.validada_en:%d/%m/%Y}" if self.validada_en else ""
            raise YaValidada(
                f"La candidatura ya se validó{cuando}; no hace falta validarla otra vez. Los "
                "cambios posteriores se piden con una solicitud de cambio."
            )
        self.estado = EstadoRevision.VALIDADA
        self.validada_en, self.validada_por = ahora, por
        self._avanzar(CandidaturaValidadaHecho(self.candidatura_id))

    def hacer_publicable(self, *, inicio: datetime | None, ahora: datetime) -> bool:
        """Once validated and from the publication start date on, once (PTO 14)."""
        if not self.por_publicar(inicio=inicio, ahora=ahora):
            return False
        self.publicable = True
        self._avanzar(CandidaturaPublicableHecho(self.candidatura_id))
        return True

    def republicar(self, curricular: Mapping[str, Any]) -> None:
        """Published texts replaced by an applied change request: published again, newer."""
        if not (self.publicable and self.vigente):
            raise ErrorValidacion(
                "La candidatura no está publicada; solo se cambian por solicitud los textos ya "
                "publicados."
            )
        self.curricular = dict(curricular)
        self._avanzar(CandidaturaPublicableHecho(self.candidatura_id))

    def por_publicar(self, *, inicio: datetime | None, ahora: datetime) -> bool:
        """Whether the candidacy should become public now and has not yet."""
        fecha_llegada = inicio is not None and inicio <= ahora
        validada = self.estado is EstadoRevision.VALIDADA
        return validada and self.vigente and not self.publicable and fecha_llegada

    def _mas_nueva(self, version: int) -> bool:
        """Apply captura's change only if newer than the last applied (redeliveries do nothing)."""
        if version <= self.version_captura:
            return False
        self.version_captura = version
        self._avanzar(None)
        return True

    def _recalcular_publicidad(self) -> None:
        """The publication rule of DOMINIO §4 on what validacion knows now."""
        autorizaciones = (self.consentimiento or {}).get("autorizaciones") or {}
        publicacion = autorizaciones.get("publicacion")
        self.identidad_publica = identidad_publica(
            autorizacion_publicacion=datetime.fromisoformat(publicacion) if publicacion else None,
            accion_afirmativa=self.registro.get("accion_afirmativa"),
        )

    def _avanzar(self, hecho: Hecho | None) -> None:
        """One version per save, however many changes; record the fact if any."""
        if not self._avanzada:
            self.version += 1
            self._avanzada = True
        if hecho is not None:
            self.hechos.append(hecho)


def pendientes(revisiones: list[Revision]) -> int:
    """How many candidacies wait for the supervisor."""
    return sum(1 for r in revisiones if r.estado is EstadoRevision.POR_VALIDAR)
