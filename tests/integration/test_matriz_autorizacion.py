"""Authorization matrix (issue 5): every route of the all-in-one app × every kind of caller.

The expectations live in `matriz_autorizacion.py`. APIs are called with a Bearer token, pages
as a browser: session cookie, CSRF double-submit and `Accept: text/html`. The service account
has no session, so it sends its token to pages too. Only mounted static files are left out of
the matrix (see `rutas_de`); comun's health, metrics and OpenAPI routes are in it, as public.
"""

import csv
import io
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from captura.domain import NOMBRES_COLUMNAS
from comun.auth.dependencias import COOKIE_SESION
from comun.eventos import Actor
from comun.eventos.vocabulario import CampoCurricular
from comun.rutas import es_api
from comun.servicios import Servicio
from comun.web.csrf import CABECERA_CSRF, COOKIE_CSRF
from conoceles.todo_en_uno import create_app
from publicacion.domain.webhooks import Entrega, EstadoEntrega, EventoWebhook, Suscripcion
from publicacion.domain.webhooks import nuevo_secreto as nuevo_secreto_webhook
from publicacion.webhooks.adapters import EntregaRepository, SuscripcionRepository, cifrador_de
from validacion.adapters import RevisionRepository
from validacion.adapters.avisos import AvisoRepository
from validacion.adapters.solicitudes import Expediente, SolicitudRepository, id_de_solicitud
from validacion.domain.solicitudes import Cambio, SolicitudCambio
from validacion.handlers import avisos as handlers_avisos

from .conftest import BASE, CLAVE, DEMO_CANDIDATURAS, esperar, iniciar_sesion, nuevas
from .matriz_autorizacion import CASOS, FILAS, PARTIDO_PROPIO, SUJETOS, Ruta, Sujeto, esperado

pytestmark = pytest.mark.asyncio(loop_scope="module")

CUENTA_DE_SERVICIO = "sistema.registro"
CUENTA_DESECHABLE = "captura.pan"
WEBHOOK_SIN_DNS = "https://receptor.invalid/conoceles"
LISTA_API = "/api/captura/v1/candidaturas"
REVISIONES = "/api/validacion/v1/revisiones"
IMPORTACIONES = "/api/captura/v1/registro/importaciones"
PRECARGA = "/api/captura/v1/precarga"
# A sign-in redirect carries where to come back; logout's redirect to the form does not.
A_LOGIN = "/identidad/login?siguiente="
NO_EXISTE = "DL-MR-99-NOEXISTE-P"
CAPTURA = "/api/captura/v1/candidaturas/{candidatura_id}"
BORRADOR_VACIO = {"revision": 0, "respuestas": {}}


def jpeg() -> bytes:
    """A small valid portrait."""
    from PIL import Image

    imagen = io.BytesIO()
    Image.new("RGB", (300, 400), (90, 120, 160)).save(imagen, "JPEG")
    return imagen.getvalue()


@dataclass(frozen=True)
class Escenario:
    """Credentials and real ids of the demo, gathered once for the whole module."""

    tokens: dict[str, str]
    sesiones: dict[str, str]
    propia: str
    de_otro_partido: str
    otra_del_partido: str
    importacion: str
    precarga: str
    lote: list[dict[str, Any]]
    # Notices to the own party's supervisors and to another party's.
    avisos: tuple[str, str] = ("", "")
    # A webhook subscriber and one of its deliveries (dead), for the administrator's routes.
    webhook: tuple[str, str] = ("", "")
    # One CSRF token for every page call, as a browser keeps its cookie.
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def candidatura_de(self, sujeto: Sujeto) -> str:
        """The candidacy a subject asks for: its own, or one of another party or candidacy."""
        if not sujeto.ajeno:
            return self.propia
        return self.otra_del_partido if sujeto.columna == "cand" else self.de_otro_partido

    def aviso_de(self, sujeto: Sujeto) -> str:
        """A notice to the subject's party, or to another party's."""
        return self.avisos[1] if sujeto.ajeno else self.avisos[0]


