"""Settings shared by every service, read from environment variables (pydantic-settings)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "cambiar", "cambiar-esto", "secret", "dev"})


class PlatformSettings(BaseSettings):
    """Settings common to all services: `CONOCELES_*`."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_", extra="ignore")

    entorno: Literal["dev", "produccion"] = "dev"
    datos: Path = Path("./var")
    demo: bool = False
    store: Literal["sqlite", "mongodb"] = "sqlite"
    bus: Literal["memoria", "kafka"] = "memoria"
    identidad: Literal["local", "keycloak"] = "local"
    mongodb_url: str = "mongodb://127.0.0.1:27017"
    mongodb_prefijo: str = "conoceles"
    kafka_url: str = "127.0.0.1:9092"
    keycloak_url: str = "http://127.0.0.1:8081"
    keycloak_realm: str = "conoceles"
    jwks_url: str = "http://127.0.0.1:8000/api/identidad/v1/jwks.json"
    emisor: str = "http://127.0.0.1:8000/identidad"
    audiencia: str = "conoceles"
    clave_secreta: SecretStr = Field(default=SecretStr("cambiar-esto"))
    clave_identidad: SecretStr | None = Field(
        default=None,
        description=(
            "Master key of the identity answers' envelopes, shared by the services that read "
            "them; defaults to one derived from clave_secreta."
        ),
    )
    otlp_url: str | None = None
    max_cuerpo_bytes: int = 1_048_576

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "PlatformSettings":
        """Outside dev, a placeholder secret stops start-up."""
        secreto = self.clave_secreta.get_secret_value()
        if self.entorno != "dev" and (secreto.lower() in PLACEHOLDER_SECRETS or len(secreto) < 32):
            raise ValueError(
                "CONOCELES_CLAVE_SECRETA tiene un valor de ejemplo o es demasiado corta; "
                "fije un secreto aleatorio de al menos 32 caracteres antes de iniciar "
                "en producción."
            )
        identidad = self.clave_identidad
        corta = identidad is None or len(identidad.get_secret_value()) < 32
        if self.entorno != "dev" and corta:
            # Its own secret: rotating CONOCELES_CLAVE_SECRETA must not orphan the answers,
            # and identidad (which holds that secret) must not be able to read them.
            raise ValueError(
                "Fije CONOCELES_CLAVE_IDENTIDAD (al menos 32 caracteres aleatorios, la misma en "
                "los servicios que leen las respuestas de identidad) antes de iniciar en "
                "producción."
            )
        return self

    def secreto_identidad(self) -> str:
        """The secret the identity answers' master key derives from."""
        if self.clave_identidad is not None:
            return self.clave_identidad.get_secret_value()
        return "identidad:" + self.clave_secreta.get_secret_value()

    @model_validator(mode="after")
    def _emisor_del_realm(self) -> "PlatformSettings":
        """With Keycloak, issuer and JWKS default to the realm's unless set explicitly."""
        if self.identidad == "keycloak":
            realm = url_realm(self.keycloak_url, self.keycloak_realm)
            if "emisor" not in self.model_fields_set:
                self.emisor = realm
            if "jwks_url" not in self.model_fields_set:
                self.jwks_url = f"{realm}/protocol/openid-connect/certs"
        return self


def url_realm(keycloak_url: str, realm: str) -> str:
    """A Keycloak realm's issuer URL: `<keycloak_url>/realms/<realm>`."""
    return f"{keycloak_url.rstrip('/')}/realms/{realm}"


class ServiceSettings(BaseSettings):
    """Base of a service's own settings; subclasses set env_prefix `CONOCELES_<SERVICIO>_`."""

    model_config = SettingsConfigDict(extra="ignore")

    plataforma: PlatformSettings = Field(default_factory=PlatformSettings)


def archivo_de_datos(relativo: str) -> Path:
    """A file under the repository's `datos/` folder (election catalogs, demo inputs)."""
    return Path(__file__).resolve().parents[4] / "datos" / relativo
