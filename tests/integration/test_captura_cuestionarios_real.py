"""Questionnaire capture on the real adapters: MongoDB/FerretDB store and files, Kafka bus."""

import asyncio
import json
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
from fastapi import FastAPI

from comun.bus.pruebas import KAFKA
from comun.servicios import Servicio, topic

from . import proceso
from .captura_flujo import (
    PROPUESTA,
    PUEBLO_MARCADO,
    Espia,
    capturar_y_enviar,
    curricular,
    url,
)
from .conftest import esperar, token

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(300)]

ENVIADA = "AY-15007-PM-CC-FYCEM-P"
CONCURRIDA = "DL-MR-41-FYCEM-S"


servidores, datos = proceso.datos_reales("cuestionarios_reales", prefijo="cuest")
app, espia, cliente = proceso.todo_en_uno(Servicio.CAPTURA, arranque=120, cierre=60)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def partido(cliente: httpx.AsyncClient) -> dict[str, str]:
    return await token(cliente, "captura.PRD")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def enviada(cliente: httpx.AsyncClient, partido: dict[str, str]) -> dict[str, Any]:
    return await capturar_y_enviar(cliente, partido, ENVIADA)


async def test_un_partido_captura_y_envia_con_los_adaptadores_reales(
    cliente: httpx.AsyncClient, partido: dict[str, str], enviada: dict[str, Any]
) -> None:
    assert (enviada["estado"], enviada["fotografia"]) == ("enviada", {"ancho": 600, "alto": 800})
    foto = await cliente.get(url(ENVIADA, "fotografia"), headers=partido)
    documento = await cliente.get(url(ENVIADA, "consentimiento/documento"), headers=partido)
    assert foto.status_code == 200 and foto.content.startswith(b"\xff\xd8")
    assert documento.status_code == 200 and documento.content.startswith(b"%PDF")


async def test_despues_de_enviar_el_partido_no_edita(
    cliente: httpx.AsyncClient, partido: dict[str, str], enviada: dict[str, Any]
) -> None:
    actual = (await cliente.get(url(ENVIADA, "cuestionarios/curricular"), headers=partido)).json()
    cambio = actual["respuestas"] | {"propuesta_2": "Otra propuesta."}
    respuesta = await cliente.put(
        url(ENVIADA, "cuestionarios/curricular"),
        json={"revision": actual["revision"], "respuestas": cambio},
        headers=partido,
    )
    assert respuesta.status_code == 409, respuesta.text
    assert "ya se envió a validación" in respuesta.json()["detail"]


async def test_el_documento_en_mongodb_no_tiene_la_identidad_en_claro(
    app: FastAPI, cliente: httpx.AsyncClient, partido: dict[str, str], enviada: dict[str, Any]
) -> None:
    store = app.state.recursos[Servicio.CAPTURA].store
    doc = await store.collection("candidaturas").get(ENVIADA)
    crudo = json.dumps(doc, default=str, ensure_ascii=False)
    assert PROPUESTA in crudo, "la prueba no está leyendo el documento guardado"
    assert PUEBLO_MARCADO not in crudo
    leido = await cliente.get(url(ENVIADA, "cuestionarios/identidad"), headers=partido)
    assert leido.json()["respuestas"]["pueblo_indigena_otro"] == PUEBLO_MARCADO


async def registros_kafka(ids: set[str]) -> list[tuple[dict[str, str], bytes]]:
    """Headers and value of captura's Kafka records whose event id is one of `ids`."""
    nombre = topic(Servicio.CAPTURA)
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    await admin.start()
    try:
        (descrito,) = await admin.describe_topics([nombre])
    finally:
        await admin.close()
    tps = [TopicPartition(nombre, p["partition"]) for p in descrito["partitions"]]
    assert tps, f"el topic {nombre} no tiene particiones"
    consumidor = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False)
    await consumidor.start()
    try:
        consumidor.assign(tps)
        await consumidor.seek_to_beginning(*tps)
        finales = await consumidor.end_offsets(tps)
        encontrados: list[tuple[dict[str, str], bytes]] = []
        while [tp for tp in tps if await consumidor.position(tp) < finales[tp]]:
            for lote in (await consumidor.getmany(*tps, timeout_ms=1_000)).values():
                for r in lote:
                    cabeceras = {k: v.decode() for k, v in r.headers if v is not None}
                    if cabeceras.get("ce_id") in ids:
                        encontrados.append((cabeceras, r.value or b""))
        return encontrados
    finally:
        await consumidor.stop()


async def test_en_kafka_la_identidad_viaja_solo_como_sobre_cifrado(
    espia: Espia, enviada: dict[str, Any]
) -> None:
    async def enviado() -> bool:
        return bool(espia.de(ENVIADA, "cuestionario_enviado"))

    await esperar(enviado, plazo=30)
    propios = {e.id for e in espia.eventos if e.subject == ENVIADA}
    registros = await registros_kafka(propios)
    assert {c["ce_id"] for c, _ in registros} == propios
    assert not [c["ce_type"] for c, v in registros if PUEBLO_MARCADO.encode() in v]
    (envio,) = [v for c, v in registros if c["ce_type"].endswith("cuestionario_enviado.v1")]
    assert json.loads(envio)["identidad_cifrada"]


async def test_dos_guardados_desde_la_misma_revision_dan_un_200_y_un_409(
    cliente: httpx.AsyncClient, partido: dict[str, str]
) -> None:
    ruta = url(CONCURRIDA, "cuestionarios/curricular")
    a, b = await asyncio.gather(
        *(
            cliente.put(
                ruta,
                json={"revision": 0, "respuestas": curricular() | {"propuesta_2": texto}},
                headers=partido,
            )
            for texto in ("Primera versión.", "Segunda versión.")
        )
    )
    assert sorted((a.status_code, b.status_code)) == [200, 409], (a.text, b.text)
    ganador, perdedor = (a, b) if a.status_code == 200 else (b, a)
    assert perdedor.json()["actuales"] == ganador.json()["respuestas"]
