"""TareaPeriodica: rounds at start, after the wait and when woken; failures logged; clean stop."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

import pytest

from comun.tareas import Ronda, TareaPeriodica

NOMBRE = "prueba-tarea"
MENSAJE = "Falló la ronda de prueba"
LARGO_S = 3600.0
CORTO_S = 0.01
LIMITE_S = 5.0


class Rondas:
    """A fake round that counts its calls and lets the test wait for the n-th one."""

    def __init__(self, espera: float | None = None) -> None:
        self.cuantas = 0
        self.espera = espera
        self._cambio = asyncio.Condition()

    async def __call__(self) -> float | None:
        self.cuantas += 1
        async with self._cambio:
            self._cambio.notify_all()
        return self.espera

    async def hasta(self, n: int) -> None:
        """Wait until the n-th round has run."""
        async with asyncio.timeout(LIMITE_S), self._cambio:
            await self._cambio.wait_for(lambda: self.cuantas >= n)


Crear = Callable[..., TareaPeriodica]


@pytest.fixture
async def crear() -> AsyncIterator[Crear]:
    """Started tasks, all stopped at the end of the test."""
    creadas: list[TareaPeriodica] = []

    def crear(
        ronda: Ronda, *, intervalo: float = LARGO_S, registro: logging.Logger | None = None
    ) -> TareaPeriodica:
        tarea = TareaPeriodica(
            NOMBRE, ronda, intervalo=intervalo, mensaje_fallo=MENSAJE, registro=registro
        )
        tarea.iniciar()
        creadas.append(tarea)
        return tarea

    yield crear
    for tarea in creadas:
        await tarea.detener()


def corriendo() -> bool:
    """Whether a loop named NOMBRE is still among the event loop's tasks."""
    return any(t.get_name() == NOMBRE and not t.done() for t in asyncio.all_tasks())


async def test_la_primera_ronda_corre_al_iniciar(crear: Crear) -> None:
    rondas = Rondas()
    crear(rondas)
    await rondas.hasta(1)
    assert rondas.cuantas == 1


async def test_otra_ronda_corre_tras_el_intervalo(crear: Crear) -> None:
    rondas = Rondas()
    crear(rondas, intervalo=CORTO_S)
    await rondas.hasta(3)


async def test_avisar_corre_una_ronda_enseguida(crear: Crear) -> None:
    rondas = Rondas()
    tarea = crear(rondas)
    await rondas.hasta(1)
    tarea.avisar()
    await rondas.hasta(2)


async def test_un_aviso_durante_la_ronda_corre_otra_al_terminarla(crear: Crear) -> None:
    empezo, seguir = asyncio.Event(), asyncio.Event()
    rondas = Rondas()

    async def ronda() -> float | None:
        if rondas.cuantas == 0:
            empezo.set()
            await seguir.wait()
        return await rondas()

    tarea = crear(ronda)
    async with asyncio.timeout(LIMITE_S):
        await empezo.wait()
    tarea.avisar()
    seguir.set()
    await rondas.hasta(2)


async def test_un_fallo_queda_registrado_y_el_ciclo_sigue(
    crear: Crear, caplog: pytest.LogCaptureFixture
) -> None:
    rondas, fallos = Rondas(), [RuntimeError("la base de datos no responde")]

    async def ronda() -> float | None:
        if fallos:
            raise fallos.pop()
        return await rondas()

    with caplog.at_level(logging.ERROR, logger="comun.tareas"):
        crear(ronda, intervalo=CORTO_S)
        await rondas.hasta(1)
    registro = next(r for r in caplog.records if r.name == "comun.tareas")
    assert registro.getMessage() == MENSAJE
    assert registro.exc_info is not None
    assert isinstance(registro.exc_info[1], RuntimeError)


async def test_un_fallo_se_registra_en_el_registro_indicado(
    crear: Crear, caplog: pytest.LogCaptureFixture
) -> None:
    rondas = Rondas()

    async def ronda() -> float | None:
        await rondas()
        raise RuntimeError("la base de datos no responde")

    with caplog.at_level(logging.ERROR, logger="servicio.prueba"):
        crear(ronda, intervalo=CORTO_S, registro=logging.getLogger("servicio.prueba"))
        await rondas.hasta(2)
    assert any(r.name == "servicio.prueba" and r.getMessage() == MENSAJE for r in caplog.records)


async def test_la_espera_que_devuelve_la_ronda_sustituye_al_intervalo(crear: Crear) -> None:
    rondas = Rondas(espera=CORTO_S)
    crear(rondas, intervalo=LARGO_S)
    await rondas.hasta(3)


async def test_detener_durante_la_ronda_la_cancela_y_termina_el_ciclo(crear: Crear) -> None:
    empezo, cancelada = asyncio.Event(), asyncio.Event()

    async def ronda() -> float | None:
        empezo.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelada.set()
            raise
        return None

    tarea = crear(ronda)
    async with asyncio.timeout(LIMITE_S):
        await empezo.wait()
        await tarea.detener()
    assert cancelada.is_set()
    assert not corriendo()


async def test_detener_durante_la_espera_termina_el_ciclo(crear: Crear) -> None:
    rondas = Rondas()
    tarea = crear(rondas)
    await rondas.hasta(1)
    async with asyncio.timeout(LIMITE_S):
        await tarea.detener()
    assert not corriendo()


async def test_detener_termina_aunque_la_ronda_se_trague_la_cancelacion(crear: Crear) -> None:
    empezo = asyncio.Event()

    async def ronda() -> float | None:
        empezo.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()
        return None

    tarea = crear(ronda)
    async with asyncio.timeout(LIMITE_S):
        await empezo.wait()
        await tarea.detener()
    assert not corriendo()


async def test_detener_dos_veces_o_sin_iniciar_no_falla() -> None:
    sin_iniciar = TareaPeriodica(NOMBRE, Rondas(), intervalo=LARGO_S, mensaje_fallo=MENSAJE)
    await sin_iniciar.detener()
    rondas = Rondas()
    tarea = TareaPeriodica(NOMBRE, rondas, intervalo=LARGO_S, mensaje_fallo=MENSAJE)
    tarea.iniciar()
    await rondas.hasta(1)
    await tarea.detener()
    await tarea.detener()
    assert not corriendo()


async def test_detener_cancelado_deja_pasar_la_cancelacion_a_quien_lo_llamo(crear: Crear) -> None:
    empezo = asyncio.Event()

    async def ronda() -> float | None:
        empezo.set()
        try:
            await asyncio.Event().wait()
        finally:
            # Slow to stop: the caller's own cancel arrives while detener() waits.
            await asyncio.sleep(CORTO_S)
        return None

    tarea = crear(ronda)
    async with asyncio.timeout(LIMITE_S):
        await empezo.wait()
    quien_detiene = asyncio.create_task(tarea.detener())
    await asyncio.sleep(0)
    quien_detiene.cancel()
    with pytest.raises(asyncio.CancelledError):
        await quien_detiene
    ciclo = next(t for t in asyncio.all_tasks() if t.get_name() == NOMBRE)
    async with asyncio.timeout(LIMITE_S):
        await asyncio.wait({ciclo})
    assert ciclo.cancelled()
