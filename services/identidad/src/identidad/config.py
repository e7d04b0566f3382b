"""Settings of the identidad service: `CONOCELES_IDENTIDAD_*` (demo: `CONOCELES_DEMO*`)."""

from datetime import timedelta
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings, archivo_de_datos
from identidad.domain import PoliticaBloqueo


class Settings(ServiceSettings):
    """Token lifetimes, lockout policy and demo accounts."""

    model_config = SettingsConfigDict(
        env_prefix="CONOCELES_IDENTIDAD_", extra="ignore", populate_by_name=True
    )

    vida_token_api_s: int = Field(default=3600, ge=60, le=86_400)
    vida_sesion_s: int = Field(default=8 * 3600, ge=300, le=7 * 86_400)
    intentos_maximos: int = Field(default=5, ge=1, le=100)
    bloqueo_s: int = Field(default=15 * 60, ge=1, le=86_400)
    demo: bool = Field(
        default=False,
        validation_alias=AliasChoices("demo", "CONOCELES_DEMO", "CONOCELES_IDENTIDAD_DEMO"),
    )
    demo_clave: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("demo_clave", "CONOCELES_DEMO_CLAVE"),
    )
    eleccion_demo: Path | None = Field(
        default=None, description="Demo election JSON (partidos, candidatura_demo)"
    )

    @property
    def demo_activo(self) -> bool:
        """Whether demo accounts are seeded (this service's flag or the platform's)."""
        return self.demo or self.plataforma.demo

    def archivo_eleccion_demo(self) -> Path:
        """The demo election file: the setting, else the repository's `datos/demo/eleccion.json`."""
        return self.eleccion_demo or archivo_de_datos("demo/eleccion.json")

    def politica_bloqueo(self) -> PoliticaBloqueo:
        """The lockout policy these settings describe."""
        return PoliticaBloqueo(
            intentos_maximos=self.intentos_maximos, duracion=timedelta(seconds=self.bloqueo_s)
        )
