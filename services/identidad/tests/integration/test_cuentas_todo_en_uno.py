"""Account generation, delivery and lifecycle through the all-in-one process (demo election)."""

import csv
import io
import re
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from captura.adapters import leer_directorio_eleccion
from captura.domain import armar_eleccion
from captura.generador import generar
from comun.pruebas import esperar as esperar_hasta
from comun.servicios import Servicio
from comun.settings import archivo_de_datos
from conoceles.todo_en_uno import create_app

CLAVE_DEMO = "clave-demo-de-pruebas"
DEMO_CANDIDATURAS = 40
BASE = "http://testserver"
API = "/api/identidad/v1"
CLAVE_NUEVA = "Girasoles-de-Toluca-2024"
ELECCION = armar_eleccion(leer_directorio_eleccion(archivo_de_datos("elecciones/edomex-2024")))
PARTICIPANTES = set(ELECCION.partidos) | set(ELECCION.independientes)


@pytest.fixture
async def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FastAPI]:
    monkeypatch.setenv("CONOCELES_DATOS", str(tmp_path))
    monkeypatch.setenv("CONOCELES_DEMO", "true")
    monkeypatch.setenv("CONOCELES_DEMO_CLAVE", CLAVE_DEMO)
    monkeypatch.setenv("CONOCELES_CAPTURA_DEMO_CANDIDATURAS", str(DEMO_CANDIDATURAS))
    aplicacion = create_app()
    async with LifespanManager(aplicacion, startup_timeout=60, shutdown_timeout=30):
        yield aplicacion


def cliente_de(app: FastAPI) -> httpx.AsyncClient:
    """A browser-like client of the app (its own cookies)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)


@pytest.fixture
async def cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with cliente_de(app) as c:
        yield c


# This module's flows take longer than the default deadline.
esperar = partial(esperar_hasta, plazo=15.0)


async def admin(cliente: httpx.AsyncClient) -> dict[str, str]:
    """Bearer header of the demo administrator, once identidad knows every party and independent."""
    respuesta = await cliente.post(
        f"{API}/token", data={"username": "admin", "password": CLAVE_DEMO}
    )
    assert respuesta.status_code == 200, respuesta.text
    cabecera = {"Authorization": f"Bearer {respuesta.json()['access_token']}"}

    async def catalogo() -> bool:
        # Parties and independents arrive one by one; wait for the whole catalog.
        entregas = (await cliente.get(f"{API}/entregas", headers=cabecera)).json()
        return len(entregas) == len(PARTICIPANTES)

    await esperar(catalogo)
    return cabecera


async def cuentas_de_candidatura(
    cliente: httpx.AsyncClient, cabecera: dict[str, str]
) -> list[dict[str, Any]]:
    """The individual accounts (the demo seed has one of a registry candidacy too)."""
    respuesta = await cliente.get(
        f"{API}/cuentas", params={"rol": "candidatura", "por_pagina": 500}, headers=cabecera
    )
    return list(respuesta.json()["cuentas"])


async def con_cuentas_de_candidatura(
    cliente: httpx.AsyncClient, cabecera: dict[str, str]
) -> list[dict[str, Any]]:
    """Wait until every demo candidacy has its account."""

    async def listas() -> bool:
        cuentas = await cuentas_de_candidatura(cliente, cabecera)
        return len({c["candidatura"] for c in cuentas}) == DEMO_CANDIDATURAS

    await esperar(listas)
    return await cuentas_de_candidatura(cliente, cabecera)


def csrf(html: str) -> str:
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert encontrado is not None, "la página no trae código de seguridad"
    return encontrado.group(1)


@asynccontextmanager
async def entrar_y_cambiar_clave(
    app: FastAPI, usuario: str, temporal: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Sign in with the temporary password as a browser would and choose a new one."""
    async with cliente_de(app) as navegador:
        await _entrar_y_cambiar(navegador, usuario, temporal)
        yield navegador


