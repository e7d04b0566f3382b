"""Contract of the file-store port: every adapter must pass these unchanged (DESIGN §3)."""

import asyncio
import base64
import hashlib
import pathlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from comun.archivos import Archivo, ArchivoCorrupto, FileStore, IdArchivoInvalido
from comun.archivos.directorio import DirectorioArchivos
from comun.archivos.documentos import TAMANO_TROZO, DocumentosArchivos
from comun.store import Collection
from comun.store.pruebas import base_mongodb
from comun.store.sqlite import open_sqlite


@dataclass
class Banco:
    """One adapter under test, how to open it again, and its chunks when it has them."""

    archivos: FileStore
    reabrir: Callable[[], FileStore]
    trozos: Collection | None = None


ADAPTADORES = ("directorio", "documentos-sqlite", "documentos-mongodb")


@pytest.fixture(params=ADAPTADORES)
async def banco(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> AsyncIterator[Banco]:
    """Return an empty file store of each adapter; the MongoDB one on the real test server."""
    if request.param == "directorio":
        carpeta = tmp_path / "archivos"
        yield Banco(DirectorioArchivos(carpeta), lambda: DirectorioArchivos(carpeta))
    elif request.param == "documentos-sqlite":
        store = await open_sqlite(tmp_path / "archivos.db")
        try:
            yield Banco(
                DocumentosArchivos(store),
                lambda: DocumentosArchivos(store),
                store.collection("archivos.trozos"),
            )
        finally:
            await store.close()
    else:
        async with base_mongodb("archivos") as mongo:
            yield Banco(
                DocumentosArchivos(mongo),
                lambda: DocumentosArchivos(mongo),
                mongo.collection("archivos.trozos"),
            )


@pytest.fixture
def archivos(banco: Banco) -> FileStore:
    return banco.archivos


def sha(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


CON_TROZOS = pytest.mark.parametrize(
    "banco", [a for a in ADAPTADORES if a.startswith("documentos")], indirect=True
)


def documentos(banco: Banco) -> Collection:
    """The chunk collection of the documents adapter."""
    assert banco.trozos is not None
    return banco.trozos


# ---------------------------------------------------------------- save and read


async def test_guardar_y_leer_devuelve_el_mismo_contenido_y_tipo(archivos: FileStore) -> None:
    archivo = await archivos.guardar(b"hola", tipo="text/plain")
    assert archivo == Archivo(sha(b"hola"), "text/plain", 4)
    assert await archivos.leer(archivo.id) == (b"hola", "text/plain")
    assert await archivos.existe(archivo.id)


async def test_el_mismo_contenido_dos_veces_es_un_solo_archivo(archivos: FileStore) -> None:
    primero = await archivos.guardar(b"igual", tipo="image/png")
    segundo = await archivos.guardar(b"igual", tipo="image/png")
    assert primero == segundo


async def test_el_mismo_contenido_con_otro_tipo_conserva_el_primer_tipo(
    archivos: FileStore,
) -> None:
    primero = await archivos.guardar(b"igual", tipo="image/png")
    segundo = await archivos.guardar(b"igual", tipo="application/pdf")
    assert segundo == primero
    assert await archivos.leer(primero.id) == (b"igual", "image/png")


async def test_cada_archivo_conserva_su_tipo(archivos: FileStore) -> None:
    tipos = {b"%PDF-1.4": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8": "image/jpeg"}
    guardados = {c: await archivos.guardar(c, tipo=t) for c, t in tipos.items()}
    for contenido, tipo in tipos.items():
        assert await archivos.leer(guardados[contenido].id) == (contenido, tipo)


async def test_un_binario_con_todos_los_valores_de_byte_no_se_altera(archivos: FileStore) -> None:
    contenido = bytes(range(256)) * 4 + b"\r\n\x00\r"
    archivo = await archivos.guardar(contenido, tipo="application/octet-stream")
    assert await archivos.leer(archivo.id) == (contenido, "application/octet-stream")


async def test_un_archivo_de_1_mib_se_guarda_completo(archivos: FileStore) -> None:
    contenido = hashlib.sha256(b"semilla").digest() * (1024 * 1024 // 32)
    archivo = await archivos.guardar(contenido, tipo="image/jpeg")
    assert archivo.tamano == 1024 * 1024
    assert await archivos.leer(archivo.id) == (contenido, "image/jpeg")


async def test_un_archivo_vacio_se_guarda_y_se_lee(archivos: FileStore) -> None:
    archivo = await archivos.guardar(b"", tipo="text/plain")
    assert archivo == Archivo(sha(b""), "text/plain", 0)
    assert await archivos.leer(archivo.id) == (b"", "text/plain")


async def test_un_archivo_de_tres_trozos_se_lee_en_orden(archivos: FileStore) -> None:
    contenido = b"".join(bytes([i]) * TAMANO_TROZO for i in range(2)) + b"fin"
    archivo = await archivos.guardar(contenido, tipo="application/pdf")
    assert await archivos.leer(archivo.id) == (contenido, "application/pdf")


async def test_otra_instancia_sobre_el_mismo_almacen_ve_los_archivos(banco: Banco) -> None:
    archivo = await banco.archivos.guardar(b"persistente", tipo="text/plain")
    assert await banco.reabrir().leer(archivo.id) == (b"persistente", "text/plain")


async def test_guardados_simultaneos_del_mismo_contenido_dan_un_archivo(
    archivos: FileStore,
) -> None:
    contenido = b"x" * (TAMANO_TROZO + 10)
    resultados = await asyncio.gather(
        *(archivos.guardar(contenido, tipo="image/png") for _ in range(5))
    )
    assert {r.id for r in resultados} == {sha(contenido)}
    assert await archivos.leer(sha(contenido)) == (contenido, "image/png")


@pytest.mark.parametrize("tipo", ["", "imagen", "image/png; charset=x", "../x", "IMAGE/PNG"])
async def test_un_tipo_que_no_es_tipo_de_medio_se_rechaza(archivos: FileStore, tipo: str) -> None:
    with pytest.raises(ValueError, match="tipo de archivo"):
        await archivos.guardar(b"x", tipo=tipo)


# ---------------------------------------------------------------- unknown and invalid ids


async def test_un_id_desconocido_no_existe(archivos: FileStore) -> None:
    assert await archivos.leer("0" * 64) is None
    assert not await archivos.existe("0" * 64)


IDS_INVALIDOS = [
    "../x",
    "../../../../etc/passwd",
    "ab/../../" + "0" * 55,
    "",
    "g" * 64,
    "A" * 64,
    "0" * 63,
    "0" * 65,
    "0" * 64 + "\n",
    "0" * 62 + "/x",
]


@pytest.mark.parametrize("archivo_id", IDS_INVALIDOS)
async def test_un_id_invalido_se_rechaza_con_value_error(
    archivos: FileStore, archivo_id: str
) -> None:
    for operacion in (archivos.leer, archivos.existe, archivos.borrar):
        with pytest.raises(IdArchivoInvalido):
            await operacion(archivo_id)
    assert issubclass(IdArchivoInvalido, ValueError)


# ---------------------------------------------------------------- delete


async def test_borrar_dos_veces_no_es_error(archivos: FileStore) -> None:
    archivo = await archivos.guardar(b"temporal", tipo="text/plain")
    await archivos.borrar(archivo.id)
    await archivos.borrar(archivo.id)
    assert await archivos.leer(archivo.id) is None
    assert not await archivos.existe(archivo.id)


async def test_borrar_un_archivo_no_toca_los_demas(archivos: FileStore) -> None:
    uno = await archivos.guardar(b"uno" * TAMANO_TROZO, tipo="text/plain")
    otro = await archivos.guardar(b"otro", tipo="text/plain")
    await archivos.borrar(uno.id)
    assert await archivos.leer(otro.id) == (b"otro", "text/plain")


async def test_un_archivo_borrado_se_puede_guardar_de_nuevo(archivos: FileStore) -> None:
    archivo = await archivos.guardar(b"vuelve" * TAMANO_TROZO, tipo="image/png")
    await archivos.borrar(archivo.id)
    assert await archivos.guardar(b"vuelve" * TAMANO_TROZO, tipo="image/jpeg") == Archivo(
        archivo.id, "image/jpeg", archivo.tamano
    )
    assert await archivos.leer(archivo.id) == (b"vuelve" * TAMANO_TROZO, "image/jpeg")


# ---------------------------------------------------------------- corruption (per adapter)


@CON_TROZOS
async def test_un_trozo_faltante_se_reporta_como_corrupcion(banco: Banco) -> None:
    trozos = documentos(banco)
    contenido = b"abc" * TAMANO_TROZO
    archivo = await banco.archivos.guardar(contenido, tipo="application/pdf")
    assert await trozos.delete(f"{archivo.id}:00001")
    with pytest.raises(ArchivoCorrupto, match="trozo 1"):
        await banco.archivos.leer(archivo.id)


@CON_TROZOS
async def test_un_trozo_alterado_se_reporta_como_corrupcion(banco: Banco) -> None:
    trozos = documentos(banco)
    archivo = await banco.archivos.guardar(b"original", tipo="text/plain")
    await trozos.delete(f"{archivo.id}:00000")
    await trozos.insert(
        {"_id": f"{archivo.id}:00000", "datos": base64.b64encode(b"alterado").decode()}
    )
    with pytest.raises(ArchivoCorrupto, match="sha256"):
        await banco.archivos.leer(archivo.id)


@CON_TROZOS
async def test_trozos_de_una_escritura_interrumpida_no_son_un_archivo(banco: Banco) -> None:
    trozos = documentos(banco)
    contenido = b"a medias"
    await trozos.insert({"_id": f"{sha(contenido)}:00000", "datos": "basura"})
    assert not await banco.archivos.existe(sha(contenido))
    archivo = await banco.archivos.guardar(contenido, tipo="text/plain")
    assert await banco.archivos.leer(archivo.id) == (contenido, "text/plain")
    await banco.archivos.borrar(archivo.id)
    assert await trozos.count() == 0


async def test_en_directorio_un_archivo_alterado_se_reporta_como_corrupcion(
    tmp_path: pathlib.Path,
) -> None:
    archivos = DirectorioArchivos(tmp_path)
    archivo = await archivos.guardar(b"original", tipo="text/plain")
    ruta = tmp_path / archivo.id[:2] / archivo.id[2:]
    assert ruta.read_bytes() == b"original"
    ruta.write_bytes(b"alterado")
    with pytest.raises(ArchivoCorrupto, match="sha256"):
        await archivos.leer(archivo.id)


async def test_en_directorio_un_archivo_sin_su_tipo_se_reporta_como_corrupcion(
    tmp_path: pathlib.Path,
) -> None:
    archivos = DirectorioArchivos(tmp_path)
    archivo = await archivos.guardar(b"original", tipo="text/plain")
    (tmp_path / archivo.id[:2] / f"{archivo.id[2:]}.tipo").unlink()
    with pytest.raises(ArchivoCorrupto, match="tipo"):
        await archivos.leer(archivo.id)


async def test_en_directorio_no_quedan_temporales_tras_guardar(tmp_path: pathlib.Path) -> None:
    archivos = DirectorioArchivos(tmp_path)
    archivo = await archivos.guardar(b"limpio", tipo="text/plain")
    nombres = sorted(p.name for p in (tmp_path / archivo.id[:2]).iterdir())
    assert nombres == [archivo.id[2:], f"{archivo.id[2:]}.tipo"]
