"""Double-submit CSRF token on unsafe browser requests, with the body replayed intact."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from comun.auth.dependencias import COOKIE_SESION
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.web import instalar
from comun.web.csrf import COOKIE_CSRF, MENSAJE
from comun.web.plantillas import crear_plantillas

NAVEGADOR = "text/html,application/xhtml+xml,*/*;q=0.8"
TOKEN = "a" * 43


def crear_app(directorio: Path) -> FastAPI:
    (directorio / "formulario.html").write_text(
        '{% extends "base.html" %}{% block contenido %}'
        '<form method="post">{{ f.csrf() }}</form>{% endblock %}'
        '{% import "macros/formularios.html" as f with context %}',
        encoding="utf-8",
    )
    plantillas = crear_plantillas(Servicio.CAPTURA, directorio)
    app = FastAPI()
    instalar(app, PlatformSettings(max_cuerpo_bytes=2_000_000))

    @app.get("/captura/formulario", response_class=HTMLResponse)
    async def formulario(request: Request) -> HTMLResponse:
        return plantillas.TemplateResponse(request, "formulario.html")

    @app.get("/captura/publica")
    async def publica() -> dict[str, str]:
        return {"hola": "mundo"}

    @app.post("/captura/formulario")
    async def enviar(
        nombre: Annotated[str, Form()], notas: Annotated[str, Form()]
    ) -> dict[str, str]:
        return {"nombre": nombre, "notas": notas}

    @app.post("/captura/foto")
    async def foto(
        descripcion: Annotated[str, Form()], archivo: Annotated[UploadFile, File()]
    ) -> dict[str, object]:
        contenido = await archivo.read()
        return {"descripcion": descripcion, "nombre": archivo.filename, "bytes": len(contenido)}

    @app.post("/api/captura/v1/cosas")
    async def cosas(datos: dict[str, int]) -> dict[str, int]:
        return datos

    return app


@pytest.fixture
async def cliente(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=crear_app(tmp_path))
    async with httpx.AsyncClient(transport=transporte, base_url="http://prueba") as cliente:
        yield cliente


async def test_una_pagina_con_formulario_entrega_el_token_en_una_cookie_httponly(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/captura/formulario")

    cookie = respuesta.headers["set-cookie"]
    token = respuesta.cookies[COOKIE_CSRF]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie
    assert f'<input type="hidden" name="csrf_token" value="{token}">' in respuesta.text


async def test_la_cookie_es_secure_detras_de_un_proxy_https(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/formulario", headers={"x-forwarded-proto": "https"})

    assert "Secure" in respuesta.headers["set-cookie"]


async def test_una_pagina_sin_formularios_no_pone_cookies(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/publica")

    assert "set-cookie" not in respuesta.headers


async def test_la_cookie_existente_se_reutiliza(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)

    respuesta = await cliente.get("/captura/formulario")

    assert "set-cookie" not in respuesta.headers
    assert f'value="{TOKEN}"' in respuesta.text


async def test_formulario_sin_token_es_rechazado_con_403(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)

    respuesta = await cliente.post("/captura/formulario", data={"nombre": "Ana", "notas": "x"})

    assert respuesta.status_code == 403
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert respuesta.json()["detail"] == MENSAJE


async def test_formulario_sin_token_muestra_una_pagina_al_navegador(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.post(
        "/captura/formulario", data={"nombre": "Ana", "notas": "x"}, headers={"accept": NAVEGADOR}
    )

    assert respuesta.status_code == 403
    assert respuesta.headers["content-type"].startswith("text/html")
    assert "recargue la página" in respuesta.text


async def test_formulario_con_token_incorrecto_es_rechazado(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)
    datos = {"csrf_token": "b" * 43, "nombre": "Ana", "notas": "x"}

    respuesta = await cliente.post("/captura/formulario", data=datos)

    assert respuesta.status_code == 403


async def test_token_sin_cookie_es_rechazado(cliente: httpx.AsyncClient) -> None:
    datos = {"csrf_token": TOKEN, "nombre": "Ana", "notas": "x"}

    respuesta = await cliente.post("/captura/formulario", data=datos)

    assert respuesta.status_code == 403


async def test_formulario_con_token_valido_llega_intacto(cliente: httpx.AsyncClient) -> None:
    pagina = await cliente.get("/captura/formulario")
    token = pagina.cookies[COOKIE_CSRF]
    datos = {"nombre": "José Ñúñez", "csrf_token": token, "notas": "a&b=c +100%"}

    respuesta = await cliente.post("/captura/formulario", data=datos)

    assert respuesta.status_code == 200
    assert respuesta.json() == {"nombre": "José Ñúñez", "notas": "a&b=c +100%"}


async def test_token_valido_en_la_cabecera_de_htmx(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)

    respuesta = await cliente.post(
        "/captura/formulario",
        data={"nombre": "Ana", "notas": "x"},
        headers={"x-csrf-token": TOKEN, "hx-request": "true"},
    )

    assert respuesta.status_code == 200


async def test_token_incorrecto_en_la_cabecera_es_rechazado(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)

    respuesta = await cliente.post(
        "/captura/formulario", data={"nombre": "Ana", "notas": "x"}, headers={"x-csrf-token": "x"}
    )

    assert respuesta.status_code == 403


@pytest.mark.parametrize("token_al_final", [False, True])
async def test_multipart_con_token_llega_intacto_al_endpoint(
    cliente: httpx.AsyncClient, token_al_final: bool
) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)
    foto = bytes(range(256)) * 1200
    campos = {"descripcion": "Foto de campaña", "csrf_token": TOKEN}
    if token_al_final:
        campos = {"descripcion": "Foto de campaña"}
    archivos = {"archivo": ("foto.jpg", foto, "image/jpeg")}
    peticion = cliente.build_request("POST", "/captura/foto", data=campos, files=archivos)
    if token_al_final:
        cuerpo = peticion.read()
        frontera = cuerpo.split(b"\r\n", 1)[0]
        campo = f'\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{TOKEN}\r\n'.encode()
        cuerpo = cuerpo[: -len(frontera) - 4] + frontera + campo + frontera + b"--\r\n"

        async def en_trozos() -> AsyncIterator[bytes]:
            for inicio in range(0, len(cuerpo), 1000):
                yield cuerpo[inicio : inicio + 1000]

        peticion = cliente.build_request(
            "POST",
            "/captura/foto",
            content=en_trozos(),
            headers={"content-type": peticion.headers["content-type"]},
        )

    respuesta = await cliente.send(peticion)

    assert respuesta.status_code == 200
    assert respuesta.json() == {
        "descripcion": "Foto de campaña",
        "nombre": "foto.jpg",
        "bytes": len(foto),
    }


async def test_multipart_sin_token_es_rechazado(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_CSRF, TOKEN)
    archivos = {"archivo": ("foto.jpg", b"\xff\xd8", "image/jpeg")}

    respuesta = await cliente.post("/captura/foto", data={"descripcion": "x"}, files=archivos)

    assert respuesta.status_code == 403


async def test_peticion_con_bearer_no_necesita_token(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        "/captura/formulario",
        data={"nombre": "Ana", "notas": "x"},
        headers={"authorization": "Bearer abc.def.ghi"},
    )

    assert respuesta.status_code == 200


async def test_api_sin_cookie_de_sesion_no_necesita_token(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post("/api/captura/v1/cosas", json={"a": 1})

    assert respuesta.status_code == 200


async def test_api_con_cookie_de_sesion_necesita_token(cliente: httpx.AsyncClient) -> None:
    cliente.cookies.set(COOKIE_SESION, "sesion-del-navegador")
    cliente.cookies.set(COOKIE_CSRF, TOKEN)

    sin_token = await cliente.post("/api/captura/v1/cosas", json={"a": 1})
    con_token = await cliente.post(
        "/api/captura/v1/cosas", json={"a": 1}, headers={"x-csrf-token": TOKEN}
    )

    assert sin_token.status_code == 403
    assert sin_token.headers["content-type"] == "application/problem+json"
    assert con_token.status_code == 200
    assert con_token.json() == {"a": 1}


async def test_metodos_seguros_no_necesitan_token(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/publica")

    assert respuesta.status_code == 200
