"""nuevo_evento wraps event data in a complete CloudEvents envelope."""

import uuid
from datetime import UTC, datetime, timedelta

from comun.eventos import SISTEMA, Actor, DatosEvento, Evento, nuevo_evento
from comun.servicios import Servicio

SUPERVISOR = Actor(usuario="u-17", rol="supervisor", partido="PAN")


class PruebaHecha(DatosEvento):
    """Test-only event."""

    SERVICIO = Servicio.VALIDACION
    NOMBRE = "prueba_hecha"

    candidatura_id: str
    cuando: datetime


class PruebaHechaV2(PruebaHecha):
    """Test-only event, second version."""

    VERSION = 2


DATOS = PruebaHecha(candidatura_id="DL-MR-01-PAN-P", cuando=datetime(2024, 4, 22, 17, tzinfo=UTC))


def _evento(**cambios: str) -> Evento:
    argumentos = {"subject": "DL-MR-01-PAN-P", "accion": "validar_candidatura", **cambios}
    return nuevo_evento(DATOS, actor=SUPERVISOR, **argumentos)


def test_el_tipo_nombra_servicio_evento_y_version() -> None:
    assert _evento().type == "mx.conoceles.validacion.prueba_hecha.v1"


def test_el_tipo_lleva_la_version_del_modelo() -> None:
    datos = PruebaHechaV2.model_validate(DATOS.model_dump())
    evento = nuevo_evento(datos, subject="x", actor=SISTEMA, accion="probar")
    assert evento.type == "mx.conoceles.validacion.prueba_hecha.v2"


def test_el_id_es_uuidv7() -> None:
    id_evento = uuid.UUID(_evento().id)
    assert id_evento.variant == uuid.RFC_4122
    assert id_evento.version == 7


def test_los_ids_ordenan_como_se_crearon_los_eventos() -> None:
    ids = [_evento().id for _ in range(200)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_el_source_es_el_servicio_productor() -> None:
    assert _evento().source == "/validacion"


def test_lleva_subject_y_las_extensiones_de_auditoria() -> None:
    evento = _evento(modulo="revision")
    assert evento.subject == "DL-MR-01-PAN-P"
    assert evento.actor == SUPERVISOR
    assert evento.modulo == "revision"
    assert evento.accion == "validar_candidatura"


def test_el_modulo_por_omision_es_el_servicio() -> None:
    assert _evento().modulo == "validacion"


def test_la_hora_es_la_actual_en_utc() -> None:
    antes = datetime.now(UTC)
    evento = _evento()
    assert evento.time.tzinfo is not None
    assert antes <= evento.time <= datetime.now(UTC) + timedelta(seconds=1)


def test_los_datos_viajan_como_json() -> None:
    evento = _evento()
    assert evento.data == {"candidatura_id": "DL-MR-01-PAN-P", "cuando": "2024-04-22T17:00:00Z"}
    assert evento.specversion == "1.0"
    assert evento.datacontenttype == "application/json"


def test_el_evento_sobrevive_la_ida_y_vuelta_por_json() -> None:
    evento = _evento()
    assert Evento.model_validate_json(evento.model_dump_json()) == evento
