"""Errors become RFC 9457 problem+json in Spanish, or an HTML page for browsers."""

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field

from comun.errores import NoAutenticado, NoEncontrado, SinPermiso, instalar_manejadores

NAVEGADOR = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class PersonaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nombre: str = Field(max_length=5)
    telefono: str
    edad: int


def crear_app() -> FastAPI:
    app = FastAPI()
    instalar_manejadores(app)

    @app.post("/api/captura/v1/personas")
    async def crear_persona(persona: PersonaIn) -> dict[str, str]:
        return {"nombre": persona.nombre}

    @app.get("/api/captura/v1/candidaturas/{id}")
    async def candidatura(id: str) -> None:
        raise NoEncontrado("La candidatura solicitada no existe.")

    @app.get("/api/captura/v1/falla")
    async def falla_api() -> None:
        raise RuntimeError("secreto interno: contraseña=123")

    @app.get("/captura/falla")
    async def falla_pagina() -> None:
        raise RuntimeError("secreto interno de página")

    @app.get("/captura/privada")
    async def privada() -> None:
        raise NoAutenticado()

    @app.get("/api/captura/v1/privada")
    async def privada_api() -> None:
        raise NoAutenticado()

    @app.get("/captura/prohibida")
    async def prohibida() -> None:
        raise SinPermiso()

    return app


@pytest.fixture
async def cliente() -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=crear_app())
    async with httpx.AsyncClient(transport=transporte, base_url="http://prueba") as cliente:
        yield cliente


