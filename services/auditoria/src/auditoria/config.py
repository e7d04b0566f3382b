"""Settings of auditoria: `CONOCELES_AUDITORIA_*`."""

from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings


class Settings(ServiceSettings):
    """auditoria's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_AUDITORIA_", extra="ignore")

    zona_horaria: str = "America/Mexico_City"
    entradas_por_pagina: int = 100
