"""The public site in a real Chromium: axe-core finds no WCAG 2.2 AA violation, keyboard, print."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from comun.pruebas import sondear

from .navegador import ESPERA_MS, REGLAS_WCAG, chromium, servidor_demo

PUBLICAR = 12
PLAZO_S = 240.0
API = "/api/publicacion/v1"

pytestmark = pytest.mark.timeout(420)
expect.set_options(timeout=ESPERA_MS)


@pytest.fixture(scope="module")
def servidor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo publishing a few candidacies in the background, until they are public."""
    carpeta = tmp_path_factory.mktemp("navegador-publico")
    with servidor_demo(carpeta, CONOCELES_DEMO_PUBLICAR=str(PUBLICAR)) as url:
        if not sondear(lambda: publicados(url) >= PUBLICAR, plazo=PLAZO_S, cada=0.5):
            pytest.fail(f"la demostración no publicó {PUBLICAR} perfiles en {PLAZO_S} s")
        yield url


def publicados(url: str) -> int:
    return int(httpx.get(f"{url}{API}/resumen").json()["perfiles_publicados"])


@pytest.fixture(scope="module")
def perfiles(servidor: str) -> list[dict[str, Any]]:
    """The public profiles' cards, as the API lists them."""
    lista = httpx.get(f"{servidor}{API}/candidaturas", params={"por_pagina": 100}).json()
    return list(lista["resultados"])


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def navegador(playwright: Playwright) -> Iterator[Browser]:
    browser = chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def pagina(navegador: Browser, servidor: str) -> Iterator[Page]:
    """A visitor without an account."""
    contexto = navegador.new_context(base_url=servidor, locale="es-MX")
    yield contexto.new_page()
    contexto.close()


def rutas(perfiles: list[dict[str, Any]], servidor: str) -> list[str]:
    """One of each kind of public page, filled from what the demo published."""
    con_identidad = next(p for p in perfiles if p["identidad_publica"])
    sin_identidad = next(p for p in perfiles if not p["identidad_publica"])
    ayuntamiento = next(p for p in perfiles if p["municipio"])
    contiendas = httpx.get(f"{servidor}{API}/contiendas").json()["resultados"]
    return [
        "/",
        "/candidaturas",
        f"/candidaturas?q={con_identidad['nombre'].split()[0]}&sexo={con_identidad['sexo']}",
        con_identidad["url"],
        sin_identidad["url"],
        f"/mi-boleta?municipio={ayuntamiento['municipio']}",
        f"/contiendas/{contiendas[0]['clave']}",
        f"/comparar?ids={perfiles[0]['id']}&ids={perfiles[0]['id']}x",
        "/datos-abiertos",
        "/acerca-de-los-datos",
        "/privacidad",
        "/privacidad/simplificado",
        "/accesibilidad",
    ]


def test_axe_no_encuentra_violaciones_wcag_en_el_sitio_publico(
    pagina: Page, perfiles: list[dict[str, Any]], servidor: str
) -> None:
    informes = {}
    for ruta in rutas(perfiles, servidor):
        pagina.goto(ruta)
        resultado = Axe().run(pagina, options={"runOnly": REGLAS_WCAG})
        if resultado.violations_count:
            informes[ruta] = resultado.generate_report()
    assert informes == {}, "\n".join(f"{r}: {t}" for r, t in informes.items())


def test_la_comparacion_de_dos_perfiles_no_tiene_violaciones(
    pagina: Page, perfiles: list[dict[str, Any]], servidor: str
) -> None:
    contiendas = httpx.get(f"{servidor}{API}/contiendas").json()["resultados"]
    clave = next(c["clave"] for c in contiendas if c["candidaturas"] >= 2)
    pagina.goto(f"/contiendas/{clave}")
    casillas = pagina.get_by_role("checkbox")
    casillas.nth(0).check()
    casillas.nth(1).check()
    pagina.get_by_role("button", name="Comparar las marcadas").click()
    expect(pagina.get_by_role("heading", name="Comparar candidaturas")).to_be_visible()
    resultado = Axe().run(pagina, options={"runOnly": REGLAS_WCAG})
    assert resultado.violations_count == 0, resultado.generate_report()


def test_con_el_teclado_se_busca_y_se_llega_a_un_perfil(
    pagina: Page, perfiles: list[dict[str, Any]]
) -> None:
    perfil = perfiles[0]
    pagina.goto("/")
    pagina.keyboard.press("Tab")
    expect(pagina.get_by_role("link", name="Saltar al contenido")).to_be_focused()
    campo = pagina.get_by_label("Nombre o sobrenombre")
    for _ in range(30):
        pagina.keyboard.press("Tab")
        if campo.evaluate("e => e === document.activeElement"):
            break
    expect(campo).to_be_focused()
    pagina.keyboard.type(perfil["nombre"])
    pagina.keyboard.press("Enter")
    enlace = pagina.get_by_role("link", name=perfil["nombre"], exact=True).first
    enlace.focus()
    pagina.keyboard.press("Enter")
    expect(pagina.get_by_role("heading", level=1)).to_contain_text(perfil["nombre"])


def test_al_imprimir_el_perfil_se_ocultan_la_navegacion_y_el_indice(
    pagina: Page, perfiles: list[dict[str, Any]]
) -> None:
    pagina.goto(perfiles[0]["url"])
    pagina.emulate_media(media="print")
    expect(pagina.get_by_role("navigation", name="Secciones del perfil")).to_be_hidden()
    expect(pagina.get_by_role("heading", level=1)).to_be_visible()
