"""Validation of a candidacy: domain transitions and handlers on the SQLite store."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado, SinPermiso
from comun.eventos import (
    CandidaturaRegistrada,
    CuestionarioEnviado,
    CuestionarioGuardado,
    muestra,
)
from comun.roles import Rol
from comun.store.sqlite import SqliteStore, open_sqlite
from validacion import handlers
from validacion.adapters import COLECCION, Filtros, PublicacionRepository, RevisionRepository
from validacion.domain import EstadoRevision, Revision, TodaviaNoEnviada, YaValidada

AHORA = datetime(2024, 4, 24, 16, 0, tzinfo=UTC)
ID = "DL-MR-01-PAN-P"
INDEPENDIENTE = "DL-MR-02-IND-P"
SUPERVISOR = Usuario("s1", "supervisor.pan", frozenset({Rol.SUPERVISOR}), partido="PAN")
OTRO_SUPERVISOR = Usuario("s2", "supervisor.prd", frozenset({Rol.SUPERVISOR}), partido="PRD")
CUENTA_PARTIDO = Usuario("c1", "cand.pan", frozenset({Rol.CANDIDATURA}), "PAN", candidatura=ID)
CUENTA_INDEPENDIENTE = Usuario(
    "c2", "cand.ind", frozenset({Rol.CANDIDATURA}), candidatura=INDEPENDIENTE
)
VERIFICADOR = Usuario("v1", "verificador", frozenset({Rol.VERIFICADOR}))
SECRETO = "secreto-de-pruebas-unitarias-de-validacion"


def registrada(candidatura_id: str = ID, **cambios: Any) -> CandidaturaRegistrada:
    datos = muestra("mx.conoceles.captura.candidatura_registrada.v1").data
    return CandidaturaRegistrada.model_validate(
        {**datos, "candidatura_id": candidatura_id, "version": 1, "partido": "PAN", **cambios}
    )


def enviado(candidatura_id: str = ID, version: int = 5) -> CuestionarioEnviado:
    datos = muestra("mx.conoceles.captura.cuestionario_enviado.v1").data
    cifrada = Cifrador(SECRETO).sellar(b'{"joven": "S\\u00ed"}', contexto=candidatura_id)
    return CuestionarioEnviado.model_validate(
        {**datos, "candidatura_id": candidatura_id, "version": version,
         "identidad_cifrada": cifrada}
    )  # fmt: skip


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "validacion.db")
    yield abierto
    await abierto.close()


@pytest.fixture
def repo(store: SqliteStore) -> RevisionRepository:
    return RevisionRepository(store)


@pytest.fixture
def publicacion(store: SqliteStore) -> PublicacionRepository:
    return PublicacionRepository(store)


async def enviada(repo: RevisionRepository, candidatura_id: str = ID, **registro: Any) -> None:
    await handlers.recibir_registro(repo=repo, datos=registrada(candidatura_id, **registro))
    await handlers.recibir_envio(repo=repo, datos=enviado(candidatura_id), enviada_en=AHORA)


async def pendientes_de(store: SqliteStore, candidatura_id: str = ID) -> list[str]:
    doc = await store.collection(COLECCION).get(candidatura_id)
    assert doc is not None
    return [p["evento"]["type"].split(".")[3] for p in outbox.pendientes(doc)]


# Domain


def test_validar_antes_del_envio_se_rechaza_y_nada_cambia() -> None:
    r = Revision(ID, "Ana", "diputacion_local", "PAN")
    with pytest.raises(TodaviaNoEnviada, match="todavía no se envía"):
        r.validar(por="supervisor.pan", ahora=AHORA)
    assert (r.estado, r.hechos) == (EstadoRevision.EN_ESPERA, [])


def test_validar_dos_veces_se_rechaza() -> None:
    r = Revision(ID, "Ana", "diputacion_local", "PAN", EstadoRevision.POR_VALIDAR)
    r.validar(por="supervisor.pan", ahora=AHORA)
    with pytest.raises(YaValidada, match="ya se validó"):
        r.validar(por="supervisor.pan", ahora=AHORA)
    assert len(r.hechos) == 1


def test_una_version_vieja_de_captura_no_se_aplica() -> None:
    r = Revision(ID, "Ana", "diputacion_local", "PAN")
    assert r.recibir_version(4)
    assert not r.recibir_envio(
        curricular={}, identidad_cifrada=None, fuera_de_plazo=False, hallazgos=0,
        enviada_en=AHORA, version=3,
    )  # fmt: skip
    assert r.estado is EstadoRevision.EN_ESPERA


def test_solo_es_publicable_validada_y_desde_la_fecha_de_inicio() -> None:
    r = Revision(ID, "Ana", "diputacion_local", "PAN", EstadoRevision.VALIDADA)
    assert not r.hacer_publicable(inicio=None, ahora=AHORA)
    assert not r.hacer_publicable(inicio=AHORA + timedelta(days=1), ahora=AHORA)
    assert r.hacer_publicable(inicio=AHORA, ahora=AHORA)
    assert not r.hacer_publicable(inicio=AHORA, ahora=AHORA)


# Handlers on the SQLite store


async def test_el_envio_deja_la_candidatura_por_validar_con_sus_respuestas(
    repo: RevisionRepository,
) -> None:
    await enviada(repo)
    r = await repo.obtener(ID)
    assert r is not None and r.estado is EstadoRevision.POR_VALIDAR
    assert r.curricular is not None and r.curricular["propuesta_1"]
    assert r.identidad_cifrada is not None


async def test_un_evento_repetido_no_cambia_nada(repo: RevisionRepository) -> None:
    await enviada(repo)
    assert not await handlers.recibir_envio(repo=repo, datos=enviado(), enviada_en=AHORA)
    assert not await handlers.recibir_registro(repo=repo, datos=registrada())


async def test_una_correccion_del_registro_no_devuelve_la_candidatura_a_espera(
    repo: RevisionRepository,
) -> None:
    await enviada(repo)
    corregida = registrada(version=6, nombre="Ana María")
    assert await handlers.recibir_registro(repo=repo, datos=corregida)
    r = await repo.obtener(ID)
    assert r is not None and (r.estado, r.nombre) == (EstadoRevision.POR_VALIDAR, "Ana María")


async def test_la_edicion_del_supervisor_reemplaza_el_contenido_y_se_anota(
    repo: RevisionRepository,
) -> None:
    await enviada(repo)
    datos = muestra("mx.conoceles.captura.cuestionario_guardado.v1").data
    guardado = CuestionarioGuardado.model_validate({**datos, "candidatura_id": ID, "version": 7})
    assert await handlers.recibir_guardado(repo=repo, datos=guardado)
    r = await repo.obtener(ID)
    assert r is not None and r.campos_editados == ("propuesta_2",)
    assert guardado.curricular is not None
    assert r.curricular == guardado.curricular.model_dump(mode="json")


async def test_el_supervisor_valida_y_el_evento_va_en_la_misma_escritura(
    store: SqliteStore, repo: RevisionRepository, publicacion: PublicacionRepository
) -> None:
    await enviada(repo)
    r = await handlers.validar(
        repo=repo, publicacion=publicacion, usuario=SUPERVISOR, candidatura_id=ID
    )
    assert r.estado is EstadoRevision.VALIDADA
    assert await pendientes_de(store) == ["candidatura_validada"]


async def test_el_supervisor_de_otro_partido_recibe_404(
    repo: RevisionRepository, publicacion: PublicacionRepository
) -> None:
    await enviada(repo)
    with pytest.raises(NoEncontrado):
        await handlers.validar(
            repo=repo, publicacion=publicacion, usuario=OTRO_SUPERVISOR, candidatura_id=ID
        )


async def test_la_cuenta_de_una_candidatura_de_partido_no_valida(
    repo: RevisionRepository, publicacion: PublicacionRepository
) -> None:
    await enviada(repo)
    with pytest.raises(SinPermiso):
        await handlers.validar(
            repo=repo, publicacion=publicacion, usuario=CUENTA_PARTIDO, candidatura_id=ID
        )


async def test_una_candidatura_independiente_se_valida_a_si_misma(
    repo: RevisionRepository, publicacion: PublicacionRepository
) -> None:
    await enviada(repo, INDEPENDIENTE, postulante="independiente", partido=None, partidos=[])
    r = await handlers.validar(
        repo=repo, publicacion=publicacion, usuario=CUENTA_INDEPENDIENTE,
        candidatura_id=INDEPENDIENTE,
    )  # fmt: skip
    assert r.estado is EstadoRevision.VALIDADA


async def test_la_identidad_solo_se_descifra_para_quien_valida(repo: RevisionRepository) -> None:
    await enviada(repo)
    r = await repo.obtener(ID)
    assert r is not None
    cifrador = Cifrador(SECRETO)
    assert handlers.identidad_de(r, usuario=SUPERVISOR, cifrador=cifrador) == {"joven": "Sí"}
    assert handlers.identidad_de(r, usuario=VERIFICADOR, cifrador=cifrador) is None
    assert handlers.identidad_de(r, usuario=CUENTA_PARTIDO, cifrador=cifrador) is None


async def test_con_fecha_pasada_validar_tambien_la_hace_publicable_una_vez(
    store: SqliteStore, repo: RevisionRepository, publicacion: PublicacionRepository
) -> None:
    pasada = datetime.now(UTC) - timedelta(hours=1)
    await handlers.fijar_inicio_publicacion(
        publicacion=publicacion, usuario=SUPERVISOR, fecha=pasada
    )
    await enviada(repo)
    await handlers.validar(
        repo=repo, publicacion=publicacion, usuario=SUPERVISOR, candidatura_id=ID
    )
    assert await handlers.publicar_pendientes(repo=repo, publicacion=publicacion) == 0
    assert await pendientes_de(store) == ["candidatura_validada", "candidatura_publicable"]


async def test_con_fecha_futura_nada_es_publicable_hasta_que_llega(
    store: SqliteStore, repo: RevisionRepository, publicacion: PublicacionRepository
) -> None:
    futura = datetime.now(UTC) + timedelta(days=3)
    await handlers.fijar_inicio_publicacion(
        publicacion=publicacion, usuario=SUPERVISOR, fecha=futura
    )
    await enviada(repo)
    await handlers.validar(
        repo=repo, publicacion=publicacion, usuario=SUPERVISOR, candidatura_id=ID
    )
    assert await handlers.publicar_pendientes(repo=repo, publicacion=publicacion) == 0
    despues = futura + timedelta(minutes=1)
    assert (
        await handlers.publicar_pendientes(repo=repo, publicacion=publicacion, ahora=despues) == 1
    )
    assert (
        await handlers.publicar_pendientes(repo=repo, publicacion=publicacion, ahora=despues) == 0
    )
    assert (await pendientes_de(store))[-1] == "candidatura_publicable"


async def test_la_cola_filtra_cuenta_por_estado_y_pagina(repo: RevisionRepository) -> None:
    await enviada(repo)
    for n in range(3):
        await handlers.recibir_registro(repo=repo, datos=registrada(f"DL-MR-0{n + 3}-PAN-P"))
    pagina = await handlers.cola_de_revision(
        repo=repo, usuario=SUPERVISOR, filtros=Filtros(estado=EstadoRevision.EN_ESPERA),
        pagina=2, por_pagina=2,
    )  # fmt: skip
    assert (pagina.total, len(pagina.resultados)) == (3, 1)
    assert pagina.conteos[EstadoRevision.POR_VALIDAR] == 1
    assert pagina.conteos[EstadoRevision.EN_ESPERA] == 3
    otra = await handlers.cola_de_revision(repo=repo, usuario=OTRO_SUPERVISOR)
    assert otra.total == 0


def test_la_identidad_de_prueba_es_json() -> None:
    assert json.loads(Cifrador(SECRETO).abrir(enviado().identidad_cifrada or "", contexto=ID))
