"""Settings of validacion: `CONOCELES_VALIDACION_*`."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from comun.settings import ServiceSettings, archivo_de_datos


class Settings(ServiceSettings):
    """validacion's own settings."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_VALIDACION_", extra="ignore")

    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://usuario:clave@servidor:puerto; without it, e-mail stays in the outbox.",
    )
    smtp_starttls: bool = False
    correo_remitente: str = "Conóceles <no-responder@conoceles.invalid>"
    correo_intervalo_s: float = Field(default=60.0, gt=0)
    url_avisos: str = "http://127.0.0.1:8000/validacion/avisos"
    intervalo_publicacion_s: float = Field(
        default=30.0, gt=0, description="Seconds between checks for publishable candidacies."
    )
    calendario: Path = Field(
        default=archivo_de_datos("calendario/dias-inhabiles.csv"),
        description="Non-working days (CSV fecha,motivo) for change-request due dates.",
    )
