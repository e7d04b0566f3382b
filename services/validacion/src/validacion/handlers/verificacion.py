"""Use cases of the verifier (PTO 33): the queue of published candidacies and takedowns."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from comun.auth.usuario import Usuario, actor_de
from comun.errores import NoEncontrado, Problema, SinPermiso
from comun.eventos import Actor, ContenidoDeshabilitado, ContenidoHabilitado, Evento, nuevo_evento
from comun.eventos.vocabulario import CampoCurricular
from comun.roles import Rol
from comun.store import Filter
from validacion.adapters import ConflictoVersion, Filtros, RevisionRepository
from validacion.adapters.catalogo import CatalogoRepository
from validacion.adapters.moderacion import ModeracionRepository
from validacion.domain import Revision
from validacion.domain.revisiones import Hallazgo, Propia, revisar_curricular
from validacion.domain.verificacion import PERFIL, Deshabilitacion, Moderacion

MODULO = "verificacion"
INTENTOS = 5
NO_ENCONTRADA = "No existe la candidatura."
SOLO_VERIFICADOR = (
    "Solo el personal verificador del Instituto deshabilita o vuelve a mostrar contenido "
    "publicado (PTO 33)."
)


@dataclass(frozen=True, slots=True)
class FiltrosVerificacion:
    """What the verifier's queue may be narrowed by."""

    cargo: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    partido: str | None = None
    con_hallazgos: bool | None = None
    deshabilitada: bool | None = None


@dataclass(frozen=True, slots=True)
class Fila:
    """A published candidacy in the queue with what is disabled in it."""

    revision: Revision
    moderacion: Moderacion


@dataclass(frozen=True, slots=True)
class ColaVerificacion:
    """One page of published candidacies and the total matching."""

    total: int
    pagina: int
    por_pagina: int
    resultados: list[Fila]


@dataclass(frozen=True, slots=True)
class Verificacion:
    """One candidacy as the verifier sees it: content, check hits per field, takedowns."""

    revision: Revision
    moderacion: Moderacion
    hallazgos: dict[str, list[Hallazgo]] = field(default_factory=dict)

    @property
    def publicada(self) -> bool:
        """Only published content is the verifier's to take down."""
        return self.revision.publicable


def _exigir_lectura(usuario: Usuario) -> None:
    """The verifier works the queue; the administrator may read it."""
    if not usuario.tiene_rol(Rol.VERIFICADOR, Rol.ADMINISTRADOR):
        raise SinPermiso("La verificación de contenido es del personal del Instituto.")


def _exigir_verificador(usuario: Usuario) -> None:
    """Takedowns are the verifier's alone (DOMINIO §1): the administrator only reads."""
    if not usuario.tiene_rol(Rol.VERIFICADOR):
        raise SinPermiso(SOLO_VERIFICADOR)


async def cola_de_verificacion(
    *,
    repo: RevisionRepository,
    moderaciones: ModeracionRepository,
    usuario: Usuario,
    filtros: FiltrosVerificacion | None = None,
    pagina: int = 1,
    por_pagina: int = 50,
) -> ColaVerificacion:
    """Published candidacies in force, filtered, one page, each with its takedowns."""
    _exigir_lectura(usuario)
    f = filtros or FiltrosVerificacion()
    alcance: Filter = {"publicable": True}
    if f.partido:
        alcance["partido"] = f.partido
    if f.deshabilitada is not None:
        ids = await moderaciones.con_deshabilitados()
        alcance["_id"] = {"$in" if f.deshabilitada else "$nin": ids}
    encontradas = await repo.buscar(
        alcance=alcance,
        filtros=Filtros(f.cargo, f.distrito, f.municipio, con_observaciones=f.con_hallazgos),
        pagina=pagina,
        por_pagina=por_pagina,
    )
    actuales = await moderaciones.de([r.candidatura_id for r in encontradas.resultados])
    filas = [
        Fila(r, actuales.get(r.candidatura_id) or Moderacion(r.candidatura_id))
        for r in encontradas.resultados
    ]
    return ColaVerificacion(encontradas.total, encontradas.pagina, encontradas.por_pagina, filas)


async def verificacion_de(
    *,
    repo: RevisionRepository,
    moderaciones: ModeracionRepository,
    catalogo: CatalogoRepository | None,
    usuario: Usuario,
    candidatura_id: str,
) -> Verificacion:
    """A candidacy in force with its check hits per field and its takedowns and history."""
    _exigir_lectura(usuario)
    revision = await _vigente(repo, candidatura_id)
    moderacion = await moderaciones.obtener(candidatura_id)
    propia = Propia(
        partidos=frozenset({revision.partido}) if revision.partido else frozenset(),
        candidatura_id=candidatura_id,
    )
    hits = revisar_curricular(
        revision.curricular or {},
        catalogo=None if catalogo is None else await catalogo.catalogo(),
        propia=propia,
    )
    por_campo: dict[str, list[Hallazgo]] = defaultdict(list)
    for h in hits:
        por_campo[h.campo].append(h)
    return Verificacion(revision, moderacion, dict(por_campo))


