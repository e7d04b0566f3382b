"""Test helpers: a missing real component fails under CI (skips elsewhere); polling."""

import asyncio
import os
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
