"""Web plumbing shared by every service: CSRF, body limit, problem+json errors, templates."""

from collections.abc import Mapping

from fastapi import FastAPI

from comun.errores import instalar_manejadores
from comun.settings import PlatformSettings
from comun.web.cabeceras import CabecerasSeguridad, csp
from comun.web.csrf import ProteccionCsrf
from comun.web.limites import LimiteCuerpo


def instalar(
    app: FastAPI, plataforma: PlatformSettings, *, limites: Mapping[str, int] | None = None
) -> None:
    """Install error handlers, security headers, body-size limit and CSRF (once per app)."""
    if getattr(app.state, "web_instalada", False):
        return
    # add_middleware wraps what is there: added first runs innermost. CSRF reads the body
    # through the limit, and CapturaErrores (added by instalar_manejadores) wraps both.
    app.add_middleware(ProteccionCsrf)
    app.add_middleware(LimiteCuerpo, maximo=plataforma.max_cuerpo_bytes, por_ruta=limites)
    keycloak = plataforma.keycloak_url if plataforma.identidad == "keycloak" else None
    app.add_middleware(CabecerasSeguridad, politica=csp(keycloak))
    instalar_manejadores(app)
    app.state.web_instalada = True
