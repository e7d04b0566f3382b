"""Change-request use cases on the embedded SQLite store: file, queue, apply, reject."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.errores import NoEncontrado, SinPermiso
from comun.roles import Rol
from comun.settings import archivo_de_datos
from comun.store import Store
from comun.store.sqlite import open_sqlite
from validacion.adapters import COLECCION, RevisionRepository
from validacion.adapters.avisos import COLECCION_AVISOS, AvisoRepository
from validacion.adapters.solicitudes import COLECCION_SOLICITUDES, SolicitudRepository
from validacion.domain import EstadoRevision, Revision
from validacion.domain.calendario import Calendario
from validacion.domain.solicitudes import ErrorSolicitud, EstadoSolicitud
from validacion.handlers import solicitudes as handlers

SUP_PAN = Usuario("1", "sup.pan", frozenset({Rol.SUPERVISOR}), partido="PAN")
SUP_PRI = Usuario("2", "sup.pri", frozenset({Rol.SUPERVISOR}), partido="PRI")
ADMIN = Usuario("5", "admin", frozenset({Rol.ADMINISTRADOR}))
ID = "DL-MR-01-PAN-P"
# Thursday 16 May 2024, 18:00 in Mexico City; Friday 17 is a non-working day.
JUEVES = datetime(2024, 5, 17, 0, 0, tzinfo=UTC)
CALENDARIO = Calendario.con([date(2024, 5, 17)])
CURRICULAR = {
    "propuesta_1": "Agua potable para todas las colonias.",
    "cursos": ["Diplomado en gestión pública"],
    "grado_maximo_estudios": "licenciatura",
}


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    almacen = await open_sqlite(tmp_path / "validacion.db")
    yield almacen
    await almacen.close()


@pytest.fixture
async def repos(store: Store) -> dict[str, Any]:
    solicitudes = SolicitudRepository(store)
    await solicitudes.preparar()
    avisos = AvisoRepository(store)
    await avisos.preparar()
    return {"repo": RevisionRepository(store), "solicitudes": solicitudes, "avisos": avisos}


async def publicada(
    repo: RevisionRepository, candidatura_id: str = ID, *, publicable: bool = True
) -> None:
    """A validated candidacy of PAN, published (or not yet)."""
    revision = Revision(
        candidatura_id,
        "María Fernanda López",
        "diputacion",
        "PAN",
        estado=EstadoRevision.VALIDADA,
        curricular=dict(CURRICULAR),
        publicable=publicable,
        version=3,
    )
    await repo.guardar(revision)


async def presentar(
    repos: dict[str, Any],
    cambios: list[tuple[str, str]] | None = None,
    *,
    usuario: Usuario = SUP_PAN,
    candidatura_id: str = ID,
    ahora: datetime = JUEVES,
) -> handlers.Expediente:
    return await handlers.presentar_solicitud(
        repo=repos["repo"],
        solicitudes=repos["solicitudes"],
        usuario=usuario,
        candidatura_id=candidatura_id,
        cambios=cambios if cambios is not None else [("propuesta_1", "Agua y drenaje.")],
        calendario=CALENDARIO,
        ahora=ahora,
    )


async def eventos(store: Store, coleccion: str, doc_id: str) -> list[dict[str, Any]]:
    doc = await store.collection(coleccion).get(doc_id)
    assert doc is not None
    return [p["evento"] for p in outbox.pendientes(doc)]


async def test_la_solicitud_vence_al_terminar_el_siguiente_dia_habil_del_calendario(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    vence = expediente.solicitud.vence
    assert (vence.date(), vence.hour, vence.minute) == (date(2024, 5, 20), 23, 59)
    (evento,) = await eventos(store, COLECCION_SOLICITUDES, expediente.solicitud.id)
    assert evento["type"].endswith("solicitud_cambio_presentada.v1")
    assert evento["data"]["cambios"] == [{"campo": "propuesta_1", "texto": "Agua y drenaje."}]
    assert datetime.fromisoformat(evento["data"]["vence"]) == vence


def test_el_calendario_de_datos_se_lee_y_marca_dias_inhabiles() -> None:
    calendario = handlers.calendario_de(archivo_de_datos("calendario/dias-inhabiles.csv"))
    assert not calendario.es_habil(date(2024, 1, 1))
    assert calendario.es_habil(date(2024, 1, 2))


async def test_una_segunda_solicitud_da_409_y_la_primera_no_cambia(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    primera = await presentar(repos)
    with pytest.raises(handlers.SolicitudNoAdmitida, match="única solicitud") as error:
        await presentar(repos, [("propuesta_1", "Otra cosa distinta.")])
    assert error.value.status == 409
    guardada = await repos["solicitudes"].obtener(primera.solicitud.id)
    assert guardada.solicitud.cambios == primera.solicitud.cambios
    assert len(await eventos(store, COLECCION_SOLICITUDES, primera.solicitud.id)) == 1


async def test_una_candidatura_no_publicada_no_admite_solicitud(repos: dict[str, Any]) -> None:
    await publicada(repos["repo"], publicable=False)
    with pytest.raises(handlers.SolicitudNoAdmitida, match="todavía no está publicada"):
        await presentar(repos)
    assert await repos["solicitudes"].de_candidatura(ID) is None


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ([], "al menos un campo"),
        ([("apodo", "Mafer")], "no existe"),
        ([("grado_maximo_estudios", "Licenciada")], "no es un valor admitido"),
        ([("propuesta_1", CURRICULAR["propuesta_1"])], "igual al publicado"),
        ([("cursos", "x" * 251)], "250 caracteres"),
    ],
)
async def test_cambios_invalidos_dan_error_claro_y_no_se_guarda_nada(
    repos: dict[str, Any], cambios: list[tuple[str, str]], mensaje: str
) -> None:
    await publicada(repos["repo"])
    with pytest.raises(ErrorSolicitud, match=mensaje):
        await presentar(repos, cambios)
    assert await repos["solicitudes"].de_candidatura(ID) is None


async def test_el_supervisor_de_otro_partido_recibe_404(repos: dict[str, Any]) -> None:
    await publicada(repos["repo"])
    with pytest.raises(NoEncontrado):
        await presentar(repos, usuario=SUP_PRI)
    expediente = await presentar(repos)
    with pytest.raises(NoEncontrado):
        await handlers.solicitud_en_alcance(
            solicitudes=repos["solicitudes"], usuario=SUP_PRI, solicitud_id=expediente.solicitud.id
        )


async def test_el_administrador_no_presenta_solicitudes(repos: dict[str, Any]) -> None:
    await publicada(repos["repo"])
    with pytest.raises(SinPermiso):
        await presentar(repos, usuario=ADMIN)


async def test_aplicar_guarda_los_textos_anteriores_y_vuelve_a_publicar(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    cambios = [("propuesta_1", "Agua y drenaje."), ("cursos", "Curso A\n\nCurso B")]
    expediente = await presentar(repos, cambios)
    aplicada = await handlers.aplicar_solicitud(
        **repos, usuario=ADMIN, solicitud_id=expediente.solicitud.id
    )
    assert aplicada.solicitud.estado is EstadoSolicitud.APLICADA
    _, evento = await eventos(store, COLECCION_SOLICITUDES, expediente.solicitud.id)
    assert evento["data"]["anteriores"] == [
        {"campo": "propuesta_1", "texto": CURRICULAR["propuesta_1"]},
        {"campo": "cursos", "texto": "Diplomado en gestión pública"},
    ]
    (publicable,) = await eventos(store, COLECCION, ID)
    assert publicable["type"].endswith("candidatura_publicable.v1")
    assert publicable["data"]["version"] == 4 == evento["data"]["version"]
    assert publicable["data"]["curricular"]["propuesta_1"] == "Agua y drenaje."
    assert publicable["data"]["curricular"]["cursos"] == ["Curso A", "Curso B"]
    avisos = await store.collection(COLECCION_AVISOS).find({"candidatura_id": ID})
    assert [a["destinatario"]["partido"] for a in avisos] == ["PAN"]
    assert "Se aplicó" in avisos[0]["mensaje"]


async def test_resolver_dos_veces_da_409_y_nada_cambia(store: Store, repos: dict[str, Any]) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    solicitud_id = expediente.solicitud.id
    await handlers.aplicar_solicitud(**repos, usuario=ADMIN, solicitud_id=solicitud_id)
    with pytest.raises(handlers.SolicitudNoAdmitida, match="ya fue aplicada"):
        await handlers.aplicar_solicitud(**repos, usuario=ADMIN, solicitud_id=solicitud_id)
    with pytest.raises(handlers.SolicitudNoAdmitida, match="ya fue aplicada"):
        await handlers.rechazar_solicitud(
            **repos, usuario=ADMIN, solicitud_id=solicitud_id, motivo="No procede el cambio."
        )
    assert len(await eventos(store, COLECCION_SOLICITUDES, solicitud_id)) == 2
    assert len(await eventos(store, COLECCION, ID)) == 1


async def test_rechazar_sin_motivo_da_error_y_la_solicitud_sigue_pendiente(
    repos: dict[str, Any],
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    with pytest.raises(ErrorSolicitud, match="Explique el rechazo"):
        await handlers.rechazar_solicitud(
            **repos, usuario=ADMIN, solicitud_id=expediente.solicitud.id, motivo="  "
        )
    guardada = await repos["solicitudes"].obtener(expediente.solicitud.id)
    assert guardada.solicitud.estado is EstadoSolicitud.PRESENTADA


async def test_rechazar_con_motivo_avisa_y_no_republica(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    await handlers.rechazar_solicitud(
        **repos,
        usuario=ADMIN,
        solicitud_id=expediente.solicitud.id,
        motivo="El texto nuevo menciona a otro partido.",
    )
    _, evento = await eventos(store, COLECCION_SOLICITUDES, expediente.solicitud.id)
    assert evento["data"]["motivo"] == "El texto nuevo menciona a otro partido."
    assert await eventos(store, COLECCION, ID) == []
    (aviso,) = await store.collection(COLECCION_AVISOS).find({"candidatura_id": ID})
    assert "menciona a otro partido" in aviso["mensaje"]


async def test_una_aplicacion_interrumpida_se_completa_al_repetirla(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    # The request was saved as applied, and the process stopped before republishing.
    cargado = await repos["solicitudes"].obtener(expediente.solicitud.id)
    cargado.solicitud.aplicar(publicados={}, por="admin", ahora=JUEVES)
    await repos["solicitudes"].guardar(cargado, [])
    await handlers.aplicar_solicitud(**repos, usuario=ADMIN, solicitud_id=expediente.solicitud.id)
    (publicable,) = await eventos(store, COLECCION, ID)
    assert publicable["data"]["curricular"]["propuesta_1"] == "Agua y drenaje."


async def test_la_cola_pone_primero_las_vencidas_y_filtra(repos: dict[str, Any]) -> None:
    for n, dias in ((1, 0), (2, -5), (3, -1)):
        candidatura = f"DL-MR-0{n}-PAN-P"
        await publicada(repos["repo"], candidatura)
        await presentar(repos, candidatura_id=candidatura, ahora=JUEVES + timedelta(days=dias))
    ahora = JUEVES + timedelta(days=2)
    cola = await handlers.cola_de_solicitudes(
        solicitudes=repos["solicitudes"], usuario=ADMIN, ahora=ahora
    )
    assert [e.solicitud.candidatura_id for e in cola] == [
        "DL-MR-02-PAN-P",
        "DL-MR-03-PAN-P",
        "DL-MR-01-PAN-P",
    ]
    vencidas = await handlers.cola_de_solicitudes(
        solicitudes=repos["solicitudes"], usuario=ADMIN, vencidas=True, ahora=ahora
    )
    assert len(vencidas) == 2
    ajena = await handlers.cola_de_solicitudes(
        solicitudes=repos["solicitudes"], usuario=SUP_PRI, ahora=ahora
    )
    assert ajena == []
    otro = await handlers.cola_de_solicitudes(
        solicitudes=repos["solicitudes"], usuario=ADMIN, partido="PRI", ahora=ahora
    )
    assert otro == []
