"""Use cases of post-publication change requests (PTO 31–32): file, queue, apply, reject."""

import csv
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from comun.auth.alcance import en_alcance, filtro_alcance
from comun.auth.usuario import Usuario, actor_de
from comun.errores import NoEncontrado, Problema, SinPermiso
from comun.eventos import Actor, CambioCampo, Evento, RespuestasCurriculares, nuevo_evento
from comun.eventos.validacion import (
    SolicitudCambioAplicada,
    SolicitudCambioPresentada,
    SolicitudCambioRechazada,
    TextoAnterior,
)
from comun.eventos.vocabulario import CampoCurricular
from comun.store import DuplicateKeyError
from validacion.adapters import ConflictoVersion, RevisionRepository
from validacion.adapters.moderacion import ModeracionRepository
from validacion.adapters.solicitudes import Expediente, SolicitudRepository, id_de_solicitud
from validacion.domain import Revision
from validacion.domain.calendario import Calendario, leer_inhabiles
from validacion.domain.solicitudes import (
    Cambio,
    ErrorSolicitud,
    EstadoSolicitud,
    Ocultos,
    SolicitudCambio,
    presentar,
    seguiran_ocultos,
)
from validacion.handlers import (
    INTENTOS,
    _guardar_con_eventos,
    puede_validar,
    revision_en_alcance,
)

MODULO = "solicitudes"
NO_ENCONTRADA = "No existe la solicitud de cambio o no está a su cargo."
MAX_CURSO = 250


class SolicitudNoAdmitida(Problema):
    """The candidacy's state refuses the request or its resolution (a 409, state unchanged)."""

    def __init__(self, detail: str) -> None:
        super().__init__(409, "Solicitud de cambio no admitida", detail)


@lru_cache(maxsize=4)
def calendario_de(ruta: Path) -> Calendario:
    """The business-day calendar from its CSV, read once per file."""
    with ruta.open(encoding="utf-8", newline="") as archivo:
        return Calendario.con(leer_inhabiles(csv.DictReader(archivo)))


def _ahora() -> datetime:
    return datetime.now(UTC)


def texto_publicado(curricular: Mapping[str, Any] | None, campo: CampoCurricular) -> str | None:
    """A field's published value as the text a request replaces (courses one per line)."""
    valor = (curricular or {}).get(campo.value)
    if valor is None or valor == "" or valor == []:
        return None
    if isinstance(valor, list | tuple):
        return "\n".join(str(v) for v in valor)
    return str(valor)


def con_cambios(curricular: Mapping[str, Any] | None, cambios: Sequence[Cambio]) -> dict[str, Any]:
    """The curricular answers with the new texts; ErrorSolicitud when a text does not fit."""
    nuevo = dict(curricular or {})
    for cambio in cambios:
        if cambio.campo is CampoCurricular.CURSOS:
            cursos = [linea.strip() for linea in cambio.texto.splitlines() if linea.strip()]
            largo = next((c for c in cursos if len(c) > MAX_CURSO), None)
            if largo is not None:
                raise ErrorSolicitud(
                    f"Cada curso admite hasta {MAX_CURSO} caracteres; «{largo[:40]}…» tiene "
                    f"{len(largo)}. Escriba un curso por renglón."
                )
            nuevo[cambio.campo.value] = cursos
        else:
            nuevo[cambio.campo.value] = cambio.texto
    try:
        RespuestasCurriculares.model_validate(nuevo)
    except ValidationError as exc:
        campos = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        raise ErrorSolicitud(
            f"El nuevo texto de «{', '.join(campos)}» no es un valor admitido para ese campo; "
            "elija una de las opciones del cuestionario."
        ) from exc
    return nuevo


def _publicados(curricular: Mapping[str, Any] | None) -> dict[CampoCurricular, str | None]:
    """Every text field's published text."""
    return {campo: texto_publicado(curricular, campo) for campo in CampoCurricular}


def _al_dia(revision: Revision, solicitud: SolicitudCambio) -> bool:
    """Whether the read model already holds the request's new texts."""
    return con_cambios(revision.curricular, solicitud.cambios) == dict(revision.curricular or {})


