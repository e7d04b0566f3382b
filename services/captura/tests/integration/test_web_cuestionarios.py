"""The capture pages (questionnaires, consent, photo, sending) as a browser uses them."""

import html
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from PIL import Image

from conoceles.todo_en_uno import create_app

CLAVE = "clave-demo-de-pruebas"
BASE = "http://testserver"
HTML = {"Accept": "text/html"}
HTMX = {"Accept": "text/html", "HX-Request": "true"}
PARTIDO = "captura.prd"
PAGINAS = ("curricular", "identidad", "consentimiento", "fotografia", "envio")


@pytest.fixture
def datos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_DEMO", "true")
    monkeypatch.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
    monkeypatch.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", "40")
    return tmp_path


@pytest.fixture
async def app(datos: Path) -> AsyncIterator[FastAPI]:
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30):
        yield aplicacion


@pytest.fixture
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transporte, base_url=BASE, headers=HTML) as c:
        yield c


def token_csrf(pagina: str) -> str:
    """The CSRF token a page's forms carry."""
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', pagina)
    assert encontrado is not None, "la página no trae código de seguridad"
    return encontrado.group(1)


def revision(pagina: str) -> int:
    """The draft revision a questionnaire page or autosave answer carries."""
    encontrado = re.search(r'id="revision" name="revision" value="(\d+)"', pagina)
    assert encontrado is not None, "la respuesta no trae la revisión"
    return int(encontrado.group(1))


def texto(respuesta: httpx.Response) -> str:
    """The page's text with entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", respuesta.text)).split())


async def iniciar_sesion(cliente: httpx.AsyncClient, usuario: str) -> None:
    """Sign in through the login form as a browser would."""
    cliente.cookies.clear()
    formulario = await cliente.get("/identidad/login")
    respuesta = await cliente.post(
        "/identidad/login",
        data={"usuario": usuario, "clave": CLAVE, "csrf_token": token_csrf(formulario.text)},
    )
    assert respuesta.status_code == 303, respuesta.text


async def candidaturas(cliente: httpx.AsyncClient) -> list[dict[str, str]]:
    """The signed-in user's candidacies, from the JSON API."""
    respuesta = await cliente.get("/api/captura/v1/candidaturas", params={"por_pagina": 500})
    resultados: list[dict[str, str]] = respuesta.json()["resultados"]
    return resultados


async def propia_y_ajena(cliente: httpx.AsyncClient) -> tuple[str, str]:
    """One PRD candidacy and one of another party, as the administrator sees them."""
    await iniciar_sesion(cliente, "admin")
    todas = await candidaturas(cliente)
    propia = next(c["id"] for c in todas if c["partido"] == "PRD")
    ajena = next(c["id"] for c in todas if c["partido"] not in ("PRD", None))
    return propia, ajena


async def guardar_curricular(
    cliente: httpx.AsyncClient, id: str, rev: int, campos: dict[str, str], *, htmx: bool = True
) -> httpx.Response:
    """Post the curricular form, as autosave (htmx) or as the plain «Guardar» button."""
    pagina = await cliente.get(f"/captura/candidaturas/{id}/curricular")
    datos = {"csrf_token": token_csrf(pagina.text), "revision": str(rev), **campos}
    return await cliente.post(
        f"/captura/candidaturas/{id}/curricular", data=datos, headers=HTMX if htmx else HTML
    )


def png(ancho: int = 400, alto: int = 500) -> bytes:
    """A plain PNG portrait."""
    salida = io.BytesIO()
    Image.new("RGB", (ancho, alto), (120, 30, 90)).save(salida, "PNG")
    return salida.getvalue()


def pdf() -> bytes:
    """A one-page PDF without active content."""
    objetos = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    salida = io.BytesIO()
    salida.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    posiciones = []
    for numero, objeto in enumerate(objetos, start=1):
        posiciones.append(salida.tell())
        salida.write(b"%d 0 obj\n" % numero + objeto + b"\nendobj\n")
    inicio = salida.tell()
    salida.write(b"xref\n0 4\n0000000000 65535 f \n")
    salida.writelines(b"%010d 00000 n \n" % p for p in posiciones)
    salida.write(b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % inicio)
    return salida.getvalue()


async def test_el_partido_ve_sus_candidaturas_con_avance_estado_y_plazo(
    cliente: httpx.AsyncClient,
) -> None:
    propia, ajena = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    respuesta = await cliente.get("/captura/mis-candidaturas")
    assert respuesta.status_code == 200
    contenido = texto(respuesta)
    assert propia in contenido and ajena not in contenido
    assert "Sin plazo: empieza al entregarse las cuentas" in contenido
    assert "Registrada" in contenido
    assert f'href="/captura/candidaturas/{propia}/curricular"' in respuesta.text
    filtrada = await cliente.get("/captura/mis-candidaturas", params={"estado": "enviada"})
    assert "No hay candidaturas en ese estado" in texto(filtrada)


