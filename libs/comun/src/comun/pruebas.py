"""What tests do when a real component is missing: fail under CI, skip on a developer's machine."""

import os
from typing import NoReturn

import pytest

ARRANQUE = "arránquelo con `uv run conoceles infra up`"


def falta(mensaje: str, *, como: str = ARRANQUE) -> NoReturn:
    """Stop the test: under CI=true a missing server is a failure, never a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{mensaje}; en CI las pruebas con servidores no se omiten: {como}.")
    pytest.skip(f"{mensaje}; {como}.")
