"""The captura pages in the all-in-one demo app, through ASGI as a browser uses them."""

import asyncio
import html
import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from captura.adapters import ImportacionRepository, leer_directorio_eleccion
from captura.config import Settings
from captura.domain import Eleccion, armar_eleccion
from captura.domain.curp import armar_curp
from captura.generador import escribir, generar
from comun.eventos.vocabulario import Sexo
from comun.servicios import Servicio
from conoceles.todo_en_uno import create_app

CLAVE = "clave-demo-de-pruebas"
BASE = "http://testserver"
DEMO = 60
SEMILLA = 2024
HTML = {"Accept": "text/html"}
HTMX = {"Accept": "text/html", "HX-Request": "true"}


@pytest.fixture
def datos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_DEMO", "true")
    monkeypatch.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
    monkeypatch.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", str(DEMO))
    monkeypatch.setenv("CONOCELES_CAPTURA_DEMO_SEMILLA", str(SEMILLA))
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


@pytest.fixture
def eleccion() -> Eleccion:
    return armar_eleccion(leer_directorio_eleccion(Settings().catalogo))


def token_csrf(pagina: str) -> str:
    """The CSRF token a page's forms carry."""
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', pagina)
    assert encontrado is not None, "la página no trae código de seguridad"
    return encontrado.group(1)


async def iniciar_sesion(cliente: httpx.AsyncClient, usuario: str) -> None:
    """Sign in through the login form as a browser would."""
    formulario = await cliente.get("/identidad/login")
    respuesta = await cliente.post(
        "/identidad/login",
        data={"usuario": usuario, "clave": CLAVE, "csrf_token": token_csrf(formulario.text)},
    )
    assert respuesta.status_code == 303, respuesta.text


def texto(respuesta: httpx.Response) -> str:
    """The page's text with entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", respuesta.text)).split())


def cifra(pagina: str, concepto: str) -> int:
    """A number of the report summary (`<dt>Nuevas</dt><dd>3</dd>`)."""
    encontrado = re.search(rf"<dt>{concepto}</dt><dd>([\d\u00a0]+)</dd>", pagina)
    assert encontrado is not None, f"el resumen no muestra «{concepto}»"
    return int(encontrado.group(1).replace("\u00a0", ""))


async def subir(
    cliente: httpx.AsyncClient, nombre: str, contenido: bytes, *, todo_o_nada: bool = False
) -> httpx.Response:
    """Send the import form with a file."""
    formulario = await cliente.get("/captura/registro")
    campos = {"csrf_token": token_csrf(formulario.text)}
    if todo_o_nada:
        campos["todo_o_nada"] = "true"
    return await cliente.post(
        "/captura/registro", data=campos, files={"archivo": (nombre, contenido)}
    )


async def todas(cliente: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every candidacy in the signed-in user's scope, from the JSON API."""
    respuesta = await cliente.get("/api/captura/v1/candidaturas", params={"por_pagina": 500})
    resultados: list[dict[str, Any]] = respuesta.json()["resultados"]
    return resultados


def sustituta(fila: dict[str, object]) -> dict[str, object]:
    """A new person for the same place, replacing the row's candidacy."""
    nacimiento = datetime.strptime(str(fila["FECHA_NACIMIENTO"]), "%d/%m/%Y").date()
    sexo = Sexo.MUJER if fila["SEXO"] == "Mujer" else Sexo.HOMBRE
    curp = armar_curp(
        base="XAXX",
        nacimiento=nacimiento,
        sexo=sexo,
        entidad="MC",
        consonantes="XXX",
        homoclave="0",
    )
    return fila | {
        "FOLIO": f"{fila['FOLIO']}-SUST",
        "SUSTITUYE_A": fila["FOLIO"],
        "NOMBRE": "Persona Sustituta",
        "CURP": curp,
    }


