"""Nothing private leaks (issue 8, item 6): every public page, API route, download and webhook.

Two candidacies are published: one without consent to publish its identity answers (and no
acción afirmativa), one with it. The verifier disables one field of each. Then every public GET
route of the app is walked (path parameters filled with every value a visitor could use), every
open-data file is downloaded (the XLSX unzipped) and every webhook payload the subscriber got is
read: none may carry the unconsented identity answers, the private e-mail, a CURP, a birth date
or the disabled text — while the consented identity answer is public (the test can fail).
"""

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from comun.rutas import servicio_de_ruta
from comun.servicios import Servicio

from . import proceso
from .captura_flujo import PUEBLO_MARCADO, capturar_y_validar, curricular, identidad
from .conftest import esperar
from .receptor_webhooks import Receptor, receptor_http

pytestmark = pytest.mark.asyncio(loop_scope="module")

SIN_CONSENTIMIENTO = "AY-15007-PM-CC-FYCEM-P"
CON_CONSENTIMIENTO = "AY-15007-PM-CC-FYCEM-S"
PUEBLO_PUBLICO = "Pueblo Consentido QZ9"
CORREO_PRIVADO = curricular()["correo_aclaraciones"]
DESHABILITADO = curricular()["propuesta_2"]
API = "/api/publicacion/v1"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin", "verificador")
CURP = re.compile(r"[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d")

datos = proceso.datos_demo(
    "sin-fugas",
    CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05",
    CONOCELES_PUBLICACION_DATOS_ABIERTOS_INTERVALO_S="0.1",
    CONOCELES_PUBLICACION_WEBHOOKS_PERMITIR_PRIVADAS="true",
    CONOCELES_PUBLICACION_WEBHOOKS_INTERVALO_S="0.05",
)
app, espia, cliente = proceso.todo_en_uno(Servicio.PUBLICACION)
h = proceso.tokens(CUENTAS)


@pytest.fixture(scope="module")
def receptor() -> Iterator[Receptor]:
    with receptor_http() as servidor:
        yield servidor


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicadas(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], receptor: Receptor
) -> None:
    """Subscriber registered; both published; one field of each disabled; outputs caught up."""
    suscrita = await cliente.post(
        f"{API}/webhooks/suscripciones",
        json={"url": receptor.url("/ine"), "eventos": ["perfil_publicado", "perfil_retirado"]},
        headers=h["admin"],
    )
    assert suscrita.status_code == 201, suscrita.text
    await capturar_y_validar(cliente, h, SIN_CONSENTIMIENTO, inicio_hace=timedelta(minutes=1))
    consentida = {**identidad(), "pueblo_indigena_otro": PUEBLO_PUBLICO}
    await capturar_y_validar(
        cliente,
        h,
        CON_CONSENTIMIENTO,
        inicio_hace=timedelta(minutes=1),
        respuestas_identidad=consentida,
        publicar_identidad=True,
    )
    for candidatura_id in (SIN_CONSENTIMIENTO, CON_CONSENTIMIENTO):
        await esperar(lambda c=candidatura_id: _publica(cliente, c), plazo=20)
        baja = await cliente.post(
            f"/api/validacion/v1/verificacion/{candidatura_id}/deshabilitar",
            json={
                "objetivo": "propuesta_2",
                "motivo": "propaganda",
                "observacion": "Llama al voto.",
            },
            headers=h["verificador"],
        )
        assert baja.status_code == 200, baja.text

    async def al_dia() -> bool:
        curricular_json = await cliente.get(f"{API}/datos-abiertos/curricular.json")
        entregas = len(receptor.de("/ine"))
        return (
            curricular_json.status_code == 200
            and "propuesta_2" in curricular_json.text
            and (_escapes(DESHABILITADO)[1] not in curricular_json.text and entregas >= 4)
        )

    await esperar(al_dia, plazo=30)


async def _publica(cliente: httpx.AsyncClient, candidatura_id: str) -> bool:
    return (await cliente.get(f"{API}/candidaturas/{candidatura_id}")).status_code == 200


def _escapes(texto: str) -> tuple[str, str]:
    """A text as it appears raw and inside JSON with non-ASCII escaped."""
    return texto, json.dumps(texto)[1:-1]


async def prohibidos(app: FastAPI) -> list[str]:
    """What must never be public: unconsented identity, private e-mail, CURPs, birth dates."""
    store = app.state.recursos[Servicio.CAPTURA].store
    textos = [PUEBLO_MARCADO, CORREO_PRIVADO]
    for candidatura_id in (SIN_CONSENTIMIENTO, CON_CONSENTIMIENTO):
        registro = (await store.collection("candidaturas").get(candidatura_id))["registro"]
        nacimiento = date.fromisoformat(registro["fecha_nacimiento"])
        textos += [registro["curp"], nacimiento.isoformat(), f"{nacimiento:%d/%m/%Y}"]
    return textos


