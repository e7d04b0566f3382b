"""Composition root of the identidad service."""

import logging
from datetime import UTC, datetime
from typing import cast

from fastapi import APIRouter, FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.auth.jwks import HttpJwksSource
from comun.auth.proveedor import ProveedorIdentidad
from comun.servicios import Servicio
from identidad import api, consumer, handlers, web
from identidad.adapters import (
    COLECCION_CUENTAS,
    Componentes,
    CuentaRepository,
    Hasher,
    LlaveroLocal,
    ProveedorLocal,
    clave_demo,
    leer_eleccion_demo,
)
from identidad.adapters.gestion import COLECCIONES_OUTBOX, Gestion
from identidad.adapters.seguridad import COLECCION_INICIOS_FALLIDOS
from identidad.api import cuentas as api_cuentas
from identidad.config import Settings
from identidad.domain import DatosCuentaInvalidos, UsuarioDuplicado
from identidad.domain.gestion import Conflicto, CuentaDesconocida, PaqueteDesconocido
from identidad.handlers import cuentas as gestion_cuentas
from identidad.web import admin, cuenta

logger = logging.getLogger("identidad")

ARCHIVO_CLAVE_JWT = "clave-jwt.pem"
# Errors of the account administration that reach the app as they are (most specific first).
ERRORES_GESTION: dict[type[Exception], int] = {
    CuentaDesconocida: 404,
    PaqueteDesconocido: 404,
    UsuarioDuplicado: 409,
    Conflicto: 409,
    DatosCuentaInvalidos: 422,
}


def modulo(settings: Settings | None = None) -> Modulo:
    """The identidad service as a module of a process (alone or all-in-one)."""
    settings = settings or Settings()
    if settings.plataforma.identidad == "keycloak":
        return _modulo_keycloak(settings)
    return _modulo_local(settings)


def _componentes(settings: Settings) -> Componentes:
    return Componentes(
        settings=settings,
        llavero=LlaveroLocal(
            settings.plataforma.datos / "identidad" / ARCHIVO_CLAVE_JWT,
            secreto=settings.plataforma.clave_secreta,
        ),
        hasher=Hasher(),
    )


def _modulo_keycloak(settings: Settings) -> Modulo:
    """Accounts and sign-in live in Keycloak; this service keeps the login pages and the port."""
    # The realm's keys, cached: they check both the ID token here and every session cookie.
    jwks = HttpJwksSource(settings.plataforma.jwks_url)
    componentes = _componentes(settings)
    keycloak = web.ClientesKeycloak(settings, jwks)
    gestion = api_cuentas.GestionDiferida()
    resultado = Modulo(
        servicio=Servicio.IDENTIDAD,
        routers=[
            api.router(componentes, jwks_realm=jwks),
            web.router(componentes, keycloak),
            cuenta.router(componentes, keycloak),
            *_routers_gestion(componentes, gestion),
        ],
        colecciones_outbox=COLECCIONES_OUTBOX,
        errores=ERRORES_GESTION,
        extras={"jwks": jwks, "componentes": componentes, "keycloak": keycloak},
    )

    async def iniciar(recursos: Recursos) -> None:
        componentes.recursos = recursos
        if recursos.plataforma.entorno != "dev":
            await web.rechazar_secreto_de_registro_de_desarrollo(settings, recursos.plataforma)
        keycloak.abrir(recursos.plataforma)
        resultado.extras["proveedor"] = keycloak.proveedor()
        await _iniciar_gestion(resultado, componentes, gestion, recursos)
        if settings.demo_activo:
            logger.warning(
                "Con CONOCELES_IDENTIDAD=keycloak no se crean cuentas de demostración; "
                "créelas en el realm %s de Keycloak",
                recursos.plataforma.keycloak_realm,
            )

    resultado.iniciar = iniciar
    resultado.detener = keycloak.cerrar
    return resultado


def _modulo_local(settings: Settings) -> Modulo:
    """The embedded provider: local accounts, login form, token endpoint and JWKS."""
    componentes = _componentes(settings)
    gestion = api_cuentas.GestionDiferida()
    resultado = Modulo(
        servicio=Servicio.IDENTIDAD,
        routers=[
            api.router(componentes),
            web.router(componentes),
            cuenta.router(componentes),
            *_routers_gestion(componentes, gestion),
        ],
        colecciones_outbox=[COLECCION_CUENTAS, COLECCION_INICIOS_FALLIDOS, *COLECCIONES_OUTBOX],
        errores=ERRORES_GESTION,
        # Tokens of this process are checked against its own key, without an HTTP round trip.
        extras={
            "jwks": componentes.llavero,
            "componentes": componentes,
            "proveedor": ProveedorLocal(componentes),
        },
    )

    async def iniciar(recursos: Recursos) -> None:
        componentes.recursos = recursos
        componentes.llavero.ruta = componentes.directorio() / ARCHIVO_CLAVE_JWT
        repo = CuentaRepository(recursos.store.collection(COLECCION_CUENTAS))
        await repo.crear_indices()
        await componentes.llavero.cargar()
        await componentes.hasher.preparar()
        componentes.repo = repo
        if settings.demo_activo:
            if recursos.plataforma.entorno == "produccion":
                logger.warning(
                    "Modo de demostración activo en producción: desactive CONOCELES_DEMO "
                    "si este servidor no es de capacitación"
                )
            await _sembrar_demo(componentes, repo)
            resultado.extras["credenciales_demo"] = componentes.credenciales_demo
        await _iniciar_gestion(resultado, componentes, gestion, recursos)
        # In-process and cheap: the list shows the demo and command-line accounts too.
        await gestion_cuentas.sincronizar(gestion=gestion(), ahora=datetime.now(UTC))

    resultado.iniciar = iniciar
    return resultado


def _routers_gestion(
    componentes: Componentes, gestion: api_cuentas.GestionDiferida
) -> list[APIRouter]:
    """The account administration: JSON API and pages."""
    return [api_cuentas.router(componentes, gestion), admin.router(componentes, gestion)]


async def _iniciar_gestion(
    resultado: Modulo,
    componentes: Componentes,
    gestion: api_cuentas.GestionDiferida,
    recursos: Recursos,
) -> None:
    """Account management on this service's store, following captura's registry."""

    def proveedor() -> ProveedorIdentidad:
        # Looked up at call time: with Keycloak it exists only once the module has started.
        return cast(ProveedorIdentidad, resultado.extras["proveedor"])

    lista = Gestion.de_store(recursos.store, proveedor=proveedor, avisar=componentes.avisar_relay)
    await lista.preparar()
    gestion.poner(lista)
    consumer.suscribir_eventos(recursos.bus, lista)


async def _sembrar_demo(componentes: Componentes, repo: CuentaRepository) -> None:
    """Create the demo accounts; the CLI prints them once the server is up."""
    settings = componentes.settings
    clave = clave_demo(configurada=settings.demo_clave, directorio=componentes.directorio())
    credenciales = await handlers.sembrar_cuentas_demo(
        repo=repo,
        hasher=componentes.hasher,
        eleccion=leer_eleccion_demo(settings.archivo_eleccion_demo()),
        clave=clave,
        ahora=datetime.now(UTC),
        avisar=componentes.avisar_relay,
    )
    componentes.credenciales_demo = list(credenciales)
    logger.info("cuentas de demostración listas: %d", len(credenciales))


def create_app() -> FastAPI:
    """The identidad service alone (`conoceles serve identidad`)."""
    return crear_app([modulo()])
