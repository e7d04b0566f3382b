"""Change-request use cases on the embedded SQLite store: file, queue, apply, reject, notify."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from comun.auth.usuario import Usuario, actor_de
from comun.bus import outbox
from comun.errores import NoEncontrado, SinPermiso
from comun.eventos import Evento, datos_de
from comun.eventos.validacion import SolicitudCambioAplicada, SolicitudCambioRechazada
from comun.roles import Rol
from comun.settings import archivo_de_datos
from comun.store import Store
from comun.store.sqlite import open_sqlite
from validacion.adapters import COLECCION, RevisionRepository
from validacion.adapters.avisos import COLECCION_AVISOS, AvisoRepository
from validacion.adapters.moderacion import ModeracionRepository
from validacion.adapters.solicitudes import COLECCION_SOLICITUDES, SolicitudRepository
from validacion.domain import EstadoRevision, Revision
from validacion.domain.calendario import Calendario
from validacion.domain.solicitudes import ErrorSolicitud, EstadoSolicitud
from validacion.domain.verificacion import PERFIL
from validacion.handlers import avisos as handlers_avisos
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
    return {"repo": RevisionRepository(store), "solicitudes": solicitudes}


@pytest.fixture
async def avisos(store: Store) -> AvisoRepository:
    repo = AvisoRepository(store)
    await repo.preparar()
    return repo


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


async def avisar(store: Store, avisos: AvisoRepository, solicitud_id: str) -> int:
    """What validacion's consumer does with a request's resolution events: one notice each."""
    nuevos = 0
    for evento in await eventos(store, COLECCION_SOLICITUDES, solicitud_id):
        e = Evento.model_validate(evento)
        datos = datos_de(e)
        solicitudes = SolicitudRepository(store)
        if isinstance(datos, SolicitudCambioAplicada):
            nuevos += await handlers_avisos.avisar_solicitud_aplicada(
                avisos=avisos, solicitudes=solicitudes, evento=e, datos=datos
            )
        elif isinstance(datos, SolicitudCambioRechazada):
            nuevos += await handlers_avisos.avisar_solicitud_rechazada(
                avisos=avisos, solicitudes=solicitudes, evento=e, datos=datos
            )
    return nuevos


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


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ([("telefono_publico", "722 123 45")], "debe tener 10 dígitos; «722 123 45» tiene 8"),
        ([("telefono_publico", "Lada 722")], "tiene letras"),
        ([("telefono_publico", "0722123456")], "ninguno empieza con 0 o 1"),
        ([("correo_publico", "ana.perez@ejemplo")], "no es una dirección válida"),
        ([("correo_publico", "ana perez@ejemplo.mx")], "nombre@dominio.mx"),
        ([("pagina_web", "anaperez.mx")], "empezando con https://"),
        ([("pagina_web", "ftp://anaperez.mx")], "empezando con https://"),
        ([("pagina_web", "https://ana perez.mx")], "no es una dirección válida"),
        ([("domicilio_casa_campana", "Av. Juárez 15\nCentro")], "una sola línea"),
        ([("domicilio_casa_campana", "x" * 301)], "el máximo es 300"),
        ([("historia_profesional", "Docente\x07")], "caracteres de control"),
    ],
)
async def test_un_texto_con_formato_invalido_da_422_y_no_se_guarda_nada(
    repos: dict[str, Any], cambios: list[tuple[str, str]], mensaje: str
) -> None:
    await publicada(repos["repo"])
    with pytest.raises(ErrorSolicitud, match=mensaje):
        await presentar(repos, cambios)
    assert await repos["solicitudes"].de_candidatura(ID) is None


async def test_cada_campo_con_formato_invalido_tiene_su_propio_mensaje(
    repos: dict[str, Any],
) -> None:
    await publicada(repos["repo"])
    cambios = [
        ("telefono_publico", "123"),
        ("correo_publico", "sin-arroba"),
        ("pagina_web", "javascript:alert(1)"),
        ("propuesta_1", "Agua y drenaje."),
    ]
    with pytest.raises(ErrorSolicitud) as error:
        await presentar(repos, cambios)
    detalle = str(error.value)
    assert "El teléfono público debe tener 10 dígitos" in detalle
    assert "El correo electrónico público «sin-arroba»" in detalle
    assert "La página web «javascript:alert(1)»" in detalle
    assert "Propuesta 1" not in detalle


async def test_los_contactos_validos_se_aceptan_y_el_telefono_queda_en_10_digitos(
    repos: dict[str, Any],
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(
        repos,
        [
            ("telefono_publico", "+52 (722) 123-4567"),
            ("correo_publico", "ana.perez@ejemplo.mx"),
            ("pagina_web", "https://anaperez.mx/propuestas?x=1"),
        ],
    )
    assert [c.texto for c in expediente.solicitud.cambios] == [
        "7221234567",
        "ana.perez@ejemplo.mx",
        "https://anaperez.mx/propuestas?x=1",
    ]


async def deshabilitado(store: Store, objetivo: str, candidatura_id: str = ID) -> None:
    """A verifier's takedown of a field or the whole profile."""
    moderaciones = ModeracionRepository(store)
    moderacion = await moderaciones.obtener(candidatura_id)
    moderacion.deshabilitar(
        objetivo=objetivo,
        motivo="propaganda",
        observacion="Llama expresamente al voto.",
        por="verificador",
        ahora=JUEVES,
    )
    await moderaciones.guardar(moderacion)


