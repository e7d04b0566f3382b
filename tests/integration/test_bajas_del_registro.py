"""Substitutions and cancellations reach every read model: the old candidacy stops counting."""

import httpx

from .conftest import DEMO_CANDIDATURAS, esperar, nuevas, token

URL = "/api/captura/v1/registro/candidaturas"


async def test_sustituir_y_cancelar_actualizan_publicacion_validacion_y_estadistica(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "admin")
    filas = nuevas(4)
    propietaria, suplente = filas[0], filas[3]
    await cliente.post(URL, json={"candidaturas": filas}, headers=cabecera)
    sustituta = {
        **propietaria,
        "folio": f"{propietaria['folio']}-2",
        "sustituye_a": propietaria["folio"],
    }
    cambio = {"candidaturas": [sustituta, {**suplente, "estatus": "Cancelada"}]}
    reporte = (await cliente.post(URL, json=cambio, headers=cabecera)).json()
    assert reporte["resumen"] == {  # four registered, then one replaced and one cancelled
        "nuevas": 1, "modificadas": 0, "sustituidas": 1, "canceladas": 1, "rechazadas": 0,
        "sin_cambios": 0,
    }  # fmt: skip

    async def publicacion_al_dia() -> bool:
        resumen = (await cliente.get("/api/publicacion/v1/resumen")).json()
        return bool(resumen["candidaturas_registradas"] == DEMO_CANDIDATURAS + 3)

    async def estadistica_al_dia() -> bool:
        filas = (
            await cliente.get("/api/estadistica/v1/candidaturas-por-partido", headers=cabecera)
        ).json()
        return sum(sum(f["por_sexo"].values()) for f in filas) == DEMO_CANDIDATURAS + 3

    async def validacion_al_dia() -> bool:
        # Each read model consumes on its own: validacion may still be behind the others.
        cola = await cliente.get(
            "/api/validacion/v1/revisiones", params={"por_pagina": 500}, headers=cabecera
        )
        en_cola = {r["candidatura_id"] for r in cola.json()["resultados"]}
        bajas = {propietaria["folio"], suplente["folio"]}
        return sustituta["folio"] in en_cola and not bajas & en_cola

    await esperar(publicacion_al_dia)
    await esperar(estadistica_al_dia)
    await esperar(validacion_al_dia)
