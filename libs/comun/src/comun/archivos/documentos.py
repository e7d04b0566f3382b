"""File-store adapter on the document-store port: chunked documents, header written last."""

import base64
import binascii

from comun.archivos import Archivo, ArchivoCorrupto, id_de, validar_id, validar_tipo
from comun.store import Collection, Document, DuplicateKeyError, Store

TAMANO_TROZO = 255 * 1024


class DocumentosArchivos:
    """Headers in `coleccion`, content in `coleccion.trozos` as base64 pieces of 255 KiB.

    Works where GridFS does not (FerretDB 1.x, SQLite): a file exists once its header does,
    and the header is written after every chunk, so a crash mid-write leaves no visible file.
    """

    def __init__(self, store: Store, coleccion: str = "archivos") -> None:
        self._cabeceras: Collection = store.collection(coleccion)
        self._trozos: Collection = store.collection(f"{coleccion}.trozos")

    async def guardar(self, contenido: bytes, *, tipo: str) -> Archivo:
        """Store the content; when it already exists, keep the first `tipo` and return it."""
        validar_tipo(tipo)
        archivo_id = id_de(contenido)
        guardado = await self._cabeceras.get(archivo_id)
        if guardado is not None:
            return _archivo(guardado)
        trozos = [
            contenido[inicio : inicio + TAMANO_TROZO]
            for inicio in range(0, len(contenido), TAMANO_TROZO)
        ]
        for numero, trozo in enumerate(trozos):
            await self._escribir_trozo(archivo_id, numero, trozo)
        cabecera: Document = {
            "_id": archivo_id,
            "tipo": tipo,
            "tamano": len(contenido),
            "trozos": len(trozos),
            "version": 1,
        }
        try:
            await self._cabeceras.insert(cabecera)
        except DuplicateKeyError:
            # Another writer finished the same content first; its header is the file.
            ganadora = await self._cabeceras.get(archivo_id)
            if ganadora is not None:
                return _archivo(ganadora)
            raise
        return _archivo(cabecera)

    async def leer(self, archivo_id: str) -> tuple[bytes, str] | None:
        """Return (content, tipo), or None; raise ArchivoCorrupto when the bytes do not verify."""
        cabecera = await self._cabeceras.get(validar_id(archivo_id))
        if cabecera is None:
            return None
        n = int(cabecera["trozos"])
        encontrados = {
            doc["_id"]: doc
            for doc in await self._trozos.find(
                {"_id": {"$in": [_id_trozo(archivo_id, i) for i in range(n)]}}
            )
        }
        partes: list[bytes] = []
        for i in range(n):
            doc = encontrados.get(_id_trozo(archivo_id, i))
            if doc is None:
                raise ArchivoCorrupto(f"al archivo {archivo_id} le falta el trozo {i} de {n}")
            try:
                partes.append(base64.b64decode(doc["datos"], validate=True))
            except (KeyError, TypeError, binascii.Error) as error:
                raise ArchivoCorrupto(
                    f"el trozo {i} del archivo {archivo_id} es ilegible"
                ) from error
        contenido = b"".join(partes)
        if len(contenido) != cabecera["tamano"] or id_de(contenido) != archivo_id:
            raise ArchivoCorrupto(
                f"el contenido del archivo {archivo_id} no coincide con su sha256"
            )
        return contenido, str(cabecera["tipo"])

    async def existe(self, archivo_id: str) -> bool:
        """Whether a file with this id is stored."""
        return await self._cabeceras.get(validar_id(archivo_id)) is not None

    async def borrar(self, archivo_id: str) -> None:
        """Delete the file; deleting a missing file is not an error."""
        await self._cabeceras.delete(validar_id(archivo_id))
        # By range rather than by the header's count: also removes chunks a crash left behind.
        sobrantes = await self._trozos.find(
            {"_id": {"$gte": f"{archivo_id}:", "$lt": f"{archivo_id};"}}
        )
        for doc in sobrantes:
            await self._trozos.delete(doc["_id"])

    async def _escribir_trozo(self, archivo_id: str, numero: int, trozo: bytes) -> None:
        """Insert one chunk; a chunk left by an interrupted or concurrent write is reused."""
        doc: Document = {
            "_id": _id_trozo(archivo_id, numero),
            "datos": base64.b64encode(trozo).decode("ascii"),
        }
        try:
            await self._trozos.insert(doc)
        except DuplicateKeyError:
            previo = await self._trozos.get(doc["_id"])
            if previo is not None and previo.get("datos") == doc["datos"]:
                return
            await self._trozos.delete(doc["_id"])
            await self._trozos.insert(doc)


def _id_trozo(archivo_id: str, numero: int) -> str:
    return f"{archivo_id}:{numero:05d}"


def _archivo(cabecera: Document) -> Archivo:
    return Archivo(str(cabecera["_id"]), str(cabecera["tipo"]), int(cabecera["tamano"]))
