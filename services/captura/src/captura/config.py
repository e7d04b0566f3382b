"""Settings of captura: `CONOCELES_CAPTURA_*`."""

from datetime import date
from pathlib import Path

from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings, archivo_de_datos


class Settings(ServiceSettings):
    """captura's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_CAPTURA_", extra="ignore")

    eleccion_demo: Path = archivo_de_datos("demo/eleccion.json")
    eleccion: str = "edomex-2024"
    fecha_jornada: date = date(2024, 6, 2)
