"""TOTP second factor of the embedded provider through create_app(): enrolment, login, API."""

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx
import jwt
import pyotp
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.eventos import Evento
from comun.roles import Rol
from comun.servicios import Servicio, consumer_group, topic
from identidad.adapters import ProveedorLocal
from identidad.main import create_app

CLAVE_DEMO = "clave-demo-pruebas"
CLAVE_NUEVA = "girasol tranvía cuaderno"
LOGIN = "/identidad/login"
ALTA = "/identidad/cuenta/segundo-factor"
TOKEN = "/api/identidad/v1/token"
YO = "/api/identidad/v1/yo"


@dataclass
class Supervision:
    usuario: str
    clave: str
    secreto: str = ""


@pytest.fixture
async def app(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> AsyncIterator[FastAPI]:
    """The identidad app itself (its state holds the port and the bus), started."""
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
def publicados(app: FastAPI) -> list[Evento]:
    """The identidad events the relay publishes from now on."""
    eventos: list[Evento] = []

    async def guardar(evento: Evento) -> None:
        eventos.append(evento)

    app.state.recursos[Servicio.IDENTIDAD].bus.subscribe(
        topic(Servicio.IDENTIDAD), group=consumer_group(Servicio.AUDITORIA), handler=guardar
    )
    return eventos


@pytest.fixture
async def supervision(app: FastAPI) -> Supervision:
    """A new supervisor account (not a demo one) with its temporary password."""
    proveedor = app.state.modulos[0].extras["proveedor"]
    assert isinstance(proveedor, ProveedorLocal)
    clave = await proveedor.crear_cuenta(
        usuario="supervision.pt",
        nombre="Laura",
        apellidos="Gómez Ruiz",
        correo="laura@ejemplo.mx",
        roles=[Rol.SUPERVISOR],
        partido="PT",
    )
    return Supervision("supervision.pt", clave)


async def csrf(cliente: httpx.AsyncClient, ruta: str = LOGIN) -> str:
    pagina = await cliente.get(ruta)
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert encontrado, f"{ruta} no tiene el campo csrf_token: {pagina.status_code}"
    return encontrado.group(1)


async def entrar(cliente: httpx.AsyncClient, usuario: str, clave: str) -> httpx.Response:
    datos = {"usuario": usuario, "clave": clave, "csrf_token": await csrf(cliente)}
    return await cliente.post(LOGIN, data=datos, headers={"Accept": "text/html"})


async def dar_codigo(
    cliente: httpx.AsyncClient, pagina: httpx.Response, codigo: str
) -> httpx.Response:
    """Answer the login's code step with the signed step it handed out."""
    paso = re.search(r'name="paso" value="([^"]+)"', pagina.text)
    assert paso, "la página no pide el código"
    datos = {"paso": paso.group(1), "codigo": codigo, "csrf_token": await csrf(cliente)}
    return await cliente.post("/identidad/login/codigo", data=datos)


def codigo(secreto: str, *, desfase_s: int = 0) -> str:
    return pyotp.TOTP(secreto).at(time.time() + desfase_s)


def acciones(cliente: httpx.AsyncClient) -> object:
    claims = jwt.decode(cliente.cookies["conoceles_sesion"], options={"verify_signature": False})
    return claims.get("acciones")


async def inscribir(cliente: httpx.AsyncClient, persona: Supervision) -> httpx.Response:
    """First sign-in: new password, then the QR page and its first code."""
    await entrar(cliente, persona.usuario, persona.clave)
    cambio = await cliente.post(
        "/identidad/cuenta/clave",
        data={
            "actual": persona.clave,
            "nueva": CLAVE_NUEVA,
            "confirmacion": CLAVE_NUEVA,
            "csrf_token": await csrf(cliente, "/identidad/cuenta/clave"),
        },
    )
    assert cambio.status_code == 303, cambio.text
    persona.clave = CLAVE_NUEVA
    pagina = await cliente.get(cambio.headers["location"])
    secreto = re.search(r'<code id="clave-secreta">([A-Z2-7 ]+)</code>', pagina.text)
    assert secreto, pagina.text
    persona.secreto = secreto.group(1).replace(" ", "")
    token = re.search(r'name="csrf_token" value="([^"]+)"', pagina.text)
    assert token
    return await cliente.post(
        ALTA, data={"codigo": codigo(persona.secreto), "csrf_token": token.group(1)}
    )


async def test_la_supervision_nueva_cambia_su_clave_y_luego_configura_el_segundo_factor(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await entrar(cliente, supervision.usuario, supervision.clave)
    assert acciones(cliente) == ["cambiar_clave", "configurar_segundo_factor"]

    respuesta = await inscribir(cliente, supervision)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/cuenta?hecho=segundo-factor"
    assert acciones(cliente) is None
    assert (await cliente.get(YO)).status_code == 200
    pagina = await cliente.get(respuesta.headers["location"])
    assert "Su segundo factor quedó configurado" in pagina.text


async def test_tras_cambiar_la_clave_se_pasa_a_configurar_el_segundo_factor(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await entrar(cliente, supervision.usuario, supervision.clave)

    respuesta = await cliente.post(
        "/identidad/cuenta/clave",
        data={
            "actual": supervision.clave,
            "nueva": CLAVE_NUEVA,
            "confirmacion": CLAVE_NUEVA,
            "siguiente": "/validacion/",
            "csrf_token": await csrf(cliente, "/identidad/cuenta/clave"),
        },
    )

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == f"{ALTA}?siguiente=/validacion/"
    assert acciones(cliente) == ["configurar_segundo_factor"]
    api = await cliente.get(YO)
    assert api.status_code == 403
    assert api.json()["detail"].startswith("Configure su segundo factor de autenticación")


async def test_la_pagina_de_alta_muestra_el_qr_como_imagen_y_la_clave_en_texto(
    cliente: httpx.AsyncClient,
) -> None:
    await entrar(cliente, "supervisor.pan", CLAVE_DEMO)

    pagina = await cliente.get(ALTA)

    assert pagina.status_code == 200
    imagen = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="([^"]+)"', pagina.text)
    assert imagen, pagina.text
    assert "<svg" in unquote(imagen.group(1))
    assert "Código QR" in imagen.group(2)
    assert re.search(r'<code id="clave-secreta">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', pagina.text)
    assert "img-src 'self' data:" in pagina.headers["content-security-policy"]
    assert 'autocomplete="one-time-code"' in pagina.text
    # The same secret is shown until it is confirmed or replaced.
    assert re.findall(r'clave-secreta">([^<]+)<', (await cliente.get(ALTA)).text) == re.findall(
        r'clave-secreta">([^<]+)<', pagina.text
    )


async def test_un_codigo_erroneo_en_la_alta_se_explica_y_no_activa_nada(
    cliente: httpx.AsyncClient,
) -> None:
    await entrar(cliente, "supervisor.pan", CLAVE_DEMO)

    respuesta = await cliente.post(
        ALTA, data={"codigo": "12345", "csrf_token": await csrf(cliente, ALTA)}
    )

    assert respuesta.status_code == 422
    assert "El código de verificación tiene 6 dígitos" in respuesta.text
    cuenta = await cliente.get("/identidad/cuenta")
    assert "No configurado; su rol lo requiere." in cuenta.text


async def test_con_segundo_factor_el_login_pide_el_codigo_y_despues_entra(
    cliente: httpx.AsyncClient, supervision: Supervision, publicados: list[Evento]
) -> None:
    await inscribir(cliente, supervision)
    cliente.cookies.clear()

    pagina = await entrar(cliente, supervision.usuario, supervision.clave)

    assert pagina.status_code == 200
    assert "Código de verificación" in pagina.text
    assert "conoceles_sesion" not in cliente.cookies
    respuesta = await dar_codigo(cliente, pagina, codigo(supervision.secreto, desfase_s=30))
    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/"
    assert (await cliente.get(YO)).json()["usuario"] == supervision.usuario
    tipos = await tipos_publicados(publicados, "sesion_iniciada", cuantos=2)
    assert "segundo_factor_configurado" in tipos
    assert tipos[-1] == "sesion_iniciada"


async def test_el_mismo_codigo_no_sirve_dos_veces(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await inscribir(cliente, supervision)
    cliente.cookies.clear()
    usado = codigo(supervision.secreto, desfase_s=30)
    primera = await dar_codigo(
        cliente, await entrar(cliente, supervision.usuario, supervision.clave), usado
    )
    assert primera.status_code == 303
    cliente.cookies.clear()

    segunda = await dar_codigo(
        cliente, await entrar(cliente, supervision.usuario, supervision.clave), usado
    )

    assert segunda.status_code == 422
    assert "Ese código de verificación ya se usó" in segunda.text
    assert "conoceles_sesion" not in cliente.cookies


async def test_el_codigo_de_la_alta_tampoco_sirve_para_entrar(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await inscribir(cliente, supervision)
    cliente.cookies.clear()

    respuesta = await dar_codigo(
        cliente,
        await entrar(cliente, supervision.usuario, supervision.clave),
        codigo(supervision.secreto, desfase_s=-30),
    )

    assert respuesta.status_code == 422
    assert "ya se usó" in respuesta.text


async def test_codigos_erroneos_bloquean_la_cuenta(
    cliente: httpx.AsyncClient, supervision: Supervision, publicados: list[Evento]
) -> None:
    await inscribir(cliente, supervision)
    cliente.cookies.clear()
    pagina = await entrar(cliente, supervision.usuario, supervision.clave)

    for _ in range(4):
        respuesta = await dar_codigo(cliente, pagina, "000000")
        assert "no es correcto" in respuesta.text
    bloqueo = await dar_codigo(cliente, pagina, "000000")

    assert bloqueo.status_code == 422
    assert "bloqueada" in bloqueo.text
    correcto = await dar_codigo(cliente, pagina, codigo(supervision.secreto, desfase_s=30))
    assert "bloqueada" in correcto.text
    await tipos_publicados(publicados, "inicio_sesion_fallido", cuantos=6)
    fallidos = [e for e in publicados if e.type.endswith("inicio_sesion_fallido.v1")]
    assert [e.data["motivo"] for e in fallidos] == ["segundo_factor"] * 5 + ["bloqueada"]


async def test_un_paso_alterado_o_vencido_pide_iniciar_sesion_otra_vez(
    cliente: httpx.AsyncClient,
) -> None:
    datos = {"paso": "inventado", "codigo": "123456", "csrf_token": await csrf(cliente)}

    respuesta = await cliente.post("/identidad/login/codigo", data=datos)

    assert respuesta.status_code == 400
    assert "inicie sesión de nuevo" in respuesta.text
    assert 'href="/identidad/login' in respuesta.text


async def test_la_api_pide_el_codigo_y_no_acepta_el_mismo_dos_veces(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await inscribir(cliente, supervision)
    cliente.cookies.clear()
    credenciales = {"username": supervision.usuario, "password": supervision.clave}

    sin_codigo = await cliente.post(TOKEN, data=credenciales)
    usado = codigo(supervision.secreto, desfase_s=30)
    con_codigo = await cliente.post(TOKEN, data={**credenciales, "totp": usado})
    repetido = await cliente.post(TOKEN, data={**credenciales, "totp": usado})

    assert sin_codigo.status_code == 401
    assert sin_codigo.json()["detail"].startswith("Falta el código de verificación")
    assert "«totp»" in sin_codigo.json()["detail"]
    assert con_codigo.status_code == 200
    assert repetido.status_code == 401
    assert "ya se usó" in repetido.json()["detail"]


async def test_la_api_no_da_token_a_la_supervision_sin_segundo_factor(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await entrar(cliente, supervision.usuario, supervision.clave)
    await cliente.post(
        "/identidad/cuenta/clave",
        data={
            "actual": supervision.clave,
            "nueva": CLAVE_NUEVA,
            "confirmacion": CLAVE_NUEVA,
            "csrf_token": await csrf(cliente, "/identidad/cuenta/clave"),
        },
    )
    cliente.cookies.clear()

    respuesta = await cliente.post(
        TOKEN, data={"username": supervision.usuario, "password": CLAVE_NUEVA}
    )

    assert respuesta.status_code == 403
    assert "segundo factor" in respuesta.json()["detail"]


async def test_las_cuentas_de_demostracion_entran_sin_segundo_factor(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await entrar(cliente, "admin", CLAVE_DEMO)

    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/"
    assert acciones(cliente) is None
    cliente.cookies.clear()
    token = await cliente.post(TOKEN, data={"username": "admin", "password": CLAVE_DEMO})
    assert token.status_code == 200


async def test_reemplazar_el_segundo_factor_pide_la_clave_actual(
    cliente: httpx.AsyncClient, supervision: Supervision
) -> None:
    await inscribir(cliente, supervision)
    nuevo = await cliente.post(
        f"{ALTA}/nuevo", data={"csrf_token": await csrf(cliente, "/identidad/cuenta")}
    )
    assert nuevo.status_code == 303
    pagina = await cliente.get(ALTA)
    assert "Reemplazar el segundo factor" in pagina.text
    secreto = re.search(r'<code id="clave-secreta">([A-Z2-7 ]+)</code>', pagina.text)
    assert secreto
    otro = secreto.group(1).replace(" ", "")
    assert otro != supervision.secreto

    sin_clave = await cliente.post(
        ALTA, data={"codigo": codigo(otro), "csrf_token": await csrf(cliente, ALTA)}
    )
    con_clave = await cliente.post(
        ALTA,
        data={
            "codigo": codigo(otro),
            "clave": supervision.clave,
            "csrf_token": await csrf(cliente, ALTA),
        },
    )

    assert sin_clave.status_code == 422
    assert "La contraseña actual no es correcta" in sin_clave.text
    assert con_clave.status_code == 303


async def test_los_inicios_fallidos_se_emiten_igual_exista_o_no_el_usuario(
    cliente: httpx.AsyncClient, publicados: list[Evento], app: FastAPI
) -> None:
    await entrar(cliente, "supervisor.pan", "no-es-la-clave")
    await entrar(cliente, "nadie.existe", "no-es-la-clave")
    await tipos_publicados(publicados, "inicio_sesion_fallido", cuantos=2)

    existente, inexistente = sorted(
        (e for e in publicados if e.type.endswith("inicio_sesion_fallido.v1")),
        key=lambda evento: evento.time,
    )

    for evento, nombre in ((existente, "supervisor.pan"), (inexistente, "nadie.existe")):
        assert evento.type == "mx.conoceles.identidad.inicio_sesion_fallido.v1"
        assert evento.subject == nombre
        assert evento.actor.model_dump() == {
            "usuario": nombre,
            "rol": "sin_sesion",
            "partido": None,
        }
        assert evento.accion == "iniciar_sesion_fallido"
        assert set(evento.data) == {"nombre_usuario", "motivo", "ip"}
        assert evento.data["motivo"] == "credenciales"


async def tipos_publicados(eventos: list[Evento], nombre: str, *, cuantos: int) -> list[str]:
    """Poll until the relay published `cuantos` events of this name; all names in order."""
    for _ in range(500):
        tipos = [evento.type.split(".")[3] for evento in eventos]
        if tipos.count(nombre) >= cuantos:
            return tipos
        await asyncio.sleep(0.01)
    raise AssertionError(f"faltan eventos {nombre}: se publicaron {tipos}")
