"""Test helpers: a missing real component fails under CI (skips elsewhere); polling."""

import asyncio
import os
import socket
import time
from collections.abc import Awaitable, Callable
from typing import NoReturn

import pytest

ARRANQUE = "arránquelo con `uv run conoceles infra up`"


def falta(mensaje: str, *, como: str = ARRANQUE) -> NoReturn:
    """Stop the test: under CI=true a missing server is a failure, never a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{mensaje}; en CI las pruebas con servidores no se omiten: {como}.")
    pytest.skip(f"{mensaje}; {como}.")


async def esperar(
    condicion: Callable[[], Awaitable[bool]], *, plazo: float = 10.0, cada: float = 0.02
) -> None:
    """Poll an async condition until it holds or the deadline passes (tests poll, never sleep)."""
    limite = asyncio.get_running_loop().time() + plazo
    while not await condicion():
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError("la condición no se cumplió a tiempo")
        await asyncio.sleep(cada)


def sondear(condicion: Callable[[], bool], *, plazo: float = 10.0, cada: float = 0.05) -> bool:
    """Poll a blocking condition (a subprocess, a server) until it holds; False at the deadline."""
    limite = time.monotonic() + plazo
    while not condicion():
        if time.monotonic() > limite:
            return False
        time.sleep(cada)
    return True


def puerto_libre() -> int:
    """A loopback port nobody listens on, from the OS."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
