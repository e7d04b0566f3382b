"""With CONOCELES_IDENTIDAD=keycloak every service trusts the realm's issuer and keys."""

import pytest

from comun.settings import PlatformSettings, url_realm


@pytest.fixture(autouse=True)
def entorno_limpio(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (
        "CONOCELES_IDENTIDAD",
        "CONOCELES_EMISOR",
        "CONOCELES_JWKS_URL",
        "CONOCELES_KEYCLOAK_URL",
        "CONOCELES_KEYCLOAK_REALM",
    ):
        monkeypatch.delenv(variable, raising=False)


def test_con_keycloak_el_emisor_y_el_jwks_son_los_del_realm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONOCELES_IDENTIDAD", "keycloak")
    monkeypatch.setenv("CONOCELES_KEYCLOAK_URL", "https://sso.ieem.mx/")
    monkeypatch.setenv("CONOCELES_KEYCLOAK_REALM", "eleccion")

    ajustes = PlatformSettings()

    assert ajustes.emisor == "https://sso.ieem.mx/realms/eleccion"
    assert ajustes.jwks_url == "https://sso.ieem.mx/realms/eleccion/protocol/openid-connect/certs"


def test_un_emisor_fijado_explicitamente_se_respeta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONOCELES_IDENTIDAD", "keycloak")
    monkeypatch.setenv("CONOCELES_EMISOR", "https://publico.ieem.mx/realms/conoceles")

    ajustes = PlatformSettings()

    assert ajustes.emisor == "https://publico.ieem.mx/realms/conoceles"
    assert (
        ajustes.jwks_url == "http://127.0.0.1:8081/realms/conoceles/protocol/openid-connect/certs"
    )


def test_con_el_proveedor_local_no_cambia_nada() -> None:
    ajustes = PlatformSettings()

    assert ajustes.emisor == "http://127.0.0.1:8000/identidad"
    assert ajustes.jwks_url == "http://127.0.0.1:8000/api/identidad/v1/jwks.json"


def test_url_realm_no_duplica_la_diagonal() -> None:
    assert url_realm("http://kc:8080/", "conoceles") == "http://kc:8080/realms/conoceles"
