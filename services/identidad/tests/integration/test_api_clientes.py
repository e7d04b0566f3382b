"""Client credentials through create_app(): the demo registration client and its refusals."""

import base64
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from comun.auth.jwks import HttpJwksSource
from comun.auth.tokens import TokenVerifier
from comun.errores import Problema
from comun.roles import Rol
from comun.settings import PlatformSettings
from identidad import cli
from identidad.adapters import ProveedorLocal
from identidad.main import create_app

BASE = "http://testserver"
CLAVE_DEMO = "clave-demo-pruebas"
TOKEN = "/api/identidad/v1/token"
JWKS = "/api/identidad/v1/jwks.json"
YO = "/api/identidad/v1/yo"
LOGIN = "/identidad/login"
CLIENTE = "sistema.registro"
MENSAJE_CLIENTE = (
    "El identificador del cliente (client_id) o su secreto (client_secret) no son correctos; "
    "revíselos e intente de nuevo."
)


async def token_de_cliente(
    cliente: httpx.AsyncClient, client_id: str = CLIENTE, client_secret: str = CLAVE_DEMO
) -> httpx.Response:
    return await cliente.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )


def basic(client_id: str, client_secret: str) -> dict[str, str]:
    crudo = f"{client_id}:{client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(crudo).decode()}


def assert_cliente_rechazado(respuesta: httpx.Response) -> None:
    assert respuesta.status_code == 401
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert respuesta.headers["www-authenticate"].startswith('Basic realm="conoceles"')
    assert respuesta.headers["cache-control"] == "no-store"
    assert respuesta.json()["error"] == "invalid_client"


