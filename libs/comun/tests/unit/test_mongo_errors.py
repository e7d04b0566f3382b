"""MongoDB adapter without a server: clear Spanish errors, fast, with no credentials leaked."""

import socket
import time
from collections.abc import AsyncIterator

import pytest

from comun.store import StoreUnavailableError
from comun.store.mongo import MongoStore, open_mongo

SECRET = "s3creta-no-debe-verse"


def free_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def port() -> int:
    """Return the port of a server that does not exist."""
    return free_port()


@pytest.fixture
async def unreachable(port: int) -> AsyncIterator[MongoStore]:
    """Return a store on a server that does not answer, with credentials in its URL."""
    url = f"mongodb://conoceles:{SECRET}@127.0.0.1:{port}/admin?authSource=admin"
    store = await open_mongo(url, "conoceles_captura", timeout_s=0.5)
    yield store
    await store.close()


async def test_open_mongo_does_not_wait_for_the_server(port: int) -> None:
    started = time.monotonic()
    store = await open_mongo(f"mongodb://127.0.0.1:{port}", "conoceles_captura", timeout_s=5)
    await store.close()
    assert time.monotonic() - started < 1


async def test_ping_of_an_unreachable_server_fails_quickly(unreachable: MongoStore) -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError):
        await unreachable.ping()
    assert time.monotonic() - started < 3


async def test_ping_error_names_the_server_in_spanish(unreachable: MongoStore, port: int) -> None:
    with pytest.raises(StoreUnavailableError, match="no responde") as error:
        await unreachable.ping()
    assert f"mongodb://127.0.0.1:{port}" in str(error.value)
    assert "CONOCELES_MONGODB_URL" in str(error.value)


async def test_ping_error_does_not_leak_credentials(unreachable: MongoStore) -> None:
    with pytest.raises(StoreUnavailableError) as error:
        await unreachable.ping()
    assert SECRET not in str(error.value)
    assert "conoceles:" not in str(error.value)


async def test_operations_on_an_unreachable_server_raise_store_unavailable(
    unreachable: MongoStore,
) -> None:
    with pytest.raises(StoreUnavailableError, match="no responde"):
        await unreachable.collection("docs").get("a")


async def test_invalid_filters_are_rejected_before_reaching_the_server(
    unreachable: MongoStore,
) -> None:
    with pytest.raises(ValueError, match=r"\$where"):
        await unreachable.collection("docs").find({"$where": "true"})


async def test_a_closed_store_says_so(unreachable: MongoStore) -> None:
    await unreachable.close()
    with pytest.raises(StoreUnavailableError, match="cerrada"):
        await unreachable.collection("docs").insert({"_id": "a"})


async def test_an_invalid_url_is_reported_without_its_password() -> None:
    with pytest.raises(StoreUnavailableError, match="no es válida") as error:
        await open_mongo(f"mongodb://conoceles:{SECRET}@@127.0.0.1:27017", "conoceles_captura")
    assert SECRET not in str(error.value)
    assert error.value.__cause__ is None


async def test_an_invalid_database_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="database name"):
        await open_mongo("mongodb://127.0.0.1:27017", "conoceles.captura")


async def test_a_document_without_a_string_id_is_a_value_error(unreachable: MongoStore) -> None:
    with pytest.raises(ValueError, match="_id"):
        await unreachable.collection("docs").insert({"_id": 1})