async def test_una_solicitud_sobre_un_campo_deshabilitado_advierte_que_seguira_oculto(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    await deshabilitado(store, "propuesta_1")
    expediente = await presentar(
        repos, [("propuesta_1", "Agua y drenaje."), ("propuesta_2", "Seguridad.")]
    )
    ocultos = await handlers.ocultos_de(
        moderaciones=ModeracionRepository(store), expedientes=[expediente]
    )
    (oculto,) = ocultos.values()
    assert [c.value for c in oculto.campos] == ["propuesta_1"]
    assert oculto.advertencia is not None
    assert "«Propuesta 1» está deshabilitado" in oculto.advertencia
    assert "seguirá oculto al público" in oculto.advertencia


async def test_aplicar_sobre_un_campo_deshabilitado_reemplaza_el_texto_y_no_lo_vuelve_a_mostrar(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    await deshabilitado(store, "propuesta_1")
    expediente = await presentar(repos)
    await handlers.aplicar_solicitud(**repos, usuario=ADMIN, solicitud_id=expediente.solicitud.id)
    (publicable,) = await eventos(store, COLECCION, ID)
    assert publicable["data"]["curricular"]["propuesta_1"] == "Agua y drenaje."
    moderacion = await ModeracionRepository(store).obtener(ID)
    assert list(moderacion.vigentes) == ["propuesta_1"]
    (oculto,) = (
        await handlers.ocultos_de(
            moderaciones=ModeracionRepository(store), expedientes=[expediente]
        )
    ).values()
    assert oculto.advertencia is not None and "seguirá oculto" in oculto.advertencia


async def test_con_el_perfil_deshabilitado_la_advertencia_habla_del_perfil_completo(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    await deshabilitado(store, PERFIL)
    expediente = await presentar(repos)
    (oculto,) = (
        await handlers.ocultos_de(
            moderaciones=ModeracionRepository(store), expedientes=[expediente]
        )
    ).values()
    assert oculto.perfil and oculto.advertencia is not None
    assert oculto.advertencia.startswith("El perfil completo está deshabilitado")


async def test_sin_campos_deshabilitados_o_ya_rechazada_no_hay_advertencia(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    moderaciones = ModeracionRepository(store)
    (oculto,) = (
        await handlers.ocultos_de(moderaciones=moderaciones, expedientes=[expediente])
    ).values()
    assert not oculto and oculto.advertencia is None
    await deshabilitado(store, "propuesta_1")
    rechazada = await handlers.rechazar_solicitud(
        **repos, usuario=ADMIN, solicitud_id=expediente.solicitud.id, motivo="No procede el cambio."
    )
    (oculto,) = (
        await handlers.ocultos_de(moderaciones=moderaciones, expedientes=[rechazada])
    ).values()
    assert oculto.advertencia is None


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
    store: Store, repos: dict[str, Any], avisos: AvisoRepository
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
    assert await store.collection(COLECCION_AVISOS).count({}) == 0
    assert await avisar(store, avisos, expediente.solicitud.id) == 1
    (aviso,) = await store.collection(COLECCION_AVISOS).find({"candidatura_id": ID})
    assert aviso["_id"] == evento["id"] and aviso["destinatario"]["partido"] == "PAN"
    assert aviso["asunto"] == "Solicitud de cambio aplicada: María Fernanda López"
    assert aviso["mensaje"] == (
        f"Se aplicó la solicitud de cambio SC-{ID} de María Fernanda López: el perfil público "
        "ya muestra los nuevos textos y los anteriores quedan en el registro público de "
        "cambios (un campo deshabilitado por la verificación sigue oculto hasta que se "
        "vuelva a habilitar). Esta candidatura ya usó su única solicitud de cambio."
    )
    assert aviso["campos"] == ["propuesta_1", "cursos"]


async def test_el_evento_de_aplicar_entregado_dos_veces_deja_un_solo_aviso(
    store: Store, repos: dict[str, Any], avisos: AvisoRepository
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    await handlers.aplicar_solicitud(**repos, usuario=ADMIN, solicitud_id=expediente.solicitud.id)
    assert await avisar(store, avisos, expediente.solicitud.id) == 1
    assert await avisar(store, avisos, expediente.solicitud.id) == 0
    assert await store.collection(COLECCION_AVISOS).count({}) == 1


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
    store: Store, repos: dict[str, Any], avisos: AvisoRepository
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
    assert await avisar(store, avisos, expediente.solicitud.id) == 1
    (aviso,) = await store.collection(COLECCION_AVISOS).find({"candidatura_id": ID})
    assert aviso["asunto"] == "Solicitud de cambio rechazada: María Fernanda López"
    assert aviso["mensaje"] == (
        f"Se rechazó la solicitud de cambio SC-{ID} de María Fernanda López. Motivo: El texto "
        "nuevo menciona a otro partido. El perfil público no cambia."
    )


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


async def test_el_evento_de_una_aplicacion_interrumpida_completa_la_republicacion(
    store: Store, repos: dict[str, Any]
) -> None:
    await publicada(repos["repo"])
    expediente = await presentar(repos)
    # The request was saved as applied, and the process stopped before republishing.
    cargado = await repos["solicitudes"].obtener(expediente.solicitud.id)
    cargado.solicitud.aplicar(publicados={}, por="admin", ahora=JUEVES)
    await repos["solicitudes"].guardar(cargado, [])
    for _ in range(2):  # the event, and a redelivery of it
        await handlers.completar_aplicacion(
            repo=repos["repo"],
            solicitudes=repos["solicitudes"],
            solicitud_id=expediente.solicitud.id,
            actor=actor_de(ADMIN),
        )
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
