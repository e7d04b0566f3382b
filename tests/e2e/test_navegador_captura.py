"""The capture pages in a real Chromium: autosave, counters, conflicts, drafts, a11y, keyboard."""

import re
import time
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from .navegador import CLAVE, ESPERA_MS, REGLAS_WCAG, chromium, servidor_demo

PARTIDO = "captura.prd"
PAGINAS = ("curricular", "identidad", "consentimiento", "fotografia", "envio")

pytestmark = pytest.mark.timeout(180)
expect.set_options(timeout=ESPERA_MS)


@pytest.fixture(scope="module")
def servidor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo without its background publication: the tests edit PRD drafts it would send."""
    with servidor_demo(tmp_path_factory.mktemp("navegador"), CONOCELES_DEMO_PUBLICAR="0") as url:
        yield url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver for this module."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def navegador(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    browser = chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def candidaturas(navegador: Browser, servidor: str) -> Iterator[Callable[[], str]]:
    """Hands out a different PRD candidacy to each test, so tests never share drafts."""
    contexto = navegador.new_context(base_url=servidor)
    pagina = contexto.new_page()
    entrar(pagina)
    pagina.goto("/captura/mis-candidaturas")
    enlaces = pagina.locator('a[href$="/curricular"]')
    ids: list[str] = []
    for href in enlaces.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        encontrado = re.search(r"/candidaturas/([^/]+)/curricular$", href)
        if encontrado and encontrado.group(1) not in ids:
            ids.append(encontrado.group(1))
    contexto.close()
    assert len(ids) >= 10, f"pocas candidaturas del PRD en la demostración: {ids}"
    restantes = iter(ids)
    yield lambda: next(restantes)


def entrar(pagina: Page) -> None:
    """Sign in through the login form as the PRD capture team."""
    pagina.goto("/identidad/login")
    pagina.get_by_label("Usuario").fill(PARTIDO)
    pagina.get_by_label("Contraseña").fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()
    expect(pagina.get_by_role("banner").get_by_role("button", name="Cerrar sesión")).to_be_visible()


@pytest.fixture
def sesion(navegador: Browser, servidor: str) -> Iterator[Callable[[], Page]]:
    """Opens signed-in pages, each in a browser context of its own (a separate session)."""
    contextos: list[BrowserContext] = []

    def abrir() -> Page:
        contexto = navegador.new_context(base_url=servidor, locale="es-MX")
        contexto.set_default_timeout(ESPERA_MS)
        contextos.append(contexto)
        pagina = contexto.new_page()
        entrar(pagina)
        return pagina

    yield abrir
    for contexto in contextos:
        contexto.close()


def estado_guardado(pagina: Page) -> Locator:
    """The autosave status line (a live region)."""
    return pagina.locator("#estado-guardado")


def test_el_autoguardado_guarda_y_lo_anuncia(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    id_ = candidaturas()
    pagina.goto(f"/captura/candidaturas/{id_}/curricular")
    estado = estado_guardado(pagina)
    expect(estado).to_have_attribute("role", "status")
    inicio = time.monotonic()
    with pagina.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/curricular")
    ) as guardado:
        pagina.locator('[name="propuesta_1"]').fill("Más bibliotecas públicas.")
    assert guardado.value.post_data and "propuesta_1" in guardado.value.post_data
    assert time.monotonic() - inicio >= 1.9, "el autoguardado no esperó 2 s tras escribir"
    expect(estado).to_contain_text("Guardado a las")
    expect(pagina.locator("#revision")).to_have_value("1")
    pagina.reload()
    expect(pagina.locator('[name="propuesta_1"]')).to_have_value("Más bibliotecas públicas.")


def test_el_contador_avisa_pasado_el_limite_sin_recortar_el_texto(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    pagina.goto(f"/captura/candidaturas/{candidaturas()}/curricular")
    campo = pagina.locator('[name="propuesta_1"]')
    limite = int(campo.get_attribute("data-limite") or "0")
    assert limite > 0
    contador = pagina.locator(f"#{campo.get_attribute('id')}-contador")
    campo.fill("a" * 10)
    expect(contador).to_have_text(re.compile(r"^10 de [\d\u00a0]+ caracteres$"))
    campo.fill("a" * (limite + 5))
    expect(contador).to_contain_text("sobran 5")
    expect(contador).to_have_class(re.compile(r"contador--excedido"))
    assert len(campo.input_value()) == limite + 5
    expect(pagina.locator("[data-anuncios]")).to_contain_text("sobran 5")


def test_un_campo_se_valida_al_salir_de_el(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    pagina.goto(f"/captura/candidaturas/{candidaturas()}/curricular")
    correo = pagina.locator('[name="correo_publico"]')
    mensaje = pagina.locator(f"#{correo.get_attribute('id')}-mensaje")
    correo.fill("sin-arroba")
    correo.press("Tab")
    expect(mensaje.locator(".campo__error")).to_be_visible()
    expect(correo).to_have_attribute("aria-invalid", "true")
    correo.fill("prensa@ejemplo.mx")
    correo.press("Tab")
    expect(mensaje).to_have_text("")
    expect(correo).not_to_have_attribute("aria-invalid", "true")


def test_un_conflicto_con_otra_sesion_muestra_la_fusion_y_al_resolverla_se_guarda(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    id_ = candidaturas()
    mia, otra = sesion(), sesion()
    for pagina in (mia, otra):
        pagina.goto(f"/captura/candidaturas/{id_}/curricular")
    otra.locator('[name="propuesta_1"]').fill("La de otra persona")
    expect(estado_guardado(otra)).to_contain_text("Guardado a las")
    mia.locator('[name="propuesta_1"]').fill("La mía")
    titulo = mia.get_by_role("heading", name="Otra persona guardó cambios: elija qué conservar")
    expect(titulo).to_be_visible()
    expect(titulo).to_be_focused()
    assert Axe().run(mia, options={"runOnly": REGLAS_WCAG}).violations_count == 0
    mia.get_by_label("Versión guardada por otra persona").check()
    mia.get_by_role("button", name="Guardar la combinación").click()
    expect(mia.locator("[data-fusion]")).to_have_count(0)
    expect(mia.locator('[name="propuesta_1"]')).to_have_value("La de otra persona")
    otra.reload()
    expect(otra.locator('[name="propuesta_1"]')).to_have_value("La de otra persona")


def test_lo_no_guardado_sobrevive_a_recargar_la_pagina(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    url = f"/captura/candidaturas/{candidaturas()}/curricular"
    pagina.goto(url)
    # The network fails: the autosave cannot reach the server, only this browser keeps a copy.
    pagina.route(
        re.compile(r".*/curricular$"),
        lambda ruta: ruta.abort() if ruta.request.method == "POST" else ruta.continue_(),
    )
    pagina.locator('[name="propuesta_2"]').fill("Transporte seguro de noche.")
    expect(pagina.locator("#avisos")).to_contain_text("No se pudo conectar con el servidor")
    pagina.unroute(re.compile(r".*/curricular$"))
    pagina.reload()
    campo = pagina.locator('[name="propuesta_2"]')
    expect(campo).to_have_value("")
    aviso = pagina.locator("#restaurar")
    expect(aviso).to_be_visible()
    aviso.get_by_role("button", name="Recuperar mis cambios").click()
    expect(campo).to_have_value("Transporte seguro de noche.")
    expect(aviso).to_be_hidden()
    expect(estado_guardado(pagina)).to_contain_text("Guardado a las")


def test_las_preguntas_condicionadas_de_identidad_aparecen_y_desaparecen(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    pagina.goto(f"/captura/candidaturas/{candidaturas()}/identidad")
    dependiente = pagina.locator('fieldset[data-depende-de="discapacidad"]').first
    valor = dependiente.get_attribute("data-depende-valor")
    expect(dependiente).to_be_hidden()
    padre = pagina.locator('input[name="discapacidad"]')
    padre.and_(pagina.locator(f'[value="{valor}"]')).check()
    expect(dependiente).to_be_visible()
    expect(dependiente.locator("input, select").first).to_be_enabled()
    padre.and_(pagina.locator(f':not([value="{valor}"])')).first.check()
    expect(dependiente).to_be_hidden()
    expect(dependiente.locator("input, select").first).to_be_disabled()


@pytest.mark.parametrize("pagina_", ["mis-candidaturas", *PAGINAS])
def test_axe_no_encuentra_violaciones_wcag_en_la_pagina(
    sesion: Callable[[], Page], candidaturas: Callable[[], str], pagina_: str
) -> None:
    pagina = sesion()
    ruta = (
        "/captura/mis-candidaturas"
        if pagina_ == "mis-candidaturas"
        else f"/captura/candidaturas/{candidaturas()}/{pagina_}"
    )
    pagina.goto(ruta)
    resultado = Axe().run(pagina, options={"runOnly": REGLAS_WCAG})
    assert resultado.violations_count == 0, resultado.generate_report()


def recorrer_con_tab(pagina: Page, objetivo: str, *, maximo: int = 400) -> set[str]:
    """Press Tab from the top until the element matching `objetivo` has focus; return ids seen."""
    vistos: set[str] = set()
    pagina.locator("body").focus()
    for _ in range(maximo):
        pagina.keyboard.press("Tab")
        enfocado = pagina.evaluate(
            "sel => { const e = document.activeElement;"
            " return [e.id || e.name || e.tagName, e.matches(sel)]; }",
            objetivo,
        )
        vistos.add(str(enfocado[0]))
        if enfocado[1]:
            return vistos
    raise AssertionError(f"con Tab no se llegó a {objetivo} (se visitaron {sorted(vistos)})")


def test_con_tab_se_llega_a_cada_control_y_a_guardar(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    pagina.goto(f"/captura/candidaturas/{candidaturas()}/curricular")
    vistos = recorrer_con_tab(pagina, '#form-cuestionario button[type="submit"]')
    controles = pagina.locator("#form-cuestionario :is(input, select, textarea):visible")
    ids = set(controles.evaluate_all("els => els.map(e => e.id)"))
    assert ids <= vistos, f"sin foco con Tab: {sorted(ids - vistos)}"


def test_con_tab_se_llega_al_boton_de_enviar(
    sesion: Callable[[], Page], candidaturas: Callable[[], str]
) -> None:
    pagina = sesion()
    pagina.goto(f"/captura/candidaturas/{candidaturas()}/envio")
    recorrer_con_tab(pagina, 'form[action$="/envio"] button[type="submit"]')
    expect(pagina.get_by_role("button", name="Enviar a validación")).to_be_focused()
