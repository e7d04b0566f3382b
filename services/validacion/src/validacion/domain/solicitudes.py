"""Post-publication change requests (PTO 31–32): one per candidacy, applied by a due date."""

import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from comun.eventos.vocabulario import CampoCurricular
from validacion.domain import etiqueta_campo
from validacion.domain.calendario import Calendario
from validacion.domain.revisiones.formatos import es_correo, es_pagina_web, telefono_nacional
from validacion.domain.verificacion import PERFIL

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
    # As in capture: the longest address RFC 5321 delivers to.
    CampoCurricular.CORREO_PUBLICO: 254,
}
LIMITE_CORTO = 300
# Contact data is one line, as capture asks for it.
UNA_LINEA = frozenset(
    {
        CampoCurricular.TELEFONO_PUBLICO,
        CampoCurricular.CORREO_PUBLICO,
        CampoCurricular.PAGINA_WEB,
        CampoCurricular.DOMICILIO_CASA_CAMPANA,
    }
)
EJEMPLO_TELEFONO = "722 123 4567"
SEPARADORES_TELEFONO = frozenset(" -.()+")
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
    """Each named field exists, appears once and gets a clean new text; every bad text is told."""
    if not cambios:
        raise ErrorSolicitud("Indique al menos un campo y su nuevo texto.")
    validos = {c.value: c for c in CAMPOS_CON_TEXTO}
    vistos: set[str] = set()
    limpios = []
    errores: list[str] = []
    for campo, texto in cambios:
        if campo not in validos:
            raise ErrorSolicitud(
                f"El campo «{campo}» no existe o no se cambia por solicitud; elija uno de: "
                f"{', '.join(validos)}."
            )
        if campo in vistos:
            raise ErrorSolicitud(f"El campo «{campo}» aparece dos veces; déjelo una sola vez.")
        vistos.add(campo)
        try:
            limpios.append(Cambio(validos[campo], _texto(validos[campo], texto)))
        except ErrorSolicitud as exc:
            errores.append(str(exc))
    if errores:
        raise ErrorSolicitud(" ".join(errores))
    return tuple(limpios)


