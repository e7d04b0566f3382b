"""Settings of estadistica: `CONOCELES_ESTADISTICA_*`."""

from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings


class Settings(ServiceSettings):
    """estadistica's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_ESTADISTICA_", extra="ignore")
