"""«Mi cuenta»: the account's data, password change and TOTP set-up; the code step of sign-in."""

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

import segno
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer

from comun.auth.dependencias import (
    COOKIE_SESION,
    RUTA_CAMBIAR_CLAVE,
    RUTA_SEGUNDO_FACTOR,
    UsuarioIdentificado,
)
from comun.auth.usuario import Usuario
from comun.roles import ROLES_CON_OTP, AccionPendiente
from comun.servicios import Servicio
from comun.settings import archivo_de_datos, url_realm
from comun.web.plantillas import crear_plantillas
from identidad.adapters import Componentes
from identidad.api import cifrador_de, emitir_sesion, ip_de, problema_de
from identidad.domain import Cuenta, ErrorIdentidad, totp
from identidad.domain.claves import (
    LONGITUD_MINIMA,
    ClaveNoValida,
    PoliticaClaves,
    politica_de_archivo,
)
from identidad.handlers import TokenEmitido, seguridad
from identidad.web import destino_seguro, es_https

if TYPE_CHECKING:
    from identidad.web import ClientesKeycloak

DIRECTORIO_PLANTILLAS = Path(__file__).parent.parent / "templates"
CUENTA = "/identidad/cuenta"
LOGIN_CODIGO = "/identidad/login/codigo"
NUEVO_SEGUNDO_FACTOR = f"{RUTA_SEGUNDO_FACTOR}/nuevo"
SAL_SEGUNDO_PASO = "conoceles.identidad.segundo-paso"
# Time to type the code after the password was accepted.
VIDA_SEGUNDO_PASO_S = 300
ARCHIVO_COMUNES = "seguridad/contrasenas-comunes.txt"
AVISOS = {
    "clave": "Su contraseña se cambió. Las demás sesiones abiertas con la anterior se cerraron.",
    "segundo-factor": (
        "Su segundo factor quedó configurado: desde ahora, al iniciar sesión se le pedirá el "
        "código de su aplicación de autenticación."
    ),
}
CODIGO_EXPIRADO = (
    "El tiempo para escribir el código de verificación terminó o el enlace no es válido; "
    "inicie sesión de nuevo."
)


def destino_tras_entrar(acciones: Iterable[str], siguiente: str) -> str:
    """Where a fresh session goes: the first pending action's page, else the page asked for."""
    destino = destino_seguro(siguiente)
    pendientes = set(acciones)
    for accion, ruta in (
        (AccionPendiente.CAMBIAR_CLAVE, RUTA_CAMBIAR_CLAVE),
        (AccionPendiente.CONFIGURAR_SEGUNDO_FACTOR, RUTA_SEGUNDO_FACTOR),
    ):
        if accion in pendientes:
            return f"{ruta}?siguiente={quote(destino, safe='/')}"
    return destino


def poner_sesion(respuesta: Response, request: Request, emitido: TokenEmitido) -> None:
    """The session cookie holds the access token and lives exactly as long as it."""
    respuesta.set_cookie(
        COOKIE_SESION,
        emitido.access_token,
        max_age=emitido.expires_in,
        path="/",
        httponly=True,
        samesite="lax",
        secure=es_https(request),
    )
    respuesta.headers["Cache-Control"] = "no-store"


def serializador_segundo_paso(componentes: Componentes) -> URLSafeTimedSerializer:
    """Signs «this account gave the right password» for the code step (5 minutes)."""
    secreto = componentes.plataforma().clave_secreta.get_secret_value()
    return URLSafeTimedSerializer(secreto, salt=SAL_SEGUNDO_PASO)


