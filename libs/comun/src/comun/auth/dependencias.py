"""FastAPI dependencies: who is calling (Bearer header or session cookie) and may they."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from comun.auth.tokens import TokenVerifier
from comun.auth.usuario import Usuario
from comun.errores import NoAutenticado, SinPermiso
from comun.roles import AccionPendiente, Rol

COOKIE_SESION = "conoceles_sesion"
# identidad's pages where the pending actions of a token are done.
RUTA_CAMBIAR_CLAVE = "/identidad/cuenta/clave"
RUTA_SEGUNDO_FACTOR = "/identidad/cuenta/segundo-factor"


def verificador(request: Request) -> TokenVerifier:
    """Return the process's TokenVerifier (`app.state.verificador`, set by `crear_app`)."""
    encontrado = getattr(request.app.state, "verificador", None)
    if not isinstance(encontrado, TokenVerifier):
        raise RuntimeError("app.state.verificador no está configurado; use comun.app.crear_app")
    return encontrado


def token_bearer(request: Request) -> str | None:
    """Return the token of an `Authorization: Bearer` header, if any."""
    cabecera = request.headers.get("authorization")
    if not cabecera:
        return None
    esquema, _, token = cabecera.partition(" ")
    if esquema.lower() != "bearer" or not token.strip():
        raise NoAutenticado(
            "La cabecera Authorization debe tener la forma «Bearer <token>»; "
            "obtenga un token en /api/identidad/v1/token."
        )
    return token.strip()


async def usuario_opcional(request: Request) -> Usuario | None:
    """Return the caller, or None for anonymous ones; also kept in `request.state.usuario`.

    A bad Bearer token is an error (the client chose to send it); a bad session cookie only
    makes the caller anonymous, so public pages keep working, and `usuario_actual` reports why.
    """
    request.state.usuario = None
    request.state.error_sesion = None
    token = token_bearer(request)
    if token is not None:
        usuario = await verificador(request).verificar(token)
    else:
        cookie = request.cookies.get(COOKIE_SESION)
        if not cookie:
            return None
        try:
            usuario = await verificador(request).verificar(cookie)
        except NoAutenticado as error:
            request.state.error_sesion = error
            return None
    request.state.usuario = usuario
    return usuario


async def usuario_identificado(
    usuario: Annotated[Usuario | None, Depends(usuario_opcional)], request: Request
) -> Usuario:
    """Return the caller even with pending actions (only for the pages that complete them)."""
    if usuario is None:
        error = getattr(request.state, "error_sesion", None)
        raise error if isinstance(error, NoAutenticado) else NoAutenticado()
    return usuario


async def usuario_actual(
    usuario: Annotated[Usuario, Depends(usuario_identificado)],
) -> Usuario:
    """Return the caller; 401 without a valid session or token, 403 while an action is pending."""
    if usuario.acciones:
        raise AccionesPendientes(usuario.acciones)
    return usuario


class AccionesPendientes(SinPermiso):
    """403: the token is only good for completing the account (temporary password, TOTP)."""

    def __init__(self, acciones: frozenset[str]) -> None:
        if AccionPendiente.CAMBIAR_CLAVE in acciones:
            detalle = (
                "Cambie su contraseña temporal antes de continuar, en «Mi cuenta» "
                f"({RUTA_CAMBIAR_CLAVE})."
            )
        elif AccionPendiente.CONFIGURAR_SEGUNDO_FACTOR in acciones:
            detalle = (
                "Configure su segundo factor de autenticación (código de verificación) antes "
                f"de continuar, en «Mi cuenta» ({RUTA_SEGUNDO_FACTOR})."
            )
        else:
            detalle = "Complete los datos de su cuenta en «Mi cuenta» antes de continuar."
        super().__init__(detalle)
        self.extra = {"acciones": sorted(acciones)}


UsuarioIdentificado = Annotated[Usuario, Depends(usuario_identificado)]
UsuarioActual = Annotated[Usuario, Depends(usuario_actual)]
UsuarioOpcional = Annotated[Usuario | None, Depends(usuario_opcional)]


def requiere_rol(*roles: Rol) -> Callable[[Usuario], Awaitable[Usuario]]:
    """Build a dependency that returns the caller if they hold any of the roles; 403 otherwise."""
    if not roles:
        raise ValueError("requiere_rol necesita al menos un rol")
    nombres = " o ".join(rol.value for rol in roles)

    async def dependencia(usuario: UsuarioActual) -> Usuario:
        if not usuario.tiene_rol(*roles):
            raise SinPermiso(f"Esta acción requiere el rol {nombres}; su cuenta no lo tiene.")
        return usuario

    return dependencia
