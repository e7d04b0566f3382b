"""Production refuses to start without its own secrets."""

import pytest

from comun.settings import PlatformSettings


def test_en_produccion_se_exige_la_clave_de_identidad(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONOCELES_ENTORNO", "produccion")
    monkeypatch.setenv("CONOCELES_CLAVE_SECRETA", "s" * 40)
    monkeypatch.delenv("CONOCELES_CLAVE_IDENTIDAD", raising=False)
    with pytest.raises(ValueError, match="CONOCELES_CLAVE_IDENTIDAD"):
        PlatformSettings()


def test_en_desarrollo_la_clave_de_identidad_se_deriva(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONOCELES_ENTORNO", raising=False)
    monkeypatch.delenv("CONOCELES_CLAVE_IDENTIDAD", raising=False)
    ajustes = PlatformSettings()
    assert ajustes.secreto_identidad() != ajustes.clave_secreta.get_secret_value()
