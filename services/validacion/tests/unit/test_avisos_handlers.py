"""Notice use cases on the embedded SQLite store: issue, inbox, read marks, e-mail queue."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.errores import NoEncontrado
from comun.eventos import Actor, datos_de
from comun.eventos.identidad import CuentaCreada
from comun.eventos.validacion import AvisoEmitido
from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from comun.roles import Rol
from comun.store import Store
from comun.store.sqlite import open_sqlite
from validacion.adapters.avisos import (
    COLECCION_AVISOS,
    AvisoRepository,
    ContactoRepository,
    EnvioRepository,
)
from validacion.adapters.correo import BuzonDeSalida, CorreoNoEnviado
from validacion.domain.avisos import Aviso, AvisoInvalido, EstadoEnvio, MensajeCorreo
from validacion.handlers import avisos as handlers

VERIFICADOR = Actor(usuario="verificador", rol="verificador")
SUP_PAN = Usuario("1", "sup.pan", frozenset({Rol.SUPERVISOR}), partido="PAN")
SUP_PRI = Usuario("2", "sup.pri", frozenset({Rol.SUPERVISOR}), partido="PRI")
CAPTURA_PAN = Usuario("3", "captura.pan", frozenset({Rol.PARTIDO}), partido="PAN")
INDEPENDIENTE = Usuario("4", "ci.01", frozenset({Rol.CANDIDATURA}), candidatura="CI-01")
ADMIN = Usuario("5", "admin", frozenset({Rol.ADMINISTRADOR}))
URL = "http://127.0.0.1:8000/validacion/avisos"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    almacen = await open_sqlite(tmp_path / "validacion.db")
    yield almacen
    await almacen.close()


@pytest.fixture
async def avisos(store: Store) -> AvisoRepository:
    repo = AvisoRepository(store)
    await repo.preparar()
    return repo


async def emitir(avisos: AvisoRepository, candidatura: str, partido: str | None) -> Aviso:
    return await handlers.emitir_aviso(
        avisos=avisos,
        candidatura_id=candidatura,
        version=3,
        partido=partido,
        mensaje="La propuesta 1 llama al voto.",
        motivo=MotivoContenido.PROPAGANDA,
        campos=[CampoCurricular.PROPUESTA_1],
        actor=VERIFICADOR,
    )


async def test_emitir_un_aviso_guarda_su_evento_en_el_mismo_documento(
    avisos: AvisoRepository, store: Store
) -> None:
    aviso = await emitir(avisos, "DL-01-PAN", "PAN")
    doc = await store.collection(COLECCION_AVISOS).get(aviso.id)
    assert doc is not None
    [pendiente] = outbox.pendientes(doc)
    datos = datos_de(outbox.evento(pendiente))
    assert isinstance(datos, AvisoEmitido)
    assert (datos.aviso_id, datos.version, datos.motivo) == (
        aviso.id,
        3,
        MotivoContenido.PROPAGANDA,
    )


async def test_un_aviso_sin_mensaje_no_se_guarda(avisos: AvisoRepository) -> None:
    with pytest.raises(AvisoInvalido):
        await handlers.emitir_aviso(
            avisos=avisos,
            candidatura_id="DL-01-PAN",
            version=1,
            partido="PAN",
            mensaje="",
            actor=VERIFICADOR,
        )
    assert await handlers.bandeja(avisos=avisos, usuario=ADMIN) == []


async def test_cada_cuenta_ve_solo_los_avisos_dirigidos_a_ella(avisos: AvisoRepository) -> None:
    del_pan = await emitir(avisos, "DL-01-PAN", "PAN")
    del_pri = await emitir(avisos, "DL-02-PRI", "PRI")
    independiente = await emitir(avisos, "CI-01", None)

    async def ids(usuario: Usuario) -> set[str]:
        return {a.id for a in await handlers.bandeja(avisos=avisos, usuario=usuario)}

    assert await ids(SUP_PAN) == {del_pan.id}
    assert await ids(SUP_PRI) == {del_pri.id}
    assert await ids(INDEPENDIENTE) == {independiente.id}
    assert await ids(CAPTURA_PAN) == set()
    assert await ids(ADMIN) == {del_pan.id, del_pri.id, independiente.id}


async def test_marcar_leido_baja_el_contador_solo_de_esa_cuenta(avisos: AvisoRepository) -> None:
    aviso = await emitir(avisos, "DL-01-PAN", "PAN")
    await emitir(avisos, "DL-03-PAN", "PAN")
    otra_sup = Usuario("9", "otra.sup.pan", frozenset({Rol.SUPERVISOR}), partido="PAN")
    await handlers.marcar_leido(avisos=avisos, usuario=SUP_PAN, aviso_id=aviso.id)
    await handlers.marcar_leido(avisos=avisos, usuario=SUP_PAN, aviso_id=aviso.id)
    assert await handlers.no_leidos(avisos=avisos, usuario=SUP_PAN) == 1
    assert await handlers.no_leidos(avisos=avisos, usuario=otra_sup) == 2
    no_leidos = await handlers.bandeja(avisos=avisos, usuario=SUP_PAN, solo_no_leidos=True)
    assert len(no_leidos) == 1
    assert no_leidos[0].id != aviso.id


async def test_marcar_leido_conserva_el_evento_pendiente(
    avisos: AvisoRepository, store: Store
) -> None:
    aviso = await emitir(avisos, "DL-01-PAN", "PAN")
    await handlers.marcar_leido(avisos=avisos, usuario=SUP_PAN, aviso_id=aviso.id)
    doc = await store.collection(COLECCION_AVISOS).get(aviso.id)
    assert doc is not None
    assert len(outbox.pendientes(doc)) == 1


async def test_un_aviso_de_otro_partido_se_ve_igual_que_uno_inexistente(
    avisos: AvisoRepository,
) -> None:
    aviso = await emitir(avisos, "DL-02-PRI", "PRI")
    with pytest.raises(NoEncontrado) as ajeno:
        await handlers.marcar_leido(avisos=avisos, usuario=SUP_PAN, aviso_id=aviso.id)
    with pytest.raises(NoEncontrado) as inexistente:
        await handlers.marcar_leido(avisos=avisos, usuario=SUP_PAN, aviso_id="no-existe")
    assert ajeno.value.detail == inexistente.value.detail


def cuenta(id: str, usuario: str, rol: Rol, correo: str | None, **alcance: str) -> CuentaCreada:
    return CuentaCreada(cuenta_id=id, nombre_usuario=usuario, rol=rol, correo=correo, **alcance)


class CorreoQueFalla:
    """An SMTP server that refuses every message."""

    async def enviar(self, mensaje: MensajeCorreo) -> None:
        raise CorreoNoEnviado("SMTPServerDisconnected: Connection unexpectedly closed")


async def test_el_correo_llega_a_cada_supervision_con_direccion_y_una_sola_vez(
    avisos: AvisoRepository, store: Store
) -> None:
    contactos, envios, buzon = (
        ContactoRepository(store),
        EnvioRepository(store),
        BuzonDeSalida(store),
    )
    for datos in (
        cuenta("c1", "sup.pan", Rol.SUPERVISOR, "sup@pan.mx", partido="PAN"),
        cuenta("c2", "sup2.pan", Rol.SUPERVISOR, "sup2@pan.mx", partido="PAN"),
        cuenta("c3", "sup.pri", Rol.SUPERVISOR, "sup@pri.mx", partido="PRI"),
        cuenta("c4", "captura.pan", Rol.PARTIDO, None, partido="PAN"),
    ):
        await handlers.registrar_contacto(contactos=contactos, datos=datos)
    aviso = await emitir(avisos, "DL-01-PAN", "PAN")
    for _ in range(2):  # the event may arrive twice
        await handlers.encolar_correos(
            avisos=avisos, contactos=contactos, envios=envios, aviso_id=aviso.id, url_avisos=URL
        )
    assert await handlers.entregar_correos(envios=envios, correo=buzon) == 2
    assert await handlers.entregar_correos(envios=envios, correo=buzon) == 0
    mensajes = await buzon.mensajes()
    assert sorted(m.para for m in mensajes) == [("sup2@pan.mx",), ("sup@pan.mx",)]
    assert all("La propuesta 1 llama al voto." in m.cuerpo for m in mensajes)


async def test_un_correo_que_falla_se_reintenta_despues_y_el_aviso_sigue_en_la_bandeja(
    avisos: AvisoRepository, store: Store
) -> None:
    contactos, envios = ContactoRepository(store), EnvioRepository(store)
    await handlers.registrar_contacto(
        contactos=contactos,
        datos=cuenta("c9", "ci.01", Rol.CANDIDATURA, "ci@correo.mx", candidatura_id="CI-01"),
    )
    aviso = await emitir(avisos, "CI-01", None)
    await handlers.encolar_correos(
        avisos=avisos, contactos=contactos, envios=envios, aviso_id=aviso.id, url_avisos=URL
    )
    ahora = datetime.now(UTC)
    assert await handlers.entregar_correos(envios=envios, correo=CorreoQueFalla(), ahora=ahora) == 0
    [envio] = await envios.recientes()
    assert (envio.estado, envio.intentos) == (EstadoEnvio.PENDIENTE, 1)
    assert envio.error is not None and "SMTPServerDisconnected" in envio.error
    assert (
        await handlers.entregar_correos(envios=envios, correo=BuzonDeSalida(store), ahora=ahora)
        == 0
    )
    luego = ahora + timedelta(hours=2)
    assert (
        await handlers.entregar_correos(envios=envios, correo=BuzonDeSalida(store), ahora=luego)
        == 1
    )
    [envio] = await envios.recientes()
    assert (envio.estado, envio.intentos, envio.error) == (EstadoEnvio.ENVIADO, 2, None)
    assert [a.id for a in await handlers.bandeja(avisos=avisos, usuario=INDEPENDIENTE)] == [
        aviso.id
    ]
