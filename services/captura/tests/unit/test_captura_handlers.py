"""Capture handlers on the embedded store: deadlines opened, passed, blocked or flagged."""

import pathlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from captura import handlers
from captura.adapters import CandidaturaRepository
from captura.domain import Eleccion
from captura.domain.errores import CapturaCerrada, ErrorDominio
from captura.domain.plazo import AlVencer
from captura.generador import generar
from captura.handlers import cuestionarios as h
from captura.handlers import plazos
from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.eventos import SISTEMA
from comun.roles import Rol
from comun.store import Store
from comun.store.sqlite import open_sqlite

RESPUESTAS = {"propuesta_1": "Agua potable en cada colonia."}


def _nada(doc_id: str | None = None) -> None:
    """No relay here: the outbox is inspected directly."""


@pytest.fixture
async def store(tmp_path: pathlib.Path) -> AsyncIterator[Store]:
    almacen = await open_sqlite(tmp_path / "captura.db")
    yield almacen
    await almacen.close()


@pytest.fixture
async def repo(store: Store, eleccion: Eleccion) -> CandidaturaRepository:
    repositorio = CandidaturaRepository(store, avisar_relay=_nada)
    await repositorio.preparar()
    filas = generar(eleccion, candidaturas=4, semilla=7)
    await handlers.importar_registro(
        repo=repositorio, eleccion=eleccion, filas=list(enumerate(filas, start=2)), actor=SISTEMA
    )
    return repositorio


@pytest.fixture
async def candidatura(repo: CandidaturaRepository, eleccion: Eleccion) -> Any:
    _, todas = await repo.buscar({"registro.eleccion": eleccion.id})
    return next(c for c in todas if c.registro.partido)


def persona(candidatura: Any, rol: Rol) -> Usuario:
    """A capturer or supervisor of the candidacy's party."""
    partido = candidatura.registro.partido
    return Usuario(
        id=f"{rol.value}-1",
        nombre_usuario=f"{rol.value}.{partido}",
        roles=frozenset({rol}),
        partido=partido,
    )


def al_vencer(eleccion: Eleccion, comportamiento: AlVencer) -> Eleccion:
    """The election with another behaviour after the deadline."""
    return replace(eleccion, plazos=replace(eleccion.plazos, al_vencer=comportamiento))


async def abrir(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura_id: str, hace_dias: int
) -> None:
    """Deliver the candidacy's credentials `hace_dias` days ago."""
    abiertos = await plazos.credenciales_entregadas(
        repo=repo,
        eleccion=eleccion,
        candidatura_id=candidatura_id,
        partido=None,
        entregadas_en=datetime.now(UTC) - timedelta(days=hace_dias),
    )
    assert abiertos == 1


async def guardar(
    repo: CandidaturaRepository, eleccion: Eleccion, usuario: Usuario, candidatura_id: str
) -> Any:
    return await h.guardar_curricular(
        repo=repo,
        eleccion=eleccion,
        usuario=usuario,
        candidatura_id=candidatura_id,
        respuestas=RESPUESTAS,
        revision=0,
    )