async def presentar_solicitud(
    *,
    repo: RevisionRepository,
    solicitudes: SolicitudRepository,
    usuario: Usuario,
    candidatura_id: str,
    cambios: Sequence[tuple[str, str]],
    calendario: Calendario,
    ahora: datetime | None = None,
) -> Expediente:
    """File the candidacy's one change request (its supervisor, or the independent itself)."""
    revision = await revision_en_alcance(repo=repo, usuario=usuario, candidatura_id=candidatura_id)
    if not puede_validar(usuario, revision):
        raise SinPermiso(
            "Solo la persona supervisora del partido, o la propia candidatura independiente, "
            "pide cambios a una candidatura publicada."
        )
    previa = await solicitudes.de_candidatura(candidatura_id)
    publicada = revision.publicable and revision.vigente
    try:
        solicitud = presentar(
            id=id_de_solicitud(candidatura_id),
            candidatura_id=candidatura_id,
            cambios=cambios,
            previa=None if previa is None else previa.solicitud,
            publicada=publicada,
            por=usuario.nombre_usuario,
            ahora=ahora or _ahora(),
            calendario=calendario,
        )
    except ErrorSolicitud as exc:
        if previa is not None or not publicada:
            raise SolicitudNoAdmitida(str(exc)) from exc
        raise
    con_cambios(revision.curricular, solicitud.cambios)
    iguales = [
        c.campo.value
        for c in solicitud.cambios
        if texto_publicado(con_cambios(revision.curricular, [c]), c.campo)
        == texto_publicado(revision.curricular, c.campo)
    ]
    if iguales:
        raise ErrorSolicitud(
            f"El nuevo texto de «{', '.join(iguales)}» es igual al publicado; cámbielo o quite "
            "ese campo de la solicitud."
        )
    expediente = Expediente(solicitud, revision.nombre, revision.cargo, revision.partido)
    evento = nuevo_evento(
        SolicitudCambioPresentada(
            candidatura_id=candidatura_id,
            version=revision.version,
            solicitud_id=solicitud.id,
            cambios=_cambios_evento(solicitud),
            vence=solicitud.vence,
        ),
        subject=candidatura_id,
        actor=actor_de(usuario),
        accion="solicitar_cambio",
        modulo=MODULO,
    )
    try:
        await solicitudes.agregar(expediente, [evento])
    except DuplicateKeyError as exc:
        raise SolicitudNoAdmitida(
            "Esta candidatura ya usó su única solicitud de cambio; no se admite otra (PTO 31)."
        ) from exc
    return expediente


def _cambios_evento(solicitud: SolicitudCambio) -> tuple[CambioCampo, ...]:
    return tuple(CambioCampo(campo=c.campo, texto=c.texto) for c in solicitud.cambios)


async def cola_de_solicitudes(
    *,
    solicitudes: SolicitudRepository,
    usuario: Usuario,
    estado: EstadoSolicitud | None = None,
    partido: str | None = None,
    vencidas: bool = False,
    ahora: datetime | None = None,
) -> list[Expediente]:
    """Requests the user may see: overdue first, then pending by due date, then resolved."""
    momento = ahora or _ahora()
    lista = await solicitudes.buscar(
        alcance=filtro_alcance(usuario, campo_candidatura="candidatura_id"),
        estado=estado,
        partido=partido,
    )
    if vencidas:
        lista = [e for e in lista if e.solicitud.vencida(momento)]

    def orden(e: Expediente) -> tuple[bool, bool, datetime, str]:
        s = e.solicitud
        return (not s.vencida(momento), s.estado is not EstadoSolicitud.PRESENTADA, s.vence, s.id)

    return sorted(lista, key=orden)


async def solicitud_en_alcance(
    *, solicitudes: SolicitudRepository, usuario: Usuario, solicitud_id: str
) -> Expediente:
    """A request the user may see; 404 when missing or out of scope (same answer)."""
    expediente = await solicitudes.obtener(solicitud_id)
    if expediente is None or not en_alcance(
        usuario, partido=expediente.partido, candidatura_id=expediente.solicitud.candidatura_id
    ):
        raise NoEncontrado(NO_ENCONTRADA)
    return expediente


async def ocultos_de(
    *, moderaciones: ModeracionRepository, expedientes: Sequence[Expediente]
) -> dict[str, Ocultos]:
    """Per request id, the named fields that stay hidden because a verifier disabled them."""
    actuales = await moderaciones.de([e.solicitud.candidatura_id for e in expedientes])
    ocultos: dict[str, Ocultos] = {}
    for e in expedientes:
        s, moderacion = e.solicitud, actuales.get(e.solicitud.candidatura_id)
        # A rejected request replaces nothing, so it has nothing to warn about.
        if moderacion is None or s.estado is EstadoSolicitud.RECHAZADA:
            ocultos[s.id] = Ocultos()
        else:
            ocultos[s.id] = seguiran_ocultos(s.cambios, deshabilitados=moderacion.vigentes)
    return ocultos


