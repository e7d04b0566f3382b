"""Composition of services into one FastAPI process (one service, or all six)."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter

from comun.bus import EventBus
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.store import Store


@dataclass
class Recursos:
    """What the process hands a service at start-up: its store, the bus, the settings."""

    servicio: Servicio
    plataforma: PlatformSettings
    store: Store
    bus: EventBus


@dataclass
class Modulo:
    """What a service contributes to a process; built by the service's `main.py`."""

    servicio: Servicio
    routers: Sequence[APIRouter] = ()
    iniciar: Callable[[Recursos], Awaitable[None]] | None = None
    detener: Callable[[], Awaitable[None]] | None = None
    colecciones_outbox: Sequence[str] = ()
    templates: Path | None = None
    extras: dict[str, object] = field(default_factory=dict)
