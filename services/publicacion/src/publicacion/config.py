"""Settings of publicacion: `CONOCELES_PUBLICACION_*`."""

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings, archivo_de_datos


class Settings(ServiceSettings):
    """publicacion's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_PUBLICACION_", extra="ignore")

    catalogo: Path = archivo_de_datos("elecciones/edomex-2024")
    datos_abiertos_intervalo_s: float = Field(
        default=60.0,
        gt=0,
        description="Seconds between checks for changes to regenerate the open-data snapshot.",
    )
    webhooks_permitir_privadas: bool = Field(
        default=False,
        description=(
            "Let webhook subscribers be on loopback or private networks (tests only; refused "
            "in production: it opens the door to SSRF)."
        ),
    )
    webhooks_espera_s: float = Field(
        default=10.0, gt=0, le=60, description="Seconds a webhook receiver has to answer."
    )
    webhooks_ventana_s: float = Field(
        default=3 * 24 * 3600.0,
        gt=0,
        description="How long a failing webhook delivery is retried before it is dead-lettered.",
    )
    webhooks_reintento_base_s: float = Field(
        default=5.0, gt=0, description="First retry delay of a webhook delivery (then doubled)."
    )
    webhooks_reintento_tope_s: float = Field(
        default=6 * 3600.0, gt=0, description="Longest delay between two webhook attempts."
    )
    webhooks_intervalo_s: float = Field(
        default=5.0, gt=0, description="Seconds between checks for due webhook deliveries."
    )

    @model_validator(mode="after")
    def _sin_destinos_privados_en_produccion(self) -> "Settings":
        """Outside dev, webhooks to private networks stop start-up."""
        if self.webhooks_permitir_privadas and self.plataforma.entorno != "dev":
            raise ValueError(
                "CONOCELES_PUBLICACION_WEBHOOKS_PERMITIR_PRIVADAS solo se admite en desarrollo "
                "y pruebas; quítela antes de iniciar en producción."
            )
        return self