# How to fill each path parameter; a route with a new one fails until it is added here.
VALORES_DE_RUTA: dict[str, Callable[[Sujeto, Escenario], str]] = {
    "candidatura_id": lambda sujeto, escenario: escenario.candidatura_de(sujeto),
    "aviso_id": lambda sujeto, escenario: escenario.aviso_de(sujeto),
    # A change request exists for each candidacy a subject may ask about (see `solicitudes_en`).
    "solicitud_id": lambda sujeto, escenario: id_de_solicitud(escenario.candidatura_de(sujeto)),
    "importacion_id": lambda sujeto, escenario: escenario.importacion,
    "precarga_id": lambda sujeto, escenario: escenario.precarga,
    "archivo_id": lambda sujeto, escenario: "0" * 64,
    "formato": lambda sujeto, escenario: "xlsx",
    # Account administration acts on a demo account no subject uses, so that resetting its
    # password or closing its sessions leaves every other case alone.
    "usuario": lambda sujeto, escenario: CUENTA_DESECHABLE,
    # Generating PAN's capture accounts only adds accounts no subject uses.
    "siglas": lambda sujeto, escenario: "PAN",
    # No package is made: the empty body is refused (422) before the folio is looked up.
    "folio": lambda sujeto, escenario: "SIN-FOLIO",
    # A file every open-data snapshot has, even with no published profile.
    "archivo": lambda sujeto, escenario: "curricular.csv",
    # No profile is published in the matrix's scenario: a contest with none is a 404.
    "clave": lambda sujeto, escenario: "presidencia_municipal-15007",
    # A CORS preflight of the public API.
    "ruta": lambda sujeto, escenario: "candidaturas",
    "suscripcion_id": lambda sujeto, escenario: escenario.webhook[0],
    "entrega_id": lambda sujeto, escenario: escenario.webhook[1],
}
# Bodies for unsafe routes; the rest are sent empty (an allowed caller then gets 4xx, not 401/403).
CUERPOS: dict[Ruta, Callable[[Escenario], dict[str, Any]]] = {
    # Idempotent by FOLIO: the first allowed call adds two candidacies, later ones change nothing.
    ("POST", "/api/captura/v1/registro/candidaturas"): lambda e: {"json": {"candidaturas": e.lote}},
    # Valid bodies, so that the scope check (404) is reached rather than body validation (422).
    ("PUT", f"{CAPTURA}/cuestionarios/curricular"): lambda e: {"json": BORRADOR_VACIO},
    ("PUT", f"{CAPTURA}/cuestionarios/identidad"): lambda e: {"json": BORRADOR_VACIO},
    ("POST", f"{CAPTURA}/envio"): lambda e: {
        "json": {"revision_curricular": 0, "revision_identidad": 0}
    },
    ("PUT", f"{CAPTURA}/fotografia"): lambda e: {"files": {"archivo": ("f.jpg", jpeg())}},
    ("PUT", f"{CAPTURA}/consentimiento"): lambda e: {
        "data": {
            "tratamiento": "true",
            "publicacion": "false",
            "uso_estadistico": "false",
            "revision": "0",
        }
    },
    # The own candidacy is not published: an allowed caller gets 409, after the scope check.
    ("POST", "/api/validacion/v1/solicitudes"): lambda e: {
        "json": {
            "candidatura_id": e.propia,
            "cambios": [{"campo": "propuesta_1", "texto": "Agua potable."}],
        }
    },
    ("POST", "/api/validacion/v1/revisiones/texto"): lambda e: {
        "json": {"texto": "Vota por mí.", "campo": "propuesta_1"}
    },
    # A name that never resolves (RFC 6761): the handler refuses it (422), nothing is saved.
    ("POST", "/api/publicacion/v1/webhooks/suscripciones"): lambda e: {
        "json": {"url": WEBHOOK_SIN_DNS, "eventos": ["perfil_publicado"]}
    },
    ("POST", "/webhooks"): lambda e: {
        "data": {"url": WEBHOOK_SIN_DNS, "eventos": "perfil_publicado"}
    },
}
# Routes that end the session they are called with: each case signs in anew to call them.
CIERRAN_SESION = frozenset({("POST", "/identidad/logout")})


