"""Verifier use cases on the SQLite store: queue, takedowns, their events and derived notices."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.errores import NoEncontrado, Problema, SinPermiso
from comun.eventos import ContenidoDeshabilitado, ContenidoHabilitado, datos_de
from comun.eventos.vocabulario import Postulante
from comun.roles import Rol
from comun.store.sqlite import SqliteStore, open_sqlite
from validacion.adapters import ConflictoVersion, RevisionRepository
from validacion.adapters.avisos import COLECCION_AVISOS, AvisoRepository
from validacion.adapters.moderacion import COLECCION_MODERACION, ModeracionRepository
from validacion.domain import EstadoRevision, Revision
from validacion.domain.verificacion import PERFIL, ErrorVerificacion, YaEnEseEstado
from validacion.handlers import avisos as handlers_avisos
from validacion.handlers import verificacion as handlers
from validacion.handlers.verificacion import FiltrosVerificacion

AHORA = datetime(2024, 5, 20, 17, 0, tzinfo=UTC)
PUBLICADA = "DL-MR-01-PAN-P"
INDEPENDIENTE = "DL-MR-02-IND-P"
SIN_PUBLICAR = "DL-MR-03-PAN-P"
NOTA = "La propuesta incluye un llamado expreso al voto."
VERIFICADOR = Usuario("v1", "verificador", frozenset({Rol.VERIFICADOR}))
ADMIN = Usuario("a1", "admin", frozenset({Rol.ADMINISTRADOR}))
SUP_PAN = Usuario("s1", "supervisor.pan", frozenset({Rol.SUPERVISOR}), partido="PAN")
CUENTA_IND = Usuario("c2", "cand.ind", frozenset({Rol.CANDIDATURA}), candidatura=INDEPENDIENTE)


def revision(candidatura_id: str, *, partido: str | None, publicable: bool = True) -> Revision:
    postulante = Postulante.INDEPENDIENTE if partido is None else Postulante.PARTIDO
    return Revision(
        candidatura_id=candidatura_id,
        nombre=f"Persona {candidatura_id}",
        cargo="diputacion_local",
        partido=partido,
        estado=EstadoRevision.VALIDADA,
        registro={"postulante": postulante.value, "distrito": 1, "municipio": None},
        curricular={"propuesta_1": "Vota por mí este domingo.", "propuesta_2": "Agua potable."},
        hallazgos=1 if partido else 0,
        publicable=publicable,
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "validacion.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def repos(store: SqliteStore) -> dict[str, Any]:
    repo = RevisionRepository(store)
    for r in (
        revision(PUBLICADA, partido="PAN"),
        revision(INDEPENDIENTE, partido=None),
        revision(SIN_PUBLICAR, partido="PAN", publicable=False),
    ):
        await repo.guardar(r)
    moderaciones = ModeracionRepository(store)
    await moderaciones.preparar()
    return {"repo": repo, "moderaciones": moderaciones}


@pytest.fixture
async def avisos(store: SqliteStore) -> AvisoRepository:
    repo = AvisoRepository(store)
    await repo.preparar()
    return repo


async def deshabilitar(repos: dict[str, Any], **cambios: Any) -> Any:
    argumentos = {
        "usuario": VERIFICADOR,
        "candidatura_id": PUBLICADA,
        "objetivo": "propuesta_1",
        "motivo": "propaganda",
        "observacion": NOTA,
        "ahora": AHORA,
        **cambios,
    }
    return await handlers.deshabilitar(**repos, **argumentos)


async def eventos_de(store: SqliteStore, candidatura_id: str = PUBLICADA) -> list[dict[str, Any]]:
    doc = await store.collection(COLECCION_MODERACION).get(candidatura_id)
    return [] if doc is None else [p["evento"] for p in outbox.pendientes(doc)]


async def avisar(
    store: SqliteStore, avisos: AvisoRepository, candidatura_id: str = PUBLICADA
) -> int:
    """What validacion's consumer does with the takedown events: one notice per event."""
    doc = await store.collection(COLECCION_MODERACION).get(candidatura_id)
    nuevos = 0
    for pendiente in [] if doc is None else outbox.pendientes(doc):
        evento = outbox.evento(pendiente)
        datos = datos_de(evento)
        repo = RevisionRepository(store)
        if isinstance(datos, ContenidoDeshabilitado):
            nuevos += await handlers_avisos.avisar_deshabilitado(
                avisos=avisos, repo=repo, evento=evento, datos=datos
            )
        elif isinstance(datos, ContenidoHabilitado):
            nuevos += await handlers_avisos.avisar_habilitado(
                avisos=avisos, repo=repo, evento=evento, datos=datos
            )
    return nuevos