async def test_un_problema_se_responde_como_problem_json_en_espanol(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/api/captura/v1/candidaturas/c1")

    assert respuesta.status_code == 404
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert respuesta.json() == {
        "type": "about:blank",
        "title": "No encontrado",
        "status": 404,
        "detail": "La candidatura solicitada no existe.",
        "instance": "/api/captura/v1/candidaturas/c1",
    }


async def test_json_mal_formado_es_400_con_mensaje_en_espanol(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        "/api/captura/v1/personas",
        content=b'{"nombre": "Ana",',
        headers={"content-type": "application/json"},
    )

    assert respuesta.status_code == 400
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert respuesta.json()["detail"] == "El cuerpo de la petición no es JSON válido."


async def test_campo_faltante_se_explica_en_espanol(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post("/api/captura/v1/personas", json={"nombre": "Ana", "edad": 30})

    cuerpo = respuesta.json()
    assert respuesta.status_code == 422
    assert cuerpo["title"] == "Datos no válidos"
    assert cuerpo["detail"] == 'El campo "telefono" es obligatorio.'
    assert cuerpo["errores"] == [
        {
            "campo": "telefono",
            "ubicacion": "cuerpo",
            "mensaje": 'El campo "telefono" es obligatorio.',
            "tipo": "missing",
        }
    ]


async def test_campo_no_permitido_se_nombra(cliente: httpx.AsyncClient) -> None:
    persona = {"nombre": "Ana", "telefono": "7221234567", "edad": 30, "x": 1}

    respuesta = await cliente.post("/api/captura/v1/personas", json=persona)

    assert respuesta.status_code == 422
    assert respuesta.json()["detail"] == 'Campo no permitido: "x".'


async def test_tipo_incorrecto_dice_que_debe_ser_entero(cliente: httpx.AsyncClient) -> None:
    persona = {"nombre": "Ana", "telefono": "7221234567", "edad": "treinta"}

    respuesta = await cliente.post("/api/captura/v1/personas", json=persona)

    assert respuesta.status_code == 422
    assert respuesta.json()["detail"] == 'El campo "edad" debe ser un número entero.'


async def test_texto_demasiado_largo_dice_el_maximo_y_lo_recibido(
    cliente: httpx.AsyncClient,
) -> None:
    persona = {"nombre": "Anabelita", "telefono": "7221234567", "edad": 30}

    respuesta = await cliente.post("/api/captura/v1/personas", json=persona)

    assert respuesta.json()["detail"] == (
        'El campo "nombre" debe tener como máximo 5 caracteres; recibimos 9.'
    )


async def test_varios_errores_se_listan_todos_sin_repetir_lo_enviado(
    cliente: httpx.AsyncClient,
) -> None:
    persona = {"nombre": "Ana", "edad": "treinta", "secreto": "no-repetir"}

    respuesta = await cliente.post("/api/captura/v1/personas", json=persona)

    cuerpo = respuesta.json()
    assert cuerpo["detail"] == "La petición tiene 3 errores; corríjalos e inténtelo de nuevo."
    assert {error["campo"] for error in cuerpo["errores"]} == {"telefono", "edad", "secreto"}
    assert "no-repetir" not in respuesta.text


async def test_ruta_desconocida_es_404_problem_json(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/api/captura/v1/no-existe")

    assert respuesta.status_code == 404
    assert respuesta.headers["content-type"] == "application/problem+json"
    cuerpo = respuesta.json()
    assert cuerpo["title"] == "No encontrado"
    assert "/api/captura/v1/no-existe" in cuerpo["detail"]
    assert cuerpo["instance"] == "/api/captura/v1/no-existe"


async def test_metodo_no_permitido_es_405_con_cabecera_allow(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.delete("/api/captura/v1/personas")

    assert respuesta.status_code == 405
    assert respuesta.headers["allow"] == "POST"
    assert respuesta.json()["title"] == "Método no permitido"
    assert respuesta.json()["detail"] == (
        "La dirección «/api/captura/v1/personas» no admite el método DELETE."
    )


async def test_excepcion_no_controlada_es_500_generico_sin_traza_de_pila(
    cliente: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="comun.errores"):
        respuesta = await cliente.get("/api/captura/v1/falla")

    assert respuesta.status_code == 500
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert respuesta.json()["title"] == "Error interno"
    assert "secreto" not in respuesta.text
    assert "Traceback" not in respuesta.text
    assert "RuntimeError" not in respuesta.text
    registro = next(r for r in caplog.records if r.name == "comun.errores")
    assert registro.exc_info is not None
    assert "secreto interno" in str(registro.exc_info[1])


async def test_navegador_recibe_pagina_html_de_error_en_espanol(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/captura/no-existe", headers={"accept": NAVEGADOR})

    assert respuesta.status_code == 404
    assert respuesta.headers["content-type"].startswith("text/html")
    assert '<html lang="es-MX">' in respuesta.text
    assert "No encontrado" in respuesta.text
    assert "Saltar al contenido" in respuesta.text


async def test_navegador_ve_un_500_sin_detalles_internos(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/falla", headers={"accept": NAVEGADOR})

    assert respuesta.status_code == 500
    assert respuesta.headers["content-type"].startswith("text/html")
    assert "Error interno" in respuesta.text
    assert "secreto interno" not in respuesta.text


async def test_navegador_sin_sesion_es_redirigido_al_login_con_la_pagina_de_regreso(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get("/captura/privada?pagina=2", headers={"accept": NAVEGADOR})

    assert respuesta.status_code == 303
    assert (
        respuesta.headers["location"] == "/identidad/login?siguiente=/captura/privada%3Fpagina%3D2"
    )


async def test_peticion_htmx_sin_sesion_recibe_hx_redirect(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get(
        "/captura/privada",
        headers={"hx-request": "true", "hx-current-url": "http://prueba/captura/lista?p=1"},
    )

    assert respuesta.status_code == 401
    assert respuesta.headers["hx-redirect"] == "/identidad/login?siguiente=/captura/lista%3Fp%3D1"


async def test_api_sin_sesion_recibe_401_con_www_authenticate(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/api/captura/v1/privada", headers={"accept": NAVEGADOR})

    assert respuesta.status_code == 401
    assert respuesta.headers["content-type"] == "application/problem+json"
    assert respuesta.headers["www-authenticate"].startswith("Bearer")


async def test_navegador_sin_permiso_ve_pagina_403(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/prohibida", headers={"accept": NAVEGADOR})

    assert respuesta.status_code == 403
    assert "Acceso denegado" in respuesta.text


async def test_cliente_que_acepta_cualquier_cosa_recibe_json(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/no-existe", headers={"accept": "*/*"})

    assert respuesta.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("cuerpo", "tipo", "esperado"),
    [
        (b"x", "multipart/form-data", "separador"),
        (
            "&".join(f"c{i}=1" for i in range(1001)).encode(),
            "application/x-www-form-urlencoded",
            "demasiados campos",
        ),
    ],
)
async def test_los_errores_del_lector_de_formularios_llegan_en_espanol(
    cuerpo: bytes, tipo: str, esperado: str
) -> None:
    app = FastAPI()
    instalar_manejadores(app)

    @app.post("/f")
    async def formulario(request: Request) -> dict[str, int]:
        return {"campos": len(await request.form())}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as cliente:
        respuesta = await cliente.post("/f", content=cuerpo, headers={"Content-Type": tipo})
    assert respuesta.status_code == 400
    assert esperado in respuesta.json()["detail"]
