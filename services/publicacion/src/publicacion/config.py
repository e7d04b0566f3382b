"""Settings of publicacion: `CONOCELES_PUBLICACION_*`."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings, archivo_de_datos


class Settings(ServiceSettings):
    """publicacion's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_PUBLICACION_", extra="ignore")

    catalogo: Path = archivo_de_datos("elecciones/edomex-2024")
