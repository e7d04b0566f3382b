"""HttpJwksSource: caching, rate-limited forced refreshes and an unreachable key server."""

import httpx
import pytest

from comun.auth.jwks import HttpJwksSource, IdentidadNoDisponible

URL = "http://identidad.invalid/api/identidad/v1/jwks.json"


class Reloj:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.ahora = 1000.0

    def __call__(self) -> float:
        return self.ahora


class ServidorDeClaves:
    """A mock JWKS endpoint that counts requests and can fail."""

    def __init__(self) -> None:
        self.peticiones = 0
        self.caido = False
        self.version = 1

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.peticiones += 1
        if self.caido:
            raise httpx.ConnectError("conexión rechazada", request=request)
        return httpx.Response(200, json={"keys": [{"kid": f"k{self.version}"}]})


@pytest.fixture
def servidor() -> ServidorDeClaves:
    return ServidorDeClaves()


@pytest.fixture
def reloj() -> Reloj:
    return Reloj()


@pytest.fixture
def fuente(servidor: ServidorDeClaves, reloj: Reloj) -> HttpJwksSource:
    return HttpJwksSource(
        URL,
        ttl_s=300,
        intervalo_refresco_s=30,
        transport=httpx.MockTransport(servidor),
        reloj=reloj,
    )


async def test_las_claves_se_guardan_en_cache(
    fuente: HttpJwksSource, servidor: ServidorDeClaves
) -> None:
    await fuente.obtener()
    jwks = await fuente.obtener()

    assert jwks == {"keys": [{"kid": "k1"}]}
    assert servidor.peticiones == 1


async def test_la_cache_caduca_tras_el_ttl(
    fuente: HttpJwksSource, servidor: ServidorDeClaves, reloj: Reloj
) -> None:
    await fuente.obtener()
    servidor.version = 2
    reloj.ahora += 301

    jwks = await fuente.obtener()

    assert jwks["keys"][0]["kid"] == "k2"
    assert servidor.peticiones == 2


async def test_forzar_refresca_las_claves(
    fuente: HttpJwksSource, servidor: ServidorDeClaves, reloj: Reloj
) -> None:
    await fuente.obtener()
    servidor.version = 2
    reloj.ahora += 31

    jwks = await fuente.obtener(forzar=True)

    assert jwks["keys"][0]["kid"] == "k2"


async def test_refrescos_forzados_seguidos_no_inundan_al_servidor(
    fuente: HttpJwksSource, servidor: ServidorDeClaves, reloj: Reloj
) -> None:
    await fuente.obtener()
    for _ in range(50):
        reloj.ahora += 0.1
        await fuente.obtener(forzar=True)

    assert servidor.peticiones == 1


async def test_servidor_caido_sin_cache_da_503_en_espanol(
    fuente: HttpJwksSource, servidor: ServidorDeClaves
) -> None:
    servidor.caido = True

    with pytest.raises(IdentidadNoDisponible) as error:
        await fuente.obtener()

    assert error.value.status == 503
    assert "El servicio de identidad no responde" in error.value.detail


async def test_servidor_caido_con_cache_sigue_usando_las_claves(
    fuente: HttpJwksSource, servidor: ServidorDeClaves, reloj: Reloj
) -> None:
    await fuente.obtener()
    servidor.caido = True
    reloj.ahora += 301

    jwks = await fuente.obtener()

    assert jwks["keys"][0]["kid"] == "k1"


async def test_tras_un_fallo_se_espera_antes_de_reintentar(
    fuente: HttpJwksSource, servidor: ServidorDeClaves, reloj: Reloj
) -> None:
    servidor.caido = True
    with pytest.raises(IdentidadNoDisponible):
        await fuente.obtener()
    with pytest.raises(IdentidadNoDisponible):
        await fuente.obtener()
    assert servidor.peticiones == 1

    servidor.caido = False
    reloj.ahora += 3
    jwks = await fuente.obtener()

    assert jwks["keys"][0]["kid"] == "k1"


@pytest.mark.parametrize(
    "respuesta",
    [
        httpx.Response(500, text="error"),
        httpx.Response(200, text="<html>no es json</html>"),
        httpx.Response(200, json=["no", "es", "jwks"]),
        httpx.Response(200, json={"claves": []}),
    ],
)
async def test_respuesta_invalida_del_servidor_da_503(
    reloj: Reloj, respuesta: httpx.Response
) -> None:
    fuente = HttpJwksSource(URL, transport=httpx.MockTransport(lambda _: respuesta), reloj=reloj)

    with pytest.raises(IdentidadNoDisponible):
        await fuente.obtener()
