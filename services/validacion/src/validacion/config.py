"""Settings of validacion: `CONOCELES_VALIDACION_*`."""

from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings


class Settings(ServiceSettings):
    """validacion's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_VALIDACION_", extra="ignore")
