"""identidad follows captura's events on the bus: catalog, registrations, substitutions."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from comun.bus.memoria import InMemoryBus
from comun.eventos import (
    SISTEMA,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    EleccionCargada,
    nuevo_evento,
)
from comun.eventos.captura import Participante
from comun.servicios import Servicio, topic
from comun.store.sqlite import SqliteStore, open_sqlite
from identidad import consumer
from identidad.adapters import Componentes, CuentaRepository, Hasher, LlaveroLocal, ProveedorLocal
from identidad.adapters.gestion import Gestion
from identidad.config import Settings
from identidad.domain import EstadoCuenta

CAPTURA = topic(Servicio.CAPTURA)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    abierto = await open_sqlite(tmp_path / "identidad.db")
    yield abierto
    await abierto.close()


@pytest.fixture
async def repo(store: SqliteStore) -> CuentaRepository:
    cuentas = CuentaRepository(store.collection("cuentas"))
    await cuentas.crear_indices()
    return cuentas


@pytest.fixture
async def bus(
    store: SqliteStore, repo: CuentaRepository, tmp_path: Path
) -> AsyncIterator[InMemoryBus]:
    settings = Settings()
    componentes = Componentes(
        settings=settings,
        llavero=LlaveroLocal(tmp_path / "clave.pem", secreto=settings.plataforma.clave_secreta),
        hasher=Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)),
    )
    componentes.repo = repo
    proveedor = ProveedorLocal(componentes)
    gestion = Gestion.de_store(store, proveedor=lambda: proveedor, avisar=lambda: None)
    await gestion.preparar()
    en_memoria = InMemoryBus(max_attempts=1)
    consumer.suscribir_eventos(en_memoria, gestion)
    await en_memoria.start()
    yield en_memoria
    await en_memoria.stop()


def registrada(candidatura_id: str, **cambios: Any) -> CandidaturaRegistrada:
    return CandidaturaRegistrada.model_validate(
        {
            "candidatura_id": candidatura_id,
            "version": 1,
            "eleccion": "edomex-2024",
            "nombre": "Luis Fernando Ambrosio Flores",
            "cargo": "regiduria",
            "principio": "MR",
            "tipo_candidatura": "propietaria",
            "postulante": "independiente",
            "partido": None,
            "nombre_postulante": "Luis Fernando Ambrosio Flores",
            "sexo": "hombre",
            **cambios,
        }
    )


async def publicar(bus: InMemoryBus, datos: Any, subject: str) -> None:
    await bus.publish(CAPTURA, nuevo_evento(datos, subject=subject, actor=SISTEMA, accion="x"))


async def test_una_candidatura_registrada_dos_veces_tiene_una_sola_cuenta(
    bus: InMemoryBus, repo: CuentaRepository, store: SqliteStore
) -> None:
    datos = registrada("AY-15010-RM01-IND-01-P")

    await publicar(bus, datos, datos.candidatura_id)
    await publicar(bus, datos, datos.candidatura_id)

    cuenta = await repo.por_usuario("cand.ay-15010-rm01-ind-01-p")
    assert cuenta is not None
    assert cuenta.candidatura == "AY-15010-RM01-IND-01-P"
    assert cuenta.partido is None
    assert await store.collection("fichas").count({}) == 1
    assert not bus.dead_lettered


async def test_el_catalogo_da_a_las_independientes_su_paquete(
    bus: InMemoryBus, store: SqliteStore
) -> None:
    datos = registrada("AY-15010-RM01-IND-01-P")
    await publicar(bus, datos, datos.candidatura_id)
    catalogo = EleccionCargada(
        eleccion="edomex-2024",
        nombre="Elección",
        partidos=(Participante(clave="PAN", nombre="Partido Acción Nacional"),),
        independientes=(Participante(clave="IND-01", nombre="Luis Fernando Ambrosio Flores"),),
    )

    await publicar(bus, catalogo, "edomex-2024")

    ficha = await store.collection("fichas").get("cand.ay-15010-rm01-ind-01-p")
    assert ficha is not None and ficha["participante"] == "IND-01"
    assert await store.collection("participantes").count({}) == 2


@pytest.mark.parametrize(
    "baja",
    [
        CandidaturaSustituida(
            candidatura_id="DL-01-PAN-P", version=2, sustituta_id="DL-01-PAN-P-2"
        ),
        CandidaturaCancelada(candidatura_id="DL-01-PAN-P", version=2),
    ],
)
async def test_sustituida_o_cancelada_la_cuenta_queda_deshabilitada(
    bus: InMemoryBus, repo: CuentaRepository, baja: Any
) -> None:
    alta = registrada("DL-01-PAN-P", partido="PAN", postulante="partido")
    await publicar(bus, alta, alta.candidatura_id)

    await publicar(bus, baja, baja.candidatura_id)
    await publicar(bus, baja, baja.candidatura_id)

    cuenta = await repo.por_usuario("cand.dl-01-pan-p")
    assert cuenta is not None and cuenta.estado is EstadoCuenta.DESHABILITADA
    assert cuenta.motivo_deshabilitada is not None
    assert "registro" in cuenta.motivo_deshabilitada
    assert not bus.dead_lettered
