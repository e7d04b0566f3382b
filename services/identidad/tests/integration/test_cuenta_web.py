"""«Mi cuenta» and the forced change of a temporary password, through create_app()."""

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.bus import outbox
from comun.roles import Rol
from comun.servicios import Servicio
from identidad.adapters import ProveedorLocal
from identidad.main import create_app

CLAVE_DEMO = "clave-demo-pruebas"
CLAVE_NUEVA = "girasol tranvía cuaderno"
LOGIN = "/identidad/login"
CAMBIAR = "/identidad/cuenta/clave"
YO = "/api/identidad/v1/yo"


async def csrf(cliente: httpx.AsyncClient, ruta: str = LOGIN) -> str:
    pagina = await cliente.get(ruta)
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert encontrado, f"{ruta} no tiene el campo csrf_token: {pagina.status_code}"
    return encontrado.group(1)


async def entrar(
    cliente: httpx.AsyncClient, usuario: str, clave: str, **extra: str
) -> httpx.Response:
    datos = {"usuario": usuario, "clave": clave, "csrf_token": await csrf(cliente), **extra}
    return await cliente.post(LOGIN, data=datos)


async def cambiar(
    cliente: httpx.AsyncClient,
    actual: str,
    nueva: str,
    confirmacion: str | None = None,
    **extra: str,
) -> httpx.Response:
    datos = {
        "actual": actual,
        "nueva": nueva,
        "confirmacion": nueva if confirmacion is None else confirmacion,
        "csrf_token": await csrf(cliente, CAMBIAR),
        **extra,
    }
    return await cliente.post(CAMBIAR, data=datos)


def claims_de_sesion(cliente: httpx.AsyncClient) -> dict[str, object]:
    return dict(
        jwt.decode(cliente.cookies["conoceles_sesion"], options={"verify_signature": False})
    )


@pytest.fixture
async def app(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> AsyncIterator[FastAPI]:
    """The identidad app itself (its state holds the port), started."""
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30) as gestor:
        aplicacion.state.asgi = gestor.app
        yield aplicacion
        await esperar_outbox(aplicacion)