async def aplicar_solicitud(
    *,
    repo: RevisionRepository,
    solicitudes: SolicitudRepository,
    usuario: Usuario,
    solicitud_id: str,
    ahora: datetime | None = None,
) -> Expediente:
    """Apply a request: new texts published again, previous ones in the event (its notice)."""
    momento = ahora or _ahora()
    for intento in range(INTENTOS):
        expediente = await solicitud_en_alcance(
            solicitudes=solicitudes, usuario=usuario, solicitud_id=solicitud_id
        )
        s = expediente.solicitud
        revision = await _revision_de(repo, s.candidatura_id)
        if s.estado is EstadoSolicitud.APLICADA and not _al_dia(revision, s):
            # A previous run saved the request and stopped before republishing: finish it.
            return await _republicar(repo, expediente, actor_de(usuario))
        try:
            s.aplicar(publicados=_publicados(revision.curricular), por=usuario.nombre_usuario,
                      ahora=momento)  # fmt: skip
        except ErrorSolicitud as exc:
            raise SolicitudNoAdmitida(str(exc)) from exc
        if not (revision.publicable and revision.vigente):
            raise SolicitudNoAdmitida(
                "La candidatura ya no está publicada (se sustituyó o canceló en el registro); "
                "rechace la solicitud explicando el motivo."
            )
        evento = nuevo_evento(
            SolicitudCambioAplicada(
                candidatura_id=s.candidatura_id,
                # The version the republished candidacy gets in the same action.
                version=revision.version + 1,
                solicitud_id=s.id,
                cambios=_cambios_evento(s),
                anteriores=tuple(TextoAnterior(campo=c, texto=t) for c, t in s.anteriores.items()),
            ),
            subject=s.candidatura_id,
            actor=actor_de(usuario),
            accion="aplicar_cambio",
            modulo=MODULO,
        )
        if not await _guardada(solicitudes, expediente, evento, intento):
            continue
        return await _republicar(repo, expediente, actor_de(usuario))
    raise AssertionError("unreachable")


async def _guardada(
    solicitudes: SolicitudRepository, expediente: Expediente, evento: Evento, intento: int
) -> bool:
    """Save the request with its event; False on a version conflict worth another try."""
    try:
        await solicitudes.guardar(expediente, [evento])
    except ConflictoVersion:
        if intento == INTENTOS - 1:
            raise
        return False
    return True


async def _revision_de(repo: RevisionRepository, candidatura_id: str) -> Revision:
    revision = await repo.obtener(candidatura_id)
    if revision is None:
        raise NoEncontrado(NO_ENCONTRADA)
    return revision


async def completar_aplicacion(
    *, repo: RevisionRepository, solicitudes: SolicitudRepository, solicitud_id: str, actor: Actor
) -> None:
    """From the applied request's event: republish if the applying process stopped before."""
    expediente = await solicitudes.obtener(solicitud_id)
    if expediente is None or expediente.solicitud.estado is not EstadoSolicitud.APLICADA:
        return
    revision = await repo.obtener(expediente.solicitud.candidatura_id)
    if revision is not None and revision.publicable and revision.vigente:
        await _republicar(repo, expediente, actor)


async def _republicar(repo: RevisionRepository, expediente: Expediente, actor: Actor) -> Expediente:
    """Replace the texts in the read model and emit candidatura_publicable again."""
    s = expediente.solicitud
    for intento in range(INTENTOS):
        revision = await _revision_de(repo, s.candidatura_id)
        if _al_dia(revision, s):
            break
        revision.republicar(con_cambios(revision.curricular, s.cambios))
        try:
            await _guardar_con_eventos(repo, revision, actor)
        except ConflictoVersion:
            if intento == INTENTOS - 1:
                raise
            continue
        break
    return expediente


async def rechazar_solicitud(
    *,
    repo: RevisionRepository,
    solicitudes: SolicitudRepository,
    usuario: Usuario,
    solicitud_id: str,
    motivo: str,
    ahora: datetime | None = None,
) -> Expediente:
    """Reject a request with the reason the requester will read (its notice follows)."""
    momento = ahora or _ahora()
    for intento in range(INTENTOS):
        expediente = await solicitud_en_alcance(
            solicitudes=solicitudes, usuario=usuario, solicitud_id=solicitud_id
        )
        s = expediente.solicitud
        if s.estado is not EstadoSolicitud.PRESENTADA:
            raise SolicitudNoAdmitida(
                f"La solicitud ya fue {s.estado.value}; no se resuelve dos veces."
            )
        s.rechazar(motivo=motivo, por=usuario.nombre_usuario, ahora=momento)
        revision = await _revision_de(repo, s.candidatura_id)
        evento = nuevo_evento(
            SolicitudCambioRechazada(
                candidatura_id=s.candidatura_id,
                version=revision.version,
                solicitud_id=s.id,
                motivo=s.motivo_rechazo or "",
            ),
            subject=s.candidatura_id,
            actor=actor_de(usuario),
            accion="rechazar_cambio",
            modulo=MODULO,
        )
        if not await _guardada(solicitudes, expediente, evento, intento):
            continue
        return expediente
    raise AssertionError("unreachable")
