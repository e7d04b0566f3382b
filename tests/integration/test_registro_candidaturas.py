"""The institute registers a candidacy over the API; the event reaches every consumer, traced."""

from typing import Any

import httpx
import pytest

from comun import telemetria

from .conftest import CLAVE, esperar

NUEVA: dict[str, Any] = {
    "id": "AY-TOLUCA-PM-PRI-P",
    "nombre": "Ana Laura Gómez Ruiz",
    "cargo": "presidencia_municipal",
    "principio": "MR",
    "tipo_candidatura": "propietaria",
    "postulante": "partido",
    "sexo": "mujer",
    "fecha_nacimiento": "1979-11-02",
    "partido": "PRI",
    "municipio": "Toluca",
}


async def token(cliente: httpx.AsyncClient, usuario: str) -> dict[str, str]:
    """Bearer header of an API token."""
    respuesta = await cliente.post(
        "/api/identidad/v1/token", data={"username": usuario, "password": CLAVE}
    )
    return {"Authorization": f"Bearer {respuesta.json()['access_token']}"}


async def test_la_administracion_registra_una_candidatura_y_todos_la_conocen(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "admin")
    respuesta = await cliente.post("/api/captura/v1/candidaturas", json=NUEVA, headers=cabecera)
    assert respuesta.status_code == 201
    assert respuesta.json()["estado"] == "registrada"

    async def conocida() -> bool:
        resumen = (await cliente.get("/api/publicacion/v1/resumen")).json()
        return bool(resumen["candidaturas_registradas"] == 2)

    await esperar(conocida)
    historial = (await cliente.get("/api/auditoria/v1/historial", headers=cabecera)).json()
    propias = [e for e in historial["entradas"] if e["sujeto"] == NUEVA["id"]]
    assert [(e["usuario"], e["rol"], e["accion"]) for e in propias] == [
        ("admin", "administrador", "registrar_candidatura")
    ]


async def test_la_accion_y_sus_efectos_comparten_una_traza(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    spans = telemetria.capturar_spans()
    respuesta = await cliente.post("/api/captura/v1/candidaturas", json=NUEVA, headers=cabecera)
    assert respuesta.status_code == 201

    def consumidores() -> dict[str, int]:
        return {
            s.name.split()[0]: s.context.trace_id
            for s in spans.get_finished_spans()
            if s.name.endswith("candidatura_registrada.v1")
        }

    async def llegaron() -> bool:
        return {"publicacion", "auditoria", "validacion", "estadistica"} <= set(consumidores())

    await esperar(llegaron)
    peticion = next(
        s for s in spans.get_finished_spans() if s.name == "POST /api/captura/v1/candidaturas"
    )
    assert set(consumidores().values()) == {peticion.context.trace_id}


async def test_una_clave_repetida_es_409_en_espanol(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    await cliente.post("/api/captura/v1/candidaturas", json=NUEVA, headers=cabecera)
    otra = await cliente.post("/api/captura/v1/candidaturas", json=NUEVA, headers=cabecera)
    assert otra.status_code == 409
    assert otra.json()["detail"] == "Ya existe una candidatura con la clave «AY-TOLUCA-PM-PRI-P»."


async def test_una_regla_del_dominio_rechazada_es_422(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    sin_municipio = {k: v for k, v in NUEVA.items() if k != "municipio"}
    respuesta = await cliente.post(
        "/api/captura/v1/candidaturas", json=sin_municipio, headers=cabecera
    )
    assert respuesta.status_code == 422
    assert "municipio" in respuesta.json()["detail"]


@pytest.mark.parametrize(
    ("cuerpo", "estado", "fragmento"),
    [
        (b'{"id": "x",', 400, "JSON"),
        (b'{"id": "X-1", "color": "rojo"}', 422, "color"),
        (b'{"id": "X-1", "fecha_nacimiento": "ayer"}', 422, "fecha_nacimiento"),
    ],
)
async def test_un_cuerpo_incorrecto_recibe_un_problema_en_espanol(
    cliente: httpx.AsyncClient, cuerpo: bytes, estado: int, fragmento: str
) -> None:
    cabecera = {**(await token(cliente, "admin")), "Content-Type": "application/json"}
    respuesta = await cliente.post("/api/captura/v1/candidaturas", content=cuerpo, headers=cabecera)
    assert respuesta.status_code == estado
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert fragmento in str(respuesta.json())


async def test_un_partido_no_puede_registrar_candidaturas(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "captura.pri")
    respuesta = await cliente.post("/api/captura/v1/candidaturas", json=NUEVA, headers=cabecera)
    assert respuesta.status_code == 403
