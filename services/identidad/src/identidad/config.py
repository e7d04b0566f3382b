"""Settings of the identidad service: `CONOCELES_IDENTIDAD_*` (demo: `CONOCELES_DEMO*`)."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from comun.settings import PLACEHOLDER_SECRETS, ServiceSettings, archivo_de_datos
from identidad.domain import PoliticaBloqueo

# The development secrets of deploy/keycloak/realm-conoceles.json; refused outside dev.
SECRETO_WEB_DESARROLLO = "conoceles-web-secreto-de-desarrollo"
SECRETO_ADMIN_DESARROLLO = "conoceles-admin-secreto-de-desarrollo"
SECRETO_REGISTRO_DESARROLLO = "conoceles-registro-secreto-de-desarrollo"


class Settings(ServiceSettings):
    """Token lifetimes, lockout policy, demo accounts and the Keycloak clients."""

    model_config = SettingsConfigDict(
        env_prefix="CONOCELES_IDENTIDAD_",
        extra="ignore",
        populate_by_name=True,
        # Validation errors must not echo the client secrets into logs.
        hide_input_in_errors=True,
    )

    # Short-lived: a disabled account or a closed session is refused everywhere within this.
    vida_token_api_s: int = Field(default=900, ge=60, le=86_400)
    # Pages renew it every 4 minutes while open (POST /identidad/renovar): idle timeout.
    vida_sesion_s: int = Field(default=900, ge=300, le=7 * 86_400)
    intentos_maximos: int = Field(default=5, ge=1, le=100)
    bloqueo_s: int = Field(default=15 * 60, ge=1, le=86_400)
    fallos_por_direccion: int = Field(default=20, ge=1, le=10_000)
    ventana_fallos_s: int = Field(default=5 * 60, ge=1, le=86_400)
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

    keycloak_cliente_web: str = "conoceles-web"
    keycloak_secreto_web: SecretStr = Field(
        default=SecretStr(SECRETO_WEB_DESARROLLO),
        validation_alias=AliasChoices(
            "keycloak_secreto_web",
            "CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_WEB",
            "CONOCELES_KEYCLOAK_WEB_SECRETO",
        ),
    )
    keycloak_cliente_admin: str = "conoceles-admin"
    keycloak_secreto_admin: SecretStr = Field(
        default=SecretStr(SECRETO_ADMIN_DESARROLLO),
        validation_alias=AliasChoices(
            "keycloak_secreto_admin",
            "CONOCELES_IDENTIDAD_KEYCLOAK_SECRETO_ADMIN",
            "CONOCELES_KEYCLOAK_ADMIN_SECRETO",
        ),
    )
    keycloak_cliente_registro: str = Field(
        default="conoceles-registro",
        description="The registration system's service client; outside dev, its dev secret "
        "must no longer work",
    )
    keycloak_url_navegador: str | None = Field(
        default=None, description="Keycloak as the browser reaches it, if not keycloak_url"
    )
    url_publica: str | None = Field(
        default=None,
        description="This site as browsers reach it (https://…); else taken from the request",
    )
    vida_estado_login_s: int = Field(default=600, ge=60, le=3600)

    cuentas_por_partido: int = Field(
        default=3, ge=1, le=99, description="Generic capture accounts generated per party"
    )
    vence_en: datetime | None = Field(
        default=None,
        description="End of the electoral process: from then on party, supervisor and "
        "candidacy accounts cannot sign in (date or date-time; Mexico City time if no offset)",
    )
    institucion: str = Field(
        default="Instituto Electoral del Estado de México",
        description="The institute's name on the delivery receipts",
    )
    area_entrega: str = Field(
        default="Unidad de Transparencia", description="The area that delivers the accounts"
    )

    @field_validator("vence_en")
    @classmethod
    def _vence_en_hora_de_mexico(cls, valor: datetime | None) -> datetime | None:
        """A date without offset is read in America/Mexico_City."""
        if valor is not None and valor.tzinfo is None:
            return valor.replace(tzinfo=ZoneInfo("America/Mexico_City"))
        return valor

    @model_validator(mode="after")
    def _rechazar_secretos_de_ejemplo(self) -> "Settings":
        """Outside dev, Keycloak mode needs the real client secrets."""
        if self.plataforma.entorno == "dev" or self.plataforma.identidad != "keycloak":
            return self
        for variable, secreto, desarrollo in (
            ("SECRETO_WEB", self.keycloak_secreto_web, SECRETO_WEB_DESARROLLO),
            ("SECRETO_ADMIN", self.keycloak_secreto_admin, SECRETO_ADMIN_DESARROLLO),
        ):
            valor = secreto.get_secret_value()
            if valor in (desarrollo, *PLACEHOLDER_SECRETS) or len(valor) < 20:
                raise ValueError(
                    f"CONOCELES_IDENTIDAD_KEYCLOAK_{variable} tiene el valor de desarrollo o uno "
                    "de ejemplo; copie el secreto del cliente desde Keycloak antes de iniciar "
                    "en producción."
                )
        return self

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
