"""publicacion's use cases on the SQLite store: the read model and the events it emits."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from comun.bus import outbox
from comun.cifrado import Cifrador
from comun.eventos import (
    SISTEMA,
    CandidaturaPublicable,
    CandidaturaRegistrada,
    ContenidoDeshabilitado,
    ContenidoHabilitado,
    DatosCandidatura,
    Evento,
    PerfilPublicado,
    PerfilRetirado,
    SolicitudCambioAplicada,
    muestra,
    nuevo_evento,
)
from comun.store.sqlite import SqliteStore, open_sqlite
from publicacion import handlers
from publicacion.adapters import COLECCION, PerfilRepository
from publicacion.handlers import Descifrador

ID = "DL-MR-01-PAN-P"
SECRETO = "secreto-de-pruebas-unitarias-de-publicacion"
IDENTIDAD = {"joven": "Sí", "discapacidad": "No"}
MOMENTO = datetime(2024, 5, 1, 6, 0, 12, tzinfo=UTC)
PUBLICADO = PerfilPublicado.tipo()
RETIRADO = PerfilRetirado.tipo()


class DescifradorProhibido:
    """A Descifrador that fails the test if publicacion tries to open an envelope."""

    def abrir(self, texto: str, *, contexto: str) -> bytes:
        raise AssertionError(f"Se abrió la identidad de {contexto} sin permiso para publicarla.")


def registrada(candidatura_id: str = ID, version: int = 1, **cambios: Any) -> CandidaturaRegistrada:
    datos = muestra("mx.conoceles.captura.candidatura_registrada.v1").data
    return CandidaturaRegistrada.model_validate(
        {**datos, "candidatura_id": candidatura_id, "version": version, **cambios}
    )


def publicable(
    candidatura_id: str = ID, version: int = 1, *, identidad_publica: bool = False
) -> CandidaturaPublicable:
    datos = muestra("mx.conoceles.validacion.candidatura_publicable.v1").data
    sobre = Cifrador(SECRETO).sellar(json.dumps(IDENTIDAD).encode(), contexto=candidatura_id)
    return CandidaturaPublicable.model_validate(
        {
            **datos,
            "candidatura_id": candidatura_id,
            "version": version,
            "identidad_cifrada": sobre,
            "identidad_publica": identidad_publica,
        }
    )


def evento(datos: DatosCandidatura, momento: datetime = MOMENTO) -> Evento:
    sobre = nuevo_evento(datos, subject=datos.candidatura_id, actor=SISTEMA, accion="prueba")
    return sobre.model_copy(update={"time": momento})


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "publicacion.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def repo(store: SqliteStore) -> PerfilRepository:
    repositorio = PerfilRepository(store)
    await repositorio.preparar()
    return repositorio


async def hacer_publicable(
    repo: PerfilRepository, datos: CandidaturaPublicable, cifrador: Descifrador | None = None
) -> bool:
    return await handlers.hacer_publicable(
        repo=repo, evento=evento(datos), datos=datos, cifrador=cifrador or Cifrador(SECRETO)
    )


async def publicar(
    repo: PerfilRepository,
    candidatura_id: str = ID,
    *,
    identidad_publica: bool = False,
    **registro: Any,
) -> None:
    """Registry data, then publishable content: a published profile."""
    await handlers.conocer_registro(repo=repo, datos=registrada(candidatura_id, **registro))
    await hacer_publicable(repo, publicable(candidatura_id, identidad_publica=identidad_publica))


async def documento(store: SqliteStore, candidatura_id: str = ID) -> dict[str, Any]:
    doc = await store.collection(COLECCION).get(candidatura_id)
    assert doc is not None
    return doc


async def eventos_de(store: SqliteStore, candidatura_id: str = ID) -> list[dict[str, Any]]:
    return [p["evento"] for p in outbox.pendientes(await documento(store, candidatura_id))]


def deshabilitado(version: int = 1, campos: tuple[str, ...] = ()) -> ContenidoDeshabilitado:
    return ContenidoDeshabilitado.model_validate(
        {"candidatura_id": ID, "version": version, "campos": campos, "motivo": "propaganda"}
    )


async def test_sin_identidad_publica_no_se_abre_el_sobre_ni_se_guarda_la_identidad(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    await handlers.conocer_registro(repo=repo, datos=registrada())
    datos = publicable(identidad_publica=False)
    assert await hacer_publicable(repo, datos, DescifradorProhibido())
    doc = await documento(store)
    assert doc["identidad"] is None and doc["vista"]["identidad"] is None
    assert datos.identidad_cifrada is not None and datos.identidad_cifrada not in repr(doc)


async def test_con_identidad_publica_las_respuestas_aparecen_en_la_vista(
    repo: PerfilRepository,
) -> None:
    await publicar(repo, identidad_publica=True)
    _, vista = await handlers.perfil_publico(repo=repo, candidatura_id=ID)
    assert vista is not None and vista["identidad"] == IDENTIDAD


@pytest.mark.parametrize("identidad_publica", [False, True])
async def test_la_primera_publicacion_emite_un_perfil_publicado(
    repo: PerfilRepository, store: SqliteStore, identidad_publica: bool
) -> None:
    await publicar(repo, identidad_publica=identidad_publica)
    (publicado,) = await eventos_de(store)
    assert publicado["type"] == PUBLICADO and publicado["subject"] == ID
    assert publicado["data"] == {
        "candidatura_id": ID,
        "version": 1,
        "url": f"/candidaturas/{ID}",
        "identidad_publica": identidad_publica,
    }


async def test_una_reentrega_del_mismo_evento_no_emite_ni_escribe_nada(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    await publicar(repo)
    antes = await documento(store)
    assert not await hacer_publicable(repo, publicable(), DescifradorProhibido())
    assert await documento(store) == antes


async def test_deshabilitar_el_perfil_completo_emite_perfil_retirado_por_deshabilitada(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    await publicar(repo)
    assert await handlers.deshabilitar(repo=repo, datos=deshabilitado())
    _, retirado = await eventos_de(store)
    assert retirado["type"] == RETIRADO
    assert retirado["data"] == {"candidatura_id": ID, "version": 2, "motivo": "deshabilitada"}


async def test_deshabilitar_un_campo_de_un_perfil_publicado_emite_un_nuevo_perfil_publicado(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    await publicar(repo)
    await handlers.deshabilitar(repo=repo, datos=deshabilitado(campos=("propuesta_1",)))
    _, nuevo = await eventos_de(store)
    assert nuevo["type"] == PUBLICADO and nuevo["data"]["version"] == 2
    _, vista = await handlers.perfil_publico(repo=repo, candidatura_id=ID)
    assert vista is not None and vista["curricular"]["propuesta_1"] is None


async def test_habilitar_el_perfil_completo_emite_un_nuevo_perfil_publicado(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    await publicar(repo)
    await handlers.deshabilitar(repo=repo, datos=deshabilitado())
    habilitado = ContenidoHabilitado(candidatura_id=ID, version=2, campos=())
    assert await handlers.habilitar(repo=repo, datos=habilitado)
    tipos = [(e["type"], e["data"]["version"]) for e in await eventos_de(store)]
    assert tipos == [(PUBLICADO, 1), (RETIRADO, 2), (PUBLICADO, 3)]


async def test_cancelar_una_candidatura_publicada_emite_perfil_retirado_por_cancelada(
    repo: PerfilRepository, store: SqliteStore
) -> None:
    await publicar(repo)
    await handlers.dar_de_baja(repo=repo, candidatura_id=ID, motivo="cancelada", version=2)
    _, retirado = await eventos_de(store)
    assert retirado["type"] == RETIRADO and retirado["data"]["motivo"] == "cancelada"
    assert await handlers.perfil_publico(repo=repo, candidatura_id=ID) == ("retirado", None)


async def test_una_solicitud_aplicada_entra_al_historial_con_el_texto_anterior(
    repo: PerfilRepository,
) -> None:
    await publicar(repo)
    aplicada = SolicitudCambioAplicada.model_validate(
        muestra("mx.conoceles.validacion.solicitud_cambio_aplicada.v1").data
    )
    assert await handlers.anotar_cambio(repo=repo, evento=evento(aplicada), datos=aplicada)
    assert not await handlers.anotar_cambio(repo=repo, evento=evento(aplicada), datos=aplicada)
    _, vista = await handlers.perfil_publico(repo=repo, candidatura_id=ID)
    assert vista is not None
    ((telefono, _pagina),) = [c["campos"] for c in vista["cambios"]]
    assert telefono == {
        "campo": "telefono_publico",
        "anterior": "7221234567",
        "nuevo": "7222158890",
        "deshabilitado": False,
    }


async def publicar_en_orden(tmp_path: Path, *, contenido_primero: bool) -> tuple[Any, Any]:
    """Publish one profile in a fresh store; its public view and the events it emitted."""
    store = await open_sqlite(tmp_path / f"contenido_primero_{contenido_primero}.db")
    repo = PerfilRepository(store)
    if contenido_primero:
        await hacer_publicable(repo, publicable(identidad_publica=True))
    await handlers.conocer_registro(repo=repo, datos=registrada())
    if not contenido_primero:
        await hacer_publicable(repo, publicable(identidad_publica=True))
    _, vista = await handlers.perfil_publico(repo=repo, candidatura_id=ID)
    eventos = [(e["type"], e["data"]) for e in await eventos_de(store)]
    await store.close()
    return vista, eventos


async def test_el_contenido_que_llega_antes_que_el_registro_termina_en_la_misma_vista(
    tmp_path: Path,
) -> None:
    en_orden = await publicar_en_orden(tmp_path, contenido_primero=False)
    desordenado = await publicar_en_orden(tmp_path, contenido_primero=True)
    assert en_orden[0] is not None and desordenado == en_orden
    assert len(desordenado[1]) == 1


async def test_el_resumen_cuenta_candidaturas_registradas_vigentes_y_perfiles_publicados(
    repo: PerfilRepository,
) -> None:
    await publicar(repo, "A")
    await handlers.conocer_registro(repo=repo, datos=registrada("B"))
    await publicar(repo, "C")
    await handlers.dar_de_baja(repo=repo, candidatura_id="C", motivo="sustituida", version=2)
    await hacer_publicable(repo, publicable("D"))
    resumen = await handlers.resumen_publico(repo=repo)
    assert (resumen.registradas, resumen.publicadas) == (2, 1)


async def test_los_perfiles_publicos_se_filtran_por_cargo(repo: PerfilRepository) -> None:
    await publicar(repo, "A", cargo="diputacion_local", principio="MR", distrito=1)
    await publicar(repo, "B", cargo="presidencia_municipal")
    await handlers.conocer_registro(repo=repo, datos=registrada("C", cargo="diputacion_local"))
    total, vistas = await handlers.perfiles_publicos(
        repo=repo, filtro={"cargo": "diputacion_local"}, pagina=1, por_pagina=20
    )
    assert total == 1 and [v["id"] for v in vistas] == ["A"]


async def test_los_perfiles_publicos_se_paginan_en_orden_de_nombre(
    repo: PerfilRepository,
) -> None:
    for candidatura_id, nombre in (("A", "Carla Ruiz"), ("B", "ana López"), ("C", "Beto Paz")):
        await publicar(repo, candidatura_id, nombre=nombre)
    paginas = [
        await handlers.perfiles_publicos(repo=repo, filtro={}, pagina=n, por_pagina=2)
        for n in (1, 2)
    ]
    assert [total for total, _ in paginas] == [3, 3]
    nombres = [[v["nombre"] for v in vistas] for _, vistas in paginas]
    assert nombres == [["ana López", "Beto Paz"], ["Carla Ruiz"]]


async def test_los_nombres_con_acento_inicial_se_ordenan_como_en_espanol(
    repo: PerfilRepository,
) -> None:
    for candidatura_id, nombre in (("A", "Zoe Ruiz"), ("B", "Ángela Paz"), ("C", "Beto Paz")):
        await publicar(repo, candidatura_id, nombre=nombre)
    _, vistas = await handlers.perfiles_publicos(repo=repo, filtro={}, pagina=1, por_pagina=20)
    assert [v["nombre"] for v in vistas] == ["Ángela Paz", "Beto Paz", "Zoe Ruiz"]