async def test_cada_pagina_de_captura_abre_para_su_equipo_y_da_404_fuera_de_alcance(
    cliente: httpx.AsyncClient,
) -> None:
    propia, ajena = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    for pagina in PAGINAS:
        assert (await cliente.get(f"/captura/candidaturas/{propia}/{pagina}")).status_code == 200
        assert (await cliente.get(f"/captura/candidaturas/{ajena}/{pagina}")).status_code == 404


async def test_el_autoguardado_guarda_y_devuelve_la_nueva_revision(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    respuesta = await guardar_curricular(cliente, propia, 0, {"propuesta_1": "Más bibliotecas."})
    assert respuesta.status_code == 200, respuesta.text
    assert "Guardado a las" in texto(respuesta)
    assert revision(respuesta.text) == 1
    pagina = await cliente.get(f"/captura/candidaturas/{propia}/curricular")
    assert "Más bibliotecas." in texto(pagina)
    assert revision(pagina.text) == 1


async def test_el_autoguardado_con_errores_los_lista_por_campo_y_no_guarda_nada(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    campos = {"telefono_publico": "72212", "propuesta_1": "Texto válido"}
    respuesta = await guardar_curricular(cliente, propia, 0, campos)
    assert respuesta.status_code == 422
    assert "No se guardó" in texto(respuesta)
    assert 'href="#campo-telefono_publico"' in respuesta.text
    assert 'id="campo-telefono_publico-mensaje" hx-swap-oob="innerHTML"' in respuesta.text
    pagina = await cliente.get(f"/captura/candidaturas/{propia}/curricular")
    assert revision(pagina.text) == 0


async def test_la_validacion_de_un_campo_devuelve_su_mensaje(cliente: httpx.AsyncClient) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    pagina = await cliente.get(f"/captura/candidaturas/{propia}/curricular")
    datos = {"csrf_token": token_csrf(pagina.text), "campo": "correo_publico"}
    url = f"/captura/candidaturas/{propia}/curricular/validar"
    malo = await cliente.post(url, data=datos | {"correo_publico": "sin-arroba"}, headers=HTMX)
    bueno = await cliente.post(url, data=datos | {"correo_publico": "a@b.mx"}, headers=HTMX)
    assert malo.status_code == bueno.status_code == 200
    assert "campo__error" in malo.text
    assert bueno.text.strip() == ""


async def test_un_conflicto_de_edicion_muestra_la_vista_para_combinar(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    await guardar_curricular(cliente, propia, 0, {"propuesta_1": "La de otra persona"})
    respuesta = await guardar_curricular(cliente, propia, 0, {"propuesta_1": "La mía"})
    assert respuesta.status_code == 200
    contenido = texto(respuesta)
    assert "Conflicto de edición" in contenido
    assert "Su versión La mía" in contenido
    assert "Versión guardada por otra persona La de otra persona" in contenido
    fusion = re.search(r'name="mias" value="([^"]*)"', respuesta.text)
    assert fusion is not None
    combinada = await cliente.post(
        f"/captura/candidaturas/{propia}/curricular/fusion",
        data={
            "csrf_token": token_csrf(respuesta.text),
            "revision": "1",
            "mias": html.unescape(fusion.group(1)),
            "elegir.propuesta_1": "guardada",
        },
    )
    assert combinada.status_code == 303
    pagina = await cliente.get(combinada.headers["location"])
    assert "La de otra persona" in texto(pagina), pagina.text
    assert "La mía" not in texto(pagina)


async def test_sin_javascript_guardar_redirige_y_los_errores_vuelven_en_la_pagina(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    bien = await guardar_curricular(
        cliente, propia, 0, {"motivo_cargo_publico": "Servir."}, htmx=False
    )
    assert bien.status_code == 303
    assert bien.headers["location"].endswith("/curricular?guardado=1")
    mal = await guardar_curricular(cliente, propia, 1, {"correo_publico": "nada"}, htmx=False)
    assert mal.status_code == 422
    assert 'aria-invalid="true"' in mal.text and "No se guardó" in texto(mal)
    assert 'value="nada"' in mal.text


async def test_un_texto_con_script_se_muestra_como_texto(cliente: httpx.AsyncClient) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    ataque = "<script>alert('x')</script>"
    await guardar_curricular(cliente, propia, 0, {"propuesta_2": ataque})
    for pagina in ("curricular", "envio"):
        respuesta = await cliente.get(f"/captura/candidaturas/{propia}/{pagina}")
        assert ataque not in respuesta.text
        assert "&lt;script&gt;alert(" in respuesta.text


async def test_una_candidatura_enviada_queda_solo_lectura_para_el_partido(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    await guardar_curricular(cliente, propia, 0, {"propuesta_1": "Agua potable."})
    revisar = await cliente.get(f"/captura/candidaturas/{propia}/envio")
    assert "Solo hay una oportunidad" in texto(revisar)
    envio = await cliente.post(
        f"/captura/candidaturas/{propia}/envio",
        data={
            "csrf_token": token_csrf(revisar.text),
            "revision_curricular": "1",
            "revision_identidad": "0",
        },
    )
    assert envio.status_code == 303
    confirmacion = await cliente.get(envio.headers["location"])
    assert "Candidatura enviada a validación" in texto(confirmacion)
    pagina = await cliente.get(f"/captura/candidaturas/{propia}/curricular")
    assert "Solo lectura" in texto(pagina) and 'id="form-cuestionario"' not in pagina.text
    assert "Agua potable." in texto(pagina)
    otra = await guardar_curricular(cliente, propia, 1, {"propuesta_1": "Cambio"}, htmx=False)
    assert otra.status_code == 422
    assert "ya se envió a validación" in texto(otra)


async def test_el_cuestionario_de_identidad_guarda_y_marca_no_aplica(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    pagina = await cliente.get(f"/captura/candidaturas/{propia}/identidad")
    assert "datos personales sensibles" in texto(pagina)
    assert 'data-depende-de="discapacidad"' in pagina.text
    datos = {
        "csrf_token": token_csrf(pagina.text),
        "revision": "0",
        "discapacidad": "No",
        "tipo_discapacidad": "Permanente",
        "ingresos": "Prefiero no contestar",
    }
    url = f"/captura/candidaturas/{propia}/identidad"
    respuesta = await cliente.post(url, data=datos, headers=HTMX)
    assert respuesta.status_code == 200 and "Guardado a las" in texto(respuesta)
    revisar = await cliente.get(f"/captura/candidaturas/{propia}/envio")
    contenido = texto(revisar)
    assert "El tipo de discapacidad con el que vive es: No aplica" in contenido
    assert "grupos de ingresos se encuentra? Prefiero no contestar" in contenido


async def test_la_administracion_no_ve_las_respuestas_de_identidad(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    pagina = await cliente.get(f"/captura/candidaturas/{propia}/identidad")
    datos = {"csrf_token": token_csrf(pagina.text), "revision": "0", "migrante": "Sí"}
    await cliente.post(f"/captura/candidaturas/{propia}/identidad", data=datos)
    await iniciar_sesion(cliente, "admin")
    identidad = await cliente.get(f"/captura/candidaturas/{propia}/identidad")
    assert identidad.status_code == 403
    assert "datos personales sensibles" in texto(identidad)
    revisar = await cliente.get(f"/captura/candidaturas/{propia}/envio")
    assert revisar.status_code == 200
    assert "¿Es usted migrante?" not in texto(revisar)


async def test_la_fotografia_se_carga_desde_su_formulario(cliente: httpx.AsyncClient) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    url = f"/captura/candidaturas/{propia}/fotografia"
    pagina = await cliente.get(url)
    assert 'accept="image/jpeg,image/png"' in pagina.text
    campos = {"csrf_token": token_csrf(pagina.text)}
    falsa = await cliente.post(url, data=campos, files={"archivo": ("a.png", b"PK\x03\x04zip")})
    assert falsa.status_code == 422 and "No se guardó la fotografía" in texto(falsa)
    subida = await cliente.post(url, data=campos, files={"archivo": ("yo.png", png())})
    assert subida.status_code == 303
    vista = await cliente.get(url)
    imagen = re.search(r'<img src="([^"]+)"', vista.text)
    assert imagen is not None
    foto = await cliente.get(html.unescape(imagen.group(1)))
    assert foto.status_code == 200 and foto.headers["content-type"] == "image/jpeg"


async def test_el_consentimiento_se_registra_desde_su_formulario(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    await iniciar_sesion(cliente, PARTIDO)
    url = f"/captura/candidaturas/{propia}/consentimiento"
    pagina = await cliente.get(url)
    assert "consentimiento/formato.pdf" in pagina.text
    campos = {"csrf_token": token_csrf(pagina.text), "tratamiento": "true", "publicacion": "true"}
    sin_documento = await cliente.post(url, data=campos)
    assert sin_documento.status_code == 422
    assert "Adjunte el formato de consentimiento firmado" in texto(sin_documento)
    subida = await cliente.post(
        url, data=campos, files={"documento": ("firmado.pdf", pdf(), "application/pdf")}
    )
    assert subida.status_code == 303, subida.text
    contenido = texto(await cliente.get(url))
    assert "a) Tratamiento de datos personales sensibles Otorgada el" in contenido
    assert "c) Uso estadístico No otorgada" in contenido
    assert "¿Se publicará su cuestionario de identidad? Sí." in contenido


async def test_la_administracion_ve_el_plazo_y_no_prorroga_uno_que_aun_no_corre(
    cliente: httpx.AsyncClient,
) -> None:
    propia, _ = await propia_y_ajena(cliente)
    detalle = await cliente.get(f"/captura/candidaturas/{propia}")
    assert "Sin plazo: empieza al entregarse las cuentas" in texto(detalle)
    plazos = await cliente.get("/captura/plazos")
    respuesta = await cliente.post(
        "/captura/plazos",
        data={
            "csrf_token": token_csrf(plazos.text),
            "partido": "PRD",
            "hasta": "2099-01-31",
            "motivo": "Falla general del sistema de cuentas.",
        },
    )
    assert respuesta.status_code == 200
    assert "PRD no tiene candidaturas abiertas con plazo corriendo" in texto(respuesta)
