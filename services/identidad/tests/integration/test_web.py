"""Login pages through create_app(): form, session cookie flags, safe redirects, CSRF, logout."""

import re

import httpx
import pytest

from identidad.web import destino_seguro

CLAVE_DEMO = "clave-demo-pruebas"
LOGIN = "/identidad/login"


async def token_csrf(cliente: httpx.AsyncClient, ruta: str = LOGIN) -> str:
    pagina = await cliente.get(ruta)
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert encontrado, "la página no tiene el campo csrf_token"
    return encontrado.group(1)


async def entrar(
    cliente: httpx.AsyncClient,
    *,
    usuario: str = "supervisor.pan",
    clave: str = CLAVE_DEMO,
    siguiente: str = "",
    cabeceras: dict[str, str] | None = None,
) -> httpx.Response:
    datos = {
        "usuario": usuario,
        "clave": clave,
        "siguiente": siguiente,
        "csrf_token": await token_csrf(cliente),
    }
    return await cliente.post(LOGIN, data=datos, headers=cabeceras)


def cookie_de_sesion(respuesta: httpx.Response) -> str:
    (cabecera,) = [
        valor
        for valor in respuesta.headers.get_list("set-cookie")
        if valor.startswith("conoceles_sesion=")
    ]
    return cabecera


async def test_formulario_tiene_etiquetas_y_codigo_de_seguridad(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.get(LOGIN, headers={"Accept": "text/html"})

    assert respuesta.status_code == 200
    assert respuesta.headers["content-type"].startswith("text/html")
    assert re.search(r'<label[^>]*for="campo-usuario"[^>]*>Usuario', respuesta.text)
    assert re.search(r'<label[^>]*for="campo-clave"[^>]*>Contraseña', respuesta.text)
    assert 'autocomplete="current-password"' in respuesta.text
    assert 'name="csrf_token"' in respuesta.text


async def test_entrar_pone_la_cookie_de_sesion_con_sus_banderas(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await entrar(cliente)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/"
    cookie = cookie_de_sesion(respuesta)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Max-Age=900" in cookie
    assert "Secure" not in cookie


async def test_detras_de_https_la_cookie_es_secure(cliente: httpx.AsyncClient) -> None:
    respuesta = await entrar(cliente, cabeceras={"X-Forwarded-Proto": "https"})

    assert "Secure" in cookie_de_sesion(respuesta)


async def test_con_la_cookie_la_pagina_de_inicio_muestra_la_cuenta(
    cliente: httpx.AsyncClient,
) -> None:
    await entrar(cliente, usuario="captura.mc")

    respuesta = await cliente.get("/identidad/", headers={"Accept": "text/html"})

    assert respuesta.status_code == 200
    assert "captura.mc" in respuesta.text
    assert "partido" in respuesta.text
    assert "MC" in respuesta.text


async def test_la_cookie_sirve_para_la_api(cliente: httpx.AsyncClient) -> None:
    await entrar(cliente, usuario="verificador")

    respuesta = await cliente.get("/api/identidad/v1/yo")

    assert respuesta.json()["usuario"] == "verificador"


async def test_siguiente_local_se_respeta(cliente: httpx.AsyncClient) -> None:
    respuesta = await entrar(cliente, siguiente="/captura/candidaturas?pagina=2")

    assert respuesta.headers["location"] == "/captura/candidaturas?pagina=2"


@pytest.mark.parametrize(
    "siguiente",
    [
        "https://sitio-falso.example/robar",
        "//sitio-falso.example",
        "/\\sitio-falso.example",
        "/\t/sitio-falso.example",
        "javascript:alert(1)",
        "captura/",
    ],
)
async def test_siguiente_externo_se_rechaza(cliente: httpx.AsyncClient, siguiente: str) -> None:
    respuesta = await entrar(cliente, siguiente=siguiente)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/"


async def test_clave_erronea_vuelve_al_formulario_con_el_error(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await entrar(cliente, clave="no-es")

    assert respuesta.status_code == 422
    assert "El usuario o la contraseña no son correctos" in respuesta.text
    assert 'value="supervisor.pan"' in respuesta.text
    assert "conoceles_sesion=" not in respuesta.headers.get("set-cookie", "")


async def test_cuenta_bloqueada_lo_dice_en_el_formulario(cliente: httpx.AsyncClient) -> None:
    for _ in range(5):
        await entrar(cliente, usuario="soporte", clave="no-es")

    respuesta = await entrar(cliente, usuario="soporte")

    assert respuesta.status_code == 422
    assert "bloqueada" in respuesta.text
    assert "hora del centro de México" in respuesta.text


async def test_entrar_sin_codigo_csrf_da_403(cliente: httpx.AsyncClient) -> None:
    await cliente.get(LOGIN)

    respuesta = await cliente.post(
        LOGIN,
        data={"usuario": "admin", "clave": CLAVE_DEMO},
        headers={"Accept": "application/json"},
    )

    assert respuesta.status_code == 403
    assert "conoceles_sesion=" not in respuesta.headers.get("set-cookie", "")


async def test_salir_borra_la_cookie(cliente: httpx.AsyncClient) -> None:
    await entrar(cliente)
    csrf = await token_csrf(cliente, "/identidad/")

    respuesta = await cliente.post("/identidad/logout", data={"csrf_token": csrf})

    assert respuesta.status_code == 303
    assert respuesta.headers["location"].startswith(LOGIN)
    cookie = cookie_de_sesion(respuesta)
    assert cookie.startswith('conoceles_sesion=""') or "Max-Age=0" in cookie
    assert "conoceles_sesion" not in cliente.cookies
    yo = await cliente.get("/api/identidad/v1/yo")
    assert yo.status_code == 401


async def test_salir_sin_codigo_csrf_da_403(cliente: httpx.AsyncClient) -> None:
    await entrar(cliente)

    respuesta = await cliente.post("/identidad/logout", headers={"Accept": "application/json"})

    assert respuesta.status_code == 403


async def test_pagina_de_inicio_sin_sesion_invita_a_entrar(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/identidad/", headers={"Accept": "text/html"})

    assert respuesta.status_code == 200
    assert "No ha iniciado sesión" in respuesta.text


@pytest.mark.parametrize(
    ("siguiente", "destino"),
    [
        (None, "/identidad/"),
        ("", "/identidad/"),
        ("/publicacion/perfil/1#fotos", "/publicacion/perfil/1#fotos"),
        ("/identidad/login?siguiente=/x", "/identidad/"),
        ("http:/sitio-falso.example", "/identidad/"),
        ("/" + "a" * 3000, "/identidad/"),
    ],
)
def test_destino_seguro(siguiente: str | None, destino: str) -> None:
    assert destino_seguro(siguiente) == destino
