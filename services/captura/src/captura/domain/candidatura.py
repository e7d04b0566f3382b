"""The candidacy aggregate and its registry data: plain Python, no frameworks."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from captura.domain.cuestionarios import (
    Autorizaciones,
    Consentimiento,
    ConsentimientoCargadoHecho,
    CuestionarioEnviadoHecho,
    CuestionarioGuardadoHecho,
    Cuestionarios,
    Edicion,
    Fotografia,
    PlazoIniciadoHecho,
    PlazoProrrogadoHecho,
    campos_cambiados,
)
from captura.domain.errores import CapturaCerrada, ConflictoEdicion, ErrorDominio
from captura.domain.plazo import AlVencer, abrir_plazo
from comun.eventos.vocabulario import (
    AccionAfirmativa,
    CampoCurricular,
    Cargo,
    Cuestionario,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)


class EstadoCandidatura(StrEnum):
    """Lifecycle states of DOMINIO §2."""

    REGISTRADA = "registrada"
    EN_CAPTURA = "en_captura"
    ENVIADA = "enviada"
    VALIDADA = "validada"
    PUBLICADA = "publicada"
    SUSTITUIDA = "sustituida"
    CANCELADA = "cancelada"


BAJAS = (EstadoCandidatura.SUSTITUIDA, EstadoCandidatura.CANCELADA)


@dataclass(frozen=True, slots=True)
class Registro:
    """Read-only data that comes from the registration system (DOMINIO §3)."""

    eleccion: str
    nombres: str
    cargo: Cargo
    principio: Principio
    tipo_candidatura: TipoCandidatura
    postulante: Postulante
    sexo: Sexo
    fecha_nacimiento: date
    primer_apellido: str = ""
    segundo_apellido: str = ""
    sobrenombre: str | None = None
    curp: str | None = None
    clave_postulante: str | None = None
    partido: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    posicion: int | None = None
    accion_afirmativa: AccionAfirmativa | None = None

    @property
    def nombre(self) -> str:
        """Full name as shown to people."""
        partes = (self.nombres, self.primer_apellido, self.segundo_apellido)
        return " ".join(p for p in partes if p)

    @property
    def formula(self) -> tuple[str | None, Cargo, Principio, str, int]:
        """Who runs where in which place: propietaria and suplente share it."""
        territorio = str(self.distrito or self.municipio or "")
        return (self.clave_postulante, self.cargo, self.principio, territorio, self.posicion or 1)

    @classmethod
    def desde_dict(cls, d: Mapping[str, Any]) -> "Registro":
        """Build from plain values (wire codes, ISO dates), as files and documents hold them."""
        afirmativa = d.get("accion_afirmativa")
        conocidos = {f.name for f in fields(cls)}
        valores = {k: v for k, v in d.items() if k in conocidos}
        if "nombres" not in valores:
            valores["nombres"] = d["nombre"]
        return cls(
            **{
                **valores,
                "cargo": Cargo(d["cargo"]),
                "principio": Principio(d["principio"]),
                "tipo_candidatura": TipoCandidatura(d["tipo_candidatura"]),
                "postulante": Postulante(d["postulante"]),
                "sexo": Sexo(d["sexo"]),
                "fecha_nacimiento": date.fromisoformat(str(d["fecha_nacimiento"])),
                "accion_afirmativa": AccionAfirmativa(afirmativa) if afirmativa else None,
            }
        )

    def como_dict(self) -> dict[str, Any]:
        """Plain values (wire codes, ISO dates), the inverse of `desde_dict`."""
        datos = asdict(self)
        datos["fecha_nacimiento"] = self.fecha_nacimiento.isoformat()
        return {k: getattr(v, "value", v) for k, v in datos.items()}

    def diferencias(self, otro: "Registro") -> list[str]:
        """Names of the fields that differ from another registry record."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(otro, f.name)]


@dataclass(frozen=True, slots=True)
class CandidaturaRegistradaHecho:
    """Fact: a candidacy entered the registry."""

    candidatura_id: str


@dataclass(frozen=True, slots=True)
class CandidaturaActualizadaHecho:
    """Fact: the registry corrected a candidacy's data."""

    candidatura_id: str
    campos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CandidaturaSustituidaHecho:
    """Fact: another candidacy replaced this one (PTO 21)."""

    candidatura_id: str
    sustituta_id: str


@dataclass(frozen=True, slots=True)
class CandidaturaCanceladaHecho:
    """Fact: the registry cancelled the candidacy without a substitute."""

    candidatura_id: str


