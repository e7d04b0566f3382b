"""The webhook HTTP sender against a real server on 127.0.0.1: address, redirects, timeouts."""

import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from publicacion.domain.destinos import Destino, analizar_url
from publicacion.webhooks.adapters import EmisorHttp

from .receptor_webhooks import Receptor, Respuesta, receptor_http

CABECERAS = {"content-type": "application/json", "webhook-id": "evt-1"}


@pytest.fixture
def receptor() -> Iterator[Receptor]:
    with receptor_http() as servidor:
        yield servidor


@pytest.fixture
async def emisor(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[EmisorHttp]:
    # A proxy in the environment must not carry the deliveries around the address check.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    abierto = EmisorHttp(espera_s=0.5)
    yield abierto
    await abierto.cerrar()


def destino(url: str, ip: str = "127.0.0.1") -> Destino:
    return Destino(url=analizar_url(url), ip=ip)


async def test_se_conecta_a_la_ip_comprobada_y_el_host_conserva_el_nombre(
    receptor: Receptor, emisor: EmisorHttp
) -> None:
    url = f"http://receptor.prueba:{receptor.puerto}/recibir"
    resultado = await emisor.enviar(destino(url), cabeceras=CABECERAS, cuerpo=b'{"a":1}')
    assert resultado.exito and resultado.codigo == 200 and resultado.error is None
    (recibida,) = receptor.de("/recibir")
    assert recibida.cabeceras["host"] == f"receptor.prueba:{receptor.puerto}"
    assert recibida.cuerpo == b'{"a":1}' and recibida.cabeceras["webhook-id"] == "evt-1"


async def test_una_redireccion_no_se_sigue_y_cuenta_como_fallo(
    receptor: Receptor, emisor: EmisorHttp
) -> None:
    receptor.programar("/redirige", Respuesta(302, {"location": receptor.url("/otro?t=1")}))
    resultado = await emisor.enviar(
        destino(receptor.url("/redirige")), cabeceras=CABECERAS, cuerpo=b"{}"
    )
    assert resultado.codigo == 302 and not resultado.exito
    assert "no se siguen" in (resultado.error or "") and "t=1" not in (resultado.error or "")
    assert receptor.de("/otro") == []


async def test_sin_respuesta_a_tiempo_cuenta_como_fallo(
    receptor: Receptor, emisor: EmisorHttp
) -> None:
    receptor.retenidas["/lento"] = threading.Event()
    resultado = await emisor.enviar(
        destino(receptor.url("/lento")), cabeceras=CABECERAS, cuerpo=b"{}"
    )
    assert resultado.codigo is None and resultado.error == "El receptor no respondió en 0.5 s."


async def test_retry_after_se_toma_de_la_respuesta(receptor: Receptor, emisor: EmisorHttp) -> None:
    receptor.programar("/ocupado", Respuesta(503, {"retry-after": "120"}))
    resultado = await emisor.enviar(
        destino(receptor.url("/ocupado")), cabeceras=CABECERAS, cuerpo=b"{}"
    )
    assert resultado.codigo == 503 and resultado.reintentar_en == 120


async def test_un_puerto_cerrado_es_un_fallo_sin_codigo(emisor: EmisorHttp) -> None:
    resultado = await emisor.enviar(
        destino("http://127.0.0.1:9/nadie"), cabeceras=CABECERAS, cuerpo=b"{}"
    )
    assert resultado.codigo is None and "No se pudo conectar" in (resultado.error or "")


async def test_410_explica_que_el_suscriptor_queda_en_pausa(
    receptor: Receptor, emisor: EmisorHttp
) -> None:
    receptor.programar("/ya-no", 410)
    resultado = await emisor.enviar(
        destino(receptor.url("/ya-no")), cabeceras=CABECERAS, cuerpo=b"{}"
    )
    assert resultado.sin_interes and "pausa" in (resultado.error or "")
