"""Webhook use cases on the SQLite store with a fake sender, resolver and clock."""

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from comun.auth.usuario import Usuario
from comun.bus import outbox
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado
from comun.eventos import SISTEMA, Evento, PerfilPublicado, PerfilRetirado, nuevo_evento
from comun.roles import Rol
from comun.store.sqlite import SqliteStore, open_sqlite
from publicacion.domain.destinos import Destino, DestinoNoPermitido, ErrorWebhook
from publicacion.domain.webhooks import (
    NO_PUBLICO,
    ConflictoWebhook,
    EstadoEntrega,
    EstadoSuscripcion,
    EventoWebhook,
    PoliticaReintentos,
    Resultado,
    id_de_entrega,
)
from publicacion.webhooks import handlers
from publicacion.webhooks.adapters import (
    COLECCION_ENTREGAS,
    COLECCION_SUSCRIPCIONES,
    EntregaRepository,
    SuscripcionRepository,
)

CID = "DL-MR-41-FYCEM-P"
URL = "https://receptor.ejemplo.mx/conoceles"
IP_PUBLICA = "203.0.114.7"
T0 = 1_714_550_400.0
ADMIN = Usuario(id="1", nombre_usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}))
VISTA = {"id": CID, "url": f"/candidaturas/{CID}", "nombre": "Ana Pérez", "identidad": None}
POLITICA = PoliticaReintentos(base_s=5.0, tope_s=60.0, ventana_s=600.0)
ARRIENDO = 40.0


class Reloj:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.ahora = T0

    def __call__(self) -> float:
        return self.ahora


class Resolver:
    """Names → addresses; the test may change them (DNS rebinding)."""

    def __init__(self) -> None:
        self.nombres = {"receptor.ejemplo.mx": [IP_PUBLICA]}

    async def __call__(self, host: str, puerto: int) -> list[str]:
        if host not in self.nombres:
            raise DestinoNoPermitido(f"No se pudo resolver el nombre «{host}».")
        return self.nombres[host]


@dataclass
class Emisor:
    """Answers each attempt with the next programmed result (200 when none is left)."""

    respuestas: list[Resultado] = field(default_factory=list)
    enviados: list[tuple[Destino, dict[str, str], bytes]] = field(default_factory=list)

    async def enviar(
        self, destino: Destino, *, cabeceras: Mapping[str, str], cuerpo: bytes
    ) -> Resultado:
        # Yield, so that concurrent senders really interleave.
        await asyncio.sleep(0)
        self.enviados.append((destino, dict(cabeceras), cuerpo))
        return self.respuestas.pop(0) if self.respuestas else Resultado(200)


@dataclass
class Fuente:
    """What the public sees of each profile."""

    perfiles: dict[str, tuple[bool, dict[str, Any] | None]] = field(
        default_factory=lambda: {CID: (True, VISTA)}
    )

    async def perfil(self, candidatura_id: str) -> tuple[bool, dict[str, Any] | None]:
        return self.perfiles.get(candidatura_id, (False, None))


