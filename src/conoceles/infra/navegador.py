"""Chromium for the browser tests: Debian's package, which `conoceles infra up` installs."""

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from conoceles.infra.builds import BuildContext, run_tool

CHROMIUM = Path("/usr/bin/chromium")
PAQUETE = "chromium"
VERSION_TIMEOUT = 30.0


@dataclass(frozen=True)
class Chromium:
    """Debian's Chromium, driven headless by Playwright in tests/e2e (not a server)."""

    name: str = "chromium"
    title: str = "Chromium"
    ejecutable: Path = CHROMIUM
    paquete: str = PAQUETE


@dataclass(frozen=True)
class EstadoNavegador:
    """Chromium as `status` shows it."""

    navegador: Chromium
    version: str | None
    log: Path


async def version(ejecutable: Path) -> str | None:
    """What `chromium --version` prints, or None when it is missing or does not run."""
    try:
        proceso = await asyncio.create_subprocess_exec(
            str(ejecutable),
            "--version",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        salida, _ = await asyncio.wait_for(proceso.communicate(), VERSION_TIMEOUT)
    except (OSError, TimeoutError):
        return None
    # Debian's build says "Chromium 156.0.… built on Debian GNU/Linux 12 (bookworm)".
    texto = salida.decode(errors="replace").strip().split(" built on ", 1)[0]
    return texto if proceso.returncode == 0 and texto else None


def _apt_env() -> dict[str, str]:
    """apt-get without questions."""
    return {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


async def asegurar_chromium(
    navegador: Chromium, ctx: BuildContext, *, apt: str | None = None
) -> str:
    """Install Debian's package when the binary is missing; return the browser's version."""
    actual = await version(navegador.ejecutable)
    if actual is not None:
        return actual
    apt_get = apt or shutil.which("apt-get")
    hacer = (
        f"Ejecute `conoceles infra up` como administrador (root) en una máquina Debian con "
        f"acceso al repositorio de paquetes, o indique otro navegador a las pruebas. "
        f"Sin {navegador.ejecutable} las pruebas del navegador no pueden correr."
    )
    if apt_get is None:
        raise ctx.error(f"falta {navegador.ejecutable} y no hay `apt-get` para instalarlo", hacer)
    ctx.paths.state.mkdir(parents=True, exist_ok=True)
    ordenes = (
        ("actualizando la lista de paquetes (apt-get update)…", [apt_get, "update", "-q"]),
        (
            f"instalando el paquete «{navegador.paquete}» de Debian (apt-get install)…",
            [apt_get, "install", "-y", "-q", navegador.paquete],
        ),
    )
    for paso, orden in ordenes:
        ctx.step(paso)
        codigo = await run_tool(
            orden, ctx, cwd=ctx.paths.state, header=" ".join(orden[1:]), env=_apt_env()
        )
        if codigo != 0:
            raise ctx.error(
                f"no se pudo instalar el paquete «{navegador.paquete}» con apt-get "
                f"(`{' '.join(orden[1:])}` terminó con código {codigo})",
                hacer,
            )
    instalada = await version(navegador.ejecutable)
    if instalada is None:
        raise ctx.error(
            f"apt-get instaló «{navegador.paquete}» pero {navegador.ejecutable} no responde "
            "a `--version`",
            hacer,
        )
    return instalada