@pytest.fixture(scope="module")
def datos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    carpeta = tmp_path_factory.mktemp("matriz")
    with pytest.MonkeyPatch.context() as entorno:
        entorno.setenv("CONOCELES_DATOS", str(carpeta))
        entorno.setenv("CONOCELES_DEMO", "true")
        entorno.setenv("CONOCELES_DEMO_CLAVE", CLAVE)
        entorno.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", str(DEMO_CANDIDATURAS))
        yield carpeta


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(datos: Path) -> AsyncIterator[FastAPI]:
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30):
        yield aplicacion


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transporte = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transporte, base_url=BASE) as c:
        yield c


def rutas_de(app: FastAPI) -> tuple[set[Ruta], list[str]]:
    """The app's (method, path) pairs, and what it serves that is neither a route nor skipped."""
    rutas: set[Ruta] = set()
    otras: list[str] = []
    for contexto in iter_route_contexts(app.routes):
        original = contexto.original_route
        # Static files (CSS, htmx, icons) are the same public bytes for every caller, with no
        # handler and no data behind them: nothing to authorize.
        if isinstance(original, Mount) and isinstance(original.app, StaticFiles):
            continue
        if contexto.methods and contexto.path:
            rutas |= {(metodo, contexto.path) for metodo in contexto.methods}
        else:
            otras.append(f"{type(original).__name__} {contexto.path}")
    return rutas, otras


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def rutas_vivas(app: FastAPI) -> set[Ruta]:
    return rutas_de(app)[0]


async def sesion_nueva(cliente: httpx.AsyncClient, cuenta: str) -> str:
    """A fresh session cookie of a person's account, signed in through the login form."""
    cliente.cookies.clear()
    respuesta = await iniciar_sesion(cliente, cuenta)
    assert respuesta.status_code == 303, respuesta.text
    cookie = cliente.cookies.get(COOKIE_SESION)
    cliente.cookies.clear()
    assert cookie, f"el inicio de sesión de {cuenta} no dejó cookie de sesión"
    return cookie


async def token_de(cliente: httpx.AsyncClient, cuenta: str) -> str:
    """An API token: password grant for people, client credentials for the service account."""
    if cuenta == CUENTA_DE_SERVICIO:
        datos = {"grant_type": "client_credentials", "client_id": cuenta, "client_secret": CLAVE}
    else:
        datos = {"username": cuenta, "password": CLAVE}
    respuesta = await cliente.post("/api/identidad/v1/token", data=datos)
    assert respuesta.status_code == 200, respuesta.text
    return str(respuesta.json()["access_token"])


def csv_solo_encabezados() -> bytes:
    """A registry file with the right columns and no rows: imports nothing, removes nothing."""
    salida = io.StringIO()
    csv.writer(salida).writerow(NOMBRES_COLUMNAS)
    return salida.getvalue().encode("utf-8")


async def importacion_terminada(cliente: httpx.AsyncClient, cabecera: dict[str, str]) -> str:
    """An import job with its report, to fill `{importacion_id}`."""
    subida = await cliente.post(
        IMPORTACIONES, files={"archivo": ("vacio.csv", csv_solo_encabezados())}, headers=cabecera
    )
    assert subida.status_code == 202, subida.text
    importacion_id = str(subida.json()["id"])

    async def terminada() -> bool:
        estado = await cliente.get(f"{IMPORTACIONES}/{importacion_id}", headers=cabecera)
        return bool(estado.json()["estado"] != "en_proceso")

    await esperar(terminada)
    return importacion_id