@dataclass
class Entorno:
    store: SqliteStore
    suscripciones: SuscripcionRepository
    entregas: EntregaRepository
    emisor: Emisor
    fuente: Fuente
    resolver: Resolver
    reloj: Reloj

    def repartidor(self) -> handlers.Repartidor:
        return handlers.Repartidor(
            suscripciones=self.suscripciones,
            entregas=self.entregas,
            fuente=self.fuente,
            emisor=self.emisor,
            resolver=self.resolver,
            politica=POLITICA,
            permitir_privadas=False,
            arriendo_s=ARRIENDO,
            reloj=self.reloj,
            azar=lambda: 0.5,
        )

    async def pasada(self) -> handlers.Pasada:
        return await handlers.entregar_pendientes(repartidor=self.repartidor())

    async def registrar(
        self, url: str = URL, eventos: tuple[str, ...] = ("perfil_publicado", "perfil_retirado")
    ) -> tuple[str, str]:
        s, secreto = await handlers.registrar(
            suscripciones=self.suscripciones,
            resolver=self.resolver,
            permitir_privadas=False,
            usuario=ADMIN,
            url=url,
            eventos=list(eventos),
            descripcion="INE",
            ahora=self.reloj(),
        )
        return s.id, secreto

    async def pausar(self, suscripcion_id: str) -> None:
        await handlers.pausar(
            suscripciones=self.suscripciones,
            suscripcion_id=suscripcion_id,
            usuario=ADMIN,
            ahora=self.reloj(),
        )

    async def reanudar(self, suscripcion_id: str) -> None:
        await handlers.reanudar(
            suscripciones=self.suscripciones,
            suscripcion_id=suscripcion_id,
            usuario=ADMIN,
            ahora=self.reloj(),
        )

    async def rotar_secreto(self, suscripcion_id: str) -> str:
        _, nuevo = await handlers.rotar_secreto(
            suscripciones=self.suscripciones,
            suscripcion_id=suscripcion_id,
            usuario=ADMIN,
            ahora=self.reloj(),
        )
        return nuevo

    async def eliminar(self, suscripcion_id: str) -> None:
        await handlers.eliminar(
            suscripciones=self.suscripciones,
            entregas=self.entregas,
            suscripcion_id=suscripcion_id,
            usuario=ADMIN,
            ahora=self.reloj(),
        )

    async def reenviar(self, entrega_id: str) -> None:
        await handlers.reenviar(
            suscripciones=self.suscripciones,
            entregas=self.entregas,
            entrega_id=entrega_id,
            usuario=ADMIN,
            ahora=self.reloj(),
        )

    async def encolar(self, evento: Evento | None = None) -> tuple[Evento, int]:
        evento = evento or publicado()
        datos = evento.data
        tipo = EventoWebhook(evento.type.split(".")[3])
        nuevas = await handlers.encolar(
            suscripciones=self.suscripciones,
            entregas=self.entregas,
            evento=evento,
            tipo=tipo,
            candidatura_id=str(datos["candidatura_id"]),
            datos={k: v for k, v in datos.items() if k in ("version", "motivo")},
            ahora=self.reloj(),
        )
        return evento, nuevas


def publicado(candidatura_id: str = CID) -> Evento:
    datos = PerfilPublicado(
        candidatura_id=candidatura_id,
        version=1,
        url=f"/candidaturas/{candidatura_id}",
        identidad_publica=False,
    )
    return nuevo_evento(datos, subject=candidatura_id, actor=SISTEMA, accion="publicar_perfil")


def retirado(candidatura_id: str = CID) -> Evento:
    datos = PerfilRetirado(candidatura_id=candidatura_id, version=2, motivo="cancelada")
    return nuevo_evento(datos, subject=candidatura_id, actor=SISTEMA, accion="retirar_perfil")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "publicacion.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def entorno(store: SqliteStore) -> Entorno:
    suscripciones = SuscripcionRepository(store, cifrador=Cifrador("webhooks:pruebas"))
    entregas = EntregaRepository(store)
    await suscripciones.preparar()
    await entregas.preparar()
    return Entorno(store, suscripciones, entregas, Emisor(), Fuente(), Resolver(), Reloj())


