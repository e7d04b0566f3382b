"""A demo seed (two candidacies) reaches publicacion and auditoria once, even across a crash."""

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from auditoria import consumer as consumidor_auditoria
from captura.adapters import COLECCION, CandidaturaRepository, EleccionRepository
from captura.config import Settings as CapturaSettings
from captura.main import sembrar_demo
from comun.bus.memoria import InMemoryBus
from comun.bus.relay import OutboxRelay, RelayError
from comun.cifrado import Cifrador
from comun.store import Collection, Store
from comun.store.sqlite import open_sqlite
from publicacion import consumer as consumidor_publicacion
from publicacion.adapters import COLECCION as PERFILES
from publicacion.adapters import PerfilRepository

# Two candidacies: a propietaria and her suplente.
DEMO = CapturaSettings(demo_candidaturas=2)


class CaidaAntesDeBorrar(Exception):
    """The relay process dies after publishing, before removing the event from the outbox."""


class ColeccionQueCae:
    """A collection whose outbox removal fails, like a process killed at that instant."""

    def __init__(self, real: Collection) -> None:
        self._real = real

    def __getattr__(self, nombre: str) -> object:
        return getattr(self._real, nombre)

    async def pull(self, doc_id: str, field: str, *, ids: Sequence[str]) -> None:
        raise CaidaAntesDeBorrar(doc_id)


class StoreQueCae:
    """A store handing out collections that crash on pull."""

    def __init__(self, real: Store) -> None:
        self._real = real

    def collection(self, name: str) -> Collection:
        return ColeccionQueCae(self._real.collection(name))  # type: ignore[return-value]


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[dict[str, Store]]:
    abiertos = {
        n: await open_sqlite(tmp_path / f"{n}.db") for n in ("captura", "publicacion", "auditoria")
    }
    yield abiertos
    for store in abiertos.values():
        await store.close()


@pytest.fixture
async def bus(stores: dict[str, Store]) -> AsyncIterator[InMemoryBus]:
    bus = InMemoryBus()
    perfiles = PerfilRepository(stores["publicacion"])
    await perfiles.preparar()
    consumidor_publicacion.suscribir_eventos(bus, perfiles, Cifrador("pruebas"))
    consumidor_auditoria.suscribir_eventos(bus, stores["auditoria"])
    await bus.start()
    yield bus
    await bus.stop()


async def _sembrar(store: Store) -> None:
    repo = CandidaturaRepository(store, avisar_relay=lambda doc_id=None: None)
    await repo.preparar()
    elecciones = EleccionRepository(store, avisar_relay=lambda doc_id=None: None)
    await sembrar_demo(DEMO, repo=repo, elecciones=elecciones)


async def _efectos(stores: dict[str, Store]) -> tuple[int, list[int]]:
    historial = await stores["auditoria"].collection("historial").count({})
    registro = await stores["publicacion"].collection(PERFILES).find({})
    return historial, [doc["version"] for doc in registro]


async def test_la_semilla_demo_llega_una_vez_a_publicacion_y_a_auditoria(
    stores: dict[str, Store], bus: InMemoryBus
) -> None:
    await _sembrar(stores["captura"])
    assert await OutboxRelay(stores["captura"], bus, [COLECCION]).drain() == 2
    assert await _efectos(stores) == (2, [1, 1])


async def test_una_caida_del_relay_tras_publicar_no_duplica_efectos(
    stores: dict[str, Store], bus: InMemoryBus
) -> None:
    await _sembrar(stores["captura"])
    relay_que_cae = OutboxRelay(StoreQueCae(stores["captura"]), bus, [COLECCION])  # type: ignore[arg-type]
    with pytest.raises((RelayError, CaidaAntesDeBorrar)):
        await relay_que_cae.drain()
    assert await OutboxRelay(stores["captura"], bus, [COLECCION]).drain() == 2
    assert await _efectos(stores) == (2, [1, 1])
    pendientes = (
        await stores["captura"].collection(COLECCION).count({"_outbox.0": {"$exists": True}})
    )
    assert pendientes == 0


async def test_una_caida_antes_del_relay_no_pierde_el_evento(
    stores: dict[str, Store], bus: InMemoryBus
) -> None:
    await _sembrar(stores["captura"])
    await _sembrar(stores["captura"])  # the seed runs again after a restart: still one candidacy
    assert await _efectos(stores) == (0, [])
    assert await OutboxRelay(stores["captura"], bus, [COLECCION]).drain() == 2
    assert await _efectos(stores) == (2, [1, 1])
