"""Contract of the EventBus port: every adapter must pass it unchanged."""

from collections import Counter, defaultdict

import pytest

from comun.bus.port import BusUnavailableError, EventHandler
from comun.eventos import Evento
from comun.servicios import Servicio, consumer_group, dlq_topic, topic

from .bus_fixtures import BusHarness, bus_harness, esperar, evento_prueba, numero

__all__ = ["bus_harness"]

TOPIC = topic(Servicio.CAPTURA)
PUBLICACION = consumer_group(Servicio.PUBLICACION)
AUDITORIA = consumer_group(Servicio.AUDITORIA)


class Registro:
    """A handler that records what it receives, optionally failing on chosen attempts."""

    def __init__(self, *, fallar: int = 0, siempre_falla: int | None = None) -> None:
        self.recibidos: list[Evento] = []
        self.intentos: Counter[str] = Counter()
        self._fallar = fallar
        self._siempre_falla = siempre_falla

    async def __call__(self, evento: Evento) -> None:
        self.intentos[evento.id] += 1
        if numero(evento) == self._siempre_falla:
            raise RuntimeError(f"falla simulada con n={numero(evento)}")
        if self.intentos[evento.id] <= self._fallar:
            raise RuntimeError("falla pasajera simulada")
        self.recibidos.append(evento)

    def de(self, eventos: list[Evento]) -> list[Evento]:
        """What was received among the given events (other tests may share the topic)."""
        ids = {e.id for e in eventos}
        return [e for e in self.recibidos if e.id in ids]


async def publicar(
    bus_harness: BusHarness,
    handlers: dict[str, EventHandler],
    eventos: list[Evento],
    *,
    max_attempts: int = 3,
) -> None:
    """Start a bus with the handlers subscribed to TOPIC by group and publish the events."""
    bus = bus_harness.crear(max_attempts=max_attempts)
    for group, handler in handlers.items():
        bus.subscribe(TOPIC, group=group, handler=handler)
    await bus.start()
    for evento in eventos:
        await bus.publish(TOPIC, evento)


async def test_cada_grupo_recibe_cada_evento_una_vez(bus_harness: BusHarness) -> None:
    registro = Registro()
    eventos = [evento_prueba("c-1", n) for n in range(10)]

    await publicar(bus_harness, {PUBLICACION: registro}, eventos)

    await esperar(lambda: len(registro.de(eventos)) >= len(eventos))
    assert sorted(e.id for e in registro.de(eventos)) == sorted(e.id for e in eventos)


async def test_dos_grupos_reciben_cada_uno_el_evento(bus_harness: BusHarness) -> None:
    publicacion, auditoria = Registro(), Registro()
    eventos = [evento_prueba("c-1", 0)]

    await publicar(bus_harness, {PUBLICACION: publicacion, AUDITORIA: auditoria}, eventos)

    await esperar(lambda: bool(publicacion.de(eventos)) and bool(auditoria.de(eventos)))
    assert publicacion.de(eventos) == eventos
    assert auditoria.de(eventos) == eventos


async def test_un_topic_sin_suscriptores_acepta_eventos(bus_harness: BusHarness) -> None:
    registro = Registro()
    bus = bus_harness.crear()
    bus.subscribe(TOPIC, group=PUBLICACION, handler=registro)
    await bus.start()
    ajeno = evento_prueba("c-1", 0)

    await bus.publish(topic(Servicio.ESTADISTICA), ajeno)
    propio = evento_prueba("c-1", 1)
    await bus.publish(TOPIC, propio)

    await esperar(lambda: bool(registro.de([propio])))
    assert registro.de([ajeno]) == []


async def test_los_eventos_de_un_mismo_subject_llegan_en_orden(bus_harness: BusHarness) -> None:
    registro = Registro()
    eventos = [evento_prueba(f"c-{n % 3}", n) for n in range(30)]

    await publicar(bus_harness, {PUBLICACION: registro}, eventos)

    await esperar(lambda: len(registro.de(eventos)) >= len(eventos))
    por_subject: dict[str, list[int]] = defaultdict(list)
    for evento in registro.de(eventos):
        por_subject[evento.subject].append(numero(evento))
    assert por_subject == {f"c-{s}": [n for n in range(30) if n % 3 == s] for s in range(3)}


async def test_un_manejador_que_falla_se_reintenta_hasta_tener_exito(
    bus_harness: BusHarness,
) -> None:
    registro = Registro(fallar=2)
    eventos = [evento_prueba("c-1", 0)]

    await publicar(bus_harness, {PUBLICACION: registro}, eventos, max_attempts=3)

    await esperar(lambda: bool(registro.de(eventos)))
    assert registro.de(eventos) == eventos
    assert registro.intentos[eventos[0].id] == 3
    assert await bus_harness.cartas_muertas(dlq_topic(Servicio.PUBLICACION)) == []


async def test_agotados_los_reintentos_el_evento_va_a_cartas_muertas_y_sigue_el_siguiente(
    bus_harness: BusHarness,
) -> None:
    registro = Registro(siempre_falla=0)
    fallido, siguiente = evento_prueba("c-1", 0), evento_prueba("c-1", 1)
    dlq = dlq_topic(Servicio.PUBLICACION)

    await publicar(bus_harness, {PUBLICACION: registro}, [fallido, siguiente], max_attempts=2)

    await esperar(lambda: bool(registro.de([siguiente])))
    cartas = [c for c in await bus_harness.cartas_muertas(dlq) if c.evento_id == fallido.id]
    assert len(cartas) == 1
    assert "falla simulada con n=0" in cartas[0].error
    assert registro.intentos[fallido.id] == 2
    assert registro.de([fallido]) == []


async def test_publicar_antes_de_iniciar_falla_con_un_mensaje_claro(
    bus_harness: BusHarness,
) -> None:
    bus = bus_harness.crear()

    with pytest.raises(BusUnavailableError) as error:
        await bus.publish(TOPIC, evento_prueba("c-1", 0))
    assert str(error.value)


async def test_publicar_despues_de_detener_falla(bus_harness: BusHarness) -> None:
    bus = bus_harness.crear()
    await bus.start()
    await bus.stop()

    with pytest.raises(BusUnavailableError):
        await bus.publish(TOPIC, evento_prueba("c-1", 0))


async def test_ping_falla_antes_de_iniciar_y_responde_despues(bus_harness: BusHarness) -> None:
    bus = bus_harness.crear()
    with pytest.raises(BusUnavailableError):
        await bus.ping()

    await bus.start()

    await bus.ping()


async def test_un_grupo_que_no_es_de_un_servicio_se_rechaza(bus_harness: BusHarness) -> None:
    bus = bus_harness.crear()

    with pytest.raises(ValueError, match="Grupo de consumo desconocido"):
        bus.subscribe(TOPIC, group="cualquiera", handler=Registro())
