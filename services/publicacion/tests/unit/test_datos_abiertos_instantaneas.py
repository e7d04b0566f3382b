"""Open-data snapshots on the SQLite store and a file folder: generation, signature, reuse."""

import base64
import hashlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from comun.archivos.directorio import DirectorioArchivos
from comun.eventos import CandidaturaRegistrada, muestra
from comun.store.sqlite import SqliteStore, open_sqlite
from publicacion import adapters_datos, handlers_datos
from publicacion.adapters import Cargado, PerfilRepository
from publicacion.adapters_datos import AlmacenPiezas, Instantanea, InstantaneaRepository
from publicacion.domain import Perfil
from publicacion.domain import datos_abiertos as da
from publicacion.domain.formato_ine import ContextoEleccion
from publicacion.firma import Firmante, verificar

SECRETO = "secreto-de-pruebas-de-los-datos-abiertos-de-publicacion"
ELECCION = ContextoEleccion(eleccion="edomex-2024", entidad="Estado de México")


def registro(candidatura_id: str) -> dict[str, Any]:
    datos = muestra("mx.conoceles.captura.candidatura_registrada.v1").data
    return CandidaturaRegistrada.model_validate(
        {**datos, "candidatura_id": candidatura_id}
    ).model_dump()


def perfil(candidatura_id: str, *, publico: bool = True, propuesta: str = "Agua") -> Perfil:
    nuevo = Perfil(candidatura_id)
    nuevo.conocer_registro(datos=registro(candidatura_id), version=1)
    if publico:
        curricular = muestra("mx.conoceles.validacion.candidatura_publicable.v1").data
        nuevo.hacer_publicable(
            curricular={**curricular["curricular"], "propuesta_1": propuesta},
            identidad={"joven": "Sí"},
            version=1,
            momento="2024-05-13T06:00:00+00:00",
        )
    return nuevo


class Entorno:
    """The read model, the snapshots and the handler's arguments."""

    def __init__(self, store: SqliteStore, carpeta: Path) -> None:
        self.perfiles = PerfilRepository(store)
        self.instantaneas = InstantaneaRepository(store)
        self.archivos = DirectorioArchivos(carpeta / "archivos")
        self.almacen = AlmacenPiezas(self.archivos)
        self.firmante = Firmante(SECRETO)

    async def guardar(self, nuevo: Perfil) -> None:
        cargado = await self.perfiles.cargar(nuevo.candidatura_id)
        cargado = Cargado(nuevo, cargado.previo, cargado.version_publica)
        await self.perfiles.guardar(cargado, version_publica=cargado.version_publica)

    async def actualizar(
        self, *, forzar: bool = False, replica: str = "a"
    ) -> handlers_datos.Resultado | None:
        return await handlers_datos.actualizar_datos_abiertos(
            perfiles=self.perfiles, instantaneas=self.instantaneas, almacen=self.almacen,
            firmante=self.firmante, eleccion=ELECCION, replica=replica, forzar=forzar,
        )  # fmt: skip

    async def actual(self) -> Instantanea:
        instantanea = await self.instantaneas.actual()
        assert instantanea is not None
        return instantanea

    async def contenido(self, nombre: str) -> bytes:
        archivo = (await self.actual()).archivo(nombre)
        assert archivo is not None
        return b"".join([trozo async for trozo in self.almacen.leer(archivo.piezas)])


@pytest.fixture
async def entorno(tmp_path: Path) -> AsyncIterator[Entorno]:
    store = await open_sqlite(tmp_path / "publicacion.db")
    yield Entorno(store, tmp_path)
    await store.close()


async def test_la_primera_generacion_publica_cada_archivo_con_su_sha256(entorno: Entorno) -> None:
    await entorno.guardar(perfil("DL-MR-01-PAN-P"))
    resultado = await entorno.actualizar()
    assert resultado is not None and resultado.nueva
    assert resultado.filas == {"curricular": 1, "identidad": 1}
    actual = await entorno.actual()
    assert [a.nombre for a in actual.archivos] == [a.nombre for a in da.ARCHIVOS]
    for archivo in actual.archivos:
        contenido = await entorno.contenido(archivo.nombre)
        assert hashlib.sha256(contenido).hexdigest() == archivo.sha256
        assert len(contenido) == archivo.tamano


async def test_el_manifiesto_lista_cada_archivo_con_tamano_sha256_y_filas(
    entorno: Entorno,
) -> None:
    await entorno.guardar(perfil("DL-MR-01-PAN-P"))
    await entorno.actualizar()
    actual = await entorno.actual()
    manifiesto = json.loads(actual.manifiesto)
    assert manifiesto["generado_en"] == actual.generado_en
    assert manifiesto["filas"] == {"curricular": 1, "identidad": 1}
    assert manifiesto["firma"]["clave_publica_sha256"] == entorno.firmante.huella
    assert {
        a["nombre"]: (a["tamano"], a["sha256"], a["filas"]) for a in manifiesto["archivos"]
    } == {a.nombre: (a.tamano, a.sha256, a.filas) for a in actual.archivos}


async def test_la_firma_del_manifiesto_se_verifica_con_la_clave_publica(entorno: Entorno) -> None:
    await entorno.actualizar()
    actual = await entorno.actual()
    firma = base64.b64decode(actual.firma)
    assert verificar(actual.clave_publica, actual.manifiesto.encode(), firma)


