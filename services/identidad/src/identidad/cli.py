"""Service clients (systems) from the command line: `python -m identidad.cli --help`."""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO

from comun.eventos import Actor
from comun.factories import database_name, open_store
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.store import StoreUnavailableError
from identidad import handlers
from identidad.adapters import (
    COLECCION_CUENTAS,
    CuentaRepository,
    Hasher,
    generar_secreto_cliente,
)
from identidad.domain import ErrorIdentidad

CLIENTE_REGISTRO = "sistema.registro"
NOMBRE_REGISTRO = "Sistema de registro de candidaturas"


def actor_de_consola() -> Actor:
    """Who ran the command, for the activity history: the operating-system user."""
    return Actor(usuario=f"consola:{getpass.getuser()}", rol="sistema")


async def crear_cliente(
    plataforma: PlatformSettings, *, cliente: str, nombre: str, salida: TextIO
) -> None:
    """Create the service client with a generated secret and print both once."""
    secreto = generar_secreto_cliente()
    store = await open_store(plataforma, database_name(Servicio.IDENTIDAD))
    try:
        repo = CuentaRepository(store.collection(COLECCION_CUENTAS))
        await repo.crear_indices()
        cuenta = await handlers.crear_cliente_servicio(
            repo=repo,
            hasher=Hasher(),
            cliente=cliente,
            nombre=nombre,
            secreto=secreto,
            ahora=datetime.now(UTC),
            actor=actor_de_consola(),
        )
    finally:
        await store.close()
    # The running service's outbox relay publishes cuenta_creada on its next scan.
    _imprimir(salida, cuenta.usuario, secreto)


async def renovar_secreto(plataforma: PlatformSettings, *, cliente: str, salida: TextIO) -> None:
    """Give the service client a new generated secret and print it once."""
    secreto = generar_secreto_cliente()
    store = await open_store(plataforma, database_name(Servicio.IDENTIDAD))
    try:
        repo = CuentaRepository(store.collection(COLECCION_CUENTAS))
        cuenta = await handlers.renovar_secreto_cliente(
            repo=repo, hasher=Hasher(), cliente=cliente, secreto=secreto
        )
    finally:
        await store.close()
    _imprimir(salida, cuenta.usuario, secreto)


def _imprimir(salida: TextIO, cliente: str, secreto: str) -> None:
    """The credentials for the registration system's operators, shown only this once."""
    salida.write(
        f"client_id={cliente}\nclient_secret={secreto}\n"
        "Guarde el secreto en el gestor de secretos del sistema de registro: no se vuelve a "
        "mostrar. El sistema pide su token en POST /api/identidad/v1/token con "
        "grant_type=client_credentials.\n"
    )


def _argumentos() -> argparse.ArgumentParser:
    """The two commands and their options."""
    lector = argparse.ArgumentParser(
        prog="python -m identidad.cli",
        description="Clientes de servicio (sistemas) del proveedor de identidad integrado.",
    )
    ordenes = lector.add_subparsers(dest="orden", required=True)
    crear = ordenes.add_parser("crear-cliente", help="Crear un cliente con su secreto.")
    crear.add_argument("--cliente", default=CLIENTE_REGISTRO, help="client_id del sistema.")
    crear.add_argument("--nombre", default=NOMBRE_REGISTRO, help="Nombre del sistema.")
    renovar = ordenes.add_parser(
        "renovar-secreto", help="Dar un secreto nuevo al cliente (el anterior deja de valer)."
    )
    renovar.add_argument("--cliente", default=CLIENTE_REGISTRO, help="client_id del sistema.")
    return lector


def main(argv: Sequence[str] | None = None, *, salida: TextIO = sys.stdout) -> int:
    """Run one command; 0 on success, 1 with a Spanish message on stderr otherwise."""
    opciones = _argumentos().parse_args(argv)
    plataforma = PlatformSettings()
    if plataforma.identidad == "keycloak":
        sys.stderr.write(
            "Con CONOCELES_IDENTIDAD=keycloak los clientes de servicio se administran en "
            "Keycloak (cliente conoceles-registro del realm); vea deploy/keycloak/README.md.\n"
        )
        return 1
    try:
        if opciones.orden == "crear-cliente":
            asyncio.run(
                crear_cliente(
                    plataforma, cliente=opciones.cliente, nombre=opciones.nombre, salida=salida
                )
            )
        else:
            asyncio.run(renovar_secreto(plataforma, cliente=opciones.cliente, salida=salida))
    except (ErrorIdentidad, StoreUnavailableError) as error:
        sys.stderr.write(f"{error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