async def test_deshabilitar_un_campo_guarda_el_evento_en_la_misma_escritura(
    repos: dict[str, Any], store: SqliteStore
) -> None:
    moderacion = await deshabilitar(repos)
    (evento,) = await eventos_de(store)
    assert evento["type"] == "mx.conoceles.validacion.contenido_deshabilitado.v1"
    assert evento["data"]["campos"] == ["propuesta_1"]
    assert evento["data"]["motivo"] == "propaganda" and evento["data"]["version"] == 1
    assert moderacion.version == 1 and list(moderacion.vigentes) == ["propuesta_1"]


async def test_deshabilitar_solo_escribe_el_evento_y_el_aviso_sale_de_el(
    repos: dict[str, Any], store: SqliteStore, avisos: AvisoRepository
) -> None:
    await deshabilitar(repos)
    # One write: the moderation document with its event; no notice yet to lose in a crash.
    assert await store.collection(COLECCION_AVISOS).count({}) == 0
    assert await avisar(store, avisos) == 1
    (aviso,) = await avisos.bandeja(SUP_PAN)
    (evento,) = await eventos_de(store)
    assert aviso.id == evento["id"] and aviso.creado_por == "verificador"


async def test_deshabilitar_avisa_al_supervisor_del_partido_con_el_texto_de_siempre(
    repos: dict[str, Any], store: SqliteStore, avisos: AvisoRepository
) -> None:
    await deshabilitar(repos)
    await avisar(store, avisos)
    (aviso,) = await avisos.bandeja(SUP_PAN)
    assert aviso.asunto == f"Contenido deshabilitado: Persona {PUBLICADA}"
    assert aviso.mensaje == (
        f"Se deshabilitó el campo «Propuesta 1» de la candidatura Persona {PUBLICADA} "
        f"({PUBLICADA}); ya no se muestra al público.\n"
        "Motivo: 7. Lemas o imágenes de campaña, llamados al voto.\n"
        f"Observación de la persona verificadora: {NOTA}"
    )
    assert [c.value for c in aviso.campos] == ["propuesta_1"]
    assert aviso.motivo is not None and aviso.motivo.value == "propaganda"


async def test_un_evento_de_deshabilitar_entregado_dos_veces_deja_un_solo_aviso(
    repos: dict[str, Any], store: SqliteStore, avisos: AvisoRepository
) -> None:
    await deshabilitar(repos)
    assert await avisar(store, avisos) == 1
    assert await avisar(store, avisos) == 0
    (doc,) = await store.collection(COLECCION_AVISOS).find({})
    assert len(doc["_outbox"]) == 1
    assert len(await avisos.bandeja(SUP_PAN)) == 1


async def test_deshabilitar_una_independiente_avisa_a_su_propia_cuenta(
    repos: dict[str, Any], store: SqliteStore, avisos: AvisoRepository
) -> None:
    await deshabilitar(repos, candidatura_id=INDEPENDIENTE, objetivo=PERFIL)
    await avisar(store, avisos, INDEPENDIENTE)
    (aviso,) = await avisos.bandeja(CUENTA_IND)
    assert "el perfil completo" in aviso.mensaje
    assert await avisos.bandeja(SUP_PAN) == []


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"motivo": ""}, "Elija el motivo"),
        ({"observacion": ""}, "observación de 10"),
        ({"objetivo": "curp"}, "no es un campo"),
    ],
)
async def test_deshabilitar_sin_motivo_sin_nota_o_de_un_campo_desconocido_no_cambia_nada(
    repos: dict[str, Any], store: SqliteStore, cambios: dict[str, str], mensaje: str
) -> None:
    with pytest.raises(ErrorVerificacion, match=mensaje):
        await deshabilitar(repos, **cambios)
    assert await store.collection(COLECCION_MODERACION).get(PUBLICADA) is None


async def test_una_candidatura_no_publicada_no_se_deshabilita(repos: dict[str, Any]) -> None:
    with pytest.raises(Problema, match="todavía no se publica") as error:
        await deshabilitar(repos, candidatura_id=SIN_PUBLICAR)
    assert error.value.status == 409


async def test_una_candidatura_inexistente_da_404(repos: dict[str, Any]) -> None:
    with pytest.raises(NoEncontrado):
        await deshabilitar(repos, candidatura_id="NO-EXISTE")


async def test_deshabilitar_dos_veces_se_rechaza_sin_otro_evento(
    repos: dict[str, Any], store: SqliteStore, avisos: AvisoRepository
) -> None:
    await deshabilitar(repos)
    with pytest.raises(YaEnEseEstado, match="ya está deshabilitado"):
        await deshabilitar(repos)
    assert len(await eventos_de(store)) == 1
    await avisar(store, avisos)
    assert len(await avisos.bandeja(SUP_PAN)) == 1


