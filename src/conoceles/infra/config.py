"""Where the local infrastructure keeps its downloads, state and logs."""

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[3]


class InfraError(Exception):
    """The infrastructure cannot be prepared, started or stopped; the message says what to do."""


class InfraSettings(BaseSettings):
    """`CONOCELES_DATOS` (state and logs) and `CONOCELES_CACHE` (downloads and builds)."""

    model_config = SettingsConfigDict(env_prefix="CONOCELES_", extra="ignore")

    datos: Path = Path("./var")
    cache: Path = Field(default_factory=lambda: Path.home() / ".cache" / "conoceles")


@dataclass(frozen=True)
class Paths:
    """Resolved folders: cache outside the clone, state and logs under the data folder."""

    cache: Path
    state: Path
    logs: Path
    deploy: Path

    @classmethod
    def from_settings(cls, settings: InfraSettings, *, deploy: Path | None = None) -> "Paths":
        """Absolute folders for these settings (`deploy/` of this clone unless given)."""
        datos = settings.datos.expanduser().resolve()
        return cls(
            cache=settings.cache.expanduser().resolve(),
            state=datos / "infra",
            logs=datos / "log",
            deploy=(deploy or REPO_ROOT / "deploy").resolve(),
        )

    def log(self, name: str) -> Path:
        """Log file of one server."""
        return self.logs / f"{name}.log"

    def pid_file(self, name: str) -> Path:
        """PID file of one server."""
        return self.state / f"{name}.pid"
