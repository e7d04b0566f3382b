"""The in-process cache of anonymous public responses."""

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from publicacion import cache_http
from publicacion.cache_http import MAXIMO_CUERPO, CacheRespuestas, Generacion

llamadas: list[str] = []


async def pagina(request: Request) -> Response:
    llamadas.append(request.url.path)
    respuesta = PlainTextResponse(f"hola {len(llamadas)}", headers={"ETag": '"e1"'})
    if request.url.path == "/galleta":
        respuesta.set_cookie("x", "1")
    return respuesta


async def falla(request: Request) -> Response:
    llamadas.append(request.url.path)
    return PlainTextResponse("no", status_code=404)


async def grande(request: Request) -> Response:
    llamadas.append(request.url.path)
    return PlainTextResponse("x" * (MAXIMO_CUERPO + 1))


def cliente(generacion: Generacion) -> httpx.AsyncClient:
    llamadas.clear()
    app = Starlette(
        routes=[
            Route("/p", pagina),
            Route("/galleta", pagina),
            Route("/falta", falla),
            Route("/grande", grande),
            Route("/datos-abiertos", pagina),
        ]
    )
    envuelta = CacheRespuestas(app, generacion=generacion, es_publica=lambda r: True)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=envuelta), base_url="http://x")


def lista() -> Generacion:
    generacion = Generacion()
    generacion.fijar(1.0)
    return generacion


async def test_la_segunda_visita_anonima_sale_de_la_cache() -> None:
    async with cliente(lista()) as c:
        primera, segunda = await c.get("/p?a=1"), await c.get("/p?a=1")
        otra = await c.get("/p?a=2")
    assert primera.text == segunda.text == "hola 1" and otra.text == "hola 2"
    assert llamadas == ["/p", "/p"]


async def test_un_cambio_del_modelo_vacia_la_cache() -> None:
    generacion = lista()
    async with cliente(generacion) as c:
        await c.get("/p")
        generacion.avisar()
        assert (await c.get("/p")).text == "hola 2"
        generacion.fijar(2.0)
        assert (await c.get("/p")).text == "hola 3"


async def test_con_sesion_o_credenciales_no_se_usa_la_cache() -> None:
    async with cliente(lista()) as c:
        await c.get("/p")
        con_galleta = await c.get("/p", headers={"Cookie": "sesion=1"})
        con_token = await c.get("/p", headers={"Authorization": "Bearer t"})
    assert con_galleta.text == "hola 2" and con_token.text == "hola 3"


async def test_errores_galletas_cuerpos_grandes_y_rutas_excluidas_no_se_guardan() -> None:
    async with cliente(lista()) as c:
        for ruta in ("/falta", "/galleta", "/grande", "/datos-abiertos"):
            await c.get(ruta)
            await c.get(ruta)
    assert llamadas == ["/falta", "/falta", "/galleta", "/galleta", "/grande", "/grande",
                        "/datos-abiertos", "/datos-abiertos"]  # fmt: skip


async def test_sin_conocer_el_estado_del_modelo_no_se_guarda_nada() -> None:
    async with cliente(Generacion()) as c:
        await c.get("/p")
        await c.get("/p")
    assert llamadas == ["/p", "/p"]


async def test_desde_la_cache_responde_304_y_head_sin_cuerpo() -> None:
    async with cliente(lista()) as c:
        await c.get("/p")
        no_cambio = await c.get("/p", headers={"If-None-Match": '"e1"'})
        cabeza = await c.head("/p")
    assert no_cambio.status_code == 304 and not no_cambio.content
    assert cabeza.status_code == 200 and not cabeza.content
    assert llamadas == ["/p"]


async def test_la_cache_no_pasa_de_su_tope_de_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_http, "MAXIMO_BYTES", 10)
    async with cliente(lista()) as c:
        await c.get("/p?a=1")  # «hola 1»: 6 bytes
        await c.get("/p?a=2")  # 12 bytes in all: the first goes
        await c.get("/p?a=2")
        await c.get("/p?a=1")
    assert llamadas == ["/p", "/p", "/p"]
