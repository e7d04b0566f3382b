"""Use cases of questionnaire capture: drafts, identity, consent, photograph, sending."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from captura.adapters import CandidaturaRepository, ConflictoVersion
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.domain.candidatura import Captura
from captura.domain.curricular import (
    ConfiguracionCurricular,
    porcentaje_completo,
    validar_curricular,
)
from captura.domain.identidad import avance_visible, respuestas_vacias, validar_identidad
from captura.handlers.eventos import eventos_de
from comun.auth.alcance import en_alcance
from comun.auth.usuario import Usuario, actor_de
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado
from comun.eventos import SISTEMA, Actor
from comun.roles import Rol

INTENTOS = 3


class RespuestasInvalidas(ErrorDominio):
    """Some answers break the questionnaire's rules; nothing was saved."""

    def __init__(self, errores: Mapping[str, str]) -> None:
        cuantos = len(errores)
        plural = "respuesta tiene" if cuantos == 1 else "respuestas tienen"
        super().__init__(f"{cuantos} {plural} un problema; no se guardó nada. Corrija y guarde.")
        self.errores = dict(errores)


@lru_cache(maxsize=4)
def cifrador_de(secreto: str) -> Cifrador:
    """One envelope cipher per configured secret (derivation is done once)."""
    return Cifrador(secreto)


def configuracion(eleccion: Eleccion) -> ConfiguracionCurricular:
    """The election's limits and catalogs of the cuestionario curricular."""
    return ConfiguracionCurricular.desde_dict(eleccion.cuestionario)


async def candidatura_en_alcance(
    *, repo: CandidaturaRepository, candidatura_id: str, usuario: Usuario
) -> Candidatura:
    """A candidacy the user may see; 404 when missing or out of scope (same answer)."""
    candidatura = await repo.obtener(candidatura_id)
    if candidatura is None or not en_alcance(
        usuario, partido=candidatura.registro.partido, candidatura_id=candidatura_id
    ):
        raise NoEncontrado("No existe la candidatura o no está a su cargo.")
    return candidatura


def captura_de(usuario: Usuario, eleccion: Eleccion, *, carga_masiva: bool = False) -> Captura:
    """The editing context of a user now."""
    return Captura(
        por=usuario.nombre_usuario,
        ahora=datetime.now(UTC),
        al_vencer=eleccion.plazos.al_vencer,
        supervisor=usuario.tiene_rol(Rol.SUPERVISOR),
        carga_masiva=carga_masiva,
    )


async def editar(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    usuario: Usuario | None,
    candidatura_id: str,
    cambio: Callable[[Candidatura], bool],
    actor: Actor | None = None,
) -> Candidatura:
    """Load, change and save with its events, retrying when another write got in between."""
    quien = actor or actor_de(_con_usuario(usuario))
    for intento in range(INTENTOS):
        if usuario is None:
            candidatura = await repo.obtener(candidatura_id)
            if candidatura is None:
                raise NoEncontrado("No existe la candidatura.")
        else:
            candidatura = await candidatura_en_alcance(
                repo=repo, candidatura_id=candidatura_id, usuario=usuario
            )
        if not cambio(candidatura):
            return candidatura
        eventos = eventos_de(candidatura, eleccion, quien)
        try:
            await repo.guardar(candidatura, eventos)
        except ConflictoVersion:
            if intento == INTENTOS - 1:
                raise
            continue
        return candidatura
    raise AssertionError("unreachable")


def _con_usuario(usuario: Usuario | None) -> Usuario:
    """System edits name their actor explicitly."""
    if usuario is None:
        raise ValueError("An edit without a user needs an explicit actor.")
    return usuario


async def guardar_curricular(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    usuario: Usuario,
    candidatura_id: str,
    respuestas: Mapping[str, Any],
    revision: int,
    carga_masiva: bool = False,
) -> Candidatura:
    """Validate and save the whole curricular draft; an unchanged draft writes nothing."""
    limpias, errores = validar_curricular(respuestas, config=configuracion(eleccion))
    if errores:
        raise RespuestasInvalidas(errores)
    captura = captura_de(usuario, eleccion, carga_masiva=carga_masiva)

    def cambio(c: Candidatura) -> bool:
        c.exigir_editable(captura)
        if (
            c.cuestionarios.curricular == limpias
            and revision == c.cuestionarios.revision_curricular
        ):
            return False
        c.guardar_curricular(limpias, revision=revision, captura=captura)
        return True

    return await editar(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id, cambio=cambio
    )


def leer_identidad(candidatura: Candidatura, *, cifrador: Cifrador) -> dict[str, Any]:
    """The identity answers in clear, for the candidacy's own capture team only."""
    sobre = candidatura.cuestionarios.identidad_cifrada
    if sobre is None:
        return respuestas_vacias()
    datos: dict[str, Any] = json.loads(cifrador.abrir(sobre, contexto=candidatura.id))
    return datos


