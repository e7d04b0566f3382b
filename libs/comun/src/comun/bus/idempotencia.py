"""Idempotent consumers: each effect is one atomic write that a redelivery cannot repeat."""

from typing import Final

from comun.store.port import Collection, Document, DuplicateKeyError

# The read model's own `version` belongs to the store's optimistic concurrency (set here, not
# taken from the caller's doc), so the aggregate version it reflects is kept apart.
CAMPO_VERSION_ORIGEN: Final = "_version_origen"


class ConflictoPersistenteError(Exception):
    """The read-model document kept changing under us; the event should be redelivered."""


async def aplicar_si_mas_nueva(
    coleccion: Collection, doc: Document, *, version: int, max_attempts: int = 50
) -> bool:
    """Write the read-model doc only if the aggregate `version` is newer; False if not newer."""
    doc_id = doc["_id"]
    # Every lost race is another writer's success, so the bound only guards against bugs.
    for _ in range(max_attempts):
        actual = await coleccion.get(doc_id)
        if actual is None:
            try:
                await coleccion.insert({**doc, CAMPO_VERSION_ORIGEN: version, "version": 1})
            except DuplicateKeyError:
                continue
            return True
        if int(actual.get(CAMPO_VERSION_ORIGEN, -1)) >= version:
            return False
        nuevo = {**doc, CAMPO_VERSION_ORIGEN: version}
        if await coleccion.update_if_version(nuevo, expected_version=int(actual["version"])):
            return True
    raise ConflictoPersistenteError(
        f"El documento «{doc_id}» cambió {max_attempts} veces mientras se actualizaba; "
        "el evento se reintentará."
    )


async def aplicar_una_vez(coleccion: Collection, efecto: Document, *, evento_id: str) -> bool:
    """Insert the effect document keyed by the event id; False if that event was already applied."""
    try:
        await coleccion.insert({**efecto, "_id": evento_id})
    except DuplicateKeyError:
        # Another unique index may have refused it: only a taken `_id` means "already applied".
        if await coleccion.get(evento_id) is None:
            raise
        return False
    return True


async def fusionar_si_mas_nueva(
    coleccion: Collection, doc_id: str, campos: Document, *, version: int, max_attempts: int = 50
) -> bool:
    """Merge fields into a read-model doc if the aggregate `version` is newer; False otherwise."""
    # A missing doc means the aggregate's first event has not arrived: events of one subject
    # are delivered in order, so there is nothing to merge into.
    for _ in range(max_attempts):
        actual = await coleccion.get(doc_id)
        if actual is None or int(actual.get(CAMPO_VERSION_ORIGEN, -1)) >= version:
            return False
        nuevo = {**actual, **campos, CAMPO_VERSION_ORIGEN: version}
        if await coleccion.update_if_version(nuevo, expected_version=int(actual["version"])):
            return True
    raise ConflictoPersistenteError(
        f"El documento «{doc_id}» cambió {max_attempts} veces mientras se actualizaba; "
        "el evento se reintentará."
    )
