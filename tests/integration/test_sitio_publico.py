"""The public site and API over published profiles: search, filters, ballots, comparison, HTTP."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import capturar_y_validar
from .conftest import esperar

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROPIETARIA = "AY-15007-PM-CC-FYCEM-P"
SUPLENTE = "AY-15007-PM-CC-FYCEM-S"
API = "/api/publicacion/v1"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin")

datos = proceso.datos_demo("sitio", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
h = proceso.tokens(CUENTAS)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicadas(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> list[Any]:
    """The propietaria and the suplente of one planilla, public."""
    for candidatura_id in (PROPIETARIA, SUPLENTE):
        await capturar_y_validar(cliente, h, candidatura_id, inicio_hace=timedelta(minutes=1))

    async def ambas() -> bool:
        lista = (await cliente.get(f"{API}/candidaturas")).json()
        return bool(lista["total"] == 2)

    await esperar(ambas)
    return [(await cliente.get(f"{API}/candidaturas/{i}")).json() for i in (PROPIETARIA, SUPLENTE)]


def sin_acentos_con_error(nombre: str) -> str:
    """The first surname as a hurried visitor types it: no accents, lower case, one typo."""
    apellido = nombre.split()[-2]
    plano = apellido.lower().translate(str.maketrans("áéíóúü", "aeiouu"))
    return plano[:-1] + ("x" if plano[-1] != "x" else "y")


async def test_la_busqueda_tolera_acentos_mayusculas_y_un_error_de_dedo(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    propietaria = publicadas[0]
    q = f"{propietaria['nombre'].split()[0].upper()} {sin_acentos_con_error(propietaria['nombre'])}"
    respuesta = await cliente.get(f"{API}/candidaturas", params={"q": q})
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["resultados"][0]["id"] == PROPIETARIA


async def test_la_lista_da_fichas_que_enlazan_al_perfil_completo(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    lista = (await cliente.get(f"{API}/candidaturas", params={"municipio": "15007"})).json()
    fichas = {f["id"]: f for f in lista["resultados"]}
    for perfil in publicadas:
        ficha = fichas[perfil["id"]]
        assert "curricular" not in ficha and "identidad" not in ficha and "cambios" not in ficha
        assert (await cliente.get(ficha["api_url"])).json() == perfil
        comunes = {k: v for k, v in perfil.items() if k in ficha}
        assert comunes == {k: ficha[k] for k in comunes}
        assert ficha["fotografia"] == perfil["curricular"]["fotografia"]
        assert ficha["identidad_publica"] is (perfil["identidad"] is not None)


async def test_los_caracteres_de_expresiones_regulares_se_buscan_como_texto(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    for q in (".*", "$ne", "[a-z]+", '{"$gt": ""}', "\\"):
        respuesta = await cliente.get(f"{API}/candidaturas", params={"q": q})
        assert respuesta.status_code == 200, respuesta.text
        assert respuesta.json()["total"] == 0, q


async def test_los_filtros_acotan_la_lista(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    sexo = publicadas[0]["sexo"]
    mismas = [p["id"] for p in publicadas if p["sexo"] == sexo]
    filtrada = await cliente.get(f"{API}/candidaturas", params={"municipio": "15007", "sexo": sexo})
    assert sorted(p["id"] for p in filtrada.json()["resultados"]) == sorted(mismas)
    ninguna = await cliente.get(f"{API}/candidaturas", params={"cargo": "diputacion_local"})
    assert ninguna.json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"pagina": "0"},
        {"por_pagina": "1000"},
        {"edad_min": "70", "edad_max": "30"},
        {"cargo": "presidencia"},
        {"desconocido": "1"},
    ],
)
async def test_paginas_y_filtros_absurdos_dan_400_en_espanol(
    cliente: httpx.AsyncClient, params: dict[str, str]
) -> None:
    respuesta = await cliente.get(f"{API}/candidaturas", params=params)
    assert respuesta.status_code == 400, respuesta.text
    assert respuesta.json()["title"] == "Parámetros no válidos"


async def test_una_consulta_demasiado_larga_da_414(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get(f"{API}/candidaturas", params={"q": "a" * 3000})
    assert respuesta.status_code == 414, respuesta.text


async def test_etag_da_304_y_la_api_permite_cors(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    primera = await cliente.get(f"{API}/candidaturas/{PROPIETARIA}")
    etag = primera.headers["etag"]
    segunda = await cliente.get(
        f"{API}/candidaturas/{PROPIETARIA}", headers={"If-None-Match": etag}
    )
    assert segunda.status_code == 304 and not segunda.content
    assert primera.headers["access-control-allow-origin"] == "*"
    assert "public" in primera.headers["cache-control"]
    previa = await cliente.options(
        f"{API}/candidaturas",
        headers={"Origin": "https://ine.mx", "Access-Control-Request-Method": "GET"},
    )
    assert previa.status_code == 204 and "GET" in previa.headers["access-control-allow-methods"]


async def test_mi_municipio_muestra_sus_contiendas_y_la_contienda_sus_perfiles(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    contiendas = (await cliente.get(f"{API}/contiendas", params={"municipio": "15007"})).json()
    (contienda,) = contiendas["resultados"]
    assert contienda["cargo"] == "presidencia_municipal" and contienda["candidaturas"] == 2
    boleta = await cliente.get("/mi-boleta", params={"municipio": "15007"})
    assert boleta.status_code == 200 and f"/contiendas/{contienda['clave']}" in boleta.text
    pagina = await cliente.get(f"/contiendas/{contienda['clave']}")
    assert all(p["nombre"] in pagina.text for p in publicadas)
    desconocido = await cliente.get(f"{API}/contiendas", params={"municipio": "99999"})
    assert desconocido.status_code == 404


async def test_comparar_pone_lado_a_lado_dos_perfiles_de_la_misma_contienda(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    pagina = await cliente.get("/comparar", params=[("ids", PROPIETARIA), ("ids", SUPLENTE)])
    assert pagina.status_code == 200, pagina.text
    assert all(p["nombre"] in pagina.text for p in publicadas)
    una = await cliente.get("/comparar", params={"ids": PROPIETARIA})
    assert una.status_code == 400 and "de 2 a 4" in una.text


async def test_la_busqueda_web_funciona_sin_javascript_y_pagina(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    pagina = await cliente.get("/candidaturas", params={"por_pagina": "1"})
    assert pagina.status_code == 200, pagina.text
    assert "2 candidaturas" in pagina.text and "pagina=2" in pagina.text
    assert "set-cookie" not in pagina.headers
    inicio = await cliente.get("/")
    assert "¿Quiénes compiten en mi municipio o distrito?" in inicio.text


async def test_la_segunda_visita_anonima_a_un_perfil_sale_de_la_cache_del_proceso(
    cliente: httpx.AsyncClient, publicadas: list[Any]
) -> None:
    ruta = f"/candidaturas/{PROPIETARIA}"
    await cliente.get(ruta)
    segunda = await cliente.get(ruta)
    con_sesion = await cliente.get(ruta, headers={"Cookie": "conoceles_sesion=x"})
    assert segunda.headers.get("x-cache-origen") == "HIT"
    assert "x-cache-origen" not in con_sesion.headers