async def _entrar_y_cambiar(navegador: httpx.AsyncClient, usuario: str, temporal: str) -> None:
    formulario = await navegador.get("/identidad/login")
    entrada = await navegador.post(
        "/identidad/login",
        data={"usuario": usuario, "clave": temporal, "csrf_token": csrf(formulario.text)},
    )
    assert entrada.status_code == 303, entrada.text
    pagina = await navegador.get("/identidad/cuenta/clave")
    assert pagina.status_code == 200, pagina.text
    cambio = await navegador.post(
        "/identidad/cuenta/clave",
        data={
            "actual": temporal,
            "nueva": CLAVE_NUEVA,
            "confirmacion": CLAVE_NUEVA,
            "csrf_token": csrf(pagina.text),
        },
    )
    assert cambio.status_code == 303, cambio.text


async def paquete(
    cliente: httpx.AsyncClient, cabecera: dict[str, str], participante: str, **extra: Any
) -> httpx.Response:
    return await cliente.post(
        f"{API}/paquetes", json={"participante": participante, **extra}, headers=cabecera
    )


async def historial(app: FastAPI, tipo: str) -> list[dict[str, Any]]:
    """The activity-history entries of one event type (auditoria's store)."""
    store = app.state.recursos[Servicio.AUDITORIA].store
    return await store.collection("historial").find({"tipo": f"mx.conoceles.identidad.{tipo}.v1"})


async def test_cada_candidatura_registrada_tiene_su_cuenta_individual(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)

    cuentas = await con_cuentas_de_candidatura(cliente, cabecera)

    generadas = [c for c in cuentas if c["origen"] == "candidatura"]
    assert len(generadas) >= DEMO_CANDIDATURAS - 1
    assert all(c["usuario"] == f"cand.{c['candidatura'].lower()}" for c in generadas)
    independientes = [c for c in cuentas if c["partido"] is None]
    assert independientes and all(c["participante"].startswith("IND-") for c in independientes)