def verifica(secreto: str, cabeceras: dict[str, str], cuerpo: bytes) -> bool:
    """The receiver's check, written from the Standard Webhooks specification."""
    clave = base64.b64decode(secreto.removeprefix("whsec_"))
    firmado = f"{cabeceras['webhook-id']}.{cabeceras['webhook-timestamp']}.".encode() + cuerpo
    esperada = base64.b64encode(hmac.new(clave, firmado, hashlib.sha256).digest()).decode()
    firmas = [f.partition(",")[2] for f in cabeceras["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(esperada, f) for f in firmas)


async def estado_de(entorno: Entorno, evento: Evento, suscripcion_id: str) -> Any:
    entrega = await entorno.entregas.obtener(id_de_entrega(evento.id, suscripcion_id))
    assert entrega is not None
    return entrega


async def test_cada_evento_se_encola_una_vez_por_suscriptor_que_lo_pidio(entorno: Entorno) -> None:
    await entorno.registrar()
    await entorno.registrar(url="https://receptor.ejemplo.mx/retiros", eventos=("perfil_retirado",))
    pausado, _ = await entorno.registrar(url="https://receptor.ejemplo.mx/pausa")
    await entorno.pausar(pausado)
    evento, nuevas = await entorno.encolar()
    _, otra_vez = await entorno.encolar(evento)
    assert (nuevas, otra_vez) == (1, 0)
    assert await entorno.store.collection(COLECCION_ENTREGAS).count() == 1


async def test_la_entrega_va_firmada_con_el_perfil_publico_y_deja_webhook_entregado(
    entorno: Entorno,
) -> None:
    suscripcion_id, secreto = await entorno.registrar()
    evento, _ = await entorno.encolar()
    pasada = await entorno.pasada()
    assert pasada.entregadas == 1 and pasada.proxima is None
    ((_, cabeceras, cuerpo),) = entorno.emisor.enviados
    assert verifica(secreto, cabeceras, cuerpo)
    assert cabeceras["webhook-id"] == evento.id
    assert cabeceras["webhook-timestamp"] == str(int(T0))
    mensaje = json.loads(cuerpo)
    assert mensaje == {
        "type": "perfil_publicado",
        "timestamp": evento.time.isoformat().replace("+00:00", "Z"),
        "data": VISTA,
    }
    doc = await entorno.store.collection(COLECCION_ENTREGAS).get(
        id_de_entrega(evento.id, suscripcion_id)
    )
    assert doc is not None and doc["estado"] == "entregada"
    (pendiente,) = outbox.pendientes(doc)
    assert pendiente["evento"]["type"] == "mx.conoceles.publicacion.webhook_entregado.v1"
    assert pendiente["evento"]["modulo"] == "webhooks"
    assert pendiente["evento"]["data"] == {
        "suscripcion_id": suscripcion_id,
        "url": URL,
        "evento_id": evento.id,
        "evento_tipo": "mx.conoceles.publicacion.perfil_publicado.v1",
        "intentos": 1,
        "codigo_http": 200,
        "candidatura_id": CID,
    }


async def test_se_conecta_a_la_ip_que_se_comprobo(entorno: Entorno) -> None:
    await entorno.registrar()
    await entorno.encolar()
    await entorno.pasada()
    ((destino, _, _),) = entorno.emisor.enviados
    assert destino.ip == IP_PUBLICA and destino.url.host == "receptor.ejemplo.mx"


async def test_un_retiro_lleva_clave_motivo_y_direccion(entorno: Entorno) -> None:
    await entorno.registrar()
    entorno.fuente.perfiles[CID] = (False, None)
    await entorno.encolar(retirado())
    await entorno.pasada()
    ((_, _, cuerpo),) = entorno.emisor.enviados
    assert json.loads(cuerpo)["data"] == {
        "id": CID,
        "motivo": "cancelada",
        "url": f"/candidaturas/{CID}",
    }


async def test_un_500_se_reintenta_con_espera_y_luego_se_entrega(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    entorno.emisor.respuestas = [Resultado(500, "El receptor respondió 500.")]
    pasada = await entorno.pasada()
    entrega = await estado_de(entorno, evento, suscripcion_id)
    assert entrega.estado is EstadoEntrega.PENDIENTE and entrega.ultimo_codigo == 500
    assert pasada.proxima == pytest.approx(T0 + 2.5)
    assert (await entorno.pasada()).entregadas == 0, "no se reintenta antes de tiempo"
    entorno.reloj.ahora = T0 + 2.5
    assert (await entorno.pasada()).entregadas == 1
    entrega = await estado_de(entorno, evento, suscripcion_id)
    assert entrega.estado is EstadoEntrega.ENTREGADA and entrega.intentos == 2
    assert len(entorno.emisor.enviados) == 2


async def test_agotada_la_ventana_la_entrega_falla_y_el_reenvio_la_manda_otra_vez(
    entorno: Entorno,
) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    entorno.emisor.respuestas = [Resultado(503, "x")] * 1000
    while (pasada := await entorno.pasada()).proxima is not None:
        entorno.reloj.ahora = pasada.proxima
    entrega = await estado_de(entorno, evento, suscripcion_id)
    assert entrega.estado is EstadoEntrega.FALLIDA
    assert entorno.reloj.ahora == pytest.approx(T0 + POLITICA.ventana_s)
    entorno.emisor.respuestas = []
    await entorno.reenviar(entrega.id)
    assert (await entorno.pasada()).entregadas == 1
    assert entorno.emisor.enviados[-1][1]["webhook-id"] == evento.id


async def test_410_pausa_al_suscriptor_y_lo_pendiente_sale_al_reanudar(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    await entorno.encolar()
    entorno.emisor.respuestas = [Resultado(410, "Gone")]
    await entorno.pasada()
    suscripcion = await entorno.suscripciones.obtener(suscripcion_id)
    assert suscripcion is not None and suscripcion.estado is EstadoSuscripcion.PAUSADA
    assert "410" in (suscripcion.motivo_pausa or "")
    assert (await entorno.pasada()).entregadas == 0
    await entorno.reanudar(suscripcion_id)
    assert (await entorno.pasada()).entregadas == 1


async def test_si_el_nombre_pasa_a_apuntar_a_una_ip_privada_no_se_envia(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    entorno.resolver.nombres["receptor.ejemplo.mx"] = ["127.0.0.1"]
    await entorno.pasada()
    assert entorno.emisor.enviados == []
    entrega = await estado_de(entorno, evento, suscripcion_id)
    assert entrega.estado is EstadoEntrega.PENDIENTE and "loopback" in entrega.ultimo_error


async def test_dos_replicas_no_envian_la_misma_entrega_dos_veces(entorno: Entorno) -> None:
    await entorno.registrar()
    for i in range(10):
        await entorno.encolar(publicado(f"DL-MR-{i:02d}-PAN-P"))
        entorno.fuente.perfiles[f"DL-MR-{i:02d}-PAN-P"] = (True, {"id": i})
    otra = SuscripcionRepository(entorno.store, cifrador=Cifrador("webhooks:pruebas"))
    replica = replace(
        entorno.repartidor(), suscripciones=otra, entregas=EntregaRepository(entorno.store)
    )
    await asyncio.gather(
        handlers.entregar_pendientes(repartidor=entorno.repartidor()),
        handlers.entregar_pendientes(repartidor=replica),
    )
    webhook_ids = [c["webhook-id"] for _, c, _ in entorno.emisor.enviados]
    assert len(webhook_ids) == 10 and len(set(webhook_ids)) == 10


async def test_la_reclamacion_es_una_escritura_con_version(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    entrega_id = id_de_entrega(evento.id, suscripcion_id)
    una, otra = (
        await entorno.entregas.obtener(entrega_id),
        await entorno.entregas.obtener(entrega_id),
    )
    assert una is not None and otra is not None
    una.reclamar(reclamo="a", ahora=T0, arriendo_s=ARRIENDO)
    otra.reclamar(reclamo="b", ahora=T0, arriendo_s=ARRIENDO)
    assert await entorno.entregas.guardar(una)
    assert not await entorno.entregas.guardar(otra)


async def test_lo_que_dejo_reclamado_un_proceso_caido_se_envia_tras_el_arriendo(
    entorno: Entorno,
) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    caida = await estado_de(entorno, evento, suscripcion_id)
    caida.reclamar(reclamo="proceso-caido", ahora=T0, arriendo_s=ARRIENDO)
    assert await entorno.entregas.guardar(caida)
    assert (await entorno.pasada()).entregadas == 0
    entorno.reloj.ahora = T0 + ARRIENDO
    assert (await entorno.pasada()).entregadas == 1
    assert (await estado_de(entorno, evento, suscripcion_id)).intentos == 2


async def test_lo_que_dejo_de_ser_publico_no_se_envia(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    entorno.fuente.perfiles[CID] = (False, {"id": CID, "estado": "deshabilitado"})
    await entorno.pasada()
    assert entorno.emisor.enviados == []
    entrega = await estado_de(entorno, evento, suscripcion_id)
    assert entrega.estado is EstadoEntrega.DESCARTADA and entrega.ultimo_error == NO_PUBLICO


async def test_una_direccion_privada_no_se_registra_y_nada_se_guarda(entorno: Entorno) -> None:
    with pytest.raises(DestinoNoPermitido, match="red privada"):
        await entorno.registrar(url="http://192.168.0.10/hook")
    assert await entorno.store.collection(COLECCION_SUSCRIPCIONES).count() == 0


async def test_la_misma_direccion_no_se_registra_dos_veces(entorno: Entorno) -> None:
    await entorno.registrar()
    with pytest.raises(ConflictoWebhook, match="Ya hay un suscriptor con esa dirección"):
        await entorno.registrar()


async def test_el_secreto_se_guarda_sellado_nunca_en_claro(entorno: Entorno) -> None:
    suscripcion_id, secreto = await entorno.registrar()
    doc = await entorno.store.collection(COLECCION_SUSCRIPCIONES).get(suscripcion_id)
    assert secreto not in json.dumps(doc)
    assert secreto.removeprefix("whsec_") not in json.dumps(doc)
    leida = await entorno.suscripciones.obtener(suscripcion_id)
    assert leida is not None and leida.secreto == secreto


async def test_con_otra_clave_del_sistema_la_entrega_explica_que_hay_que_rotar(
    entorno: Entorno,
) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    otra_clave = SuscripcionRepository(entorno.store, cifrador=Cifrador("webhooks:otra"))
    repartidor = replace(entorno.repartidor(), suscripciones=otra_clave)
    await handlers.entregar_pendientes(repartidor=repartidor)
    assert entorno.emisor.enviados == []
    assert "rote el secreto" in (await estado_de(entorno, evento, suscripcion_id)).ultimo_error


async def test_tras_rotar_cada_entrega_lleva_la_firma_nueva_y_la_anterior(entorno: Entorno) -> None:
    suscripcion_id, anterior = await entorno.registrar()
    nuevo = await entorno.rotar_secreto(suscripcion_id)
    await entorno.encolar()
    await entorno.pasada()
    ((_, cabeceras, cuerpo),) = entorno.emisor.enviados
    assert len(cabeceras["webhook-signature"].split(" ")) == 2
    assert verifica(nuevo, cabeceras, cuerpo) and verifica(anterior, cabeceras, cuerpo)


async def test_eliminar_descarta_lo_que_estaba_en_cola(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    await entorno.eliminar(suscripcion_id)
    assert (await entorno.pasada()).entregadas == 0 and entorno.emisor.enviados == []
    entrega = await estado_de(entorno, evento, suscripcion_id)
    assert entrega.estado is EstadoEntrega.DESCARTADA


async def test_no_se_reenvia_a_un_suscriptor_en_pausa(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    evento, _ = await entorno.encolar()
    await entorno.pasada()
    await entorno.pausar(suscripcion_id)
    with pytest.raises(ConflictoWebhook, match="reanúdelo"):
        await entorno.reenviar(id_de_entrega(evento.id, suscripcion_id))


# The activity history: every administrative action leaves exactly one event in the outbox of
# the document it wrote, with who did it and never the signing secret.

TIPO = "mx.conoceles.publicacion.{}.v1"


async def en_outbox(entorno: Entorno) -> list[dict[str, Any]]:
    """Every event waiting in the webhook collections' outboxes (no relay runs here)."""
    docs = [
        *await entorno.store.collection(COLECCION_SUSCRIPCIONES).find(),
        *await entorno.store.collection(COLECCION_ENTREGAS).find(),
    ]
    return [p["evento"] for d in docs for p in outbox.pendientes(d)]


def sin_secretos(eventos: list[dict[str, Any]], *secretos: str) -> bool:
    """No secret, nor its base64 part, appears anywhere in the serialized events."""
    texto = json.dumps(eventos)
    return not any(s in texto or s.removeprefix("whsec_") in texto for s in secretos)


async def test_registrar_emite_suscriptor_registrado_con_quien_lo_hizo_y_sin_el_secreto(
    entorno: Entorno,
) -> None:
    suscripcion_id, secreto = await entorno.registrar(url=f"{URL}?token=de-la-consulta")
    (evento,) = await en_outbox(entorno)
    assert evento["type"] == TIPO.format("suscriptor_registrado")
    assert evento["subject"] == suscripcion_id
    assert evento["actor"] == {"usuario": "admin", "rol": "administrador", "partido": None}
    assert (evento["modulo"], evento["accion"]) == ("webhooks", "registrar_suscriptor")
    assert evento["data"] == {
        "suscripcion_id": suscripcion_id,
        "url": URL,
        "eventos": [TIPO.format("perfil_publicado"), TIPO.format("perfil_retirado")],
    }
    assert sin_secretos([evento], secreto)


async def pausar_y_reanudar(entorno: Entorno, suscripcion_id: str) -> None:
    await entorno.pausar(suscripcion_id)
    await entorno.reanudar(suscripcion_id)


@pytest.mark.parametrize(
    ("accion", "nombre", "datos"),
    [
        (Entorno.pausar, "suscriptor_pausado", {"motivo": "Pausado por admin."}),
        (pausar_y_reanudar, "suscriptor_reanudado", {}),
        (
            Entorno.rotar_secreto,
            "secreto_rotado",
            {"anterior_vigente_hasta": "2024-05-02T08:00:00Z"},
        ),
        (Entorno.eliminar, "suscriptor_eliminado", {}),
    ],
    ids=["pausar", "reanudar", "rotar_secreto", "eliminar"],
)
async def test_cada_accion_sobre_un_suscriptor_emite_su_evento_con_quien_la_hizo_sin_secretos(
    entorno: Entorno, accion: Any, nombre: str, datos: dict[str, Any]
) -> None:
    suscripcion_id, secreto = await entorno.registrar()
    antes = len(await en_outbox(entorno))
    nuevo = await accion(entorno, suscripcion_id)
    eventos = (await en_outbox(entorno))[antes:]
    assert eventos[-1]["type"] == TIPO.format(nombre)
    assert [e for e in eventos if e["type"] == TIPO.format(nombre)] == [eventos[-1]]
    assert eventos[-1]["subject"] == suscripcion_id
    assert eventos[-1]["actor"]["usuario"] == "admin"
    assert eventos[-1]["data"] == {"suscripcion_id": suscripcion_id, "url": URL, **datos}
    assert sin_secretos(eventos, secreto, *([nuevo] if nuevo else []))


async def test_el_reenvio_emite_entrega_reenviada_con_la_entrega_y_quien_lo_pidio(
    entorno: Entorno,
) -> None:
    suscripcion_id, secreto = await entorno.registrar()
    evento, _ = await entorno.encolar()
    await entorno.pasada()
    entrega_id = id_de_entrega(evento.id, suscripcion_id)
    antes = len(await en_outbox(entorno))
    await entorno.reenviar(entrega_id)
    (reenviada,) = (await en_outbox(entorno))[antes:]
    assert reenviada["type"] == TIPO.format("entrega_reenviada")
    assert reenviada["subject"] == entrega_id and reenviada["actor"]["usuario"] == "admin"
    assert reenviada["data"] == {
        "suscripcion_id": suscripcion_id,
        "url": URL,
        "entrega_id": entrega_id,
        "evento_id": evento.id,
        "evento_tipo": TIPO.format("perfil_publicado"),
        "candidatura_id": CID,
    }
    assert sin_secretos([reenviada], secreto)


async def _registrar_privada(entorno: Entorno, _suscripcion_id: str) -> None:
    await entorno.registrar(url="http://192.168.0.10/hook")


async def _pausar_desconocido(entorno: Entorno, _suscripcion_id: str) -> None:
    await entorno.pausar("sus-0000000000")


async def _reenviar_desconocida(entorno: Entorno, _suscripcion_id: str) -> None:
    await entorno.reenviar("no-existe")


@pytest.mark.parametrize(
    "rechazada",
    [_registrar_privada, _pausar_desconocido, Entorno.pausar, _reenviar_desconocida],
    ids=["direccion_privada", "suscriptor_desconocido", "ya_en_pausa", "entrega_desconocida"],
)
async def test_una_accion_rechazada_no_emite_nada(entorno: Entorno, rechazada: Any) -> None:
    suscripcion_id, _ = await entorno.registrar()
    await entorno.pausar(suscripcion_id)
    antes = await en_outbox(entorno)
    with pytest.raises((ErrorWebhook, NoEncontrado)):
        await rechazada(entorno, suscripcion_id)
    assert await en_outbox(entorno) == antes


async def test_la_pausa_por_410_se_anota_como_accion_del_sistema(entorno: Entorno) -> None:
    suscripcion_id, _ = await entorno.registrar()
    await entorno.encolar()
    entorno.emisor.respuestas = [Resultado(410, "Gone")]
    await entorno.pasada()
    (pausado,) = [
        e for e in await en_outbox(entorno) if e["type"] == TIPO.format("suscriptor_pausado")
    ]
    assert pausado["actor"]["usuario"] == "sistema"
    assert pausado["data"]["suscripcion_id"] == suscripcion_id
    assert "410" in pausado["data"]["motivo"]