def pedir_codigo(
    request: Request,
    plantillas: Jinja2Templates,
    componentes: Componentes,
    *,
    cuenta_id: str | None,
    paso: str | None = None,
    siguiente: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The login's second step: the form that asks for the TOTP code."""
    if paso is None and cuenta_id is not None:
        paso = serializador_segundo_paso(componentes).dumps({"c": cuenta_id})
    contexto = {
        "titulo": "Código de verificación",
        "paso": paso,
        "siguiente": destino_seguro(siguiente),
        "error": error,
        "periodo": totp.PERIODO_S,
    }
    respuesta = plantillas.TemplateResponse(
        request, "identidad/login_codigo.html", contexto, status_code=status_code
    )
    respuesta.headers["Cache-Control"] = "no-store"
    return respuesta


def router(componentes: Componentes, keycloak: "ClientesKeycloak | None" = None) -> APIRouter:
    """«Mi cuenta» under /identidad/cuenta (and, with the embedded provider, the code step)."""
    plantillas = crear_plantillas(Servicio.IDENTIDAD, DIRECTORIO_PLANTILLAS)
    rutas = APIRouter(prefix="/identidad", include_in_schema=False)
    if keycloak is None:
        _rutas_locales(rutas, componentes, plantillas)
    else:
        _rutas_keycloak(rutas, componentes, plantillas)
    return rutas


def _pagina(
    plantillas: Jinja2Templates,
    request: Request,
    nombre: str,
    contexto: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    respuesta = plantillas.TemplateResponse(
        request, f"identidad/{nombre}", contexto, status_code=status_code
    )
    respuesta.headers["Cache-Control"] = "no-store"
    return respuesta


def _rutas_keycloak(
    rutas: APIRouter, componentes: Componentes, plantillas: Jinja2Templates
) -> None:
    """With Keycloak, password and second factor are managed in Keycloak's account console."""
    settings = componentes.settings

    def consola() -> str:
        plataforma = componentes.plataforma()
        base = settings.keycloak_url_navegador or plataforma.keycloak_url
        return f"{url_realm(base, plataforma.keycloak_realm)}/account/account-security/signing-in"

    @rutas.get("/cuenta")
    async def ver_cuenta(request: Request, usuario: UsuarioIdentificado) -> Response:
        contexto = {
            "titulo": "Mi cuenta",
            "usuario": usuario,
            "cuenta": None,
            "consola_keycloak": consola(),
            "requiere_segundo_factor": bool(usuario.roles & ROLES_CON_OTP),
            "acciones": sorted(usuario.acciones),
            "aviso": None,
        }
        return _pagina(plantillas, request, "cuenta.html", contexto)

    @rutas.get("/cuenta/clave")
    @rutas.get("/cuenta/segundo-factor")
    async def ir_a_keycloak(_: UsuarioIdentificado) -> Response:
        return RedirectResponse(consola(), status_code=303)


def _rutas_locales(rutas: APIRouter, componentes: Componentes, plantillas: Jinja2Templates) -> None:
    """The embedded provider's account pages and the code step of its login form."""
    settings = componentes.settings

    def politica() -> PoliticaClaves:
        return politica_de_archivo(archivo_de_datos(ARCHIVO_COMUNES))

    async def sesion_nueva(
        request: Request, cuenta: Cuenta, siguiente: str, *, hecho: str
    ) -> Response:
        """Re-issue the session for the changed account and go on to what is still pending."""
        emitido = await emitir_sesion(
            componentes, cuenta, vida_s=settings.vida_sesion_s, ahora=datetime.now(UTC)
        )
        if emitido.acciones or siguiente:
            destino = destino_tras_entrar(emitido.acciones, siguiente)
        else:
            destino = f"{CUENTA}?hecho={hecho}"
        respuesta = RedirectResponse(destino, status_code=303)
        poner_sesion(respuesta, request, emitido)
        return respuesta

    @rutas.get("/cuenta")
    async def ver_cuenta(
        request: Request, usuario: UsuarioIdentificado, hecho: str = ""
    ) -> Response:
        cuenta = await componentes.repositorio().por_id(usuario.id)
        if cuenta is None:
            raise problema_de(seguridad.SesionSinCuenta())
        contexto = {
            "titulo": "Mi cuenta",
            "usuario": usuario,
            "cuenta": cuenta,
            "consola_keycloak": None,
            "requiere_segundo_factor": cuenta.requiere_segundo_factor,
            "acciones": sorted(usuario.acciones),
            "aviso": AVISOS.get(hecho),
        }
        return _pagina(plantillas, request, "cuenta.html", contexto)

    def formulario_clave(
        request: Request,
        usuario: Usuario,
        *,
        siguiente: str,
        errores: list[str] | None = None,
        campo: str | None = None,
        status_code: int = 200,
    ) -> Response:
        contexto = {
            "titulo": "Cambiar contraseña",
            "temporal": AccionPendiente.CAMBIAR_CLAVE in usuario.acciones,
            "siguiente": siguiente,
            "minimo": LONGITUD_MINIMA,
            "errores": errores or [],
            "campo_error": campo,
        }
        return _pagina(plantillas, request, "cuenta_clave.html", contexto, status_code=status_code)

    @rutas.get("/cuenta/clave")
    async def ver_clave(
        request: Request, usuario: UsuarioIdentificado, siguiente: str = ""
    ) -> Response:
        return formulario_clave(request, usuario, siguiente=_siguiente(siguiente))

    @rutas.post("/cuenta/clave")
    async def cambiar_clave(
        request: Request,
        usuario: UsuarioIdentificado,
        actual: Annotated[str, Form(max_length=2048)] = "",
        nueva: Annotated[str, Form(max_length=2048)] = "",
        confirmacion: Annotated[str, Form(max_length=2048)] = "",
        siguiente: Annotated[str, Form(max_length=2048)] = "",
    ) -> Response:
        siguiente = _siguiente(siguiente)
        if not actual or not nueva:
            return formulario_clave(
                request,
                usuario,
                siguiente=siguiente,
                errores=["Escriba su contraseña actual y la nueva (dos veces)."],
                campo="actual" if not actual else "nueva",
                status_code=422,
            )
        try:
            cuenta = await seguridad.cambiar_clave(
                repo=componentes.repositorio(),
                hasher=componentes.hasher,
                politica=politica(),
                cuenta_id=usuario.id,
                actual=actual,
                nueva=nueva,
                confirmacion=confirmacion,
                ahora=datetime.now(UTC),
                bloqueo=settings.politica_bloqueo(),
                avisar=componentes.avisar_relay,
            )
        except ErrorIdentidad as error:
            if isinstance(error, ClaveNoValida):
                errores, campo = error.problemas, "nueva"
            else:
                errores, campo = [problema_de(error).detail], "actual"
            return formulario_clave(
                request,
                usuario,
                siguiente=siguiente,
                errores=errores,
                campo=campo,
                status_code=422,
            )
        return await sesion_nueva(request, cuenta, siguiente, hecho="clave")

    async def formulario_segundo_factor(
        request: Request,
        usuario: Usuario,
        *,
        siguiente: str,
        error: str | None = None,
        campo: str | None = None,
        status_code: int = 200,
    ) -> Response:
        try:
            alta = await seguridad.preparar_segundo_factor(
                repo=componentes.repositorio(),
                cifrador=cifrador_de(componentes),
                cuenta_id=usuario.id,
            )
        except ErrorIdentidad as error:
            raise problema_de(error) from error
        qr = segno.make(alta.uri, error="m").svg_data_uri(scale=5, border=4)
        contexto = {
            "titulo": "Segundo factor de autenticación",
            "obligatorio": AccionPendiente.CONFIGURAR_SEGUNDO_FACTOR in usuario.acciones,
            "reemplaza": alta.reemplaza,
            "qr": qr,
            "secreto": totp.secreto_legible(alta.secreto),
            "periodo": totp.PERIODO_S,
            "siguiente": siguiente,
            "error": error,
            "campo_error": campo,
        }
        return _pagina(
            plantillas,
            request,
            "cuenta_segundo_factor.html",
            contexto,
            status_code=status_code,
        )

    @rutas.get("/cuenta/segundo-factor")
    async def ver_segundo_factor(
        request: Request, usuario: UsuarioIdentificado, siguiente: str = ""
    ) -> Response:
        return await formulario_segundo_factor(request, usuario, siguiente=_siguiente(siguiente))

    @rutas.post("/cuenta/segundo-factor/nuevo")
    async def nuevo_segundo_factor(
        usuario: UsuarioIdentificado, siguiente: Annotated[str, Form(max_length=2048)] = ""
    ) -> Response:
        try:
            await seguridad.preparar_segundo_factor(
                repo=componentes.repositorio(),
                cifrador=cifrador_de(componentes),
                cuenta_id=usuario.id,
                nuevo=True,
            )
        except ErrorIdentidad as error:
            raise problema_de(error) from error
        destino = f"{RUTA_SEGUNDO_FACTOR}?siguiente={quote(_siguiente(siguiente), safe='/')}"
        return RedirectResponse(destino, status_code=303)

    @rutas.post("/cuenta/segundo-factor")
    async def confirmar_segundo_factor(
        request: Request,
        usuario: UsuarioIdentificado,
        codigo: Annotated[str, Form(max_length=64)] = "",
        clave: Annotated[str, Form(max_length=2048)] = "",
        siguiente: Annotated[str, Form(max_length=2048)] = "",
    ) -> Response:
        siguiente = _siguiente(siguiente)
        try:
            cuenta = await seguridad.confirmar_segundo_factor(
                repo=componentes.repositorio(),
                hasher=componentes.hasher,
                cifrador=cifrador_de(componentes),
                cuenta_id=usuario.id,
                codigo=codigo,
                clave_actual=clave or None,
                ahora=datetime.now(UTC),
                bloqueo=settings.politica_bloqueo(),
                avisar=componentes.avisar_relay,
            )
        except ErrorIdentidad as error:
            campo = "clave" if isinstance(error, seguridad.ClaveActualIncorrecta) else "codigo"
            return await formulario_segundo_factor(
                request,
                usuario,
                siguiente=siguiente,
                error=problema_de(error).detail,
                campo=campo,
                status_code=422,
            )
        return await sesion_nueva(request, cuenta, siguiente, hecho="segundo-factor")

    @rutas.post("/login/codigo")
    async def verificar_codigo(
        request: Request,
        paso: Annotated[str, Form(max_length=2048)] = "",
        codigo: Annotated[str, Form(max_length=64)] = "",
        siguiente: Annotated[str, Form(max_length=2048)] = "",
    ) -> Response:
        try:
            datos = serializador_segundo_paso(componentes).loads(paso, max_age=VIDA_SEGUNDO_PASO_S)
            cuenta_id = datos["c"] if isinstance(datos, dict) else None
            if not isinstance(cuenta_id, str):
                raise BadSignature("sin cuenta")
        except BadSignature:
            return pedir_codigo(
                request,
                plantillas,
                componentes,
                cuenta_id=None,
                siguiente=siguiente,
                error=CODIGO_EXPIRADO,
                status_code=400,
            )
        direccion = ip_de(request) or "desconocida"
        limite = componentes.limite_intentos()
        ahora = datetime.now(UTC)
        try:
            limite.comprobar(direccion, time.monotonic())
            cuenta = await seguridad.verificar_segundo_paso(
                repo=componentes.repositorio(),
                cifrador=cifrador_de(componentes),
                cuenta_id=cuenta_id,
                codigo=codigo,
                ahora=ahora,
                politica=settings.politica_bloqueo(),
                ip=ip_de(request),
                agente=request.headers.get("user-agent"),
                avisar=componentes.avisar_relay,
                vence_en=settings.vence_en,
            )
        except ErrorIdentidad as error:
            if not isinstance(error, totp.CodigoRequerido):
                limite.registrar_fallo(direccion, time.monotonic())
            return pedir_codigo(
                request,
                plantillas,
                componentes,
                cuenta_id=cuenta_id,
                paso=paso,
                siguiente=siguiente,
                error=problema_de(error).detail,
                status_code=422,
            )
        emitido = await emitir_sesion(
            componentes, cuenta, vida_s=settings.vida_sesion_s, ahora=ahora
        )
        respuesta = RedirectResponse(
            destino_tras_entrar(emitido.acciones, siguiente), status_code=303
        )
        poner_sesion(respuesta, request, emitido)
        return respuesta


def _siguiente(siguiente: str) -> str:
    """A safe local destination, or empty when none was asked for."""
    return destino_seguro(siguiente) if siguiente else ""
