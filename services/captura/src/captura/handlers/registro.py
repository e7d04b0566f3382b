"""Use cases of captura: one keyword-only function each, returning data."""

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from captura.adapters import CandidaturaRepository, EleccionRepository
from captura.domain import (
    Candidatura,
    CandidaturaDuplicada,
    Eleccion,
    ErrorDominio,
    FilaRegistro,
    Plan,
    Rechazo,
    armar_eleccion,
    conciliar,
    leer_fila,
)
from captura.handlers.eventos import eventos_de
from comun.auth.alcance import en_alcance
from comun.auth.usuario import Usuario
from comun.eventos import Actor, EleccionCargada, nuevo_evento
from comun.eventos.captura import Participante
from comun.roles import Rol
from comun.store import Filter

Progreso = Callable[[str, int, int | None], Awaitable[None]]
CADA = 500


async def sin_progreso(fase: str, hechas: int, total: int | None) -> None:
    """Progress sink for callers that show none."""


class EleccionNoCargada(ErrorDominio):
    """The election's catalog has not been loaded yet."""

    def __init__(self, eleccion_id: str) -> None:
        super().__init__(
            f"La elección «{eleccion_id}» no está cargada: cárguela con "
            "«conoceles eleccion cargar <directorio>»."
        )


_catalogos: dict[str, tuple[int, Eleccion]] = {}


async def cargar_eleccion(
    *, repo: EleccionRepository, datos: Mapping[str, Any], actor: Actor
) -> tuple[Eleccion, bool]:
    """Check and store an election catalog; returns it and whether it changed."""
    eleccion = armar_eleccion(datos)
    evento = nuevo_evento(
        EleccionCargada(
            eleccion=eleccion.id,
            nombre=eleccion.nombre,
            totales=eleccion.calculados(),
            partidos=tuple(
                Participante(clave=p.siglas, nombre=p.nombre) for p in eleccion.partidos.values()
            ),
            independientes=tuple(
                Participante(clave=i.clave, nombre=i.nombre)
                for i in eleccion.independientes.values()
            ),
        ),
        subject=eleccion.id,
        actor=actor,
        accion="cargar_eleccion",
    )
    cambio = await repo.guardar(eleccion.id, datos, [evento])
    return eleccion, cambio


async def eleccion_cargada(*, repo: EleccionRepository, eleccion_id: str) -> Eleccion:
    """The stored catalog of an election (built once per stored version)."""
    guardada = await repo.obtener(eleccion_id)
    if guardada is None:
        raise EleccionNoCargada(eleccion_id)
    version, datos = guardada
    cache = _catalogos.get(eleccion_id)
    if cache is None or cache[0] != version:
        cache = (version, armar_eleccion(datos))
        _catalogos[eleccion_id] = cache
    return cache[1]


@dataclass
class Resultado:
    """Outcome of an import: the plan and whether it was applied."""

    plan: Plan
    aplicado: bool
    filas: int


async def importar_registro(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    filas: Iterable[tuple[int, Mapping[str, object]]],
    actor: Actor,
    todo_o_nada: bool = False,
    progreso: Progreso = sin_progreso,
) -> Resultado:
    """Reconcile registry rows with the registry and apply what is valid (or nothing)."""
    leidas, rechazos, total = await _leer_filas(filas, eleccion, progreso)
    existentes = await repo.de_eleccion(eleccion.id, alcance=_alcance(leidas))
    plan = conciliar(leidas, existentes)
    plan.rechazadas[:0] = rechazos
    if todo_o_nada and plan.rechazadas:
        return Resultado(plan=plan, aplicado=False, filas=total)
    await _aplicar(plan, repo, existentes, eleccion, actor, progreso)
    return Resultado(plan=plan, aplicado=True, filas=total)


# Past this many rows an import touches most of the registry: one full read is cheaper.
FILAS_PARA_LEER_EL_REGISTRO = 1_000


def _alcance(filas: list[FilaRegistro]) -> list[Filter] | None:
    """What the reconciliation of a small batch needs: its folios, targets and contests."""
    if len(filas) >= FILAS_PARA_LEER_EL_REGISTRO:
        return None
    folios = {f.folio for f in filas} | {f.sustituye_a for f in filas if f.sustituye_a}
    municipios = {f.registro.municipio for f in filas if f.registro.municipio}
    distritos = {f.registro.distrito for f in filas if f.registro.distrito}
    alcance: list[Filter] = [{"_id": {"$in": sorted(folios)}}]
    if municipios:
        alcance.append({"registro.municipio": {"$in": sorted(municipios)}})
    if distritos:
        alcance.append({"registro.distrito": {"$in": sorted(distritos)}})
    if any(f.registro.distrito is None and f.registro.municipio is None for f in filas):
        alcance.append({"registro.cargo": "diputacion_local", "registro.principio": "RP"})
    return alcance


async def _leer_filas(
    filas: Iterable[tuple[int, Mapping[str, object]]], eleccion: Eleccion, progreso: Progreso
) -> tuple[list[FilaRegistro], list[Rechazo], int]:
    """Check each row on its own, reporting progress."""
    leidas: list[FilaRegistro] = []
    rechazos: list[Rechazo] = []
    total = 0
    for total, (numero, celdas) in enumerate(filas, start=1):
        resultado = leer_fila(numero, celdas, eleccion)
        if isinstance(resultado, FilaRegistro):
            leidas.append(resultado)
        else:
            rechazos.extend(resultado)
        if total % CADA == 0:
            await progreso("leyendo", total, None)
    await progreso("leyendo", total, total)
    return leidas, rechazos, total


