"""Use cases of validacion: one keyword-only function each, returning data."""

import importlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from comun.auth.alcance import en_alcance, filtro_alcance
from comun.auth.usuario import Usuario, actor_de
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado, SinPermiso
from comun.eventos import (
    SISTEMA,
    Actor,
    CandidaturaPublicable,
    CandidaturaValidada,
    ConsentimientoCargado,
    CuestionarioEnviado,
    CuestionarioGuardado,
    DatosCandidatura,
    Evento,
    InicioPublicacionFijado,
    RespuestasCurriculares,
    nuevo_evento,
)
from comun.eventos.captura import DatosRegistro
from comun.roles import Rol
from comun.store import DuplicateKeyError
from validacion.adapters import (
    ID_PUBLICACION,
    ConflictoVersion,
    Filtros,
    Pagina,
    PublicacionRepository,
    RevisionRepository,
)
from validacion.domain import CandidaturaValidadaHecho, Hecho, Revision

INTENTOS = 5
ZONA = ZoneInfo("America/Mexico_City")
NO_ENCONTRADA = "No existe la candidatura o no está a su cargo."


@lru_cache(maxsize=4)
def cifrador_de(secreto: str) -> Cifrador:
    """One envelope cipher per configured secret (derivation is done once)."""
    return Cifrador(secreto)


def hallazgos_de(curricular: Mapping[str, Any] | None) -> int:
    """How many automatic-check hits the curricular answers have (0 until the checks exist)."""
    if not curricular:
        return 0
    try:
        revisiones = importlib.import_module("validacion.domain.revisiones")
    except ImportError:
        return 0
    revisar: Callable[[Mapping[str, Any]], Any] | None = getattr(
        revisiones, "revisar_curricular", None
    )
    return 0 if revisar is None else len(revisar(curricular))


async def _aplicar(
    repo: RevisionRepository,
    candidatura_id: str,
    cambio: Callable[[Revision], bool],
    *,
    nueva: Callable[[], Revision] | None = None,
) -> bool:
    """Load (or create), change and save; retry when another write got in between."""
    for intento in range(INTENTOS):
        revision = await repo.obtener(candidatura_id)
        if revision is None:
            if nueva is None:
                # Events of one subject arrive in order: nothing registered, nothing to change.
                return False
            revision = nueva()
        if not cambio(revision):
            return False
        try:
            await repo.guardar(revision)
        except (ConflictoVersion, DuplicateKeyError):
            if intento == INTENTOS - 1:
                raise
            continue
        return True
    raise AssertionError("unreachable")


async def recibir_registro(*, repo: RevisionRepository, datos: DatosRegistro) -> bool:
    """Add a registered candidacy to its party's queue, or take its corrections (idempotent)."""
    registro = datos.model_dump(mode="json", exclude={"candidatura_id", "version"})

    def nueva() -> Revision:
        return Revision(datos.candidatura_id, datos.nombre, datos.cargo.value, datos.partido)

    def cambio(r: Revision) -> bool:
        return r.recibir_registro(registro, version=datos.version)

    return await _aplicar(repo, datos.candidatura_id, cambio, nueva=nueva)


async def dar_de_baja(*, repo: RevisionRepository, datos: DatosCandidatura) -> bool:
    """A substituted or cancelled candidacy stops counting (idempotent)."""

    def cambio(r: Revision) -> bool:
        return r.dar_de_baja(version=datos.version)

    return await _aplicar(repo, datos.candidatura_id, cambio)


async def recibir_envio(
    *, repo: RevisionRepository, datos: CuestionarioEnviado, enviada_en: datetime
) -> bool:
    """The capturers sent the questionnaires: the candidacy waits for its validation."""
    curricular = datos.curricular.model_dump(mode="json")
    hallazgos = hallazgos_de(curricular)

    def cambio(r: Revision) -> bool:
        return r.recibir_envio(
            curricular=curricular,
            identidad_cifrada=datos.identidad_cifrada,
            fuera_de_plazo=datos.fuera_de_plazo,
            hallazgos=hallazgos,
            enviada_en=enviada_en,
            version=datos.version,
        )

    return await _aplicar(repo, datos.candidatura_id, cambio)


async def recibir_guardado(*, repo: RevisionRepository, datos: CuestionarioGuardado) -> bool:
    """A draft save; after sending it is the supervisor's edit and carries the new content."""
    curricular = None if datos.curricular is None else datos.curricular.model_dump(mode="json")
    hallazgos = hallazgos_de(curricular)

    def cambio(r: Revision) -> bool:
        return r.recibir_edicion(
            curricular=curricular,
            identidad_cifrada=datos.identidad_cifrada,
            campos=tuple(c.value for c in datos.campos),
            hallazgos=hallazgos,
            version=datos.version,
        )

    return await _aplicar(repo, datos.candidatura_id, cambio)


async def recibir_consentimiento(*, repo: RevisionRepository, datos: ConsentimientoCargado) -> bool:
    """The consent authorizations, for the review page and the publication rule."""
    consentimiento = {
        "autorizaciones": datos.autorizaciones.model_dump(mode="json"),
        "documento_tipo": datos.documento_tipo,
    }

    def cambio(r: Revision) -> bool:
        return r.recibir_consentimiento(consentimiento, version=datos.version)

    return await _aplicar(repo, datos.candidatura_id, cambio)


async def cola_de_revision(
    *,
    repo: RevisionRepository,
    usuario: Usuario,
    filtros: Filtros | None = None,
    pagina: int = 1,
    por_pagina: int = 50,
) -> Pagina:
    """The queue a user may see (all, its party's or its own), filtered, one page."""
    return await repo.buscar(
        alcance=filtro_alcance(usuario),
        filtros=filtros or Filtros(),
        pagina=pagina,
        por_pagina=por_pagina,
    )