async def precarga_terminada(cliente: httpx.AsyncClient, cabecera: dict[str, str]) -> str:
    """A pre-load job of the party's own template (nothing changes), to fill `{precarga_id}`."""
    plantilla = await cliente.get(f"{PRECARGA}/plantilla.xlsx", headers=cabecera)
    assert plantilla.status_code == 200, plantilla.text
    subida = await cliente.post(
        PRECARGA, files={"archivo": ("plantilla.xlsx", plantilla.content)}, headers=cabecera
    )
    assert subida.status_code == 202, subida.text
    precarga_id = str(subida.json()["id"])

    async def terminada() -> bool:
        estado = await cliente.get(f"{PRECARGA}/{precarga_id}", headers=cabecera)
        return bool(estado.json()["estado"] != "en_proceso")

    await esperar(terminada)
    return precarga_id


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def escenario(app: FastAPI, cliente: httpx.AsyncClient) -> Escenario:
    cuentas = sorted({s.cuenta for s in SUJETOS if s.cuenta is not None})
    tokens = {cuenta: await token_de(cliente, cuenta) for cuenta in cuentas}
    personas = [cuenta for cuenta in cuentas if cuenta != CUENTA_DE_SERVICIO]
    sesiones = {cuenta: await sesion_nueva(cliente, cuenta) for cuenta in personas}
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    yo = await cliente.get(
        "/api/identidad/v1/yo", headers={"Authorization": f"Bearer {tokens['candidatura.demo']}"}
    )
    propia = str(yo.json()["candidatura"])
    todas = (await cliente.get(LISTA_API, params={"por_pagina": 500}, headers=admin)).json()
    filas = todas["resultados"]
    partidos = {c["id"]: c["partido"] for c in filas}
    assert partidos[propia] == PARTIDO_PROPIO, "candidatura.demo ya no es del partido propio"
    # Prefer another party's candidacy in a coalition or candidatura común shared with ours:
    # only the postulating party named in the agreement may see it (PTO 20).
    alianzas = {c["clave_postulante"] for c in filas if c["partido"] == PARTIDO_PROPIO}
    ajenas = sorted(
        (c for c in filas if c["partido"] not in (PARTIDO_PROPIO, None)),
        key=lambda c: (c["clave_postulante"] not in alianzas, c["id"]),
    )
    del_partido = sorted(i for i, p in partidos.items() if p == PARTIDO_PROPIO and i != propia)

    async def revisiones_al_dia() -> bool:
        cola = await cliente.get(REVISIONES, headers=admin)
        return int(cola.json()["total"]) >= len(filas)

    await esperar(revisiones_al_dia)
    await con_fotografia_y_consentimiento(cliente, propia, tokens["captura.prd"])
    await solicitudes_en(app, [propia, del_partido[0], ajenas[0]["id"]])
    return Escenario(
        tokens=tokens,
        sesiones=sesiones,
        propia=propia,
        de_otro_partido=ajenas[0]["id"],
        otra_del_partido=del_partido[0],
        importacion=await importacion_terminada(cliente, admin),
        precarga=await precarga_terminada(
            cliente, {"Authorization": f"Bearer {tokens['captura.prd']}"}
        ),
        lote=nuevas(2),
        avisos=(
            await aviso_a(app, propia, PARTIDO_PROPIO),
            await aviso_a(app, ajenas[0]["id"], ajenas[0]["partido"]),
        ),
        webhook=await webhook_en(app, propia),
    )


async def webhook_en(app: FastAPI, candidatura: str) -> tuple[str, str]:
    """A subscriber with one dead delivery (written directly: nothing is published here)."""
    recursos = app.state.recursos[Servicio.PUBLICACION]
    ahora = time.time()
    suscripcion = Suscripcion.registrar(
        id="sus-matriz",
        url=WEBHOOK_SIN_DNS,
        eventos=[EventoWebhook.PERFIL_PUBLICADO.value],
        descripcion="Matriz de autorización",
        secreto=nuevo_secreto_webhook(bytes(32)),
        usuario="admin",
        ahora=ahora,
    )
    suscripciones = SuscripcionRepository(recursos.store, cifrador=cifrador_de(recursos.plataforma))
    await suscripciones.agregar(suscripcion)
    entrega = Entrega.nueva(
        evento_id="0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        suscripcion_id=suscripcion.id,
        tipo=EventoWebhook.PERFIL_PUBLICADO,
        candidatura_id=candidatura,
        momento_evento="2024-05-01T06:00:00Z",
        datos={"version": 1},
        ahora=ahora,
    )
    entrega.estado, entrega.proximo_intento = EstadoEntrega.FALLIDA, None
    await EntregaRepository(recursos.store).agregar(entrega)
    return suscripcion.id, entrega.id