async def _aplicar(
    plan: Plan,
    repo: CandidaturaRepository,
    existentes: dict[str, Candidatura],
    eleccion: Eleccion,
    actor: Actor,
    progreso: Progreso,
) -> None:
    """Write each change with its event; re-running the same file afterwards changes nothing."""
    total = len(plan.nuevas) + len(plan.modificadas) + len(plan.canceladas)
    hechas = 0

    async def guardar(candidatura: Candidatura) -> None:
        eventos = eventos_de(candidatura, eleccion, actor)
        await repo.guardar(candidatura, eventos)

    async def avanzar() -> None:
        nonlocal hechas
        hechas += 1
        if hechas % CADA == 0 or hechas == total:
            await progreso("aplicando", hechas, total)

    entregas = await repo.entregas() if plan.nuevas else {}
    for alta in plan.nuevas:
        nueva = Candidatura.registrar(
            id=alta.folio, registro=alta.registro, sustituye_a=alta.sustituye_a
        )
        abrir_plazo_si_entregadas(nueva, eleccion, entregas)
        await guardar(nueva)
        if alta.sustituye_a:
            anterior = existentes[alta.sustituye_a]
            anterior.sustituir(por=alta.folio)
            await guardar(anterior)
        await avanzar()
    for cambio in plan.modificadas:
        candidatura = existentes[cambio.folio]
        candidatura.actualizar(cambio.registro)
        await guardar(candidatura)
        await avanzar()
    for baja in plan.canceladas:
        candidatura = existentes[baja.folio]
        candidatura.cancelar()
        await guardar(candidatura)
        await avanzar()


async def registrar_candidatura(
    *, repo: CandidaturaRepository, id: str, registro: Any, eleccion: Eleccion, actor: Actor
) -> Candidatura:
    """Register one candidacy; CandidaturaDuplicada if the id is taken."""
    if await repo.obtener(id) is not None:
        raise CandidaturaDuplicada(id)
    candidatura = Candidatura.registrar(id=id, registro=registro)
    abrir_plazo_si_entregadas(candidatura, eleccion, await repo.entregas())
    await repo.guardar(candidatura, eventos_de(candidatura, eleccion, actor))
    return candidatura


def abrir_plazo_si_entregadas(
    candidatura: Candidatura, eleccion: Eleccion, entregas: Mapping[str, datetime]
) -> None:
    """A candidacy registered after its party got its accounts starts its window now (PTO 21)."""
    partido = candidatura.registro.partido
    if partido is None or partido not in entregas:
        return
    plazos = eleccion.plazos
    dias = plazos.sustitucion_dias if candidatura.sustituye_a else plazos.captura_dias
    candidatura.iniciar_plazo(
        entregadas_en=max(entregas[partido], datetime.now(UTC)),
        dias=dias,
        zona=eleccion.zona_horaria,
    )


@dataclass(frozen=True)
class Filtros:
    """Filters of the candidacy list (all optional)."""

    cargo: str | None = None
    principio: str | None = None
    distrito: int | None = None
    municipio: str | None = None
    partido: str | None = None
    estado: str | None = None
    texto: str | None = None


def _filtro(filtros: Filtros, usuario: Usuario, eleccion_id: str) -> Filter | None:
    """Store filter for a user's scope and the chosen filters; None when nothing is visible."""
    filtro: dict[str, Any] = {"registro.eleccion": eleccion_id}
    campos = {
        "registro.cargo": filtros.cargo,
        "registro.principio": filtros.principio,
        "registro.distrito": filtros.distrito,
        "registro.municipio": filtros.municipio,
        "registro.partido": filtros.partido,
        "estado": filtros.estado,
    }
    filtro.update({k: v for k, v in campos.items() if v is not None})
    if filtros.texto:
        filtro["_id"] = filtros.texto
    if usuario.tiene_rol(Rol.ADMINISTRADOR):
        return filtro
    if usuario.tiene_rol(Rol.PARTIDO, Rol.SUPERVISOR) and usuario.partido:
        if filtros.partido not in (None, usuario.partido):
            return None
        return {**filtro, "registro.partido": usuario.partido}
    if usuario.candidatura:
        return {**filtro, "_id": usuario.candidatura}
    return None


async def buscar_candidaturas(
    *,
    repo: CandidaturaRepository,
    usuario: Usuario,
    eleccion_id: str,
    filtros: Filtros = Filtros(),
    pagina: int = 1,
    por_pagina: int = 50,
) -> tuple[int, list[Candidatura]]:
    """Candidacies in the user's scope matching the filters: total and one page."""
    filtro = _filtro(filtros, usuario, eleccion_id)
    if filtro is None:
        return 0, []
    return await repo.buscar(filtro, pagina=pagina, por_pagina=por_pagina)


async def candidaturas_visibles(
    *, repo: CandidaturaRepository, usuario: Usuario, eleccion_id: str
) -> list[Candidatura]:
    """Every candidacy a user may see: all (institute), its party's, or its own."""
    _, candidaturas = await buscar_candidaturas(
        repo=repo, usuario=usuario, eleccion_id=eleccion_id, por_pagina=0
    )
    return candidaturas


async def obtener_candidatura(
    *, repo: CandidaturaRepository, id: str, usuario: Usuario
) -> Candidatura | None:
    """One candidacy, or None when it is missing or out of the user's scope (same answer)."""
    candidatura = await repo.obtener(id)
    if candidatura is None:
        return None
    alcance = en_alcance(usuario, partido=candidatura.registro.partido, candidatura_id=id)
    return candidatura if alcance else None
