"""Event-bus port, its adapters and the outbox relay."""

from comun.bus.port import EventBus, EventHandler

__all__ = ["EventBus", "EventHandler"]