async def test_entregar_credenciales_abre_el_plazo_una_sola_vez(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    await abrir(repo, eleccion, candidatura.id, hace_dias=0)
    otra_vez = await plazos.credenciales_entregadas(
        repo=repo,
        eleccion=eleccion,
        candidatura_id=candidatura.id,
        partido=None,
        entregadas_en=datetime.now(UTC),
    )
    assert otra_vez == 0
    doc = await repo.obtener(candidatura.id)
    assert doc is not None and doc.cuestionarios.plazo is not None
    assert doc.cuestionarios.plazo.dias == eleccion.plazos.captura_dias


async def test_una_sustitucion_tiene_cinco_dias(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    filas = generar(eleccion, candidaturas=4, semilla=7)
    anterior = candidatura.id
    fila = next(f for f in filas if f["FOLIO"] == anterior)
    sustituta = {**fila, "FOLIO": f"{anterior}2", "SUSTITUYE_A": anterior}
    await handlers.importar_registro(
        repo=repo, eleccion=eleccion, filas=[(2, sustituta)], actor=SISTEMA
    )
    await abrir(repo, eleccion, f"{anterior}2", hace_dias=0)
    nueva = await repo.obtener(f"{anterior}2")
    assert nueva is not None and nueva.cuestionarios.plazo is not None
    assert nueva.cuestionarios.plazo.dias == 5


async def test_con_el_plazo_vencido_y_bloquear_no_se_guarda_nada(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    bloquea = al_vencer(eleccion, AlVencer.BLOQUEAR)
    await abrir(repo, bloquea, candidatura.id, hace_dias=20)
    antes = await repo.obtener(candidatura.id)
    assert antes is not None
    with pytest.raises(CapturaCerrada, match=r"venció el .* Pida .* una prórroga"):
        await guardar(repo, bloquea, persona(candidatura, Rol.PARTIDO), candidatura.id)
    despues = await repo.obtener(candidatura.id)
    assert despues is not None
    assert (despues.version, despues.cuestionarios.curricular) == (antes.version, {})


async def test_con_el_plazo_vencido_y_permitir_se_guarda_marcado_fuera_de_plazo(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    permite = al_vencer(eleccion, AlVencer.PERMITIR_Y_MARCAR)
    await abrir(repo, permite, candidatura.id, hace_dias=20)
    guardada = await guardar(repo, permite, persona(candidatura, Rol.PARTIDO), candidatura.id)
    assert guardada.cuestionarios.fuera_de_plazo
    assert guardada.cuestionarios.curricular == RESPUESTAS


async def test_la_supervision_guarda_aunque_el_plazo_haya_vencido(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    bloquea = al_vencer(eleccion, AlVencer.BLOQUEAR)
    await abrir(repo, bloquea, candidatura.id, hace_dias=20)
    guardada = await guardar(repo, bloquea, persona(candidatura, Rol.SUPERVISOR), candidatura.id)
    assert guardada.cuestionarios.curricular == RESPUESTAS
    assert not guardada.cuestionarios.fuera_de_plazo


async def test_una_prorroga_reabre_la_captura_vencida(
    store: Store, repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    bloquea = al_vencer(eleccion, AlVencer.BLOQUEAR)
    await abrir(repo, bloquea, candidatura.id, hace_dias=20)
    admin = Usuario(id="a", nombre_usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}))
    await plazos.prorrogar_plazo(
        repo=repo,
        eleccion=bloquea,
        usuario=admin,
        candidatura_id=candidatura.id,
        hasta=datetime.now(UTC) + timedelta(days=3),
        motivo="Falla del sistema acreditada por el partido.",
    )
    guardada = await guardar(repo, bloquea, persona(candidatura, Rol.PARTIDO), candidatura.id)
    assert guardada.cuestionarios.curricular == RESPUESTAS
    doc = await store.collection("candidaturas").get(candidatura.id)
    assert doc is not None
    tipos = [outbox.evento(p).type.split(".")[3] for p in outbox.pendientes(doc)]
    assert tipos[-3:] == ["plazo_iniciado", "plazo_prorrogado", "cuestionario_guardado"]


async def test_la_prorroga_de_un_partido_se_aplica_a_todas_o_a_ninguna(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    partido = candidatura.registro.partido
    _, del_partido = await repo.buscar({"registro.partido": partido})
    for c in del_partido:
        await abrir(repo, eleccion, c.id, hace_dias=1)
    admin = Usuario(id="a", nombre_usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}))
    lejos = datetime.now(UTC) + timedelta(days=40)
    await plazos.prorrogar_plazo(
        repo=repo, eleccion=eleccion, usuario=admin, candidatura_id=candidatura.id,
        hasta=lejos, motivo="Acuerdo del Consejo General",
    )  # fmt: skip
    antes = {c.id: await plazo_de(repo, c.id) for c in del_partido}
    with pytest.raises(ErrorDominio, match="plazo igual o posterior"):
        await plazos.prorrogar_plazos_de_partido(
            repo=repo, eleccion=eleccion, usuario=admin, partido=partido,
            hasta=lejos - timedelta(days=10), motivo="Falla del servicio eléctrico",
        )  # fmt: skip
    despues = {c.id: await plazo_de(repo, c.id) for c in del_partido}
    assert despues == antes


async def plazo_de(repo: CandidaturaRepository, candidatura_id: str) -> Any:
    """The stored deadline of a candidacy."""
    guardada = await repo.obtener(candidatura_id)
    assert guardada is not None
    return guardada.cuestionarios.plazo


async def test_una_candidatura_registrada_despues_de_la_entrega_del_partido_tiene_plazo(
    repo: CandidaturaRepository, eleccion: Eleccion, candidatura: Any
) -> None:
    partido = candidatura.registro.partido
    await plazos.credenciales_entregadas(
        repo=repo, eleccion=eleccion, candidatura_id=None, partido=partido,
        entregadas_en=datetime.now(UTC) - timedelta(days=3),
    )  # fmt: skip
    nueva = await handlers.registrar_candidatura(
        repo=repo, id="SUST-1", eleccion=eleccion, actor=SISTEMA,
        registro=replace(candidatura.registro, nombres="Persona sustituta"),
    )  # fmt: skip
    plazo = await plazo_de(repo, nueva.id)
    assert plazo is not None and plazo.dias == eleccion.plazos.captura_dias
    assert plazo.inicio > datetime.now(UTC) - timedelta(minutes=1)
