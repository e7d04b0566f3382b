"""Supervisor validation on the real adapters: MongoDB/FerretDB store, Kafka bus."""

import httpx
import pytest

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import Espia, capturar_y_enviar, url
from .conftest import esperar, token

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(300)]

ENVIADA = "AY-15007-PM-CC-FYCEM-P"


servidores, datos = proceso.datos_reales("validacion_real", prefijo="valid")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION, arranque=120, cierre=60)


async def test_el_supervisor_valida_y_captura_se_cierra_con_los_adaptadores_reales(
    cliente: httpx.AsyncClient, espia: Espia
) -> None:
    partido = await token(cliente, "captura.PRD")
    supervisor = await token(cliente, "supervisor.PRD")
    await capturar_y_enviar(cliente, partido, ENVIADA)
    ruta = f"/api/validacion/v1/candidaturas/{ENVIADA}"

    async def por_validar() -> bool:
        r = await cliente.get(ruta, headers=supervisor)
        return bool(r.status_code == 200 and r.json()["estado"] == "por_validar")

    await esperar(por_validar, plazo=60)
    validada = await cliente.post(f"{ruta}/validacion", headers=supervisor)
    assert validada.status_code == 200, validada.text
    otra_vez = await cliente.post(f"{ruta}/validacion", headers=supervisor)
    assert otra_vez.status_code == 409, otra_vez.text

    async def cerrada() -> bool:
        estado = await cliente.get(url(ENVIADA, "captura"), headers=supervisor)
        return bool(estado.json()["estado"] == "validada")

    await esperar(cerrada, plazo=60)
    assert len(espia.de(ENVIADA, "candidatura_validada")) == 1