def rutas_publicas(app: FastAPI) -> list[str]:
    """GET paths of publicacion (site and API), as templates."""
    return sorted(
        {
            c.path
            for c in iter_route_contexts(app.routes)
            if c.path
            and "GET" in (c.methods or ())
            and servicio_de_ruta(c.path) is Servicio.PUBLICACION
        }
    )


async def valores(cliente: httpx.AsyncClient) -> dict[str, list[str]]:
    """Every value a visitor can put in each path parameter."""
    contiendas = (await cliente.get(f"{API}/contiendas")).json()["resultados"]
    archivos = (await cliente.get(f"{API}/datos-abiertos")).json()["archivos"]
    return {
        "candidatura_id": [SIN_CONSENTIMIENTO, CON_CONSENTIMIENTO],
        "clave": [c["clave"] for c in contiendas],
        "archivo": [a["nombre"] for a in archivos],
    }


def llenar(ruta: str, valores: dict[str, list[str]]) -> list[str]:
    """All the concrete paths of a template (none when a parameter has no public values)."""
    parametros = re.findall(r"{([^}:]+)[^}]*}", ruta)
    concretas = [ruta]
    for nombre in parametros:
        patron = re.compile(r"{" + nombre + r"[^}]*}")
        concretas = [patron.sub(v, c) for c in concretas for v in valores.get(nombre, [])]
    return concretas


def texto_de(respuesta: httpx.Response) -> str:
    """The response as text to search; XLSX (a zip) unpacked member by member."""
    if respuesta.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(respuesta.content)) as libro:
            return "\n".join(libro.read(n).decode("utf-8", "replace") for n in libro.namelist())
    return respuesta.content.decode("utf-8", "replace")


async def salidas_publicas(app: FastAPI, cliente: httpx.AsyncClient) -> dict[str, str]:
    """Every public page, API answer and download, by the path that gave it."""
    valores_de_ruta = await valores(cliente)
    rutas = [c for r in rutas_publicas(app) for c in llenar(r, valores_de_ruta)]
    rutas += [
        f"/candidaturas?q={SIN_CONSENTIMIENTO}",
        "/mi-boleta?municipio=15007",
        f"/comparar?ids={SIN_CONSENTIMIENTO}&ids={CON_CONSENTIMIENTO}",
        f"{API}/candidaturas?municipio=15007",
        f"{API}/contiendas?municipio=15007",
    ]
    salidas = {}
    for ruta in rutas:
        respuesta = await cliente.get(ruta)
        if respuesta.status_code == 200:
            salidas[ruta] = texto_de(respuesta)
    return salidas


def ultimas_entregas(receptor: Receptor) -> dict[str, str]:
    """The last webhook payload about each profile (what a subscriber holds now)."""
    ultimas = {}
    for recibida in receptor.de("/ine"):
        cuerpo = json.loads(recibida.cuerpo)
        ultimas[cuerpo["data"]["id"]] = recibida.cuerpo.decode()
    return ultimas


def encontrados(textos: list[str], salidas: dict[str, str]) -> list[tuple[str, str]]:
    return [(salida, t) for t in textos for salida, texto in salidas.items() if t in texto]


async def test_ninguna_salida_publica_trae_datos_privados(
    app: FastAPI, cliente: httpx.AsyncClient, receptor: Receptor, publicadas: None
) -> None:
    salidas = await salidas_publicas(app, cliente)
    entregas = {f"webhook {i}": r.cuerpo.decode() for i, r in enumerate(receptor.de("/ine"))}
    assert len([s for s in salidas if "/datos-abiertos/" in s]) >= 6 and entregas
    assert f"/candidaturas/{SIN_CONSENTIMIENTO}" in salidas
    todas = {**salidas, **entregas}
    assert encontrados(await prohibidos(app), todas) == []
    assert [(s, m) for s, t in todas.items() for m in CURP.findall(t)] == []


async def test_un_campo_deshabilitado_no_esta_en_ninguna_salida_publica(
    app: FastAPI, cliente: httpx.AsyncClient, receptor: Receptor, publicadas: None
) -> None:
    # Payloads delivered before the takedown carried what was public then; what a subscriber
    # holds now is the last one about each profile.
    salidas = {**await salidas_publicas(app, cliente), **ultimas_entregas(receptor)}
    assert encontrados(list(_escapes(DESHABILITADO)), salidas) == []


async def test_la_identidad_consentida_si_es_publica(
    cliente: httpx.AsyncClient, receptor: Receptor, publicadas: None
) -> None:
    perfil = (await cliente.get(f"{API}/candidaturas/{CON_CONSENTIMIENTO}")).json()
    assert perfil["identidad"]["pueblo_indigena_otro"] == PUEBLO_PUBLICO
    identidad_abierta = (await cliente.get(f"{API}/datos-abiertos/identidad.json")).text
    assert PUEBLO_PUBLICO in identidad_abierta
    assert any(PUEBLO_PUBLICO.encode() in r.cuerpo for r in receptor.de("/ine"))
