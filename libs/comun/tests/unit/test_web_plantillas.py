"""Base layout, form macros, service template overrides and static files."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from comun.auth.usuario import Usuario
from comun.roles import Rol
from comun.servicios import Servicio
from comun.settings import PlatformSettings
from comun.web import instalar
from comun.web.estaticos import DIRECTORIO_ESTATICOS, montar
from comun.web.plantillas import crear_plantillas, enlaces_navegacion

SUPERVISORA = Usuario(
    id="u1", nombre_usuario="ana.supervisora", roles=frozenset({Rol.SUPERVISOR}), partido="PAN"
)

PAGINA = """{% extends "base.html" %}
{% import "macros/formularios.html" as f with context %}
{% block contenido %}
<h1>Datos de contacto</h1>
<form method="post">
  {{ f.csrf() }}
  {{ f.resumen_errores(errores) }}
  {{ f.campo("telefono", "Teléfono público", valor=valor, ayuda="10 dígitos.",
             error=errores.get("telefono"), requerido=true, atributos={"maxlength": 10}) }}
  {{ f.area_texto("historia", "Historia profesional", maximo=5000) }}
  {{ f.seleccion("grado", "Grado máximo de estudios", ["Primaria", "Licenciatura"],
                 valor="Licenciatura") }}
  {{ f.opciones("sexo", "Sexo", [("M", "Mujer"), ("H", "Hombre")], valor="M") }}
  {{ f.boton("Guardar") }}