def _texto(campo: CampoCurricular, texto: str) -> str:
    """The new text: normalised, without control characters, within limits, in its format."""
    nombre = etiqueta_campo(campo)
    limpio = unicodedata.normalize("NFC", texto.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not limpio:
        raise ErrorSolicitud(f"Escriba el nuevo texto de «{nombre}».")
    control = next(
        (i for i, c in enumerate(limpio) if unicodedata.category(c) == "Cc" and c not in "\n\t"),
        None,
    )
    if control is not None:
        raise ErrorSolicitud(
            f"El nuevo texto de «{nombre}» tiene caracteres de control invisibles "
            f"(U+{ord(limpio[control]):04X} en la posición {control + 1:,}); bórrelos o vuelva a "
            "escribir el texto sin copiarlo."
        )
    limite = LIMITES.get(campo, LIMITE_CORTO)
    if len(limpio) > limite:
        raise ErrorSolicitud(
            f"El nuevo texto de «{nombre}» tiene {len(limpio):,} caracteres; el máximo es "
            f"{limite:,}."
        )
    if campo in UNA_LINEA and "\n" in limpio:
        raise ErrorSolicitud(
            f"El nuevo texto de «{nombre}» debe ocupar una sola línea; quite los saltos de línea."
        )
    formato = _FORMATOS.get(campo)
    return limpio if formato is None else formato(limpio)


def _telefono(texto: str) -> str:
    """A Mexican phone number, kept as its 10 digits as capture keeps it."""
    digitos = telefono_nacional(texto)
    if digitos is not None:
        return digitos
    citado, ejemplo = _cita(texto), f"por ejemplo {EJEMPLO_TELEFONO}"
    if any(c.isalpha() for c in texto):
        raise ErrorSolicitud(
            f"El teléfono público {citado} tiene letras; escriba solo los 10 dígitos, {ejemplo}."
        )
    simbolo = next((c for c in texto if not (c.isdigit() or c in SEPARADORES_TELEFONO)), None)
    if simbolo is not None:
        raise ErrorSolicitud(
            f"El teléfono público tiene el símbolo «{simbolo}»; use solo números, espacios, "
            f"guiones, puntos, paréntesis y, al inicio, +52; {ejemplo}."
        )
    solo_digitos = "".join(c for c in texto if c.isdigit())
    if len(solo_digitos) != 10:
        raise ErrorSolicitud(
            f"El teléfono público debe tener 10 dígitos; {citado} tiene {len(solo_digitos)}. "
            f"Escríbalo con su lada, {ejemplo}."
        )
    if solo_digitos[0] in "01":
        raise ErrorSolicitud(
            f"El teléfono público {citado} no es un número de México: ninguno empieza con 0 o 1. "
            f"Escríbalo con su lada, {ejemplo}."
        )
    raise ErrorSolicitud(
        f"El teléfono público {citado} no es un número de México; escriba los 10 dígitos con "
        f"su lada, {ejemplo}."
    )


def _correo(texto: str) -> str:
    """An e-mail address."""
    if not es_correo(texto):
        raise ErrorSolicitud(
            f"El correo electrónico público {_cita(texto)} no es una dirección válida; "
            "escríbalo como nombre@dominio.mx, sin espacios."
        )
    return texto


def _pagina_web(texto: str) -> str:
    """An http(s) web address."""
    if not es_pagina_web(texto):
        raise ErrorSolicitud(
            f"La página web {_cita(texto)} no es una dirección válida; escríbala completa, "
            "empezando con https:// (por ejemplo https://ejemplo.mx), sin espacios."
        )
    return texto


def _cita(texto: str) -> str:
    """A user's text quoted in a message, cut if long."""
    return f"«{texto}»" if len(texto) <= 60 else f"«{texto[:60]}…»"


_FORMATOS: dict[CampoCurricular, Callable[[str], str]] = {
    CampoCurricular.TELEFONO_PUBLICO: _telefono,
    CampoCurricular.CORREO_PUBLICO: _correo,
    CampoCurricular.PAGINA_WEB: _pagina_web,
}


@dataclass(frozen=True, slots=True)
class Ocultos:
    """Fields a request names that a verifier has disabled (or the whole profile)."""

    campos: tuple[CampoCurricular, ...] = ()
    perfil: bool = False

    def __bool__(self) -> bool:
        """Whether anything named stays hidden."""
        return bool(self.campos) or self.perfil

    @property
    def advertencia(self) -> str | None:
        """What the requester and the administrator read about it, in Spanish."""
        verificadora = "por la persona verificadora"
        if self.perfil:
            return (
                f"El perfil completo está deshabilitado {verificadora}: la solicitud puede "
                "reemplazar los textos, pero el perfil seguirá oculto al público hasta que la "
                "persona verificadora revise el contenido y lo vuelva a mostrar."
            )
        if not self.campos:
            return None
        nombres = [f"«{etiqueta_campo(c)}»" for c in self.campos]
        if len(nombres) == 1:
            return (
                f"El campo {nombres[0]} está deshabilitado {verificadora}: la solicitud puede "
                "reemplazar su texto, pero el campo seguirá oculto al público hasta que la "
                "persona verificadora revise el nuevo texto y lo vuelva a mostrar."
            )
        lista = f"{', '.join(nombres[:-1])} y {nombres[-1]}"
        return (
            f"Los campos {lista} están deshabilitados {verificadora}: la solicitud puede "
            "reemplazar sus textos, pero seguirán ocultos al público hasta que la persona "
            "verificadora revise los nuevos textos y los vuelva a mostrar."
        )


def seguiran_ocultos(cambios: Iterable[Cambio], *, deshabilitados: Collection[str]) -> Ocultos:
    """The named fields a verifier has disabled, which an applied request does not show again.

    A request may replace a disabled field's text, but the field stays hidden until the
    verifier re-enables it: the new text must be verified first.
    """
    campos = tuple(c.campo for c in cambios)
    if PERFIL in deshabilitados:
        return Ocultos(campos, perfil=True)
    return Ocultos(tuple(c for c in campos if c.value in deshabilitados))