async def solicitudes_en(app: FastAPI, candidaturas: list[str]) -> None:
    """A pending change request for each candidacy (written directly: none is published)."""
    recursos = app.state.recursos[Servicio.VALIDACION]
    solicitudes = SolicitudRepository(recursos.store)
    revisiones = RevisionRepository(recursos.store)
    ahora = datetime.now(UTC)
    for candidatura in candidaturas:
        revision = await revisiones.obtener(candidatura)
        assert revision is not None, candidatura
        solicitud = SolicitudCambio(
            id=id_de_solicitud(candidatura),
            candidatura_id=candidatura,
            cambios=(Cambio(CampoCurricular.PROPUESTA_1, "Agua potable."),),
            presentada_por="supervisor.prd",
            presentada_en=ahora,
            vence=ahora + timedelta(days=1),
        )
        await solicitudes.agregar(
            Expediente(solicitud, revision.nombre, revision.cargo, revision.partido), []
        )


async def aviso_a(app: FastAPI, candidatura: str, partido: str) -> str:
    """A notice about a candidacy, as the verifier's takedown issues it; its id."""
    recursos = app.state.recursos[Servicio.VALIDACION]
    aviso = await handlers_avisos.emitir_aviso(
        avisos=AvisoRepository(recursos.store, avisar_relay=recursos.avisar_relay),
        candidatura_id=candidatura,
        version=1,
        partido=partido,
        mensaje="Revise la propuesta 1.",
        actor=Actor(usuario="verificador", rol="verificador"),
    )
    return aviso.id


async def con_fotografia_y_consentimiento(
    cliente: httpx.AsyncClient, candidatura: str, token: str
) -> None:
    """The own candidacy gets a photograph and a signed consent, so reading them answers 200."""
    cabecera = {"Authorization": f"Bearer {token}"}
    base = f"{LISTA_API}/{candidatura}"
    foto = await cliente.put(
        f"{base}/fotografia", headers=cabecera, files={"archivo": ("f.jpg", jpeg())}
    )
    assert foto.status_code == 200, foto.text
    formato = await cliente.get(f"{base}/consentimiento/formato.pdf", headers=cabecera)
    firmado = await cliente.put(
        f"{base}/consentimiento",
        headers=cabecera,
        data={
            "tratamiento": "true",
            "publicacion": "false",
            "uso_estadistico": "false",
            "revision": "0",
        },
        files={"documento": ("c.pdf", formato.content, "application/pdf")},
    )
    assert firmado.status_code == 200, firmado.text


def url_de(ruta: Ruta, sujeto: Sujeto, escenario: Escenario) -> str:
    """The route's path with its parameters filled for this subject."""

    def valor(parametro: re.Match[str]) -> str:
        nombre = parametro.group(1).split(":")[0]
        if nombre not in VALORES_DE_RUTA:
            pytest.fail(f"añada a VALORES_DE_RUTA cómo llenar «{{{nombre}}}» de {ruta[1]}")
        return VALORES_DE_RUTA[nombre](sujeto, escenario)

    return re.sub(r"{([^}]+)}", valor, ruta[1])


