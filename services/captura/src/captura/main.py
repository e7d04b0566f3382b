"""Composition root of captura."""

from fastapi import FastAPI

from captura import api, handlers, web
from captura.adapters import COLECCION, CandidaturaRepository
from captura.config import Settings
from captura.domain import CandidaturaDuplicada, ErrorDominio
from comun.app import Modulo, Recursos, crear_app
from comun.eventos import SISTEMA
from comun.servicios import Servicio


def modulo(settings: Settings | None = None) -> Modulo:
    """captura's routers, start-up and outbox collections."""
    ajustes = settings or Settings()

    async def iniciar(recursos: Recursos) -> None:
        def avisar(doc_id: str | None = None) -> None:
            # Looked up at call time: the relay starts after iniciar() returns.
            recursos.avisar_relay(doc_id)

        repo = CandidaturaRepository(recursos.store, avisar_relay=avisar)
        await repo.preparar()
        if recursos.plataforma.demo:
            await handlers.sembrar_demo(repo=repo, archivo=ajustes.eleccion_demo, actor=SISTEMA)

    return Modulo(
        servicio=Servicio.CAPTURA,
        routers=[api.router, web.router],
        iniciar=iniciar,
        colecciones_outbox=[COLECCION],
        errores={CandidaturaDuplicada: 409, ErrorDominio: 422},
    )


def create_app() -> FastAPI:
    """captura alone in its process."""
    return crear_app([modulo()])
