"""Publishes the events waiting in aggregate outboxes and removes them by id (DESIGN §4)."""

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence

from opentelemetry import propagate, trace

from comun.bus import outbox
from comun.bus.port import BusUnavailableError, EventBus
from comun.store.port import Collection, Document, Store, StoreUnavailableError

logger = logging.getLogger(__name__)


_tracer = trace.get_tracer(__name__)


class RelayError(Exception):
    """Some outbox events could not be published in this pass."""


class OutboxRelay:
    """Moves outbox events from the store to the bus: at-least-once, per-document order."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        colecciones: Sequence[str],
        *,
        poll_interval: float = 1.0,
        full_interval: float = 30.0,
        batch_size: int = 100,
        max_backoff: float = 30.0,
    ) -> None:
        self._nombres = list(colecciones)
        self._colecciones = [store.collection(nombre) for nombre in colecciones]
        self._bus = bus
        self._poll_interval = poll_interval
        self._full_interval = full_interval
        self._batch_size = batch_size
        # Documents saved since the last pass: published by `_id` without scanning collections.
        self._recientes: set[str] = set()
        self._completo = True
        self._max_backoff = max_backoff
        self._wake = asyncio.Event()
        # The loop and a direct drain() must not publish the same events side by side.
        self._draining = asyncio.Lock()
        self._indexado = False
        self._task: asyncio.Task[None] | None = None

    async def drain(self) -> int:
        """Publish every pending event once over all collections; return how many."""
        # A failing document is skipped for this pass (its later events wait, keeping order)
        # and the pass ends with RelayError; an unreachable bus or store ends it at once.
        total = 0
        fallidos: list[str] = []
        async with self._draining:
            await self._indexar()
            for coleccion in self._colecciones:
                total += await self._drain_collection(coleccion, fallidos)
        if fallidos:
            raise RelayError(
                f"No se pudieron publicar los eventos de {len(fallidos)} documento(s): "
                f"{', '.join(fallidos[:10])}; se reintentará."
            )
        return total

    def notify(self, doc_id: str | None = None) -> None:
        """Wake the loop now: the document `doc_id` was saved with events (None: look at all)."""
        if doc_id is None:
            self._completo = True
        else:
            self._recientes.add(doc_id)
        self._wake.set()

    async def drain_ids(self, ids: Iterable[str]) -> int:
        """Publish the pending events of these documents, looked up by `_id`; return how many."""
        total = 0
        async with self._draining:
            for doc_id in sorted(ids):
                for coleccion in self._colecciones:
                    doc = await coleccion.get(doc_id)
                    if doc is not None and outbox.pendientes(doc):
                        total += await self._relay_document(coleccion, doc)
        return total

    async def _pasada(self, ultima_completa: float) -> float:
        """One pass: a full scan when due or asked for, else only the documents just saved."""
        ahora = asyncio.get_running_loop().time()
        if self._completo or ahora - ultima_completa >= self._full_interval:
            # A full scan finds what a crash left behind. It reads the pending-events index
            # (INDICE_PENDIENTES); FerretDB, which has none, answers it by scanning.
            self._completo = False
            self._recientes.clear()
            await self.drain()
            return ahora
        recientes, self._recientes = self._recientes, set()
        try:
            await self.drain_ids(recientes)
        except Exception:
            self._recientes |= recientes
            raise
        return ultima_completa

    async def run(self) -> None:
        """Publish as documents are saved, scan now and then; on errors log and back off."""
        fallos = 0
        ultima_completa = float("-inf")
        while True:
            self._wake.clear()
            try:
                ultima_completa = await self._pasada(ultima_completa)
            except Exception:
                fallos += 1
                espera = min(self._max_backoff, self._poll_interval * 2**fallos)
                logger.exception(
                    "El relay del outbox falló (%d seguidos); reintenta en %.1f s", fallos, espera
                )
                # Not woken by notify(): busy handlers must not turn an outage into a hot loop.
                await asyncio.sleep(espera)
                continue
            fallos = 0
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel from stop().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_interval):
                    await self._wake.wait()

    def start(self) -> None:
        """Run the loop in a background task (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        """Cancel the loop; events published but not yet removed are re-published next time."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        """Whether the background loop is alive."""
        return self._task is not None and not self._task.done()

    async def _indexar(self) -> None:
        """Create the pending-events index of every collection, once per relay."""
        if self._indexado:
            return
        self._indexado = True
        for nombre, coleccion in zip(self._nombres, self._colecciones, strict=True):
            try:
                await coleccion.create_index(
                    outbox.INDICE_PENDIENTES, partial=outbox.FILTRO_PENDIENTES
                )
            except StoreUnavailableError:
                self._indexado = False
                raise
            except Exception:
                # The index only makes scans cheaper: without it they read every document,
                # which is slow but right. Publishing must never wait on it.
                logger.exception(
                    "No se pudo crear el índice de eventos pendientes de «%s»; el relay "
                    "recorrerá la colección completa hasta el próximo arranque",
                    nombre,
                )

    async def _drain_collection(self, coleccion: Collection, fallidos: list[str]) -> int:
        total = 0
        ultimo: str | None = None
        while True:
            filtro = outbox.FILTRO_PENDIENTES
            if ultimo is not None:
                # Paging by `_id` ends the pass even if a document keeps receiving events.
                filtro = {"$and": [filtro, {"_id": {"$gt": ultimo}}]}
            docs = await coleccion.find(filtro, sort=[("_id", 1)], limit=self._batch_size)
            # Documents are independent aggregates: their events go out side by side.
            resultados = await asyncio.gather(
                *(self._relay_document(coleccion, doc) for doc in docs), return_exceptions=True
            )
            for doc, resultado in zip(docs, resultados, strict=True):
                if isinstance(resultado, BusUnavailableError | StoreUnavailableError) or (
                    isinstance(resultado, BaseException) and not isinstance(resultado, Exception)
                ):
                    raise resultado
                if isinstance(resultado, Exception):
                    logger.error(
                        "No se pudo publicar el outbox de %s", doc["_id"], exc_info=resultado
                    )
                    fallidos.append(str(doc["_id"]))
                else:
                    total += resultado
            if len(docs) < self._batch_size:
                return total
            ultimo = docs[-1]["_id"]

    async def _relay_document(self, coleccion: Collection, doc: Document) -> int:
        publicados: list[str] = []
        try:
            for pendiente in outbox.pendientes(doc):
                origen = propagate.extract(pendiente.get("traza", {}))
                with _tracer.start_as_current_span(
                    f"outbox {pendiente['topic']}", context=origen, kind=trace.SpanKind.PRODUCER
                ):
                    await self._bus.publish(pendiente["topic"], outbox.evento(pendiente))
                publicados.append(pendiente["id"])
        finally:
            # Remove what did go out even if a later event failed, to re-publish less.
            if publicados:
                await coleccion.pull(doc["_id"], outbox.CAMPO, ids=publicados)
        return len(publicados)
