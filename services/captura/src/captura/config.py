"""Settings of captura: `CONOCELES_CAPTURA_*`."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings, archivo_de_datos


class Settings(ServiceSettings):
    """captura's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_CAPTURA_", extra="ignore")

    eleccion: str = "edomex-2024"
    catalogo: Path = archivo_de_datos("elecciones/edomex-2024")
    demo_candidaturas: int = Field(default=1000, ge=0)
    demo_semilla: int = 2024
    max_archivo_mb: int = Field(default=10, ge=1, le=100)
    max_fotografia_mb: int = Field(default=5, ge=1, le=50)
    max_consentimiento_mb: int = Field(default=10, ge=1, le=50)

    def carpeta_importaciones(self) -> Path:
        """Where uploaded registry files wait while they are imported."""
        return self.plataforma.datos / "captura" / "importaciones"