async def test_pan_recibe_su_paquete_y_sus_cuentas_ven_solo_lo_suyo(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    await con_cuentas_de_candidatura(cliente, cabecera)
    creadas = await cliente.post(f"{API}/partidos/PAN/cuentas", headers=cabecera)
    assert creadas.status_code == 201, creadas.text
    assert [c["usuario"] for c in creadas.json()] == [
        "pan.captura.01",
        "pan.captura.02",
        "pan.captura.03",
    ]

    generado = await paquete(cliente, cabecera, "PAN")

    assert generado.status_code == 201, generado.text
    assert generado.headers["cache-control"] == "no-store"
    claves = {c["usuario"]: c["clave"] for c in generado.json()["cuentas"]}
    assert {"pan.captura.01", "pan.captura.02", "pan.captura.03"} <= set(claves)
    individuales = [u for u in claves if u.startswith("cand.")]
    assert individuales
    assert {c["partido"] for c in generado.json()["cuentas"]} == {"PAN"}

    async with entrar_y_cambiar_clave(app, "pan.captura.01", claves["pan.captura.01"]) as captura:
        vistas = (await captura.get("/api/captura/v1/candidaturas")).json()
    assert vistas["total"] == len(individuales)
    assert {c["partido"] for c in vistas["resultados"]} == {"PAN"}

    propia = individuales[0]
    async with entrar_y_cambiar_clave(app, propia, claves[propia]) as candidatura:
        vistas = (await candidatura.get("/api/captura/v1/candidaturas")).json()
    assert [f"cand.{c['id'].lower()}" for c in vistas["resultados"]] == [propia]


async def test_la_clave_temporal_no_sirve_para_pedir_tokens_por_la_api(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/PAN/cuentas", headers=cabecera)
    claves = {
        c["usuario"]: c["clave"]
        for c in (await paquete(cliente, cabecera, "PAN")).json()["cuentas"]
    }

    respuesta = await cliente.post(
        f"{API}/token", data={"username": "pan.captura.02", "password": claves["pan.captura.02"]}
    )

    assert respuesta.status_code == 403
    assert "temporal" in respuesta.json()["detail"]


async def test_el_paquete_zip_trae_el_acuse_pdf_y_el_csv_con_las_mismas_claves(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/MC/cuentas", json={"cantidad": 2}, headers=cabecera)

    respuesta = await cliente.post(
        f"{API}/paquetes",
        params={"formato": "zip"},
        json={"participante": "MC"},
        headers=cabecera,
    )

    assert respuesta.status_code == 201
    assert respuesta.headers["content-type"] == "application/zip"
    archivo = zipfile.ZipFile(io.BytesIO(respuesta.content))
    nombres = sorted(archivo.namelist())
    assert [n.rsplit(".", 1)[1] for n in nombres] == ["csv", "pdf"]
    assert archivo.read(nombres[1]).startswith(b"%PDF")
    filas = list(csv.DictReader(io.StringIO(archivo.read(nombres[0]).decode("utf-8-sig"))))
    assert {f["usuario"] for f in filas} >= {"mc.captura.01", "mc.captura.02"}
    assert all(
        re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", f["contrasena_temporal"])
        for f in filas
    )


async def test_registrar_la_entrega_emite_credenciales_entregadas_por_cada_cuenta(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    await con_cuentas_de_candidatura(cliente, cabecera)
    await cliente.post(f"{API}/partidos/PT/cuentas", json={"cantidad": 1}, headers=cabecera)
    generado = (await paquete(cliente, cabecera, "PT")).json()

    entrega = await cliente.post(
        f"{API}/paquetes/{generado['folio']}/entrega",
        json={"recibio": "María Fernanda Ruiz Gómez"},
        headers=cabecera,
    )

    assert entrega.status_code == 200, entrega.text
    assert entrega.json()["estado"] == "entregado"
    cuentas = {c["usuario"] for c in generado["cuentas"]}

    async def anotadas() -> bool:
        return len(await historial(app, "credenciales_entregadas")) == len(cuentas)

    await esperar(anotadas)
    resumen = {
        r["participante"]: r
        for r in (await cliente.get(f"{API}/entregas", headers=cabecera)).json()
    }
    assert resumen["PT"]["pendientes"] == 0


async def test_entregar_dos_veces_el_mismo_paquete_da_409_con_lo_que_hay_que_hacer(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/PRI/cuentas", headers=cabecera)
    folio = (await paquete(cliente, cabecera, "PRI")).json()["folio"]
    url = f"{API}/paquetes/{folio}/entrega"
    await cliente.post(url, json={"recibio": "Luis Pérez"}, headers=cabecera)

    otra = await cliente.post(url, json={"recibio": "Luis Pérez"}, headers=cabecera)

    assert otra.status_code == 409
    assert "ya se entregó" in otra.json()["detail"]
    assert "Reemitir" in otra.json()["detail"]


async def test_sin_cuentas_pendientes_pide_reemitir_y_reemitir_cambia_las_claves(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/NAEM/cuentas", json={"cantidad": 1}, headers=cabecera)
    primero = (await paquete(cliente, cabecera, "NAEM")).json()
    await cliente.post(
        f"{API}/paquetes/{primero['folio']}/entrega", json={"recibio": "Ana"}, headers=cabecera
    )

    sin_pendientes = await paquete(cliente, cabecera, "NAEM")
    segundo = (await paquete(cliente, cabecera, "NAEM", reemitir=True)).json()

    assert sin_pendientes.status_code == 409
    assert "Reemitir" in sin_pendientes.json()["detail"]
    vieja = {c["usuario"]: c["clave"] for c in primero["cuentas"]}["naem.captura.01"]
    nueva = {c["usuario"]: c["clave"] for c in segundo["cuentas"]}["naem.captura.01"]
    assert vieja != nueva
    assert {c["motivo"] for c in segundo["cuentas"]} == {"reentrega"}
    async with cliente_de(app) as navegador:
        formulario = await navegador.get("/identidad/login")
        vieja_entrada = await navegador.post(
            "/identidad/login",
            data={
                "usuario": "naem.captura.01",
                "clave": vieja,
                "csrf_token": csrf(formulario.text),
            },
        )
    assert vieja_entrada.status_code == 422


async def test_cuentas_repetidas_dan_409_y_partido_desconocido_422(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/PRD/cuentas", headers=cabecera)

    repetidas = await cliente.post(f"{API}/partidos/PRD/cuentas", headers=cabecera)
    desconocido = await cliente.post(f"{API}/partidos/XYZ/cuentas", headers=cabecera)
    repetida = await cliente.post(
        f"{API}/cuentas",
        json={
            "rol": "verificador",
            "nombre": "Admin",
            "apellidos": "Repetida",
            "correo": "admin@ieem.org.mx",
        },
        headers=cabecera,
    )

    assert repetidas.status_code == 409
    assert "indique cuántas" in repetidas.json()["detail"]
    assert desconocido.status_code == 422
    assert "XYZ" in desconocido.json()["detail"]
    assert repetida.status_code == 409
    assert "«admin»" in repetida.json()["detail"]


async def test_designar_supervision_crea_la_cuenta_y_registra_la_designacion(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    datos = {
        "partido": "MORENA",
        "nombre": "Rosa Elena",
        "apellidos": "Martínez Villegas",
        "correo": "rosa.martinez@morena.example.mx",
        "telefono": "722 123 4567",
        "oficio": "MORENA/EDOMEX/045/2024",
        "fecha_oficio": "2024-03-15",
    }

    respuesta = await cliente.post(f"{API}/designaciones", json=datos, headers=cabecera)
    repetida = await cliente.post(f"{API}/designaciones", json=datos, headers=cabecera)

    assert respuesta.status_code == 201, respuesta.text
    assert respuesta.json()["usuario"] == "morena.supervision.01"
    cuenta = (await cliente.get(f"{API}/cuentas/morena.supervision.01", headers=cabecera)).json()
    assert (cuenta["rol"], cuenta["partido"], cuenta["telefono"]) == (
        "supervisor",
        "MORENA",
        "7221234567",
    )
    assert repetida.status_code == 409

    async def anotada() -> bool:
        return len(await historial(app, "designacion_registrada")) == 1

    await esperar(anotada)


async def test_nadie_deshabilita_su_propia_cuenta_de_administracion(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)

    propia = await cliente.post(
        f"{API}/cuentas/admin/deshabilitar", json={"motivo": "Prueba"}, headers=cabecera
    )

    assert propia.status_code == 409
    assert "propia cuenta" in propia.json()["detail"]
    assert (await cliente.get(f"{API}/cuentas/admin", headers=cabecera)).json()["habilitada"]


async def configurar_segundo_factor(navegador: httpx.AsyncClient) -> None:
    """Enrol TOTP as the holder would, with the key the page shows."""
    pagina = await navegador.get("/identidad/cuenta/segundo-factor")
    secreto = re.search(r'<code id="clave-secreta">([^<]+)</code>', pagina.text)
    assert secreto is not None, pagina.text
    codigo = pyotp.TOTP(secreto.group(1).replace(" ", "")).now()
    confirmado = await navegador.post(
        "/identidad/cuenta/segundo-factor",
        data={"codigo": codigo, "csrf_token": csrf(pagina.text)},
    )
    assert confirmado.status_code == 303, confirmado.text


async def test_deshabilitar_corta_la_sesion_abierta_y_no_se_restablece_deshabilitada(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(
        f"{API}/cuentas",
        json={
            "rol": "administrador",
            "nombre": "Jorge",
            "apellidos": "Santiago Cruz",
            "correo": "jorge.santiago@ieem.org.mx",
        },
        headers=cabecera,
    )
    paquete = await cliente.post(f"{API}/cuentas/jorge.santiago/restablecer", headers=cabecera)
    temporal = paquete.json()["cuentas"][0]["clave"]

    async with entrar_y_cambiar_clave(app, "jorge.santiago", temporal) as navegador:
        await configurar_segundo_factor(navegador)
        antes = await navegador.get(f"{API}/cuentas")
        await cliente.post(
            f"{API}/cuentas/jorge.santiago/deshabilitar",
            json={"motivo": "Cambio de área"},
            headers=cabecera,
        )
        despues = await navegador.get(f"{API}/cuentas")
    restablecer = await cliente.post(f"{API}/cuentas/jorge.santiago/restablecer", headers=cabecera)

    assert antes.status_code == 200, antes.text
    assert despues.status_code == 401
    assert "sesión terminó" in despues.json()["detail"]
    assert restablecer.status_code == 409
    assert "deshabilitada" in restablecer.json()["detail"]


async def test_cerrar_sesiones_en_todos_lados_invalida_el_token_anterior(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)
    otro = await admin(cliente)
    await cliente.post(
        f"{API}/cuentas",
        json={
            "rol": "administrador",
            "nombre": "Eva",
            "apellidos": "Luna Sol",
            "correo": "eva.luna@ieem.org.mx",
        },
        headers=cabecera,
    )
    assert (await cliente.get(f"{API}/cuentas", headers=otro)).status_code == 200

    cerrar = await cliente.post(f"{API}/cuentas/admin/cerrar-sesiones", headers=cabecera)
    despues = await cliente.get(f"{API}/cuentas", headers=otro)

    assert cerrar.status_code == 204
    assert despues.status_code == 401
    assert "sesión terminó" in despues.json()["detail"]


async def test_extravio_deshabilita_da_clave_nueva_y_la_entrega_habilita(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/PVEM/cuentas", json={"cantidad": 1}, headers=cabecera)
    primero = (await paquete(cliente, cabecera, "PVEM")).json()
    await cliente.post(
        f"{API}/paquetes/{primero['folio']}/entrega", json={"recibio": "Ana"}, headers=cabecera
    )

    reporte = await cliente.post(
        f"{API}/cuentas/pvem.captura.01/extravio",
        json={"motivo": "Se perdió el acuse"},
        headers=cabecera,
    )
    durante = (await cliente.get(f"{API}/cuentas/pvem.captura.01", headers=cabecera)).json()
    await cliente.post(
        f"{API}/paquetes/{reporte.json()['folio']}/entrega",
        json={"recibio": "Ana"},
        headers=cabecera,
    )
    despues = (await cliente.get(f"{API}/cuentas/pvem.captura.01", headers=cabecera)).json()

    assert reporte.status_code == 201, reporte.text
    assert reporte.json()["cuentas"][0]["motivo"] == "extravio"
    assert not durante["habilitada"]
    assert "Extravío" in durante["motivo_deshabilitada"]
    assert despues["habilitada"]

    async def anotadas() -> bool:
        motivos = await historial(app, "clave_restablecida")
        return len(motivos) >= 2

    await esperar(anotadas)


async def test_las_paginas_de_administracion_muestran_cuentas_designaciones_y_entregas(
    cliente: httpx.AsyncClient,
) -> None:
    await admin(cliente)  # identidad learns the parties from captura's event, asynchronously
    formulario = await cliente.get("/identidad/login")
    await cliente.post(
        "/identidad/login",
        data={"usuario": "admin", "clave": CLAVE_DEMO, "csrf_token": csrf(formulario.text)},
    )
    generar = await cliente.get("/identidad/cuentas/nuevas")
    creadas = await cliente.post(
        "/identidad/cuentas/nuevas/partido",
        data={"partido": "PAN", "cantidad": "", "csrf_token": csrf(generar.text)},
    )
    lista = await cliente.get("/identidad/cuentas", params={"partido": "PAN", "rol": "partido"})
    entregas = await cliente.get("/identidad/entregas")
    sin_confirmar = await cliente.post(
        "/identidad/entregas", data={"participante": "PAN", "csrf_token": csrf(entregas.text)}
    )
    descarga = await cliente.post(
        "/identidad/entregas",
        data={"participante": "PAN", "confirmo": "si", "csrf_token": csrf(entregas.text)},
    )
    designaciones = await cliente.get("/identidad/designaciones")
    inicio = await cliente.get("/identidad/")

    assert creadas.status_code == 303
    assert lista.status_code == 200
    assert "pan.captura.03" in lista.text
    assert "Entrega de cuentas" in entregas.text
    assert sin_confirmar.status_code == 422
    assert "casilla de confirmación" in sin_confirmar.text
    assert descarga.status_code == 200
    assert descarga.headers["content-type"] == "application/zip"
    assert designaciones.status_code == 200
    assert "Registrar una designación" in designaciones.text
    assert 'href="/identidad/entregas"' in inicio.text


async def test_las_paginas_de_administracion_piden_el_rol_administrador(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    respuesta = await cliente.post(
        f"{API}/token", data={"username": "captura.pan", "password": CLAVE_DEMO}
    )
    cabecera = {"Authorization": f"Bearer {respuesta.json()['access_token']}"}

    assert (await cliente.get(f"{API}/cuentas", headers=cabecera)).status_code == 403
    assert (await cliente.get(f"{API}/cuentas")).status_code == 401


def nuevas(cuantas: int) -> list[dict[str, Any]]:
    """Registry rows the demo does not hold yet (the generator nests by number)."""
    demo = {f["FOLIO"] for f in generar(ELECCION, candidaturas=DEMO_CANDIDATURAS)}
    filas = generar(ELECCION, candidaturas=DEMO_CANDIDATURAS + cuantas)
    return [{k.lower(): v for k, v in f.items()} for f in filas if f["FOLIO"] not in demo]


async def test_sustituir_o_cancelar_una_candidatura_deshabilita_su_cuenta(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await admin(cliente)
    registro = "/api/captura/v1/registro/candidaturas"
    filas = nuevas(4)
    propietaria, suplente = filas[0], filas[3]
    await cliente.post(registro, json={"candidaturas": filas}, headers=cabecera)
    sustituta = {
        **propietaria,
        "folio": f"{propietaria['folio']}-2",
        "sustituye_a": propietaria["folio"],
    }
    cambio = {"candidaturas": [sustituta, {**suplente, "estatus": "Cancelada"}]}
    await cliente.post(registro, json=cambio, headers=cabecera)

    async def estado(folio: str) -> bool | None:
        respuesta = await cliente.get(f"{API}/cuentas/cand.{folio.lower()}", headers=cabecera)
        return respuesta.json()["habilitada"] if respuesta.status_code == 200 else None

    async def al_dia() -> bool:
        return (
            await estado(propietaria["folio"]) is False
            and await estado(suplente["folio"]) is False
            and await estado(sustituta["folio"]) is True
        )

    await esperar(al_dia)
    baja = (
        await cliente.get(f"{API}/cuentas/cand.{suplente['folio'].lower()}", headers=cabecera)
    ).json()
    assert "cancelada" in baja["motivo_deshabilitada"]


async def test_la_pagina_renueva_la_sesion_y_una_cuenta_deshabilitada_ya_no_puede(
    app: FastAPI, cliente: httpx.AsyncClient
) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/PAN/cuentas", json={"cuantas": 1}, headers=cabecera)
    paquete = await cliente.post(f"{API}/cuentas/pan.captura.01/restablecer", headers=cabecera)
    temporal = paquete.json()["cuentas"][0]["clave"]

    async with entrar_y_cambiar_clave(app, "pan.captura.01", temporal) as navegador:
        pagina = await navegador.get("/captura/", headers={"Accept": "text/html"})
        assert '<meta name="renovar-sesion" content="/identidad/renovar">' in pagina.text
        renovada = await navegador.post(
            "/identidad/renovar", headers={"X-CSRF-Token": navegador.cookies["conoceles_csrf"]}
        )
        assert renovada.status_code == 204
        assert "Max-Age=900" in renovada.headers["set-cookie"]
        await cliente.post(
            f"{API}/cuentas/pan.captura.01/deshabilitar",
            json={"motivo": "Extravío"},
            headers=cabecera,
        )
        negada = await navegador.post(
            "/identidad/renovar", headers={"X-CSRF-Token": navegador.cookies["conoceles_csrf"]}
        )
    assert negada.status_code == 401
    assert "sesión terminó" in negada.json()["detail"]


async def test_cerrar_sesiones_queda_en_el_historial(cliente: httpx.AsyncClient) -> None:
    cabecera = await admin(cliente)
    await cliente.post(f"{API}/partidos/PAN/cuentas", json={"cuantas": 1}, headers=cabecera)
    cerrar = await cliente.post(f"{API}/cuentas/pan.captura.01/cerrar-sesiones", headers=cabecera)
    assert cerrar.status_code == 204

    async def anotada() -> bool:
        historial = await cliente.get("/api/auditoria/v1/historial", headers=cabecera)
        return any(e["accion"] == "cerrar_sesiones" for e in historial.json()["entradas"])

    await esperar(anotada)
