"""Keycloak-mode settings and the URL helpers of the login pages."""

import httpx
import pytest
from pydantic import ValidationError
from starlette.requests import Request

from comun.settings import PlatformSettings
from identidad.config import SECRETO_REGISTRO_DESARROLLO, Settings
from identidad.web import (
    SecretoDeDesarrolloVigente,
    destino_seguro,
    rechazar_secreto_de_registro_de_desarrollo,
    url_publica,
)

SECRETO_REAL = "k8Jd2mQ9vX4pL7wR1tY6uZ3bN5cF0hGs"


@pytest.fixture(autouse=True)
def sin_secretos_en_el_entorno(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (
        "CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_WEB",
        "CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_ADMIN",
        "CONOCELES_KEYCLOAK_WEB_SECRETO",
        "CONOCELES_KEYCLOAK_ADMIN_SECRETO",
        "CONOCELES_ENTORNO",
    ):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def produccion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONOCELES_ENTORNO", "produccion")
    monkeypatch.setenv("CONOCELES_CLAVE_SECRETA", "s" * 40)
    monkeypatch.setenv("CONOCELES_CLAVE_IDENTIDAD", "i" * 40)
    monkeypatch.setenv("CONOCELES_IDENTIDAD", "keycloak")


def peticion(cabeceras: dict[str, str], *, esquema: str = "http") -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": esquema,
            "server": ("10.0.0.5", 8003),
            "path": "/identidad/login",
            "query_string": b"",
            "headers": [(k.lower().encode(), v.encode()) for k, v in cabeceras.items()],
        }
    )


@pytest.mark.usefixtures("produccion")
def test_en_produccion_los_secretos_de_desarrollo_impiden_iniciar() -> None:
    with pytest.raises(ValidationError) as error:
        Settings()

    assert "CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_WEB" in str(error.value)
    assert "conoceles-web-secreto-de-desarrollo" not in str(error.value)


@pytest.mark.usefixtures("produccion")
def test_en_produccion_acepta_los_secretos_reales(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_WEB", SECRETO_REAL)
    monkeypatch.setenv("CONOCELES_KEYCLOAK_ADMIN_SECRETO", SECRETO_REAL[::-1])

    settings = Settings()

    assert settings.keycloak_secreto_admin.get_secret_value() == SECRETO_REAL[::-1]


def test_en_desarrollo_valen_los_secretos_del_realm_de_ejemplo() -> None:
    settings = Settings()

    assert settings.keycloak_cliente_web == "conoceles-web"
    assert settings.keycloak_secreto_web.get_secret_value() == "conoceles-web-secreto-de-desarrollo"


@pytest.mark.parametrize("ruta", ["/identidad/callback?code=x", "/identidad/renovar"])
def test_tras_entrar_no_se_vuelve_al_callback_ni_a_renovar(ruta: str) -> None:
    assert destino_seguro(ruta) == "/identidad/"


def test_url_publica_usa_el_host_y_el_protocolo_de_la_pasarela() -> None:
    cabeceras = {"host": "10.0.0.5:8003", "x-forwarded-host": "conoceles.ieem.mx"}

    url = url_publica(peticion({**cabeceras, "x-forwarded-proto": "https"}), None)

    assert url == "https://conoceles.ieem.mx"


def test_url_publica_ignora_un_host_malformado() -> None:
    url = url_publica(peticion({"host": "evil.mx/ruta?"}), None)

    assert url == "http://10.0.0.5:8003"


def test_url_publica_configurada_manda() -> None:
    url = url_publica(peticion({"host": "127.0.0.1:8000"}), "https://conoceles.ieem.mx/")

    assert url == "https://conoceles.ieem.mx"


def plataforma() -> PlatformSettings:
    return PlatformSettings(keycloak_url="http://keycloak.invalid:8081", keycloak_realm="conoceles")


def keycloak_que_responde(estado: int, pedidos: list[httpx.Request]) -> httpx.MockTransport:
    """A token endpoint that answers every request with this status."""

    def responder(pedido: httpx.Request) -> httpx.Response:
        pedidos.append(pedido)
        return httpx.Response(estado, json={"access_token": "x"} if estado == 200 else {})

    return httpx.MockTransport(responder)


async def test_no_inicia_si_keycloak_acepta_el_secreto_de_desarrollo_del_registro() -> None:
    pedidos: list[httpx.Request] = []

    with pytest.raises(SecretoDeDesarrolloVigente, match="conoceles-registro"):
        await rechazar_secreto_de_registro_de_desarrollo(
            Settings(), plataforma(), transport=keycloak_que_responde(200, pedidos)
        )

    (pedido,) = pedidos
    assert str(pedido.url) == (
        "http://keycloak.invalid:8081/realms/conoceles/protocol/openid-connect/token"
    )
    cuerpo = pedido.content.decode()
    assert "grant_type=client_credentials" in cuerpo
    assert f"client_secret={SECRETO_REGISTRO_DESARROLLO}" in cuerpo


async def test_con_el_secreto_del_registro_renovado_inicia() -> None:
    await rechazar_secreto_de_registro_de_desarrollo(
        Settings(), plataforma(), transport=keycloak_que_responde(401, [])
    )


async def test_si_keycloak_no_contesta_la_comprobacion_no_impide_iniciar() -> None:
    def sin_red(pedido: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("sin conexión", request=pedido)

    await rechazar_secreto_de_registro_de_desarrollo(
        Settings(), plataforma(), transport=httpx.MockTransport(sin_red)
    )
