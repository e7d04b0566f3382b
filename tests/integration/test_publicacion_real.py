"""Publication on the real adapters (MongoDB/FerretDB store and files, Kafka bus).

Validated at a past start date → public in the API, the search and the open data; a takedown
hides the field from the profile and, after regeneration, from the downloads.
"""

from datetime import timedelta

import httpx
import pytest

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import PROPUESTA, capturar_y_validar, curricular
from .conftest import esperar

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(300)]

PUBLICADA = "AY-15007-PM-CC-FYCEM-P"
API = "/api/publicacion/v1"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin", "verificador")
OCULTA = curricular()["propuesta_2"]

servidores, datos = proceso.datos_reales(
    "publicacion_real",
    prefijo="publ",
    CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.2",
    CONOCELES_PUBLICACION_DATOS_ABIERTOS_INTERVALO_S="0.5",
)
app, espia, cliente = proceso.todo_en_uno(Servicio.PUBLICACION, arranque=120, cierre=60)
h = proceso.tokens(CUENTAS)


async def test_lo_validado_se_publica_y_la_baja_lo_oculta_con_los_adaptadores_reales(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> None:
    await capturar_y_validar(cliente, h, PUBLICADA, inicio_hace=timedelta(minutes=1))

    async def publica() -> bool:
        return (await cliente.get(f"{API}/candidaturas/{PUBLICADA}")).status_code == 200

    await esperar(publica, plazo=60)
    perfil = (await cliente.get(f"{API}/candidaturas/{PUBLICADA}")).json()
    assert perfil["curricular"]["propuesta_1"] == PROPUESTA
    encontrada = await cliente.get(f"{API}/candidaturas", params={"q": perfil["nombre"]})
    assert [p["id"] for p in encontrada.json()["resultados"]] == [PUBLICADA]

    async def en_los_datos(texto: str, presente: bool) -> bool:
        archivo = await cliente.get(f"{API}/datos-abiertos/curricular.csv")
        return archivo.status_code == 200 and (texto in archivo.text) == presente

    await esperar(lambda: en_los_datos(OCULTA, True), plazo=60)
    baja = await cliente.post(
        f"/api/validacion/v1/verificacion/{PUBLICADA}/deshabilitar",
        json={"objetivo": "propuesta_2", "motivo": "propaganda", "observacion": "Llama al voto."},
        headers=h["verificador"],
    )
    assert baja.status_code == 200, baja.text

    async def oculta() -> bool:
        vista = (await cliente.get(f"{API}/candidaturas/{PUBLICADA}")).json()
        return vista["curricular"]["propuesta_2"] is None

    await esperar(oculta, plazo=60)
    await esperar(lambda: en_los_datos(OCULTA, False), plazo=60)