async def test_la_administracion_ve_el_resumen_de_la_eleccion_con_sus_totales(
    cliente: httpx.AsyncClient, eleccion: Eleccion
) -> None:
    await iniciar_sesion(cliente, "admin")
    respuesta = await cliente.get("/captura/eleccion")
    assert respuesta.status_code == 200
    contenido = texto(respuesta)
    assert eleccion.nombre in contenido
    assert "Estado de México" in contenido
    assert "2 de junio de 2024" in contenido
    assert f"{DEMO} candidaturas en el registro" in contenido
    regidurias = f"{eleccion.calculados()['regidurias']:,}".replace(",", "\u00a0")
    assert f"Regidurías {regidurias}" in contenido
    assert 'fill="#0055A5"' in respuesta.text
    assert re.search(r'fill="#0055A5".*?>PAN</a>', respuesta.text, re.S)
    assert "Registrada 60" in contenido


async def test_la_administracion_importa_un_archivo_y_sigue_su_avance_hasta_el_reporte(
    cliente: httpx.AsyncClient, eleccion: Eleccion, tmp_path: Path
) -> None:
    demo = generar(eleccion, candidaturas=DEMO, semilla=SEMILLA)
    folios = {f["FOLIO"] for f in demo}
    extra = [
        f
        for f in generar(eleccion, candidaturas=DEMO + 6, semilla=SEMILLA)
        if f["FOLIO"] not in folios
    ]
    propietarias = [f for f in demo if f["TIPO"] == "Propietaria"]
    modificada, cancelada, sustituida = propietarias[:3]
    cambios = {
        modificada["FOLIO"]: {"SOBRENOMBRE": "La Maestra"},
        cancelada["FOLIO"]: {"ESTATUS": "Cancelada"},
        sustituida["FOLIO"]: {"ESTATUS": "Sustituida"},
    }
    filas = [f | cambios.get(str(f["FOLIO"]), {}) for f in demo]
    filas += [*extra, sustituta(sustituida), demo[5] | {"FOLIO": "MAL-1", "CARGO": "Gubernatura"}]
    archivo = tmp_path / "registro.csv"
    escribir(filas, archivo)

    await iniciar_sesion(cliente, "admin")
    enviada = await subir(cliente, "registro.csv", archivo.read_bytes())
    assert enviada.status_code == 303
    pagina = enviada.headers["location"]
    assert pagina.startswith("/captura/registro/importaciones/")

    async def terminada() -> httpx.Response:
        for _ in range(500):
            estado = await cliente.get(f"{pagina}/estado", headers=HTMX)
            assert estado.status_code == 200
            if "hx-trigger" not in estado.text:
                return estado
            await asyncio.sleep(0.02)
        raise AssertionError("la importación no terminó a tiempo")

    fragmento = await terminada()
    assert 'hx-swap-oob="true"' in fragmento.text
    respuesta = await cliente.get(pagina)
    assert respuesta.status_code == 200
    assert "los cambios se aplicaron" in texto(respuesta)
    assert cifra(respuesta.text, "Nuevas") == len(extra) + 1
    assert cifra(respuesta.text, "Modificadas") == 1
    assert cifra(respuesta.text, "Sustituidas") == 1
    assert cifra(respuesta.text, "Canceladas") == 1
    assert cifra(respuesta.text, "Rechazadas") == 1
    assert cifra(respuesta.text, "Sin cambios") == DEMO - 2
    contenido = texto(respuesta)
    assert "MAL-1 CARGO «Gubernatura» no es un valor válido" in contenido
    assert f"{modificada['FOLIO']} Sobrenombre" in contenido
    anterior, nueva = sustituida["FOLIO"], f"{sustituida['FOLIO']}-SUST"
    assert f'<a href="/captura/candidaturas/{anterior}">' in respuesta.text
    assert f'<a href="/captura/candidaturas/{nueva}">' in respuesta.text
    assert "/reporte.xlsx" in respuesta.text

    registro = await cliente.get("/captura/registro")
    assert "registro.csv" in registro.text
    assert f"{len(extra) + 1} nuevas, 1 modificada" in texto(registro)
    detalle = await cliente.get(f"/captura/candidaturas/{nueva}")
    assert f"Sustituye a {anterior}" in texto(detalle)


