"""The setting that allows private webhook targets exists for tests and is refused in production."""

import pytest
from pydantic import ValidationError

from publicacion.config import Settings

VARIABLE = "CONOCELES_PUBLICACION_WEBHOOKS_PERMITIR_PRIVADAS"


@pytest.fixture
def produccion(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("CONOCELES_ENTORNO", "produccion")
    monkeypatch.setenv("CONOCELES_CLAVE_SECRETA", "s" * 40)
    monkeypatch.setenv("CONOCELES_CLAVE_IDENTIDAD", "i" * 40)
    return monkeypatch


def test_por_omision_no_se_admiten_destinos_privados() -> None:
    assert Settings().webhooks_permitir_privadas is False


def test_en_produccion_permitir_destinos_privados_impide_arrancar(
    produccion: pytest.MonkeyPatch,
) -> None:
    produccion.setenv(VARIABLE, "true")
    with pytest.raises(ValidationError, match="solo se admite en desarrollo"):
        Settings()


def test_en_produccion_sin_el_permiso_arranca(produccion: pytest.MonkeyPatch) -> None:
    assert Settings().webhooks_permitir_privadas is False


def test_en_desarrollo_el_permiso_de_pruebas_se_admite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "true")
    assert Settings().webhooks_permitir_privadas is True