</form>
{% endblock %}
"""


def crear_app(directorio: Path, usuario: Usuario | None) -> FastAPI:
    (directorio / "pagina.html").write_text(PAGINA, encoding="utf-8")
    (directorio / "_fragmento.html").write_text(
        "<div class='propio'>{% block contenido %}{% endblock %}</div>", encoding="utf-8"
    )
    plantillas = crear_plantillas(Servicio.CAPTURA, directorio)
    app = FastAPI()
    instalar(app, PlatformSettings())
    montar(app, Servicio.CAPTURA)
    montar(app, Servicio.PUBLICACION)

    @app.get("/captura/pagina", response_class=HTMLResponse)
    async def pagina(request: Request, error: bool = False) -> HTMLResponse:
        request.state.usuario = usuario
        errores = {"telefono": "El teléfono debe tener 10 dígitos; recibimos 8."} if error else {}
        contexto = {"titulo": "Contacto", "errores": errores, "valor": '"><script>x</script>'}
        return plantillas.TemplateResponse(request, "pagina.html", contexto)

    return app


@pytest.fixture
async def anonimo(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=crear_app(tmp_path, None))
    async with httpx.AsyncClient(transport=transporte, base_url="http://prueba") as cliente:
        yield cliente


@pytest.fixture
async def supervisora(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=crear_app(tmp_path, SUPERVISORA))
    async with httpx.AsyncClient(transport=transporte, base_url="http://prueba") as cliente:
        yield cliente


async def test_la_base_es_accesible_y_en_espanol(anonimo: httpx.AsyncClient) -> None:
    html = (await anonimo.get("/captura/pagina")).text

    assert '<html lang="es-MX">' in html
    assert '<a class="saltar" href="#contenido">Saltar al contenido</a>' in html
    for marca in ("<header", '<nav class="navegacion" aria-label="Secciones">', "<main", "<footer"):
        assert marca in html
    assert '<main id="contenido"' in html
    assert "<title>Contacto · Conóceles</title>" in html


async def test_sin_sesion_la_base_no_reparte_el_token_a_htmx(anonimo: httpx.AsyncClient) -> None:
    respuesta = await anonimo.get("/captura/pagina")

    assert "X-CSRF-Token" not in respuesta.text
    assert 'name="csrf-token"' not in respuesta.text


async def test_la_base_carga_htmx_propio_con_la_cabecera_csrf(
    supervisora: httpx.AsyncClient,
) -> None:
    respuesta = await supervisora.get("/captura/pagina")
    token = respuesta.cookies["conoceles_csrf"]

    assert re.search(
        r'<script src="/captura/static/htmx\.min\.js\?v=[0-9a-f]{12}" defer>', respuesta.text
    )
    assert f'hx-headers="{{&#34;X-CSRF-Token&#34;: &#34;{token}&#34;}}"' in respuesta.text
    assert "cdn" not in respuesta.text.lower()


async def test_sin_sesion_se_ofrece_iniciar_sesion_y_solo_enlaces_publicos(
    anonimo: httpx.AsyncClient,
) -> None:
    html = (await anonimo.get("/captura/pagina")).text

    assert 'href="/identidad/login?siguiente=/captura/pagina">Iniciar sesión</a>' in html
    assert ">Sitio público</a>" in html
    assert ">Estadística</a>" not in html
    assert ">Validación</a>" not in html
    assert "Cerrar sesión" not in html


async def test_con_sesion_se_muestra_usuario_rol_y_boton_de_salida(
    supervisora: httpx.AsyncClient,
) -> None:
    respuesta = await supervisora.get("/captura/pagina")
    html = respuesta.text
    token = respuesta.cookies["conoceles_csrf"]

    assert "Sesión: <strong>ana.supervisora</strong> (supervisor)" in html
    assert '<form method="post" action="/identidad/logout"' in html
    assert f'<input type="hidden" name="csrf_token" value="{token}">' in html
    assert '<a href="/captura/" aria-current="page">Captura</a>' in html
    assert ">Validación</a>" in html
    assert ">Cuentas</a>" not in html
    assert "Iniciar sesión" not in html


async def test_los_campos_con_error_quedan_ligados_a_su_ayuda_y_mensaje(
    anonimo: httpx.AsyncClient,
) -> None:
    html = (await anonimo.get("/captura/pagina?error=true")).text

    control = re.search(r'<input class="campo__control" id="campo-telefono"[^>]*>', html)
    assert control is not None
    assert 'aria-describedby="campo-telefono-ayuda campo-telefono-error"' in control.group(0)
    assert 'aria-invalid="true"' in control.group(0)
    assert 'maxlength="10"' in control.group(0)
    assert '<label class="campo__etiqueta" for="campo-telefono">Teléfono público' in html
    assert 'id="campo-telefono-error"' in html
    assert '<a href="#campo-telefono">El teléfono debe tener 10 dígitos; recibimos 8.</a>' in html
    assert "Máximo 5000 caracteres." in html
    assert '<option value="Licenciatura" selected>' in html
    assert 'value="M" checked' in html


async def test_los_valores_se_escapan(anonimo: httpx.AsyncClient) -> None:
    html = (await anonimo.get("/captura/pagina")).text

    assert "<script>x</script>" not in html
    assert "&#34;&gt;&lt;script&gt;x&lt;/script&gt;" in html


async def test_las_plantillas_del_servicio_tienen_prioridad_sobre_las_comunes(
    anonimo: httpx.AsyncClient,
) -> None:
    respuesta = await anonimo.get("/captura/no-existe", headers={"hx-request": "true"})

    assert respuesta.status_code == 404
    assert respuesta.text.startswith("<div class='propio'>")
    assert "No encontrado" in respuesta.text


async def test_los_estaticos_se_sirven_bajo_el_prefijo_de_cada_servicio(
    anonimo: httpx.AsyncClient,
) -> None:
    captura = await anonimo.get("/captura/static/conoceles.css")
    publico = await anonimo.get("/static/htmx.min.js?v=1")
    prefijado = await anonimo.get("/publicacion/static/conoceles.js")

    assert captura.status_code == 200
    assert captura.headers["content-type"].startswith("text/css")
    assert captura.headers["cache-control"] == "no-cache"
    assert publico.status_code == 200
    assert publico.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert prefijado.status_code == 200


def test_htmx_vendido_es_la_version_2_0() -> None:
    contenido = (DIRECTORIO_ESTATICOS / "htmx.min.js").read_text(encoding="utf-8")

    assert re.search(r'version:"2\.0\.\d+"', contenido)


async def test_con_keycloak_las_paginas_con_sesion_renuevan_el_token(tmp_path: Path) -> None:
    app = crear_app(tmp_path, SUPERVISORA)
    app.state.plataforma = PlatformSettings(identidad="keycloak")
    transporte = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transporte, base_url="http://prueba") as cliente:
        html = (await cliente.get("/captura/pagina")).text

    assert '<meta name="renovar-sesion" content="/identidad/renovar">' in html


async def test_con_cuentas_locales_las_paginas_con_sesion_tambien_renuevan(
    supervisora: httpx.AsyncClient,
) -> None:
    html = (await supervisora.get("/captura/pagina")).text

    assert '<meta name="renovar-sesion" content="/identidad/renovar">' in html


def test_en_la_pagina_de_webhooks_solo_ese_enlace_es_el_actual() -> None:
    admin = Usuario(id="a", nombre_usuario="admin", roles=frozenset({Rol.ADMINISTRADOR}))
    actuales = [e["texto"] for e in enlaces_navegacion(admin, "/webhooks/x") if e["actual"]]
    assert actuales == ["Webhooks"]
    en_el_sitio = [e["texto"] for e in enlaces_navegacion(admin, "/candidaturas") if e["actual"]]
    assert en_el_sitio == ["Sitio público"]
