"""Keycloak-mode settings and the URL helpers of the login pages."""

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from identidad.config import Settings
from identidad.web import destino_seguro, url_publica

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
