"""Notices (issue 7, item 5) through the all-in-one app: inbox, read marks, scope, e-mail."""

import re
from typing import Any

import httpx
from fastapi import FastAPI

from comun.eventos import Actor
from comun.eventos.vocabulario import CampoCurricular, MotivoContenido
from comun.servicios import Servicio
from validacion.adapters.avisos import AvisoRepository
from validacion.domain.avisos import Aviso
from validacion.handlers import avisos as handlers

from .conftest import esperar, iniciar_sesion, token

API = "/api/validacion/v1/avisos"
VERIFICADOR = Actor(usuario="verificador", rol="verificador")
MENSAJE = "La propuesta 1 llama al voto; corríjala antes del siguiente corte."


async def candidaturas(cliente: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The demo registry's candidacies (id and party), as the administrator sees them."""
    admin = await token(cliente, "admin")
    lista = await cliente.get(
        "/api/captura/v1/candidaturas", params={"por_pagina": 500}, headers=admin
    )
    assert lista.status_code == 200, lista.text
    return [
        {"candidatura_id": c["id"], "partido": c["partido"]} for c in lista.json()["resultados"]
    ]


def de_partido(filas: list[dict[str, Any]], partido: str) -> str:
    return str(next(f["candidatura_id"] for f in filas if f["partido"] == partido))


def de_otro_partido(filas: list[dict[str, Any]], partido: str) -> tuple[str, str]:
    fila = next(f for f in filas if f["partido"] not in (partido, None))
    return str(fila["candidatura_id"]), str(fila["partido"])


async def emitir(app: FastAPI, candidatura: str, partido: str | None) -> Aviso:
    """What the verifier's takedown does: issue a notice about the candidacy."""
    recursos = app.state.recursos[Servicio.VALIDACION]
    return await handlers.emitir_aviso(
        avisos=AvisoRepository(recursos.store, avisar_relay=recursos.avisar_relay),
        candidatura_id=candidatura,
        version=1,
        partido=partido,
        mensaje=MENSAJE,
        motivo=MotivoContenido.PROPAGANDA,
        campos=[CampoCurricular.PROPUESTA_1],
        actor=VERIFICADOR,
    )


async def test_la_supervision_recibe_el_aviso_lo_marca_leido_y_el_contador_baja(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    aviso = await emitir(app, de_partido(await candidaturas(cliente), "PRD"), "PRD")
    sup = await token(cliente, "supervisor.prd")

    antes = (await cliente.get(API, params={"no_leidos": "true"}, headers=sup)).json()
    leido = await cliente.post(f"{API}/{aviso.id}/leido", headers=sup)
    otra_vez = await cliente.post(f"{API}/{aviso.id}/leido", headers=sup)
    despues = (await cliente.get(API, params={"no_leidos": "true"}, headers=sup)).json()
    todos = (await cliente.get(API, headers=sup)).json()

    assert antes["no_leidos"] == 1
    assert [a["id"] for a in antes["avisos"]] == [aviso.id]
    assert antes["avisos"][0]["mensaje"] == MENSAJE
    assert leido.status_code == otra_vez.status_code == 200
    assert leido.json()["leido_en"] == otra_vez.json()["leido_en"]
    assert (despues["no_leidos"], despues["avisos"]) == (0, [])
    assert [(a["id"], a["leido"]) for a in todos["avisos"]] == [(aviso.id, True)]


async def test_un_aviso_ajeno_se_ve_igual_que_uno_inexistente(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    filas = await candidaturas(cliente)
    ajena, partido = de_otro_partido(filas, "PRD")
    del_otro = await emitir(app, ajena, partido)
    del_propio = await emitir(app, de_partido(filas, "PRD"), "PRD")
    sup = await token(cliente, "supervisor.prd")
    cand = await token(cliente, "candidatura.demo")

    fuera = await cliente.post(f"{API}/{del_otro.id}/leido", headers=sup)
    inexistente = await cliente.post(f"{API}/no-existe/leido", headers=sup)
    # A party candidacy's own account does not receive its party's notices.
    de_la_cuenta = await cliente.post(f"{API}/{del_propio.id}/leido", headers=cand)
    bandeja = (await cliente.get(API, headers=sup)).json()

    assert fuera.status_code == inexistente.status_code == de_la_cuenta.status_code == 404
    assert fuera.json() | {"instance": ""} == inexistente.json() | {"instance": ""}
    assert [a["id"] for a in bandeja["avisos"]] == [del_propio.id]


async def test_la_bandeja_en_html_muestra_el_aviso_y_lo_marca_leido(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    aviso = await emitir(app, de_partido(await candidaturas(cliente), "PRD"), "PRD")
    assert (await iniciar_sesion(cliente, "supervisor.prd")).status_code == 303

    pagina = await cliente.get("/validacion/avisos")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert csrf is not None
    marcado = await cliente.post(
        f"/validacion/avisos/{aviso.id}/leido", data={"csrf_token": csrf.group(1)}
    )
    despues = await cliente.get("/validacion/avisos")

    assert pagina.status_code == 200
    assert "Tiene 1 aviso sin leer." in pagina.text
    assert "Lemas o imágenes de campaña, llamados al voto" in pagina.text
    assert marcado.status_code == 303
    assert "No tiene avisos sin leer." in despues.text
    assert "Leído el" in despues.text


async def test_el_correo_del_aviso_llega_al_buzon_de_salida_que_ve_la_administracion(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    filas = await candidaturas(cliente)
    admin = await token(cliente, "admin")

    async def catalogo() -> bool:
        entregas = await cliente.get("/api/identidad/v1/entregas", headers=admin)
        # Parties arrive one by one; the one designated below must be there.
        return "PRD" in {e["participante"] for e in entregas.json()}

    await esperar(catalogo, plazo=30)
    designada = await cliente.post(
        "/api/identidad/v1/designaciones",
        headers=admin,
        json={
            "partido": "PRD",
            "nombre": "Lucía",
            "apellidos": "Hernández Ruiz",
            "correo": "lucia.hernandez@prd.org.mx",
            "telefono": "7221234567",
            "oficio": "PRD/SG/015/2024",
            "fecha_oficio": "2024-03-15",
        },
    )
    assert designada.status_code == 201, designada.text
    recursos = app.state.recursos[Servicio.VALIDACION]

    async def contacto_conocido() -> bool:
        return bool(await recursos.store.collection("contactos").count({"partido": "PRD"}))

    await esperar(contacto_conocido)
    await emitir(app, de_partido(filas, "PRD"), "PRD")
    assert (await iniciar_sesion(cliente, "admin")).status_code == 303
    pagina: list[str] = [""]

    async def en_el_buzon() -> bool:
        pagina[0] = (await cliente.get("/validacion/correos")).text
        return "lucia.hernandez@prd.org.mx" in pagina[0] and MENSAJE in pagina[0]

    await esperar(en_el_buzon)
    assert "Enviado" in pagina[0]