async def llamar(
    cliente: httpx.AsyncClient,
    ruta: Ruta,
    sujeto: Sujeto,
    escenario: Escenario,
    *,
    url: str | None = None,
) -> httpx.Response:
    """Call a route as the subject: a Bearer token for APIs, a browser session for pages."""
    metodo, ruta_url = ruta
    cabeceras: dict[str, str] = {}
    cookies: dict[str, str] = {}
    if not es_api(ruta_url):
        cookies[COOKIE_CSRF] = escenario.csrf
        cabeceras |= {"Accept": "text/html", CABECERA_CSRF: escenario.csrf}
    cuenta = sujeto.cuenta
    if cuenta is not None and (es_api(ruta_url) or cuenta == CUENTA_DE_SERVICIO):
        cabeceras["Authorization"] = f"Bearer {escenario.tokens[cuenta]}"
    elif cuenta is not None:
        nueva = ruta in CIERRAN_SESION
        cookies[COOKIE_SESION] = (
            await sesion_nueva(cliente, cuenta) if nueva else escenario.sesiones[cuenta]
        )
    if cookies:
        cabeceras["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    cuerpo = CUERPOS[ruta](escenario) if ruta in CUERPOS else {}
    # The shared client must not carry cookies from one subject to the next.
    cliente.cookies.clear()
    peticion = cliente.build_request(
        metodo, url or url_de(ruta, sujeto, escenario), headers=cabeceras, **cuerpo
    )
    return await cliente.send(peticion)


def cumple(esperada: str, respuesta: httpx.Response) -> bool:
    """Whether an answer matches a cell of the matrix."""
    a_login = respuesta.status_code == 303 and respuesta.headers.get("location", "").startswith(
        A_LOGIN
    )
    if esperada == "P":
        negada = respuesta.status_code in (401, 403, 404) or a_login
        return not negada and respuesta.status_code < 500
    if esperada == "login":
        return a_login
    return respuesta.status_code == int(esperada)


def describir(respuesta: httpx.Response) -> str:
    """Status, redirect and the start of the body, for a failure message."""
    destino = respuesta.headers.get("location")
    return f"{respuesta.status_code}{f' → {destino}' if destino else ''}: {respuesta.text[:300]}"


# Authorization bugs this file found in list scoping, left for their owners: strict, so a fix
# turns them red until the entry is removed.
# Known defects, as strict expected failures: once fixed, the run fails until the entry goes.
DEFECTOS_EN_LISTAS: dict[tuple[Ruta, str], str] = {}


def casos_de(
    casos: list[tuple[Ruta, Sujeto]], defectos: Mapping[tuple[Ruta, str], str] | None = None
) -> list[Any]:
    """Cases as pytest params with readable ids, known bugs marked as strict expected failures."""
    defectos = defectos or {}
    return [
        pytest.param(
            ruta,
            sujeto,
            id=f"{ruta[0]} {ruta[1]} @ {sujeto.nombre}",
            marks=[pytest.mark.xfail(strict=True, reason=defectos[(ruta, sujeto.nombre)])]
            if (ruta, sujeto.nombre) in defectos
            else [],
        )
        for ruta, sujeto in casos
    ]


async def partidos_actuales(
    cliente: httpx.AsyncClient, escenario: Escenario
) -> dict[str, str | None]:
    """Every candidacy's party, as the administrator sees it now."""
    admin = {"Authorization": f"Bearer {escenario.tokens['admin']}"}
    cliente.cookies.clear()
    lista = await cliente.get(LISTA_API, params={"por_pagina": 500}, headers=admin)
    return {c["id"]: c["partido"] for c in lista.json()["resultados"]}


def ids_mostrados(respuesta: httpx.Response, campo: str, conocidas: set[str]) -> set[str]:
    """The candidacy ids a list answer shows."""
    if campo:
        cuerpo = respuesta.json()
        filas = cuerpo["resultados"] if isinstance(cuerpo, dict) else cuerpo
        return {str(fila[campo]) for fila in filas}
    return {
        i for i in conocidas if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", respuesta.text)
    }


async def test_cada_ruta_tiene_su_fila_en_la_matriz(app: FastAPI) -> None:
    rutas, otras = rutas_de(app)
    sin_fila = sorted(rutas - FILAS.keys())
    sin_ruta = sorted(FILAS.keys() - rutas)
    problemas = [f"  sin fila en MATRIZ: {metodo} {ruta}" for metodo, ruta in sin_fila]
    problemas += [
        f"  fila de una ruta que ya no existe: {metodo} {ruta}" for metodo, ruta in sin_ruta
    ]
    problemas += [f"  ni ruta ni archivos estáticos (decida cómo probarlo): {o}" for o in otras]
    assert not problemas, "tests/integration/matriz_autorizacion.py:\n" + "\n".join(problemas)


@pytest.mark.parametrize(("ruta", "sujeto"), casos_de(CASOS))
async def test_cada_sujeto_recibe_lo_que_dice_la_matriz(
    ruta: Ruta,
    sujeto: Sujeto,
    cliente: httpx.AsyncClient,
    escenario: Escenario,
    rutas_vivas: set[Ruta],
) -> None:
    if ruta not in rutas_vivas:
        pytest.fail("la ruta ya no existe; quite su fila de la matriz")
    respuesta = await llamar(cliente, ruta, sujeto, escenario)
    esperada = esperado(ruta, sujeto)
    assert cumple(esperada, respuesta), (
        f"{ruta[0]} {respuesta.request.url.path} como {sujeto.nombre}: "
        f"se esperaba {esperada}, respondió {describir(respuesta)}"
    )


# Lists and how to read the candidacy ids they show (JSON field, or ids in the page).
LISTAS: dict[Ruta, str] = {
    ("GET", LISTA_API): "id",
    ("GET", "/captura/"): "",
    ("GET", "/captura/candidaturas"): "",
    ("GET", REVISIONES): "candidatura_id",
    ("GET", "/validacion/"): "",
}
CON_ALCANCE = [s for s in SUJETOS if s.columna in ("sup", "part", "cand") and not s.ajeno]


@pytest.mark.parametrize(
    ("ruta", "sujeto"),
    # Only the lists the matrix allows each subject: the denials are the matrix's own cases.
    casos_de(
        [(r, s) for r in LISTAS for s in CON_ALCANCE if esperado(r, s) == "P"], DEFECTOS_EN_LISTAS
    ),
)
async def test_las_listas_muestran_solo_lo_que_esta_en_alcance(
    ruta: Ruta, sujeto: Sujeto, cliente: httpx.AsyncClient, escenario: Escenario
) -> None:
    url = ruta[1] + ("?por_pagina=500" if ruta[1].endswith("candidaturas") else "")
    respuesta = await llamar(cliente, ruta, sujeto, escenario, url=url)
    assert respuesta.status_code == 200, describir(respuesta)
    # Read now: the matrix's batch may have added candidacies since the scenario was built.
    partidos = await partidos_actuales(cliente, escenario)
    if sujeto.columna == "cand":
        alcance = {escenario.propia}
    else:
        alcance = {i for i, p in partidos.items() if p == PARTIDO_PROPIO}
    vistas = ids_mostrados(respuesta, LISTAS[ruta], set(partidos))
    assert escenario.propia in vistas, f"{ruta[1]} no muestra {escenario.propia}"
    assert vistas <= alcance, f"{ruta[1]} muestra a {sujeto.nombre}: {sorted(vistas - alcance)}"


CON_ID = [
    (ruta, sujeto)
    for ruta in FILAS
    if "{candidatura_id" in ruta[1]
    for sujeto in SUJETOS
    if sujeto.ajeno and esperado(ruta, sujeto) == "404"
]


@pytest.mark.parametrize(("ruta", "sujeto"), casos_de(CON_ID))
async def test_fuera_de_alcance_se_ve_igual_que_inexistente(
    ruta: Ruta, sujeto: Sujeto, cliente: httpx.AsyncClient, escenario: Escenario
) -> None:
    ajena = escenario.candidatura_de(sujeto)
    fuera = await llamar(cliente, ruta, sujeto, escenario)
    inexistente = await llamar(
        cliente, ruta, sujeto, escenario, url=re.sub(r"{candidatura_id[^}]*}", NO_EXISTE, ruta[1])
    )
    assert fuera.status_code == inexistente.status_code == 404
    assert fuera.text.replace(ajena, "ID") == inexistente.text.replace(NO_EXISTE, "ID")