Hecho = (
    CandidaturaRegistradaHecho
    | CandidaturaActualizadaHecho
    | CandidaturaSustituidaHecho
    | CandidaturaCanceladaHecho
    | CuestionarioGuardadoHecho
    | CuestionarioEnviadoHecho
    | ConsentimientoCargadoHecho
    | PlazoIniciadoHecho
    | PlazoProrrogadoHecho
)
EDITABLES = (EstadoCandidatura.REGISTRADA, EstadoCandidatura.EN_CAPTURA)


@dataclass(frozen=True, slots=True)
class Captura:
    """Who is editing, when, and what the election says about late capture."""

    por: str
    ahora: datetime
    al_vencer: AlVencer = AlVencer.BLOQUEAR
    supervisor: bool = False
    carga_masiva: bool = False


@dataclass
class Candidatura:
    """A candidacy and the questionnaires its capturers fill in."""

    id: str
    registro: Registro
    estado: EstadoCandidatura = EstadoCandidatura.REGISTRADA
    version: int = 0
    sustituye_a: str | None = None
    sustituta_id: str | None = None
    cuestionarios: Cuestionarios = field(default_factory=Cuestionarios)
    hechos: list[Hecho] = field(default_factory=list)

    @classmethod
    def registrar(
        cls, *, id: str, registro: Registro, sustituye_a: str | None = None
    ) -> "Candidatura":
        """Create a candidacy from the registry, checking its geographic scope."""
        _validar_ambito(registro)
        candidatura = cls(id=id.strip(), registro=registro, version=1, sustituye_a=sustituye_a)
        if not candidatura.id:
            raise ErrorDominio("La candidatura necesita un identificador.")
        candidatura.hechos.append(CandidaturaRegistradaHecho(candidatura.id))
        return candidatura

    @property
    def vigente(self) -> bool:
        """Neither substituted nor cancelled."""
        return self.estado not in BAJAS

    def actualizar(self, registro: Registro) -> list[str]:
        """Take the registry's corrected data; returns the fields that changed."""
        self._exigir_vigente("corregirse")
        _validar_ambito(registro)
        campos = self.registro.diferencias(registro)
        if campos:
            self.registro = registro
            self._avanzar(CandidaturaActualizadaHecho(self.id, tuple(campos)))
        return campos

    def sustituir(self, *, por: str) -> None:
        """Mark as substituted by another candidacy of the registry."""
        self._exigir_vigente("sustituirse")
        self.estado = EstadoCandidatura.SUSTITUIDA
        self.sustituta_id = por
        self._avanzar(CandidaturaSustituidaHecho(self.id, por))

    def cancelar(self) -> None:
        """Mark as cancelled by the registry."""
        self._exigir_vigente("cancelarse")
        self.estado = EstadoCandidatura.CANCELADA
        self._avanzar(CandidaturaCanceladaHecho(self.id))

    def guardar_curricular(
        self, respuestas: dict[str, Any], *, revision: int, captura: Captura
    ) -> tuple[CampoCurricular, ...]:
        """Replace the curricular draft; returns the public fields that changed."""
        c = self._preparar_edicion(Cuestionario.CURRICULAR, revision, captura)
        campos = campos_cambiados(c.curricular, respuestas)
        c.curricular = dict(respuestas)
        c.revision_curricular += 1
        self._guardado(Cuestionario.CURRICULAR, captura, campos)
        return campos

    def guardar_identidad(
        self, cifrada: str, *, avance: int, revision: int, captura: Captura
    ) -> None:
        """Replace the identity draft with its new envelope."""
        c = self._preparar_edicion(Cuestionario.IDENTIDAD, revision, captura)
        c.identidad_cifrada, c.identidad_avance = cifrada, avance
        c.revision_identidad += 1
        self._guardado(Cuestionario.IDENTIDAD, captura, ())

    def cargar_fotografia(self, fotografia: Fotografia, *, captura: Captura) -> None:
        """Set the re-encoded photograph (a curricular field, outside the text draft)."""
        self._exigir_editable(captura)
        self.cuestionarios.fotografia = fotografia
        self._guardado(Cuestionario.CURRICULAR, captura, (CampoCurricular.FOTOGRAFIA,))

    def registrar_consentimiento(
        self,
        *,
        tratamiento: bool,
        publicacion: bool,
        uso_estadistico: bool,
        documento: tuple[str, str] | None,
        captura: Captura,
        revision: int,
    ) -> None:
        """Record the three authorizations (keeping earlier times) and the signed document."""
        self._exigir_editable(captura)
        actual = self.cuestionarios.revision_consentimiento
        if revision != actual:
            raise ConflictoEdicion(revision_esperada=revision, revision_actual=actual)
        previo = self.cuestionarios.consentimiento
        antes = previo.autorizaciones if previo else Autorizaciones()
        ahora = captura.ahora
        autorizaciones = Autorizaciones(
            tratamiento=(antes.tratamiento or ahora) if tratamiento else None,
            publicacion=(antes.publicacion or ahora) if publicacion else None,
            uso_estadistico=(antes.uso_estadistico or ahora) if uso_estadistico else None,
        )
        if documento is None and previo is not None and previo.documento_id:
            documento = (previo.documento_id, previo.documento_tipo or "")
        if documento is None:
            raise ErrorDominio(
                "Adjunte el formato de consentimiento firmado (PDF, JPEG o PNG); puede "
                "descargarlo ya prellenado desde esta misma página."
            )
        self.cuestionarios.consentimiento = Consentimiento(
            autorizaciones=autorizaciones,
            documento_id=documento[0],
            documento_tipo=documento[1],
            registrado_en=ahora,
            registrado_por=captura.por,
        )
        self.cuestionarios.revision_consentimiento += 1
        self._avanzar(ConsentimientoCargadoHecho(self.id))

    def enviar(self, *, curricular: int, identidad: int, captura: Captura) -> None:
        """Send to validation (one opportunity, PTO 23) the revisions the capturer reviewed."""
        if self.estado is EstadoCandidatura.REGISTRADA:
            raise CapturaCerrada(
                "Todavía no hay nada capturado en esta candidatura; guarde el cuestionario "
                "curricular antes de enviarlo a validación."
            )
        self._exigir_editable(captura)
        c = self.cuestionarios
        for cuestionario, revision in (
            (Cuestionario.CURRICULAR, curricular),
            (Cuestionario.IDENTIDAD, identidad),
        ):
            self._exigir_revision(cuestionario, revision)
        consentimiento = c.consentimiento
        if c.identidad_avance and not (
            consentimiento and consentimiento.autorizaciones.tratamiento
        ):
            raise CapturaCerrada(
                "El cuestionario de identidad tiene respuestas, pero falta la autorización de "
                "tratamiento de datos personales sensibles; regístrela en «Consentimiento» o "
                "deje el cuestionario sin contestar."
            )
        c.enviada_en, c.enviada_por = captura.ahora, captura.por
        self.estado = EstadoCandidatura.ENVIADA
        self._avanzar(CuestionarioEnviadoHecho(self.id))

    def marcar_validada(self) -> bool:
        """Validated by validacion: nobody edits any more; False if nothing changed."""
        if self.estado is not EstadoCandidatura.ENVIADA:
            return False
        self.estado = EstadoCandidatura.VALIDADA
        # No event of its own: validacion's `candidatura_validada` already tells everyone.
        self.version += 1
        return True

    def marcar_publicada(self) -> bool:
        """Published (validated and the start date arrived); False if nothing changed."""
        if self.estado is not EstadoCandidatura.VALIDADA:
            return False
        self.estado = EstadoCandidatura.PUBLICADA
        # No event of its own: validacion's `candidatura_publicable` already tells everyone.
        self.version += 1
        return True

    def iniciar_plazo(self, *, entregadas_en: datetime, dias: int, zona: str) -> bool:
        """Open the capture window at the first credential delivery; False if already open."""
        if self.cuestionarios.plazo is not None or not self.vigente:
            return False
        self.cuestionarios.plazo = abrir_plazo(entregadas_en=entregadas_en, dias=dias, zona=zona)
        self._avanzar(PlazoIniciadoHecho(self.id))
        return True

    def prorrogar_plazo(self, *, vence: datetime, motivo: str, por: str, ahora: datetime) -> None:
        """Extend the capture window with a logged reason."""
        self._exigir_vigente("prorrogarse")
        plazo = self.cuestionarios.plazo
        if plazo is None:
            raise ErrorDominio(
                "El plazo de esta candidatura aún no corre: empieza cuando se entregan sus "
                "cuentas de acceso."
            )
        if self.estado not in EDITABLES:
            raise CapturaCerrada("La candidatura ya se envió a validación; no necesita prórroga.")
        self.cuestionarios.plazo = plazo.prorrogar(vence=vence, motivo=motivo, por=por, ahora=ahora)
        self._avanzar(PlazoProrrogadoHecho(self.id))

    def _preparar_edicion(
        self, cuestionario: Cuestionario, revision: int, captura: Captura
    ) -> Cuestionarios:
        """Check the state, the deadline and the revision before a draft save."""
        self._exigir_editable(captura)
        self._exigir_revision(cuestionario, revision)
        return self.cuestionarios

    def _exigir_revision(self, cuestionario: Cuestionario, revision: int) -> None:
        """The caller must have started from the draft in force."""
        actual = self.cuestionarios.revision(cuestionario)
        if revision != actual:
            raise ConflictoEdicion(revision_esperada=revision, revision_actual=actual)

    def motivo_no_editable(self, captura: Captura) -> str | None:
        """Why this user cannot edit now (Spanish), or None when they can."""
        if not self.vigente:
            return f"La candidatura «{self.id}» está {self.estado.value} y ya no puede editarse."
        if self.estado is EstadoCandidatura.ENVIADA and not captura.supervisor:
            return (
                "La candidatura ya se envió a validación; solo la persona supervisora del "
                "partido puede corregirla antes de validarla."
            )
        if self.estado not in (*EDITABLES, EstadoCandidatura.ENVIADA):
            return (
                f"La candidatura está {self.estado.value}; la captura ya cerró. Los cambios "
                "posteriores se piden con una solicitud de cambio."
            )
        plazo = self.cuestionarios.plazo
        vencido = plazo is not None and plazo.vencido(captura.ahora)
        if plazo is None or not vencido or captura.supervisor:
            return None
        if captura.al_vencer is AlVencer.BLOQUEAR:
            return (
                "El plazo de captura de esta candidatura venció el "
                f"{plazo.vence:%d/%m/%Y a las %H:%M} (hora del centro). Pida a la Unidad de "
                "Transparencia una prórroga."
            )
        return None

    def exigir_editable(self, captura: Captura) -> None:
        """Refuse with the reason when this user cannot edit now."""
        motivo = self.motivo_no_editable(captura)
        if motivo is not None:
            raise CapturaCerrada(motivo)

    def _exigir_editable(self, captura: Captura) -> None:
        """Capturers edit until they send; the supervisor until validation; deadlines apply."""
        self.exigir_editable(captura)
        plazo = self.cuestionarios.plazo
        if plazo is not None and plazo.vencido(captura.ahora) and not captura.supervisor:
            # Allowed by the election's configuration, and remembered as late capture.
            self.cuestionarios.fuera_de_plazo = True

    def _guardado(
        self, cuestionario: Cuestionario, captura: Captura, campos: tuple[CampoCurricular, ...]
    ) -> None:
        """Record a draft save: state, last editor, fact."""
        if self.estado is EstadoCandidatura.REGISTRADA:
            self.estado = EstadoCandidatura.EN_CAPTURA
        edicion = Edicion(por=captura.por, en=captura.ahora, carga_masiva=captura.carga_masiva)
        self.cuestionarios.ediciones[cuestionario] = edicion
        hecho = CuestionarioGuardadoHecho(self.id, cuestionario, campos, captura.carga_masiva)
        self._avanzar(hecho)

    def edad(self, *, fecha_jornada: date) -> int:
        """Age on election day, from the registry's birth date."""
        return edad_al(self.registro.fecha_nacimiento, fecha_jornada)

    def _exigir_vigente(self, accion: str) -> None:
        """Substituted and cancelled candidacies are closed."""
        if not self.vigente:
            raise ErrorDominio(
                f"La candidatura «{self.id}» está {self.estado.value} y ya no puede {accion}."
            )

    def _avanzar(self, hecho: Hecho) -> None:
        """Record a fact and bump the version."""
        self.version += 1
        self.hechos.append(hecho)


def _validar_ambito(registro: Registro) -> None:
    """A deputation by MR names a district; a municipal office names a municipality."""
    if registro.cargo is Cargo.DIPUTACION_LOCAL and registro.principio is Principio.MR:
        if registro.distrito is None:
            raise ErrorDominio("Una diputación de mayoría relativa debe indicar su distrito.")
    elif registro.cargo is not Cargo.DIPUTACION_LOCAL and not registro.municipio:
        raise ErrorDominio("Una candidatura de ayuntamiento debe indicar su municipio.")
    if registro.postulante is not Postulante.INDEPENDIENTE and not registro.partido:
        raise ErrorDominio("Una candidatura de partido debe indicar el partido que la captura.")


def edad_al(nacimiento: date, dia: date) -> int:
    """Completed years between two dates."""
    cumplidos = (dia.month, dia.day) >= (nacimiento.month, nacimiento.day)
    return dia.year - nacimiento.year - (0 if cumplidos else 1)