async def test_un_pdf_vuelve_al_formulario_con_el_error_y_no_importa_nada(
    cliente: httpx.AsyncClient,
) -> None:
    await iniciar_sesion(cliente, "admin")
    respuesta = await subir(cliente, "registro.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert respuesta.status_code == 400
    assert 'role="alert"' in respuesta.text
    assert "No se importó el archivo" in texto(respuesta)
    assert "no es una hoja de cálculo: use XLSX o CSV" in texto(respuesta)
    assert 'aria-invalid="true"' in respuesta.text
    assert "Todavía no se ha importado ningún archivo" in texto(respuesta)
    assert len(await todas(cliente)) == DEMO


async def test_un_archivo_con_otras_columnas_vuelve_con_las_columnas_esperadas(
    cliente: httpx.AsyncClient,
) -> None:
    await iniciar_sesion(cliente, "admin")
    respuesta = await subir(cliente, "otro.csv", b"NOMBRE,EDAD\nAna,30\n", todo_o_nada=True)
    assert respuesta.status_code == 422
    assert "Faltan: FOLIO" in texto(respuesta)
    assert re.search(r'id="campo-todo_o_nada"[^>]*checked', respuesta.text)


async def test_todo_o_nada_con_errores_dice_que_no_se_aplico_nada(
    cliente: httpx.AsyncClient, eleccion: Eleccion, tmp_path: Path
) -> None:
    nuevas = [
        f
        for f in generar(eleccion, candidaturas=DEMO + 2, semilla=SEMILLA)
        if f["FOLIO"] not in {g["FOLIO"] for g in generar(eleccion, candidaturas=DEMO)}
    ]
    archivo = tmp_path / "registro.csv"
    escribir([*nuevas, nuevas[0] | {"FOLIO": "MAL-1", "SEXO": "Otro"}], archivo)
    await iniciar_sesion(cliente, "admin")
    enviada = await subir(cliente, "registro.csv", archivo.read_bytes(), todo_o_nada=True)
    pagina = enviada.headers["location"]
    for _ in range(500):
        respuesta = await cliente.get(pagina)
        if "hx-trigger" not in respuesta.text:
            break
        await asyncio.sleep(0.02)
    assert "No se aplicó ningún cambio" in texto(respuesta)
    assert cifra(respuesta.text, "Nuevas") == len(nuevas)
    assert len(await todas(cliente)) == DEMO


async def test_el_avance_se_consulta_cada_segundo_y_deja_de_consultarse_al_terminar(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    importaciones = ImportacionRepository(app.state.recursos[Servicio.CAPTURA].store)
    trabajo = {
        "_id": "imp-1",
        "archivo": "grande.xlsx",
        "estado": "en_proceso",
        "fase": "aplicando",
        "hechas": 3500,
        "total": 30000,
        "todo_o_nada": False,
        "inicio": "2024-04-20T16:00:00+00:00",
        "usuario": "admin",
    }
    await importaciones.crear(trabajo)
    await iniciar_sesion(cliente, "admin")

    pagina = await cliente.get("/captura/registro/importaciones/imp-1")
    assert "Aplicando: 3\u00a0500 de 30\u00a0000" in html.unescape(pagina.text)
    assert '<progress aria-labelledby="importacion-progreso" max="30000" value="3500">' in (
        pagina.text
    )
    assert 'hx-get="/captura/registro/importaciones/imp-1/estado"' in pagina.text
    assert 'hx-trigger="every 1s"' in pagina.text
    assert 'aria-live="polite"' in pagina.text
    assert "20/04/2024 10:00" in pagina.text

    await importaciones.actualizar("imp-1", fase="leyendo", hechas=12000, total=None)
    leyendo = await cliente.get("/captura/registro/importaciones/imp-1/estado", headers=HTMX)
    assert "Leyendo filas: 12\u00a0000" in html.unescape(leyendo.text)
    assert 'hx-trigger="every 1s"' in leyendo.text
    assert "<html" not in leyendo.text

    await importaciones.actualizar("imp-1", estado="interrumpida", error="Se detuvo; recárguelo.")
    final = await cliente.get("/captura/registro/importaciones/imp-1/estado", headers=HTMX)
    assert "hx-trigger" not in final.text
    assert "Se detuvo; recárguelo." in html.unescape(final.text)
    directo = await cliente.get("/captura/registro/importaciones/imp-1/estado")
    assert directo.status_code == 303


async def test_un_partido_solo_ve_sus_candidaturas_y_las_de_otro_son_404(
    cliente: httpx.AsyncClient,
) -> None:
    await iniciar_sesion(cliente, "admin")
    registro = await todas(cliente)
    partido, cuantas = Counter(c["partido"] for c in registro if c["partido"]).most_common(1)[0]
    ajena = next(c["id"] for c in registro if c["partido"] not in (partido, None))
    propia = next(c["id"] for c in registro if c["partido"] == partido)
    cliente.cookies.clear()

    await iniciar_sesion(cliente, f"captura.{partido.lower()}")
    inicio = await cliente.get("/captura/")
    assert f"{cuantas} candidatura" in texto(inicio)
    lista = await cliente.get("/captura/candidaturas")
    assert lista.status_code == 200
    enlazadas = set(re.findall(r'href="/captura/candidaturas/([^"]+)"', lista.text))
    assert len(enlazadas) == cuantas
    assert {c["id"] for c in registro if c["partido"] == partido} == enlazadas
    assert 'name="partido"' not in lista.text
    assert (await cliente.get(f"/captura/candidaturas/{ajena}")).status_code == 404
    faltante = await cliente.get("/captura/candidaturas/NO-EXISTE")
    assert faltante.status_code == 404
    detalle = await cliente.get(f"/captura/candidaturas/{propia}")
    assert detalle.status_code == 200
    assert "CURP" not in texto(detalle)
    assert "Fecha de nacimiento" not in texto(detalle)


async def test_la_administracion_ve_la_curp_en_el_detalle(cliente: httpx.AsyncClient) -> None:
    await iniciar_sesion(cliente, "admin")
    candidatura = (await todas(cliente))[0]
    detalle = await cliente.get(f"/captura/candidaturas/{candidatura['id']}")
    contenido = texto(detalle)
    assert candidatura["nombre"] in contenido
    assert "CURP" in contenido
    assert "Fecha de nacimiento" in contenido


async def test_los_filtros_y_los_enlaces_de_pagina_conservan_los_filtros(
    cliente: httpx.AsyncClient,
) -> None:
    await iniciar_sesion(cliente, "admin")
    primera = await cliente.get(
        "/captura/candidaturas",
        params={"estado": "registrada", "cargo": "", "distrito": "", "por_pagina": 25},
    )
    assert primera.status_code == 200
    assert "Página 1 de 3" in texto(primera)
    assert 'value="registrada" selected' in primera.text
    siguiente = re.search(r'href="([^"]+)" rel="next"', primera.text)
    assert siguiente is not None
    url = html.unescape(siguiente.group(1))
    assert url == "/captura/candidaturas?estado=registrada&por_pagina=25&pagina=2"
    segunda = await cliente.get(url)
    assert "Página 2 de 3" in texto(segunda)
    anterior = re.search(r'href="([^"]+)" rel="prev"', segunda.text)
    assert anterior is not None
    assert html.unescape(anterior.group(1)) == url.removesuffix("&pagina=2")

    vacia = await cliente.get("/captura/candidaturas", params={"estado": "cancelada"})
    assert "Ninguna candidatura coincide" in texto(vacia)


@pytest.mark.parametrize(
    "ruta",
    ["/captura/eleccion", "/captura/registro", "/captura/registro/importaciones/x"],
)
async def test_las_paginas_de_la_administracion_son_403_para_un_partido(
    cliente: httpx.AsyncClient, ruta: str
) -> None:
    await iniciar_sesion(cliente, "captura.pan")
    respuesta = await cliente.get(ruta)
    assert respuesta.status_code == 403
    assert "administrador" in texto(respuesta)


async def test_sin_sesion_las_paginas_llevan_a_iniciar_sesion(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.get("/captura/registro")
    assert respuesta.status_code == 303
    assert respuesta.headers["location"] == "/identidad/login?siguiente=/captura/registro"
