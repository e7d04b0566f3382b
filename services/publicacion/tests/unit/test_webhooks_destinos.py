"""The SSRF guard of webhook subscribers: only public http(s) servers, checked without I/O."""

import re

import pytest

from publicacion.domain.destinos import (
    DestinoNoPermitido,
    analizar_url,
    comprobar_destino,
    sin_consulta,
)


class ResolverFijo:
    """An injected resolver: each name answers the given addresses."""

    def __init__(self, **nombres: list[str]) -> None:
        self.nombres = {n.replace("_", "."): ips for n, ips in nombres.items()}
        self.consultas: list[tuple[str, int]] = []

    async def __call__(self, host: str, puerto: int) -> list[str]:
        self.consultas.append((host, puerto))
        if host not in self.nombres:
            raise DestinoNoPermitido(f"No se pudo resolver el nombre «{host}».")
        return self.nombres[host]


PUBLICO = ResolverFijo(receptor_ejemplo_mx=["203.0.114.7"])


@pytest.mark.parametrize(
    ("url", "motivo"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.8.9.10:8080/x", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://10.1.2.3/", "red privada"),
        ("http://172.16.0.1/", "red privada"),
        ("http://172.31.255.254/", "red privada"),
        ("http://192.168.1.10/", "red privada"),
        ("http://169.254.169.254/latest/meta-data/", "enlace local"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "red privada"),
        ("http://[fc00::1]/", "red privada"),
        ("http://[fd12:3456::1]/", "red privada"),
        ("http://[fe80::1]/", "enlace local"),
        ("http://0.0.0.0/", "no es una dirección concreta"),
        ("http://[::]/", "no es una dirección concreta"),
        ("http://224.0.0.1/", "multidifusión"),
        ("http://[ff02::1]/", "multidifusión"),
        ("http://100.64.0.1/", "reservada"),
        ("http://240.0.0.1/", "reservada"),
        ("http://[2002:7f00:1::1]/", "loopback"),
        ("http://[64:ff9b::a00:1]/", "red privada"),
    ],
)
async def test_una_direccion_no_publica_se_rechaza_con_su_motivo(url: str, motivo: str) -> None:
    with pytest.raises(DestinoNoPermitido, match=motivo):
        await comprobar_destino(url, resolver=PUBLICO, permitir_privadas=False)


@pytest.mark.parametrize(
    ("url", "mensaje"),
    [
        ("http://usuario:clave@receptor.ejemplo.mx/", "usuario ni contraseña"),
        ("https://token@receptor.ejemplo.mx/", "usuario ni contraseña"),
        ("ftp://receptor.ejemplo.mx/", "«ftp»"),
        ("file:///etc/passwd", "«file»"),
        ("gopher://receptor.ejemplo.mx/", "«gopher»"),
        ("receptor.ejemplo.mx/conoceles", "https://"),
        ("", "Escriba la dirección"),
        ("https:///sin-servidor", "no indica el servidor"),
        ("https://receptor.ejemplo.mx:99999/", "puerto"),
        ("https://receptor.ejemplo.mx/a b", "espacios"),
        ("https://receptor.ejemplo.mx/#fragmento", "fragmento"),
        ("https://receptor.ejemplo.mx/" + "a" * 2000, "como máximo 2000"),
    ],
)
def test_una_url_mal_formada_se_rechaza_en_espanol(url: str, mensaje: str) -> None:
    with pytest.raises(DestinoNoPermitido, match=mensaje):
        analizar_url(url)


async def test_un_nombre_que_resuelve_a_una_ip_privada_se_rechaza() -> None:
    resolver = ResolverFijo(interno_ejemplo_mx=["10.0.0.5"])
    with pytest.raises(
        DestinoNoPermitido, match=re.escape("«interno.ejemplo.mx» apunta a 10.0.0.5")
    ):
        await comprobar_destino(
            "https://interno.ejemplo.mx/hook", resolver=resolver, permitir_privadas=False
        )


async def test_basta_una_ip_privada_entre_las_del_nombre_para_rechazarlo() -> None:
    resolver = ResolverFijo(mixto_ejemplo_mx=["203.0.114.7", "192.168.0.2"])
    with pytest.raises(DestinoNoPermitido, match=re.escape("192.168.0.2")):
        await comprobar_destino(
            "https://mixto.ejemplo.mx/", resolver=resolver, permitir_privadas=False
        )


async def test_un_nombre_publico_se_conecta_a_la_ip_comprobada() -> None:
    resolver = ResolverFijo(receptor_ejemplo_mx=["203.0.114.7", "2606:4700::1111"])
    destino = await comprobar_destino(
        "https://receptor.ejemplo.mx:8443/conoceles?origen=ieem",
        resolver=resolver,
        permitir_privadas=False,
    )
    assert destino.ip == "203.0.114.7"
    assert (destino.url.host, destino.url.puerto) == ("receptor.ejemplo.mx", 8443)
    assert resolver.consultas == [("receptor.ejemplo.mx", 8443)]


async def test_una_ip_literal_no_se_resuelve() -> None:
    resolver = ResolverFijo()
    destino = await comprobar_destino(
        "http://8.8.8.8/hook", resolver=resolver, permitir_privadas=False
    )
    assert destino.ip == "8.8.8.8" and resolver.consultas == []


async def test_un_nombre_que_no_resuelve_se_rechaza() -> None:
    with pytest.raises(DestinoNoPermitido, match="No se pudo resolver"):
        await comprobar_destino(
            "https://receptor.invalid/", resolver=ResolverFijo(), permitir_privadas=False
        )


async def test_con_el_permiso_de_pruebas_se_admite_el_propio_equipo() -> None:
    destino = await comprobar_destino(
        "http://127.0.0.1:8765/recibir", resolver=ResolverFijo(), permitir_privadas=True
    )
    assert destino.ip == "127.0.0.1"


async def test_el_permiso_de_pruebas_no_admite_credenciales_ni_otros_esquemas() -> None:
    for url in ("http://a:b@127.0.0.1/", "ftp://127.0.0.1/"):
        with pytest.raises(DestinoNoPermitido):
            await comprobar_destino(url, resolver=ResolverFijo(), permitir_privadas=True)


def test_un_nombre_con_acentos_se_consulta_en_idna() -> None:
    assert analizar_url("https://cañada.ejemplo.mx/").host == "xn--caada-pta.ejemplo.mx"


def test_sin_consulta_quita_parametros_y_credenciales() -> None:
    texto = "https://u:p@receptor.ejemplo.mx:8443/ruta?token=secreto#x"
    assert sin_consulta(texto) == "https://receptor.ejemplo.mx:8443/ruta"
