"""Settings shared by every service, read from environment variables (pydantic-settings)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "cambiar", "cambiar-esto", "secret", "dev"})


class PlatformSettings(BaseSettings):
    """Settings common to all services: `CONOCELES_*`."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_", extra="ignore")

    entorno: Literal["dev", "produccion"] = "dev"
    datos: Path = Path("./var")
    demo: bool = False
    store: Literal["sqlite"] = "sqlite"
    bus: Literal["memoria"] = "memoria"
    identidad: Literal["local"] = "local"
    jwks_url: str = "http://127.0.0.1:8000/api/identidad/v1/jwks.json"
    emisor: str = "http://127.0.0.1:8000/identidad"
    audiencia: str = "conoceles"
    clave_secreta: SecretStr = Field(default=SecretStr("cambiar-esto"))
    otlp_url: str | None = None
    max_cuerpo_bytes: int = 1_048_576

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "PlatformSettings":
        """Outside dev, a placeholder secret stops start-up."""
        secreto = self.clave_secreta.get_secret_value()
        if self.entorno != "dev" and (secreto.lower() in PLACEHOLDER_SECRETS or len(secreto) < 32):
            raise ValueError(
                "CONOCELES_CLAVE_SECRETA tiene un valor de ejemplo o es demasiado corta; "
                "fije un secreto aleatorio de al menos 32 caracteres antes de iniciar "
                "en producción."
            )
        return self


class ServiceSettings(BaseSettings):
    """Base of a service's own settings; subclasses set env_prefix `CONOCELES_<SERVICIO>_`."""

    model_config = SettingsConfigDict(extra="ignore")

    plataforma: PlatformSettings = Field(default_factory=PlatformSettings)


def archivo_de_datos(relativo: str) -> Path:
    """A file under the repository's `datos/` folder (election catalogs, demo inputs)."""
    return Path(__file__).resolve().parents[4] / "datos" / relativo
