"""Composition root of publicacion."""

from fastapi import FastAPI

from comun.app import Modulo, Recursos, crear_app
from comun.cifrado import Cifrador
from comun.servicios import Servicio
from publicacion import api, consumer, web
from publicacion.adapters import COLECCION, PerfilRepository


def modulo() -> Modulo:
    """publicacion's routers, subscriptions and outbox collection."""

    async def iniciar(recursos: Recursos) -> None:
        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        repo = PerfilRepository(recursos.store, avisar_relay=avisar)
        await repo.preparar()
        cifrador = Cifrador(recursos.plataforma.secreto_identidad())
        consumer.suscribir_eventos(recursos.bus, repo, cifrador)

    return Modulo(
        servicio=Servicio.PUBLICACION,
        routers=[api.router, *web.routers],
        iniciar=iniciar,
        colecciones_outbox=[COLECCION],
    )


def create_app() -> FastAPI:
    """publicacion alone in its process."""
    return crear_app([modulo()])