async def guardar_identidad(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
    usuario: Usuario,
    candidatura_id: str,
    respuestas: Mapping[str, Any],
    revision: int,
    carga_masiva: bool = False,
) -> Candidatura:
    """Validate, encrypt and save the identity draft; an unchanged draft writes nothing."""
    limpias, errores = validar_identidad(respuestas)
    if errores:
        raise RespuestasInvalidas(errores)
    captura = captura_de(usuario, eleccion, carga_masiva=carga_masiva)
    claro = json.dumps(limpias, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def cambio(c: Candidatura) -> bool:
        c.exigir_editable(captura)
        previas = c.cuestionarios.identidad_cifrada
        sin_cambios = previas is not None and leer_identidad(c, cifrador=cifrador) == limpias
        if sin_cambios and revision == c.cuestionarios.revision_identidad:
            return False
        sobre = cifrador.sellar(claro, contexto=c.id, anterior=previas)
        avance = avance_visible(limpias)
        c.guardar_identidad(sobre, avance=avance, revision=revision, captura=captura)
        return True

    return await editar(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id, cambio=cambio
    )


async def enviar_a_validacion(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    usuario: Usuario,
    candidatura_id: str,
    revision_curricular: int,
    revision_identidad: int,
) -> Candidatura:
    """Send the reviewed revisions to validation: the capturers' one opportunity (PTO 23)."""
    captura = captura_de(usuario, eleccion)

    def cambio(c: Candidatura) -> bool:
        c.enviar(curricular=revision_curricular, identidad=revision_identidad, captura=captura)
        return True

    return await editar(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id, cambio=cambio
    )


async def marcar_validada(
    *, repo: CandidaturaRepository, eleccion: Eleccion, candidatura_id: str
) -> bool:
    """validacion validated the candidacy: its capture closes for everyone (idempotent)."""
    return await _marcar(repo, eleccion, candidatura_id, Candidatura.marcar_validada)


async def marcar_publicada(
    *, repo: CandidaturaRepository, eleccion: Eleccion, candidatura_id: str
) -> bool:
    """validacion made the candidacy publishable: its photograph becomes public (idempotent)."""
    return await _marcar(repo, eleccion, candidatura_id, Candidatura.marcar_publicada)


async def _marcar(
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    candidatura_id: str,
    transicion: Callable[[Candidatura], bool],
) -> bool:
    """Apply a state change decided by another service, as the system."""
    if await repo.obtener(candidatura_id) is None:
        return False
    cerrada = False

    def cambio(c: Candidatura) -> bool:
        nonlocal cerrada
        cerrada = transicion(c)
        return cerrada

    await editar(
        repo=repo,
        eleccion=eleccion,
        usuario=None,
        candidatura_id=candidatura_id,
        cambio=cambio,
        actor=SISTEMA,
    )
    return cerrada


@dataclass(frozen=True, slots=True)
class Avance:
    """How far a candidacy's capture is, for lists and dashboards."""

    curricular: int
    identidad: int
    consentimiento: bool
    fotografia: bool

    @property
    def total(self) -> int:
        """One figure: the two questionnaires weigh most, consent and photo the rest."""
        extras = (10 if self.consentimiento else 0) + (10 if self.fotografia else 0)
        return round(self.curricular * 0.5 + self.identidad * 0.3) + extras


def avance_de(candidatura: Candidatura) -> Avance:
    """The capture progress of a candidacy (identity counted without decrypting)."""
    c = candidatura.cuestionarios
    return Avance(
        curricular=porcentaje_completo(c.curricular),
        identidad=c.identidad_avance,
        consentimiento=c.consentimiento is not None,
        fotografia=c.fotografia is not None,
    )


async def guardar_precarga(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    cifrador: Cifrador,
    usuario: Usuario,
    candidatura: Candidatura,
    curricular: dict[str, Any] | None,
    identidad: dict[str, Any] | None,
) -> Candidatura:
    """Save a pre-load row's validated drafts in one write: both questionnaires or neither."""
    captura = captura_de(usuario, eleccion, carga_masiva=True)
    q = candidatura.cuestionarios
    revisiones = (q.revision_curricular, q.revision_identidad)
    claro = None
    if identidad is not None:
        claro = json.dumps(identidad, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def cambio(c: Candidatura) -> bool:
        if curricular is not None:
            c.guardar_curricular(curricular, revision=revisiones[0], captura=captura)
        if identidad is not None and claro is not None:
            previas = c.cuestionarios.identidad_cifrada
            sobre = cifrador.sellar(claro, contexto=c.id, anterior=previas)
            avance = avance_visible(identidad)
            c.guardar_identidad(sobre, avance=avance, revision=revisiones[1], captura=captura)
        return True

    cambio(candidatura)
    actor = actor_de(usuario)
    eventos = eventos_de(candidatura, eleccion, actor)
    try:
        await repo.guardar(candidatura, eventos)
    except ConflictoVersion:
        # Another write got in between: start again from what is stored now.
        return await editar(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura.id,
            cambio=cambio,
        )  # fmt: skip
    return candidatura
