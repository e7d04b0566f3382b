"""Credential delivery: packages, resets, loss reports, deliveries and the receipt files."""

import csv
import io
import re
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from comun.bus import outbox
from comun.eventos import SISTEMA, Actor, CandidaturaRegistrada, EleccionCargada
from comun.eventos.captura import Participante as ParticipanteEvento
from comun.roles import Rol
from comun.store.sqlite import SqliteStore, open_sqlite
from identidad.adapters import (
    Componentes,
    CuentaRepository,
    Hasher,
    LlaveroLocal,
    ProveedorLocal,
    acuse,
    acuse_pdf,
)
from identidad.adapters.gestion import Gestion
from identidad.config import Settings
from identidad.domain import EstadoCuenta
from identidad.domain.gestion import (
    Conflicto,
    CuentaPaquete,
    EstadoPaquete,
    MotivoClave,
    Paquete,
    ParticipanteDesconocido,
)
from identidad.handlers import cuentas, entregas

AHORA = datetime(2024, 4, 10, 16, 0, tzinfo=UTC)
ADMIN = Actor(usuario="admin", rol="administrador")
ELECCION = EleccionCargada(
    eleccion="edomex-2024",
    nombre="Elección 2024",
    partidos=(ParticipanteEvento(clave="PAN", nombre="Partido Acción Nacional"),),
    independientes=(ParticipanteEvento(clave="IND-01", nombre="Planilla de Temamatla"),),
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "identidad.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def hasher() -> Hasher:
    return Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def repo(store: SqliteStore) -> CuentaRepository:
    cuentas_locales = CuentaRepository(store.collection("cuentas"))
    await cuentas_locales.crear_indices()
    return cuentas_locales


@pytest.fixture
async def gestion(
    store: SqliteStore, repo: CuentaRepository, hasher: Hasher, tmp_path: Path
) -> Gestion:
    settings = Settings()
    componentes = Componentes(
        settings=settings,
        llavero=LlaveroLocal(tmp_path / "clave.pem", secreto=settings.plataforma.clave_secreta),
        hasher=hasher,
    )
    componentes.repo = repo
    proveedor = ProveedorLocal(componentes)
    lista = Gestion.de_store(store, proveedor=lambda: proveedor, avisar=lambda: None)
    await lista.preparar()
    await cuentas.conocer_eleccion(gestion=lista, datos=ELECCION)
    await cuentas.crear_cuentas_partido(
        gestion=lista, siglas="PAN", cantidad=2, por_defecto=3, actor=ADMIN, ahora=AHORA
    )
    await cuentas.crear_cuenta_candidatura(
        gestion=lista,
        datos=CandidaturaRegistrada.model_validate(
            {
                "candidatura_id": "DL-MR-06-PAN-P",
                "version": 1,
                "eleccion": "edomex-2024",
                "nombre": "Brisa Álvarez Rendón",
                "cargo": "diputacion_local",
                "principio": "MR",
                "tipo_candidatura": "propietaria",
                "postulante": "partido",
                "partido": "PAN",
                "sexo": "mujer",
            }
        ),
        actor=SISTEMA,
        ahora=AHORA,
    )
    return lista


async def eventos(store: SqliteStore, tipo: str) -> list[dict[str, Any]]:
    """Data of the events of one type waiting in the packages' and records' outboxes."""
    resultado = []
    for coleccion in ("paquetes", "fichas"):
        for doc in await store.collection(coleccion).find({}):
            for pendiente in outbox.pendientes(doc):
                if pendiente["evento"]["type"].split(".")[3] == tipo:
                    resultado.append(pendiente["evento"]["data"])
    return resultado


async def generar(gestion: Gestion, *, ahora: datetime = AHORA, reemitir: bool = False) -> Any:
    return await entregas.generar_paquete(
        gestion=gestion, participante="PAN", actor=ADMIN, ahora=ahora, reemitir=reemitir
    )


async def entregar(gestion: Gestion, folio: str, *, momento: datetime = AHORA) -> Paquete:
    return await entregas.registrar_entrega(
        gestion=gestion,
        folio=folio,
        recibio="María Fernanda Ruiz",
        momento=momento,
        actor=ADMIN,
        ahora=momento,
    )


async def test_el_paquete_del_partido_trae_sus_cuentas_con_claves_que_sirven(
    gestion: Gestion, repo: CuentaRepository, hasher: Hasher
) -> None:
    generado = await generar(gestion)

    assert [c.usuario for c in generado.paquete.cuentas] == [
        "pan.captura.01",
        "pan.captura.02",
        "cand.dl-mr-06-pan-p",
    ]
    assert set(generado.claves) == generado.paquete.usuarios
    cuenta = await repo.por_usuario("pan.captura.01")
    assert cuenta is not None
    assert await hasher.verificar(cuenta.hash_clave, generado.claves["pan.captura.01"])
    assert cuenta.debe_cambiar_clave


async def test_las_claves_no_se_guardan_en_el_paquete(gestion: Gestion, store: SqliteStore) -> None:
    generado = await generar(gestion)

    guardado = str(await store.collection("paquetes").find({}))

    assert all(clave not in guardado for clave in generado.claves.values())


async def test_generar_deja_clave_restablecida_con_motivo_entrega_la_primera_vez(
    gestion: Gestion, store: SqliteStore
) -> None:
    await generar(gestion)

    restablecidas = await eventos(store, "clave_restablecida")

    assert len(restablecidas) == 3
    assert {d["motivo"] for d in restablecidas} == {"entrega"}


async def test_volver_a_generar_antes_de_entregar_reemplaza_el_paquete_anterior(
    gestion: Gestion,
) -> None:
    primero = await generar(gestion)
    segundo = await generar(gestion, ahora=AHORA + timedelta(minutes=5))

    anterior = await gestion.paquetes.por_folio(primero.paquete.folio)
    assert anterior is not None and anterior.estado is EstadoPaquete.REEMPLAZADO
    assert {c.motivo for c in segundo.paquete.cuentas} == {MotivoClave.REENTREGA}
    with pytest.raises(Conflicto, match="reemplazado"):
        await entregar(gestion, primero.paquete.folio, momento=AHORA + timedelta(minutes=6))


async def test_la_entrega_emite_credenciales_entregadas_por_cada_cuenta(
    gestion: Gestion, store: SqliteStore
) -> None:
    generado = await generar(gestion)
    momento = AHORA + timedelta(hours=1)

    paquete = await entregar(gestion, generado.paquete.folio, momento=momento)

    entregadas = await eventos(store, "credenciales_entregadas")
    assert paquete.estado is EstadoPaquete.ENTREGADO
    assert {d["nombre_usuario"] for d in entregadas} == generado.paquete.usuarios
    individual = next(d for d in entregadas if d["candidatura_id"])
    assert (individual["rol"], individual["partido"]) == ("candidatura", "PAN")
    assert {datetime.fromisoformat(d["entregadas_en"]) for d in entregadas} == {momento}


async def test_sin_cuentas_pendientes_hay_que_reemitir_y_reemitir_las_incluye_todas(
    gestion: Gestion, store: SqliteStore
) -> None:
    generado = await generar(gestion)
    await entregar(gestion, generado.paquete.folio)

    with pytest.raises(Conflicto, match="Reemitir"):
        await generar(gestion, ahora=AHORA + timedelta(minutes=1))
    otra = await generar(gestion, ahora=AHORA + timedelta(minutes=2), reemitir=True)

    assert otra.paquete.usuarios == generado.paquete.usuarios
    assert otra.paquete.motivo is MotivoClave.REENTREGA
    assert [d["motivo"] for d in await eventos(store, "clave_restablecida")].count("reentrega") == 3


async def test_una_cuenta_nueva_tras_la_entrega_va_sola_en_el_siguiente_paquete(
    gestion: Gestion,
) -> None:
    generado = await generar(gestion)
    await entregar(gestion, generado.paquete.folio)
    await cuentas.crear_cuentas_partido(
        gestion=gestion, siglas="PAN", cantidad=1, por_defecto=3, actor=ADMIN, ahora=AHORA
    )

    siguiente = await generar(gestion, ahora=AHORA + timedelta(minutes=1))

    assert siguiente.paquete.usuarios == {"pan.captura.03"}
    assert siguiente.paquete.motivo is MotivoClave.ENTREGA


async def test_un_participante_desconocido_da_422(gestion: Gestion) -> None:
    with pytest.raises(ParticipanteDesconocido):
        await entregas.generar_paquete(
            gestion=gestion, participante="XYZ", actor=ADMIN, ahora=AHORA
        )


async def test_una_independiente_sin_cuentas_activas_lo_dice(gestion: Gestion) -> None:
    with pytest.raises(Conflicto, match="no tiene cuentas activas"):
        await entregas.generar_paquete(
            gestion=gestion, participante="IND-01", actor=ADMIN, ahora=AHORA
        )


async def test_restablecer_una_cuenta_deshabilitada_se_rechaza(gestion: Gestion) -> None:
    await cuentas.deshabilitar_cuenta(
        gestion=gestion, usuario="pan.captura.01", motivo="Baja", actor=ADMIN
    )

    with pytest.raises(Conflicto, match="deshabilitada"):
        await entregas.paquete_de_cuenta(
            gestion=gestion, usuario="pan.captura.01", actor=ADMIN, ahora=AHORA
        )


async def test_restablecer_da_un_paquete_de_una_cuenta_con_motivo_restablecimiento(
    gestion: Gestion, store: SqliteStore
) -> None:
    await entregar(gestion, (await generar(gestion)).paquete.folio)

    generado = await entregas.paquete_de_cuenta(
        gestion=gestion, usuario="pan.captura.02", actor=ADMIN, ahora=AHORA
    )

    assert generado.paquete.usuarios == {"pan.captura.02"}
    assert generado.paquete.motivo is MotivoClave.RESTABLECIMIENTO
    assert generado.paquete.folio.startswith("pan.captura.02-")


async def test_el_extravio_deshabilita_al_momento_y_la_entrega_del_nuevo_paquete_habilita(
    gestion: Gestion, repo: CuentaRepository
) -> None:
    await entregar(gestion, (await generar(gestion)).paquete.folio)

    generado = await entregas.reportar_extravio(
        gestion=gestion,
        usuario="pan.captura.01",
        descripcion="Se perdió el acuse",
        actor=ADMIN,
        ahora=AHORA,
    )
    durante = await repo.por_usuario("pan.captura.01")
    await entregar(gestion, generado.paquete.folio)
    despues = await repo.por_usuario("pan.captura.01")

    assert generado.paquete.motivo is MotivoClave.EXTRAVIO
    assert durante is not None and durante.estado is EstadoCuenta.DESHABILITADA
    assert durante.motivo_deshabilitada is not None
    assert "Se perdió el acuse" in durante.motivo_deshabilitada
    assert despues is not None and despues.estado is EstadoCuenta.ACTIVA


async def test_el_resumen_cuenta_las_activas_y_las_pendientes(gestion: Gestion) -> None:
    antes = {r.participante.clave: r for r in await entregas.resumen_entregas(gestion=gestion)}
    await entregar(gestion, (await generar(gestion)).paquete.folio)
    despues = {r.participante.clave: r for r in await entregas.resumen_entregas(gestion=gestion)}

    assert (antes["PAN"].activas, antes["PAN"].pendientes) == (3, 3)
    assert (despues["PAN"].activas, despues["PAN"].pendientes) == (3, 0)
    assert despues["PAN"].ultimo is not None
    assert despues["IND-01"].activas == 0


def paquete_de_prueba(nombre: str = "Begoña Núñez Peña") -> Paquete:
    return Paquete.generar(
        clave="PAN",
        destinatario="Partido PAN — Partido Acción Nacional",
        cuentas=[
            CuentaPaquete(
                usuario=f"pan.captura.{n:02d}",
                nombre=nombre,
                rol=Rol.PARTIDO,
                cuenta_id=str(n),
                motivo=MotivoClave.ENTREGA,
                partido="PAN",
            )
            for n in range(1, 61)
        ],
        motivo=MotivoClave.ENTREGA,
        ahora=AHORA,
        generado_por="admin",
        participante="PAN",
    )


def claves_de(paquete: Paquete) -> dict[str, str]:
    return {c.usuario: f"abcd-efgh-{c.cuenta_id:0>4}" for c in paquete.cuentas}


def test_el_acuse_es_un_pdf_de_varias_paginas_con_fuente_que_lleva_acentos() -> None:
    paquete = paquete_de_prueba()

    pdf = acuse.acuse_pdf(
        paquete=paquete,
        claves=claves_de(paquete),
        institucion="Instituto Electoral del Estado de México",
        area="Unidad de Transparencia",
    )

    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/Count ([2-9]|\d\d)", pdf)
    if acuse_pdf._dejavu() is not None:
        assert b"DejaVu" in pdf


def test_sin_dejavu_el_acuse_usa_las_fuentes_del_pdf_con_latin_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(acuse_pdf, "_dejavu", lambda: None)
    paquete = paquete_de_prueba("Xóchitl Ñuñez 𝒜")

    pdf = acuse.acuse_pdf(
        paquete=paquete, claves=claves_de(paquete), institucion="Instituto", area="UT"
    )

    assert pdf.startswith(b"%PDF")
    assert b"Helvetica" in pdf


def test_el_csv_lleva_las_claves_y_neutraliza_formulas() -> None:
    paquete = paquete_de_prueba('=HYPERLINK("http://x")')

    contenido = acuse.acuse_csv(paquete=paquete, claves=claves_de(paquete))

    assert contenido.startswith("\ufeff".encode())
    filas = list(csv.DictReader(io.StringIO(contenido.decode("utf-8-sig"))))
    assert filas[0]["nombre"].startswith("'=")
    assert filas[0]["contrasena_temporal"] == "abcd-efgh-0001"
    assert filas[0]["rol"] == "Captura (partido)"


def test_el_zip_trae_el_pdf_y_el_csv_con_el_folio_en_el_nombre() -> None:
    paquete = paquete_de_prueba()

    contenido = acuse.paquete_zip(paquete=paquete, pdf=b"%PDF-1.4", csv=b"usuario\n")

    nombres = sorted(zipfile.ZipFile(io.BytesIO(contenido)).namelist())
    assert nombres == [
        "acuse-pan-20240410-160000-000.csv",
        "acuse-pan-20240410-160000-000.pdf",
    ]
