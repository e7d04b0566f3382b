"""The nginx gateway of the distributed mode: render its configuration, check it, run it."""

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from comun.servicios import Servicio
from comun.web.cabeceras import SEGURIDAD, csp

DIRECTORIO = Path(__file__).resolve().parents[2] / "gateway"
MIME_TYPES = Path("/etc/nginx/mime.types")


class PasarelaError(Exception):
    """The gateway cannot be configured or started; the message says what to do."""


@dataclass(frozen=True)
class ConfigPasarela:
    """What the gateway template needs."""

    prefijo: Path
    registros: Path
    upstreams: dict[str, int]
    host: str = "127.0.0.1"
    puerto: int = 8080
    procesos: int = 2
    segundo_plano: bool = False
    cuerpo_maximo: str = "12m"
    limite_acceso: str = "10r/m"
    rafaga_acceso: int = 5
    limite_api_publica: str = "50r/s"
    rafaga_api_publica: int = 100
    keycloak: str | None = None
    tls: bool = False
    privados: list[str] = field(
        default_factory=lambda: [s.value for s in Servicio if s is not Servicio.PUBLICACION]
    )


def renderizar(config: ConfigPasarela) -> Path:
    """Write nginx.conf and its includes under the prefix; return the nginx.conf path."""
    entorno = jinja2.Environment(
        loader=jinja2.FileSystemLoader(DIRECTORIO),
        autoescape=False,  # noqa: S701 - nginx configuration, not HTML
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    contexto = {
        **config.__dict__,
        "mime_types": MIME_TYPES,
        "csp": csp(config.keycloak),
        "ocultas": [*SEGURIDAD, "Content-Security-Policy"],
    }
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (config.prefijo / sub).mkdir(parents=True, exist_ok=True)
    config.registros.mkdir(parents=True, exist_ok=True)
    destino = config.prefijo / "nginx.conf"
    destino.write_text(entorno.get_template("nginx.conf.j2").render(contexto), encoding="utf-8")
    cabeceras = entorno.get_template("cabeceras.conf.j2").render(contexto)
    (config.prefijo / "cabeceras.conf").write_text(cabeceras, encoding="utf-8")
    shutil.copyfile(DIRECTORIO / "cache-publica.conf", config.prefijo / "cache-publica.conf")
    return destino


def nginx() -> str:
    """Path of the nginx binary, installing Debian's package when it is missing."""
    ruta = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if ruta is not None:
        return ruta
    apt = shutil.which("apt-get")
    if apt is None:
        raise PasarelaError(
            "No se encontró nginx; instálelo (paquete «nginx») y vuelva a intentar."
        )
    for orden in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "nginx"]):
        resultado = subprocess.run(orden, capture_output=True, text=True, check=False)  # noqa: S603
        if resultado.returncode != 0:
            raise PasarelaError(
                "No se pudo instalar nginx con apt-get "
                f"({resultado.stderr.strip()[-200:] or resultado.returncode}); "
                "instálelo a mano con «apt-get install nginx»."
            )
    return shutil.which("nginx") or "/usr/sbin/nginx"


def comprobar(conf: Path) -> None:
    """Run `nginx -t` on the rendered configuration."""
    orden = [nginx(), "-t", "-q", "-p", str(conf.parent), "-c", str(conf)]
    resultado = subprocess.run(orden, capture_output=True, text=True, check=False)  # noqa: S603
    if resultado.returncode != 0:
        raise PasarelaError(f"La configuración de nginx no es válida: {resultado.stderr.strip()}")


def orden_arranque(conf: Path) -> list[str]:
    """Command line that runs the gateway in the foreground (the caller records its PID)."""
    return [nginx(), "-p", str(conf.parent), "-c", str(conf)]