@asynccontextmanager
async def app_iniciada(
    esperar_outbox: Callable[[FastAPI], Awaitable[None]],
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A fresh app on the test's data folder and a client; stopped with its outbox empty."""
    app = create_app()
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as gestor:
        transporte = httpx.ASGITransport(app=gestor.app)
        async with httpx.AsyncClient(transport=transporte, base_url=BASE) as cliente:
            yield app, cliente
        await esperar_outbox(app)


def proveedor_de(app: FastAPI) -> ProveedorLocal:
    """The embedded ProveedorIdentidad the app composed."""
    proveedor = app.state.modulos[0].extras["proveedor"]
    assert isinstance(proveedor, ProveedorLocal)
    return proveedor


def credenciales_impresas(salida: io.StringIO) -> dict[str, str]:
    """The client_id and client_secret lines the command printed."""
    return dict(linea.split("=", 1) for linea in salida.getvalue().splitlines()[:2])


async def test_client_credentials_da_un_jwt_con_rol_sistema_registro_que_comun_acepta(
    cliente: httpx.AsyncClient, app: FastAPI
) -> None:
    respuesta = await token_de_cliente(cliente)

    assert respuesta.status_code == 200
    assert respuesta.headers["cache-control"] == "no-store"
    cuerpo = respuesta.json()
    assert cuerpo["token_type"] == "bearer"
    assert cuerpo["expires_in"] == 900
    plataforma = PlatformSettings()
    fuente = HttpJwksSource(f"{BASE}{JWKS}", transport=httpx.ASGITransport(app=app))
    verificador = TokenVerifier(fuente, emisor=plataforma.emisor, audiencia=plataforma.audiencia)
    usuario = await verificador.verificar(cuerpo["access_token"])
    assert usuario.roles == frozenset({Rol.SISTEMA_REGISTRO})
    assert usuario.nombre_usuario == CLIENTE
    assert usuario.partido is None and usuario.candidatura is None
    claims = jwt.decode(cuerpo["access_token"], options={"verify_signature": False})
    assert claims["realm_access"] == {"roles": ["sistema_registro"]}
    assert claims["exp"] - claims["iat"] == 900


async def test_client_credentials_con_basic_auth(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=basic(CLIENTE, CLAVE_DEMO)
    )

    assert respuesta.status_code == 200
    claims = jwt.decode(respuesta.json()["access_token"], options={"verify_signature": False})
    assert claims["preferred_username"] == CLIENTE


async def test_el_token_del_cliente_sirve_para_la_api(cliente: httpx.AsyncClient) -> None:
    token = (await token_de_cliente(cliente)).json()["access_token"]

    respuesta = await cliente.get(YO, headers={"Authorization": f"Bearer {token}"})

    assert respuesta.status_code == 200
    assert respuesta.json()["roles"] == ["sistema_registro"]


async def test_secreto_erroneo_da_401_con_www_authenticate(cliente: httpx.AsyncClient) -> None:
    respuesta = await token_de_cliente(cliente, client_secret="no-es-el-secreto")

    assert_cliente_rechazado(respuesta)
    assert respuesta.json()["detail"] == MENSAJE_CLIENTE


async def test_secreto_erroneo_por_basic_da_401(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=basic(CLIENTE, "no-es")
    )

    assert_cliente_rechazado(respuesta)


async def test_cliente_desconocido_recibe_el_mismo_mensaje(cliente: httpx.AsyncClient) -> None:
    respuesta = await token_de_cliente(cliente, client_id="sistema.inexistente")

    assert_cliente_rechazado(respuesta)
    assert respuesta.json()["detail"] == MENSAJE_CLIENTE


async def test_cuenta_de_persona_no_obtiene_token_con_client_credentials(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await token_de_cliente(cliente, client_id="admin")

    assert_cliente_rechazado(respuesta)
    assert "cuenta de una persona" in respuesta.json()["detail"]


async def test_cuenta_de_persona_con_clave_erronea_recibe_el_mensaje_general(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await token_de_cliente(cliente, client_id="admin", client_secret="no-es")

    assert_cliente_rechazado(respuesta)
    assert respuesta.json()["detail"] == MENSAJE_CLIENTE


async def test_cuenta_de_servicio_no_obtiene_token_con_password(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.post(
        TOKEN, data={"grant_type": "password", "username": CLIENTE, "password": CLAVE_DEMO}
    )

    assert respuesta.status_code == 401
    assert "cuenta de servicio" in respuesta.json()["detail"]
    assert "client_credentials" in respuesta.json()["detail"]


async def test_cuenta_de_servicio_no_entra_por_el_formulario_web(
    cliente: httpx.AsyncClient,
) -> None:
    pagina = await cliente.get(LOGIN)
    csrf = pagina.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    respuesta = await cliente.post(
        LOGIN, data={"usuario": CLIENTE, "clave": CLAVE_DEMO, "csrf_token": csrf}
    )

    assert respuesta.status_code == 422
    assert "cuenta de servicio" in respuesta.text
    assert "conoceles_sesion=" not in respuesta.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    "campos",
    [{}, {"client_id": CLIENTE}, {"client_secret": CLAVE_DEMO}],
    ids=["vacio", "sin-secreto", "sin-cliente"],
)
async def test_faltan_credenciales_del_cliente_da_400(
    cliente: httpx.AsyncClient, campos: dict[str, str]
) -> None:
    respuesta = await cliente.post(TOKEN, data={"grant_type": "client_credentials", **campos})

    assert respuesta.status_code == 400
    assert respuesta.json()["error"] == "invalid_request"
    assert "client_secret" in respuesta.json()["detail"]


async def test_credenciales_en_basic_y_en_el_formulario_da_400(
    cliente: httpx.AsyncClient,
) -> None:
    respuesta = await cliente.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_secret": CLAVE_DEMO},
        headers=basic(CLIENTE, CLAVE_DEMO),
    )

    assert respuesta.status_code == 400
    assert "de una sola forma" in respuesta.json()["detail"]


async def test_basic_malformado_da_401(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic !!esto-no-es-base64!!"},
    )

    assert_cliente_rechazado(respuesta)


async def test_cinco_secretos_erroneos_bloquean_al_cliente(cliente: httpx.AsyncClient) -> None:
    for _ in range(4):
        assert (await token_de_cliente(cliente, client_secret="mal")).status_code == 401

    quinto = await token_de_cliente(cliente, client_secret="mal")
    con_el_bueno = await token_de_cliente(cliente)

    for respuesta in (quinto, con_el_bueno):
        assert_cliente_rechazado(respuesta)
        assert respuesta.json()["title"] == "Cuenta bloqueada"
        assert "bloqueada_hasta" in respuesta.json()


@pytest.fixture
async def cliente_con_limite(
    datos: Path,
    monkeypatch: pytest.MonkeyPatch,
    esperar_outbox: Callable[[FastAPI], Awaitable[None]],
) -> AsyncIterator[httpx.AsyncClient]:
    """The app allowing only three failed sign-ins per address."""
    monkeypatch.setenv("CONOCELES_IDENTIDAD_FALLOS_POR_DIRECCION", "3")
    async with app_iniciada(esperar_outbox) as (_, cliente):
        yield cliente


async def test_los_fallos_de_clientes_cuentan_para_el_limite_por_direccion(
    cliente_con_limite: httpx.AsyncClient,
) -> None:
    for _ in range(3):
        respuesta = await token_de_cliente(cliente_con_limite, client_id="nadie.aqui")
        assert respuesta.status_code == 401

    bloqueada = await token_de_cliente(cliente_con_limite)

    assert bloqueada.status_code == 429
    assert "espere" in bloqueada.json()["detail"]


async def test_cliente_creado_por_consola_obtiene_su_token(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> None:
    salida = io.StringIO()
    await cli.crear_cliente(
        PlatformSettings(), cliente="registro.ieem", nombre="Registro IEEM", salida=salida
    )
    creado = credenciales_impresas(salida)

    async with app_iniciada(esperar_outbox) as (_, cliente):
        respuesta = await token_de_cliente(cliente, creado["client_id"], creado["client_secret"])

    assert creado["client_id"] == "registro.ieem"
    assert respuesta.status_code == 200


async def test_renovar_por_consola_invalida_el_secreto_anterior(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> None:
    creado, renovado = io.StringIO(), io.StringIO()
    await cli.crear_cliente(
        PlatformSettings(), cliente="registro.ieem", nombre="IEEM", salida=creado
    )
    anterior = credenciales_impresas(creado)["client_secret"]

    await cli.renovar_secreto(PlatformSettings(), cliente="registro.ieem", salida=renovado)

    nuevo = credenciales_impresas(renovado)["client_secret"]
    async with app_iniciada(esperar_outbox) as (_, cliente):
        con_el_nuevo = await token_de_cliente(cliente, "registro.ieem", nuevo)
        con_el_anterior = await token_de_cliente(cliente, "registro.ieem", anterior)
    assert con_el_nuevo.status_code == 200
    assert con_el_anterior.status_code == 401


def test_la_consola_no_duplica_un_cliente(datos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["crear-cliente", "--cliente", "otro.sistema"], salida=io.StringIO()) == 0

    assert cli.main(["crear-cliente", "--cliente", "otro.sistema"], salida=io.StringIO()) == 1

    assert "Ya existe una cuenta con el usuario «otro.sistema»" in capsys.readouterr().err


async def test_cliente_deshabilitado_no_obtiene_token(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> None:
    async with app_iniciada(esperar_outbox) as (app, cliente):
        await proveedor_de(app).deshabilitar(usuario=CLIENTE, motivo="Secreto filtrado")
        respuesta = await token_de_cliente(cliente)

    assert_cliente_rechazado(respuesta)
    assert "deshabilitada" in respuesta.json()["detail"]


async def test_el_puerto_no_restablece_con_contrasena_a_un_cliente(
    datos: Path, esperar_outbox: Callable[[FastAPI], Awaitable[None]]
) -> None:
    async with app_iniciada(esperar_outbox) as (app, _):
        with pytest.raises(Problema) as error:
            await proveedor_de(app).restablecer_clave(usuario=CLIENTE)

    assert error.value.status == 422
    assert "renovar-secreto" in error.value.detail