async def test_la_firma_no_se_verifica_si_cambia_un_byte_del_manifiesto(entorno: Entorno) -> None:
    await entorno.actualizar()
    actual = await entorno.actual()
    firma = base64.b64decode(actual.firma)
    manifiesto = bytearray(actual.manifiesto.encode())
    manifiesto[len(manifiesto) // 2] ^= 0x01
    assert not verificar(actual.clave_publica, bytes(manifiesto), firma)


def test_la_clave_de_firma_se_deriva_del_secreto_con_hkdf() -> None:
    semilla = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"conoceles-datos-abiertos"
    ).derive(SECRETO.encode())
    esperada = Ed25519PrivateKey.from_private_bytes(semilla).public_key()
    pem = esperada.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    assert Firmante(SECRETO).clave_publica_pem == pem
    assert Firmante("otro-secreto-de-la-plataforma").clave_publica_pem != pem


async def test_sin_cambios_en_el_modelo_de_lectura_no_se_regenera(entorno: Entorno) -> None:
    await entorno.guardar(perfil("DL-MR-01-PAN-P"))
    assert await entorno.actualizar() is not None
    assert await entorno.actualizar() is None


async def test_el_mismo_contenido_publico_no_crea_una_instantanea_nueva(entorno: Entorno) -> None:
    await entorno.guardar(perfil("DL-MR-01-PAN-P"))
    await entorno.actualizar()
    primera = await entorno.actual()
    # A candidacy still unpublished changes the read model, not what the public sees.
    await entorno.guardar(perfil("DL-MR-02-PAN-P", publico=False))
    resultado = await entorno.actualizar()
    assert resultado is not None and not resultado.nueva
    segunda = await entorno.actual()
    assert (segunda.generado_en, segunda.manifiesto) == (primera.generado_en, primera.manifiesto)
    assert segunda.revisado_hasta > primera.revisado_hasta
    assert await entorno.actualizar() is None


async def test_regenerar_a_la_fuerza_el_mismo_contenido_tampoco_crea_otra(entorno: Entorno) -> None:
    await entorno.guardar(perfil("DL-MR-01-PAN-P"))
    await entorno.actualizar()
    primera = await entorno.actual()
    resultado = await entorno.actualizar(forzar=True)
    assert resultado is not None and not resultado.nueva
    assert (await entorno.actual()).manifiesto == primera.manifiesto
    assert "xlsx" not in resultado.tiempos, "el libro se escribió sin que cambiara el contenido"


async def test_un_cambio_publico_crea_una_instantanea_nueva(entorno: Entorno) -> None:
    await entorno.guardar(perfil("DL-MR-01-PAN-P", propuesta="Agua"))
    await entorno.actualizar()
    await entorno.guardar(perfil("DL-MR-01-PAN-P", propuesta="Luz"))
    resultado = await entorno.actualizar()
    assert resultado is not None and resultado.nueva
    assert b"Luz" in await entorno.contenido("curricular.csv")
    assert b"Agua" not in await entorno.contenido("curricular.csv")


async def tres_instantaneas(entorno: Entorno) -> list[set[str]]:
    """The pieces of three snapshots with different content, oldest first."""
    piezas: list[set[str]] = []
    for texto in ("Agua", "Luz", "Drenaje"):
        await entorno.guardar(perfil("DL-MR-01-PAN-P", propuesta=texto))
        await entorno.actualizar()
        piezas.append((await entorno.actual()).piezas)
    return piezas


async def test_las_piezas_de_una_instantanea_reemplazada_duran_el_periodo_de_gracia(
    entorno: Entorno,
) -> None:
    primera, segunda, tercera = await tres_instantaneas(entorno)
    for pieza in primera | segunda | tercera:
        assert await entorno.archivos.existe(pieza), "una descarga en curso perdería su archivo"


async def test_pasada_la_gracia_se_borran_las_piezas_que_ya_nadie_usa(
    entorno: Entorno, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adapters_datos, "GRACIA", 0.0)
    primera, segunda, tercera = await tres_instantaneas(entorno)
    solo_primera = primera - segunda - tercera
    assert solo_primera
    for pieza in solo_primera:
        assert not await entorno.archivos.existe(pieza)
    for pieza in segunda | tercera:
        assert await entorno.archivos.existe(pieza)


async def test_un_archivo_grande_se_guarda_en_varias_piezas_y_se_lee_entero(
    entorno: Entorno, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adapters_datos, "TAMANO_PIEZA", 1000)
    await entorno.guardar(perfil("DL-MR-01-PAN-P"))
    await entorno.actualizar()
    archivo = (await entorno.actual()).archivo("curricular.json")
    assert archivo is not None and len(archivo.piezas) > 1
    contenido = await entorno.contenido("curricular.json")
    assert hashlib.sha256(contenido).hexdigest() == archivo.sha256


async def test_mientras_otra_replica_tiene_el_turno_no_se_genera(entorno: Entorno) -> None:
    assert await entorno.instantaneas.tomar_turno("b", ahora=time.time(), duracion=600)
    assert await entorno.actualizar(replica="a") is None
    assert await entorno.instantaneas.actual() is None


async def test_un_turno_vencido_de_otra_replica_ya_no_impide_generar(entorno: Entorno) -> None:
    assert await entorno.instantaneas.tomar_turno("b", ahora=time.time() - 700, duracion=600)
    resultado = await entorno.actualizar(replica="a")
    assert resultado is not None and resultado.nueva


async def test_otra_clave_de_firma_genera_una_instantanea_nueva(entorno: Entorno) -> None:
    await entorno.actualizar()
    entorno.firmante = Firmante("secreto-rotado-de-la-plataforma-de-conoceles")
    resultado = await entorno.actualizar()
    assert resultado is not None and resultado.nueva
    assert (await entorno.actual()).huella_clave == entorno.firmante.huella