@pytest.fixture
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=app.state.asgi)
    async with httpx.AsyncClient(transport=transporte, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def temporal(app: FastAPI) -> AsyncIterator[tuple[str, str]]:
    """A new party capture account with the temporary password the port generated."""
    proveedor = app.state.modulos[0].extras["proveedor"]
    assert isinstance(proveedor, ProveedorLocal)
    clave = await proveedor.crear_cuenta(
        usuario="captura.pt.01",
        nombre="Rosa",
        apellidos="Hernández",
        correo="rosa@ejemplo.mx",
        roles=[Rol.PARTIDO],
        partido="PT",
    )
    yield "captura.pt.01", clave


async def test_la_cuenta_nueva_entra_y_va_directo_a_cambiar_su_clave_temporal(
    cliente: httpx.AsyncClient, temporal: tuple[str, str]
) -> None:
    respuesta = await entrar(cliente, *temporal, siguiente="/captura/")

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == f"{CAMBIAR}?siguiente=/captura/"
    assert claims_de_sesion(cliente)["acciones"] == ["cambiar_clave"]
    pagina = await cliente.get(respuesta.headers["location"])
    assert pagina.status_code == 200
    assert "Elija su contraseña" in pagina.text
    assert "Contraseña temporal" in pagina.text


@pytest.mark.parametrize(
    "ruta", [YO, "/identidad/login?x=1", "/identidad/cuenta", "/identidad/cuenta/clave"]
)
async def test_con_la_clave_temporal_solo_se_abren_las_paginas_de_la_cuenta(
    cliente: httpx.AsyncClient, temporal: tuple[str, str], ruta: str
) -> None:
    await entrar(cliente, *temporal)

    respuesta = await cliente.get(ruta)

    if ruta == YO:
        assert respuesta.status_code == 403
        assert respuesta.headers["content-type"].startswith("application/problem+json")
        assert respuesta.json()["detail"].startswith(
            "Cambie su contraseña temporal antes de continuar"
        )
        assert respuesta.json()["acciones"] == ["cambiar_clave"]
    else:
        assert respuesta.status_code == 200


async def test_la_pagina_de_otro_modulo_con_clave_temporal_explica_que_hacer(
    cliente: httpx.AsyncClient, temporal: tuple[str, str]
) -> None:
    await entrar(cliente, *temporal)

    respuesta = await cliente.get(YO, headers={"Accept": "text/html"})

    assert respuesta.status_code == 403
    assert "Cambie su contraseña temporal antes de continuar" in respuesta.text
    assert "/identidad/cuenta/clave" in respuesta.text


async def test_la_api_no_da_token_con_la_clave_temporal(
    cliente: httpx.AsyncClient, temporal: tuple[str, str]
) -> None:
    usuario, clave = temporal

    respuesta = await cliente.post(
        "/api/identidad/v1/token", data={"username": usuario, "password": clave}
    )

    assert respuesta.status_code == 403
    assert "es temporal" in respuesta.json()["detail"]
    assert "/identidad/login" in respuesta.json()["detail"]


async def test_cambiar_la_clave_temporal_abre_el_sistema_y_lo_registra(
    app: FastAPI, cliente: httpx.AsyncClient, temporal: tuple[str, str]
) -> None:
    usuario, clave = temporal
    await entrar(cliente, usuario, clave)

    respuesta = await cambiar(cliente, clave, CLAVE_NUEVA, siguiente="/captura/")

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/captura/"
    assert "acciones" not in claims_de_sesion(cliente)
    assert (await cliente.get(YO)).json()["usuario"] == usuario
    cuentas = app.state.recursos[Servicio.IDENTIDAD].store.collection("cuentas")
    (doc,) = await cuentas.find({"usuario": usuario})
    assert doc["debe_cambiar_clave"] is False
    cliente.cookies.clear()
    token = await cliente.post(
        "/api/identidad/v1/token", data={"username": usuario, "password": CLAVE_NUEVA}
    )
    assert token.status_code == 200
    viejo = await cliente.post(
        "/api/identidad/v1/token", data={"username": usuario, "password": clave}
    )
    assert viejo.status_code == 401


@pytest.mark.parametrize(
    ("nueva", "confirmacion", "mensaje"),
    [
        ("corta-123", None, "La contraseña debe tener al menos 12 caracteres; tiene 9."),
        ("soy-captura.pt.01-yo", None, "no debe contener su nombre de usuario"),
        ("Contraseña2024!", None, "de las más usadas"),
        ("méxico2024-2024", None, "de las más usadas"),
        (CLAVE_NUEVA, "otra cosa distinta", "La confirmación no coincide"),
    ],
)
async def test_una_clave_nueva_debil_se_rechaza_explicando_que_corregir(
    cliente: httpx.AsyncClient,
    temporal: tuple[str, str],
    nueva: str,
    confirmacion: str | None,
    mensaje: str,
) -> None:
    usuario, clave = temporal
    await entrar(cliente, usuario, clave)

    respuesta = await cambiar(cliente, clave, nueva, confirmacion)

    assert respuesta.status_code == 422
    assert mensaje in respuesta.text
    assert 'aria-invalid="true"' in respuesta.text
    assert claims_de_sesion(cliente)["acciones"] == ["cambiar_clave"]


async def test_clave_actual_erronea_se_rechaza_y_cuenta_para_el_bloqueo(
    app: FastAPI, cliente: httpx.AsyncClient, temporal: tuple[str, str]
) -> None:
    usuario, clave = temporal
    await entrar(cliente, usuario, clave)

    respuesta = await cambiar(cliente, "no-es-la-actual", CLAVE_NUEVA)

    assert respuesta.status_code == 422
    assert "La contraseña actual no es correcta" in respuesta.text
    cuentas = app.state.recursos[Servicio.IDENTIDAD].store.collection("cuentas")
    (doc,) = await cuentas.find({"usuario": usuario})
    assert doc["fallos"] == 1


async def test_la_misma_clave_no_sirve_como_nueva(cliente: httpx.AsyncClient) -> None:
    await entrar(cliente, "captura.pan", CLAVE_DEMO)

    respuesta = await cambiar(cliente, CLAVE_DEMO, CLAVE_DEMO)

    assert respuesta.status_code == 422
    assert "La contraseña nueva debe ser distinta de la actual." in respuesta.text


async def test_mi_cuenta_muestra_roles_partido_y_el_estado_del_segundo_factor(
    cliente: httpx.AsyncClient,
) -> None:
    await entrar(cliente, "supervisor.pan", CLAVE_DEMO)

    respuesta = await cliente.get("/identidad/cuenta")

    assert respuesta.status_code == 200
    assert "Mi cuenta" in respuesta.text
    assert "supervisor.pan" in respuesta.text
    assert "<dd>supervisor</dd>" in respuesta.text
    assert "<dd>PAN</dd>" in respuesta.text
    assert "No configurado; su rol lo requiere." in respuesta.text
    assert 'href="/identidad/cuenta/clave"' in respuesta.text
    assert respuesta.headers["cache-control"] == "no-store"


async def test_mi_cuenta_sin_sesion_lleva_a_iniciar_sesion(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/identidad/cuenta", headers={"Accept": "text/html"})

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/login?siguiente=/identidad/cuenta"


async def test_cambiar_la_clave_desde_mi_cuenta_avisa_y_emite_clave_cambiada(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    await entrar(cliente, "captura.pan", CLAVE_DEMO)

    respuesta = await cambiar(cliente, CLAVE_DEMO, CLAVE_NUEVA)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/cuenta?hecho=clave"
    pagina = await cliente.get(respuesta.headers["location"])
    assert "Su contraseña se cambió" in pagina.text
    cuentas = app.state.recursos[Servicio.IDENTIDAD].store.collection("cuentas")
    (doc,) = await cuentas.find({"usuario": "captura.pan"})
    tipos = [pendiente["evento"]["type"] for pendiente in outbox.pendientes(doc)]
    publicado = "mx.conoceles.identidad.clave_cambiada.v1" in tipos
    assert publicado or doc["version"] >= 2


async def test_la_cookie_vive_lo_mismo_que_el_token_y_salir_la_borra(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await entrar(cliente, "captura.pan", CLAVE_DEMO)

    (cabecera,) = [
        valor
        for valor in respuesta.headers.get_list("set-cookie")
        if valor.startswith("conoceles_sesion=")
    ]
    claims = claims_de_sesion(cliente)
    vida = int(claims["exp"]) - int(claims["iat"])  # type: ignore[call-overload]
    assert f"Max-Age={vida}" in cabecera
    salida = await cliente.post(
        "/identidad/logout", data={"csrf_token": await csrf(cliente, "/identidad/cuenta")}
    )
    assert salida.status_code == 303
    assert "conoceles_sesion" not in cliente.cookies