async def test_habilitar_emite_contenido_habilitado_con_la_version_siguiente_y_avisa(
    repos: dict[str, Any], store: SqliteStore, avisos: AvisoRepository
) -> None:
    await deshabilitar(repos)
    moderacion = await handlers.habilitar(
        **repos, usuario=VERIFICADOR, candidatura_id=PUBLICADA, objetivo="propuesta_1"
    )
    _primero, segundo = await eventos_de(store)
    assert segundo["type"] == "mx.conoceles.validacion.contenido_habilitado.v1"
    assert segundo["data"] == {
        "candidatura_id": PUBLICADA,
        "version": 2,
        "campos": ["propuesta_1"],
    }
    assert moderacion.vigentes == {} and [a for a, _ in moderacion.historial] == [
        "deshabilitado",
        "habilitado",
    ]
    assert await avisar(store, avisos) == 2
    (visible,) = [a for a in await avisos.bandeja(SUP_PAN) if a.id == segundo["id"]]
    assert visible.asunto == f"Contenido visible de nuevo: Persona {PUBLICADA}"
    assert visible.mensaje == (
        f"El campo «Propuesta 1» de la candidatura Persona {PUBLICADA} ({PUBLICADA}) "
        "vuelve a mostrarse al público."
    )


async def test_habilitar_lo_que_no_esta_deshabilitado_se_rechaza(repos: dict[str, Any]) -> None:
    with pytest.raises(YaEnEseEstado, match="no está deshabilitado"):
        await handlers.habilitar(
            **repos, usuario=VERIFICADOR, candidatura_id=PUBLICADA, objetivo="propuesta_1"
        )


@pytest.mark.parametrize("usuario", [ADMIN, SUP_PAN])
async def test_solo_el_verificador_deshabilita(repos: dict[str, Any], usuario: Usuario) -> None:
    with pytest.raises(SinPermiso):
        await deshabilitar(repos, usuario=usuario)


async def test_el_supervisor_no_ve_la_cola_de_verificacion(repos: dict[str, Any]) -> None:
    with pytest.raises(SinPermiso):
        await handlers.cola_de_verificacion(
            repo=repos["repo"], moderaciones=repos["moderaciones"], usuario=SUP_PAN
        )


async def cola(repos: dict[str, Any], **filtros: Any) -> list[str]:
    resultado = await handlers.cola_de_verificacion(
        repo=repos["repo"],
        moderaciones=repos["moderaciones"],
        usuario=ADMIN,
        filtros=FiltrosVerificacion(**filtros),
    )
    return [f.revision.candidatura_id for f in resultado.resultados]


async def test_la_cola_muestra_solo_publicadas_y_filtra(repos: dict[str, Any]) -> None:
    await deshabilitar(repos, candidatura_id=INDEPENDIENTE)
    assert await cola(repos) == [PUBLICADA, INDEPENDIENTE]
    assert await cola(repos, partido="PAN") == [PUBLICADA]
    assert await cola(repos, con_hallazgos=True) == [PUBLICADA]
    assert await cola(repos, deshabilitada=True) == [INDEPENDIENTE]
    assert await cola(repos, deshabilitada=False) == [PUBLICADA]


async def test_la_verificacion_agrupa_los_hallazgos_por_campo(repos: dict[str, Any]) -> None:
    v = await handlers.verificacion_de(
        repo=repos["repo"],
        moderaciones=repos["moderaciones"],
        catalogo=None,
        usuario=VERIFICADOR,
        candidatura_id=PUBLICADA,
    )
    assert v.publicada and "propuesta_1" in v.hallazgos
    assert all(h.campo == "propuesta_1" for h in v.hallazgos["propuesta_1"])


async def test_dos_verificadores_a_la_vez_no_se_pisan(
    store: SqliteStore, repos: dict[str, Any]
) -> None:
    await deshabilitar(repos)
    uno, otro = ModeracionRepository(store), ModeracionRepository(store)
    primera, segunda = await uno.obtener(PUBLICADA), await otro.obtener(PUBLICADA)
    primera.deshabilitar(objetivo="propuesta_2", motivo="propaganda", observacion=NOTA,
                         por="v1", ahora=AHORA)  # fmt: skip
    segunda.deshabilitar(objetivo=PERFIL, motivo="propaganda", observacion=NOTA,
                         por="v2", ahora=AHORA)  # fmt: skip
    await uno.guardar(primera)
    with pytest.raises(ConflictoVersion):
        await otro.guardar(segunda)
    guardada = await ModeracionRepository(store).obtener(PUBLICADA)
    assert sorted(guardada.vigentes) == ["propuesta_1", "propuesta_2"] and guardada.version == 2
