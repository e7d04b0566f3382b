"""The gateway template renders a configuration nginx accepts, with the routes of DESIGN §5."""

from pathlib import Path

import pytest

from conoceles.pasarela import ConfigPasarela, comprobar, renderizar

PUERTOS = {
    "identidad": 8101,
    "captura": 8102,
    "validacion": 8103,
    "publicacion": 8104,
    "estadistica": 8105,
    "auditoria": 8106,
}


@pytest.fixture
def conf(tmp_path: Path) -> Path:
    return renderizar(
        ConfigPasarela(prefijo=tmp_path / "gw", registros=tmp_path / "log", upstreams=PUERTOS)
    )


def test_nginx_acepta_la_configuracion_generada(conf: Path) -> None:
    comprobar(conf)


def test_cada_servicio_tiene_sus_prefijos_y_publicacion_el_resto(conf: Path) -> None:
    texto = conf.read_text()
    for servicio in ("identidad", "captura", "validacion", "estadistica", "auditoria"):
        assert f"location /{servicio}/ {{" in texto
        assert f"location /api/{servicio}/ {{" in texto
    assert "location / {" in texto
    assert "proxy_pass http://publicacion;" in texto


def test_el_acceso_y_la_api_publica_tienen_limite_de_peticiones(conf: Path) -> None:
    texto = conf.read_text()
    assert "location = /identidad/login {\n            limit_req zone=acceso" in texto
    assert "location = /api/identidad/v1/token {\n            limit_req zone=acceso" in texto
    assert "limit_req zone=api_publica" in texto


def test_el_registro_de_accesos_se_escribe_a_lo_mas_cada_segundo(conf: Path) -> None:
    assert "gateway-access.log json buffer=64k flush=1s;" in conf.read_text()


def test_los_aciertos_de_la_cache_no_abren_archivos(conf: Path) -> None:
    assert "open_file_cache max=10000 inactive=60s;" in conf.read_text()


def test_la_cache_solo_sirve_a_visitantes_anonimos(conf: Path) -> None:
    cache = (conf.parent / "cache-publica.conf").read_text()
    assert "proxy_cache_bypass $con_credenciales;" in cache
    assert "proxy_no_cache $con_credenciales;" in cache
    assert "proxy_cache_lock on;" in cache
    assert "proxy_cache_use_stale updating" in cache


def test_las_cabeceras_de_seguridad_incluyen_csp_y_hsts_solo_con_tls(tmp_path: Path) -> None:
    sin = renderizar(ConfigPasarela(prefijo=tmp_path / "a", registros=tmp_path, upstreams=PUERTOS))
    con = renderizar(
        ConfigPasarela(prefijo=tmp_path / "b", registros=tmp_path, upstreams=PUERTOS, tls=True)
    )
    texto_sin = (sin.parent / "cabeceras.conf").read_text()
    texto_con = (con.parent / "cabeceras.conf").read_text()
    assert "frame-ancestors 'none'" in texto_sin
    assert "nosniff" in texto_sin
    assert "Strict-Transport-Security" not in texto_sin
    assert "Strict-Transport-Security" in texto_con