async def revision_en_alcance(
    *, repo: RevisionRepository, usuario: Usuario, candidatura_id: str
) -> Revision:
    """A candidacy the user may review; 404 when missing or out of scope (same answer)."""
    revision = await repo.obtener(candidatura_id)
    if revision is None or not en_alcance(
        usuario, partido=revision.partido, candidatura_id=candidatura_id
    ):
        raise NoEncontrado(NO_ENCONTRADA)
    return revision


def puede_validar(usuario: Usuario, revision: Revision) -> bool:
    """The party's supervisor, or the independent candidacy itself (PTO 26–27)."""
    partido = revision.partido
    if usuario.tiene_rol(Rol.SUPERVISOR) and partido is not None and usuario.partido == partido:
        return True
    return (
        usuario.tiene_rol(Rol.CANDIDATURA)
        and usuario.candidatura == revision.candidatura_id
        and revision.independiente
    )


def identidad_de(
    revision: Revision, *, usuario: Usuario, cifrador: Cifrador
) -> dict[str, Any] | None:
    """Identity answers in clear for who validates (never the institute); None otherwise."""
    if revision.identidad_cifrada is None or not puede_validar(usuario, revision):
        return None
    claro = cifrador.abrir(revision.identidad_cifrada, contexto=revision.candidatura_id)
    respuestas: dict[str, Any] = json.loads(claro)
    return respuestas


async def validar(
    *,
    repo: RevisionRepository,
    publicacion: PublicacionRepository,
    usuario: Usuario,
    candidatura_id: str,
) -> Revision:
    """Validate the sent questionnaires → `candidatura_validada` (and publishable if it is time)."""
    inicio = await publicacion.inicio()
    actor = actor_de(usuario)
    for intento in range(INTENTOS):
        revision = await revision_en_alcance(
            repo=repo, usuario=usuario, candidatura_id=candidatura_id
        )
        if not puede_validar(usuario, revision):
            raise SinPermiso(
                "Solo la persona supervisora del partido valida esta candidatura; las "
                "candidaturas independientes se validan desde su propia cuenta."
            )
        ahora = datetime.now(UTC)
        revision.validar(por=usuario.nombre_usuario, ahora=ahora)
        revision.hacer_publicable(inicio=inicio, ahora=ahora)
        try:
            await _guardar_con_eventos(repo, revision, actor)
        except ConflictoVersion:
            if intento == INTENTOS - 1:
                raise
            continue
        return revision
    raise AssertionError("unreachable")


async def publicar_pendientes(
    *, repo: RevisionRepository, publicacion: PublicacionRepository, ahora: datetime | None = None
) -> int:
    """Emit `candidatura_publicable` for every validated candidacy once the date has arrived."""
    inicio = await publicacion.inicio()
    momento = ahora or datetime.now(UTC)
    if inicio is None or inicio > momento:
        return 0
    publicadas = 0
    while ids := await repo.por_publicar():
        avance = 0
        for candidatura_id in ids:
            avance += await _hacer_publicable(repo, candidatura_id, inicio, momento)
        publicadas += avance
        if avance == 0:
            break
    return publicadas


async def _hacer_publicable(
    repo: RevisionRepository, candidatura_id: str, inicio: datetime, ahora: datetime
) -> int:
    """One candidacy becomes publishable, in one write with its event; 1 if it did."""
    for _ in range(INTENTOS):
        revision = await repo.obtener(candidatura_id)
        if revision is None or not revision.hacer_publicable(inicio=inicio, ahora=ahora):
            return 0
        try:
            await _guardar_con_eventos(repo, revision, SISTEMA)
        except ConflictoVersion:
            continue
        return 1
    return 0


async def fijar_inicio_publicacion(
    *, publicacion: PublicacionRepository, usuario: Usuario, fecha: datetime
) -> datetime:
    """The administrator sets when validated candidacies become public (PTO 14)."""
    if fecha.tzinfo is None:
        # Dates and hours of the election are those of central Mexico (DOMINIO §2).
        fecha = fecha.replace(tzinfo=ZONA)
    evento = nuevo_evento(
        InicioPublicacionFijado(fecha=fecha),
        subject=ID_PUBLICACION,
        actor=actor_de(usuario),
        accion="fijar_inicio_publicacion",
    )
    await publicacion.fijar(fecha, por=usuario.nombre_usuario, eventos=[evento])
    return fecha


async def _guardar_con_eventos(repo: RevisionRepository, revision: Revision, actor: Actor) -> None:
    """Save the review with the events of its facts."""
    eventos = [_evento_de(revision, h, actor) for h in revision.hechos]
    revision.hechos.clear()
    await repo.guardar(revision, eventos)


def _evento_de(revision: Revision, hecho: Hecho, actor: Actor) -> Evento:
    """Wrap one fact of a review in its event."""
    curricular = RespuestasCurriculares.model_validate(revision.curricular or {})
    base = {
        "candidatura_id": revision.candidatura_id,
        "version": revision.version,
        "curricular": curricular,
        "identidad_cifrada": revision.identidad_cifrada,
    }
    if isinstance(hecho, CandidaturaValidadaHecho):
        validada = CandidaturaValidada.model_validate(
            {**base, "campos_editados": revision.campos_editados}
        )
        return nuevo_evento(
            validada, subject=revision.candidatura_id, actor=actor, accion="validar_candidatura"
        )
    publicable = CandidaturaPublicable.model_validate(
        {**base, "identidad_publica": revision.identidad_publica}
    )
    return nuevo_evento(
        publicable, subject=revision.candidatura_id, actor=SISTEMA, accion="hacer_publicable"
    )