async def deshabilitar(
    *,
    repo: RevisionRepository,
    moderaciones: ModeracionRepository,
    usuario: Usuario,
    candidatura_id: str,
    objetivo: str,
    motivo: str,
    observacion: str,
    ahora: datetime | None = None,
) -> Moderacion:
    """Disable a field or the whole profile → `contenido_deshabilitado` (its notice follows)."""
    _exigir_verificador(usuario)
    await _publicada(repo, candidatura_id)
    actor, momento = actor_de(usuario), ahora or datetime.now(UTC)

    def cambio(m: Moderacion) -> tuple[Deshabilitacion, Evento]:
        hecha = m.deshabilitar(
            objetivo=objetivo,
            motivo=motivo,
            observacion=observacion,
            por=usuario.nombre_usuario,
            ahora=momento,
        )
        datos = ContenidoDeshabilitado(
            candidatura_id=candidatura_id,
            version=m.version + 1,
            campos=_campos(objetivo),
            motivo=hecha.motivo,
            observacion=hecha.observacion,
        )
        return hecha, _evento(datos, actor, "deshabilitar_contenido")

    # The notice is derived from the event by validacion's own consumer (never lost).
    moderacion, _hecha = await _aplicar(moderaciones, candidatura_id, cambio)
    return moderacion


async def habilitar(
    *,
    repo: RevisionRepository,
    moderaciones: ModeracionRepository,
    usuario: Usuario,
    candidatura_id: str,
    objetivo: str,
    ahora: datetime | None = None,
) -> Moderacion:
    """Show disabled content again → `contenido_habilitado` (its notice follows)."""
    _exigir_verificador(usuario)
    await _publicada(repo, candidatura_id)
    actor, momento = actor_de(usuario), ahora or datetime.now(UTC)

    def cambio(m: Moderacion) -> tuple[Deshabilitacion, Evento]:
        previa = m.habilitar(objetivo=objetivo, por=usuario.nombre_usuario, ahora=momento)
        datos = ContenidoHabilitado(
            candidatura_id=candidatura_id, version=m.version + 1, campos=_campos(objetivo)
        )
        return previa, _evento(datos, actor, "habilitar_contenido")

    moderacion, _previa = await _aplicar(moderaciones, candidatura_id, cambio)
    return moderacion


async def _aplicar(
    moderaciones: ModeracionRepository,
    candidatura_id: str,
    cambio: Callable[[Moderacion], tuple[Deshabilitacion, Evento]],
) -> tuple[Moderacion, Deshabilitacion]:
    """Load, change and save with the event; retry when another verifier saved in between."""
    for intento in range(INTENTOS):
        moderacion = await moderaciones.obtener(candidatura_id)
        resultado, evento = cambio(moderacion)
        try:
            await moderaciones.guardar(moderacion, [evento])
        except ConflictoVersion:
            if intento == INTENTOS - 1:
                raise
            continue
        return moderacion, resultado
    raise AssertionError("unreachable")


async def _vigente(repo: RevisionRepository, candidatura_id: str) -> Revision:
    """A candidacy in force; 404 otherwise."""
    revision = await repo.obtener(candidatura_id)
    if revision is None or not revision.vigente:
        raise NoEncontrado(NO_ENCONTRADA)
    return revision


async def _publicada(repo: RevisionRepository, candidatura_id: str) -> Revision:
    """A published candidacy; 409 while it is not public yet (nothing to take down)."""
    revision = await _vigente(repo, candidatura_id)
    if not revision.publicable:
        raise Problema(
            409,
            "Conflicto",
            "La candidatura todavía no se publica: solo se deshabilita contenido publicado. "
            "Antes de la publicación, las observaciones las atiende la persona supervisora.",
        )
    return revision


def _campos(objetivo: str) -> tuple[CampoCurricular, ...]:
    """The event's fields: empty for the whole profile."""
    return () if objetivo == PERFIL else (CampoCurricular(objetivo),)


def _evento(
    datos: ContenidoDeshabilitado | ContenidoHabilitado, actor: Actor, accion: str
) -> Evento:
    """Wrap a takedown's data in its event."""
    return nuevo_evento(
        datos, subject=datos.candidatura_id, actor=actor, accion=accion, modulo=MODULO
    )
