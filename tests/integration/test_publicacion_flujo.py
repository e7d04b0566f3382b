"""Issue 7 end to end in the all-in-one process: what validation decides is what the public sees.

capture → send → review → validate → public at the start date (a party's and an independent's
candidacy); a verifier takedown hides the field in the public API and notifies; one change
request republishes the profile and leaves the previous text in the public change log.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from comun.servicios import Servicio

from . import proceso
from .captura_flujo import PROPUESTA, capturar_y_enviar, curricular
from .conftest import esperar

pytestmark = pytest.mark.asyncio(loop_scope="module")

PARTIDO = "AY-15007-PM-CC-FYCEM-P"
INDEPENDIENTE = "AY-15010-RM01-IND-01-P"
USUARIO_INDEPENDIENTE = "cand.ay-15010-rm01-ind-01-p"
CLAVE_NUEVA = "Girasoles-de-Toluca-2024"
API_VALIDACION = "/api/validacion/v1"
PUBLICA = "/api/publicacion/v1"
CUENTAS = ("captura.PRD", "supervisor.PRD", "admin", "verificador")
TOMA = {
    "objetivo": "propuesta_1",
    "motivo": "propaganda",
    "observacion": "La propuesta 1 incluye un llamado expreso al voto.",
}
NUEVA = "Transporte público seguro de noche, con rutas nocturnas cada 20 minutos."

datos = proceso.datos_demo("publicacion", CONOCELES_VALIDACION_INTERVALO_PUBLICACION_S="0.05")
app, espia, cliente = proceso.todo_en_uno(Servicio.VALIDACION)
h = proceso.tokens(CUENTAS)


async def perfil(cliente: httpx.AsyncClient, candidatura_id: str) -> httpx.Response:
    return await cliente.get(f"{PUBLICA}/candidaturas/{candidatura_id}")


async def publica(cliente: httpx.AsyncClient, candidatura_id: str) -> dict[str, Any]:
    """Wait until the profile is public; its JSON."""

    async def visible() -> bool:
        return (await perfil(cliente, candidatura_id)).status_code == 200

    await esperar(visible)
    respuesta: dict[str, Any] = (await perfil(cliente, candidatura_id)).json()
    return respuesta


async def fijar_inicio(cliente: httpx.AsyncClient, admin: dict[str, str], cuando: datetime) -> None:
    fijada = await cliente.put(
        f"{API_VALIDACION}/publicacion/inicio", json={"fecha": cuando.isoformat()}, headers=admin
    )
    assert fijada.status_code == 200, fijada.text


async def por_validar(cliente: httpx.AsyncClient, cabecera: dict[str, str], cid: str) -> None:
    async def llegada() -> bool:
        respuesta = await cliente.get(f"{API_VALIDACION}/candidaturas/{cid}", headers=cabecera)
        return respuesta.status_code == 200 and respuesta.json()["estado"] == "por_validar"

    await esperar(llegada)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def validada_antes_de_la_fecha(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]
) -> httpx.Response:
    """The party's candidacy validated while the start date is still ahead; its public 404."""
    await fijar_inicio(cliente, h["admin"], datetime.now(UTC) + timedelta(days=3))
    await capturar_y_enviar(cliente, h["captura.PRD"], PARTIDO)
    await por_validar(cliente, h["supervisor.PRD"], PARTIDO)
    validada = await cliente.post(
        f"{API_VALIDACION}/candidaturas/{PARTIDO}/validacion", headers=h["supervisor.PRD"]
    )
    assert validada.status_code == 200, validada.text

    async def registrada() -> bool:
        resumen = (await cliente.get(f"{PUBLICA}/resumen")).json()
        return bool(resumen["candidaturas_registradas"] > 0)

    await esperar(registrada)
    return await perfil(cliente, PARTIDO)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publicada(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], validada_antes_de_la_fecha: Any
) -> dict[str, Any]:
    """The start date moved to the past: the profile becomes public."""
    await fijar_inicio(cliente, h["admin"], datetime.now(UTC) - timedelta(minutes=1))
    return await publica(cliente, PARTIDO)


async def test_validada_antes_de_la_fecha_de_inicio_no_es_publica(
    cliente: httpx.AsyncClient, validada_antes_de_la_fecha: httpx.Response
) -> None:
    assert validada_antes_de_la_fecha.status_code == 404
    assert "fecha de inicio de publicación" in validada_antes_de_la_fecha.json()["detail"]
    lista = (await cliente.get(f"{PUBLICA}/candidaturas")).json()
    assert PARTIDO not in {p["id"] for p in lista["resultados"]}
    assert (await cliente.get(f"/candidaturas/{PARTIDO}")).status_code == 404


async def test_al_llegar_la_fecha_el_perfil_es_publico_con_lo_validado(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    esperado = curricular()
    assert publicada["estado"] == "publicado"
    assert publicada["url"] == f"/candidaturas/{PARTIDO}"
    assert publicada["curricular"]["propuesta_1"] == PROPUESTA
    assert publicada["curricular"]["historia_profesional"] == esperado["historia_profesional"]
    lista = await cliente.get(f"{PUBLICA}/candidaturas", params={"cargo": "presidencia_municipal"})
    assert PARTIDO in {p["id"] for p in lista.json()["resultados"]}


async def test_la_pagina_del_perfil_muestra_las_secciones_con_el_texto_escapado(
    cliente: httpx.AsyncClient, publicada: dict[str, Any]
) -> None:
    pagina = await cliente.get(f"/candidaturas/{PARTIDO}")
    assert pagina.status_code == 200, pagina.text
    assert publicada["nombre"] in pagina.text
    assert "&lt;script&gt;alert(" in pagina.text and "<script>alert(" not in pagina.text
    for seccion in ("Contacto", "Formación", "Trayectoria política", "Propuestas"):
        assert seccion in pagina.text


async def test_el_perfil_publico_no_trae_datos_privados(publicada: dict[str, Any]) -> None:
    texto = json.dumps(publicada, ensure_ascii=False)
    # Consent to publish identity was not given: identity only under an acción afirmativa.
    assert (publicada["identidad"] is None) == (publicada["accion_afirmativa"] is None)
    assert "correo_aclaraciones" not in texto and "aclaraciones@ejemplo.mx" not in texto
    assert not re.search(r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d", texto), "una CURP quedó pública"
    assert "fecha_nacimiento" not in texto and "folio_registro" not in texto


async def test_la_baja_del_verificador_oculta_el_campo_y_avisa_al_supervisor(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: dict[str, Any]
) -> None:
    ruta = f"{API_VALIDACION}/verificacion/{PARTIDO}"
    baja = await cliente.post(f"{ruta}/deshabilitar", json=TOMA, headers=h["verificador"])
    assert baja.status_code == 200, baja.text

    async def oculta() -> bool:
        return (await perfil(cliente, PARTIDO)).json()["curricular"]["propuesta_1"] is None

    await esperar(oculta)
    vista = (await perfil(cliente, PARTIDO)).json()
    lista = (await cliente.get(f"{PUBLICA}/candidaturas")).text
    assert vista["contenido_deshabilitado"] == [
        {
            "campo": "propuesta_1",
            "motivo": "propaganda",
            "explicacion": "7. Lemas o imágenes de campaña, llamados al voto",
        }
    ]
    assert "Agua potable en cada colonia" not in json.dumps(vista, ensure_ascii=False)
    assert "Agua potable en cada colonia" not in lista
    pagina = (await cliente.get(f"/candidaturas/{PARTIDO}")).text
    assert "Contenido deshabilitado por el instituto" in pagina
    assert "Agua potable en cada colonia" not in pagina and "Lemas o imágenes de campaña" in pagina

    async def avisado() -> bool:
        bandeja = await cliente.get(f"{API_VALIDACION}/avisos", headers=h["supervisor.PRD"])
        return any(a["candidatura_id"] == PARTIDO for a in bandeja.json()["avisos"])

    await esperar(avisado)


async def test_habilitar_devuelve_el_campo_al_perfil_publico(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: dict[str, Any]
) -> None:
    ruta = f"{API_VALIDACION}/verificacion/{PARTIDO}/habilitar"
    respuesta = await cliente.post(ruta, json={"objetivo": "propuesta_1"}, headers=h["verificador"])
    assert respuesta.status_code == 200, respuesta.text

    async def visible() -> bool:
        vista = (await perfil(cliente, PARTIDO)).json()
        return bool(vista["curricular"]["propuesta_1"] == PROPUESTA)

    await esperar(visible)
    assert (await perfil(cliente, PARTIDO)).json()["contenido_deshabilitado"] == []


async def test_la_solicitud_de_cambio_republica_y_deja_el_texto_anterior_en_el_registro(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: dict[str, Any]
) -> None:
    anterior = publicada["curricular"]["propuesta_2"]
    cuerpo = {"candidatura_id": PARTIDO, "cambios": [{"campo": "propuesta_2", "texto": NUEVA}]}
    pedida = await cliente.post(
        f"{API_VALIDACION}/solicitudes", json=cuerpo, headers=h["supervisor.PRD"]
    )
    assert pedida.status_code == 201, pedida.text
    aplicada = await cliente.post(
        f"{API_VALIDACION}/solicitudes/{pedida.json()['id']}/aplicar", headers=h["admin"]
    )
    assert aplicada.status_code == 200, aplicada.text

    async def republicada() -> bool:
        vista = (await perfil(cliente, PARTIDO)).json()
        return bool(vista["curricular"]["propuesta_2"] == NUEVA and vista["cambios"])

    await esperar(republicada)
    (cambio,) = (await perfil(cliente, PARTIDO)).json()["cambios"]
    assert cambio["campos"] == [
        {"campo": "propuesta_2", "anterior": anterior, "nuevo": NUEVA, "deshabilitado": False}
    ]
    pagina = (await cliente.get(f"/candidaturas/{PARTIDO}")).text
    assert "Cambios publicados" in pagina and anterior in pagina and NUEVA in pagina
    segunda = await cliente.post(
        f"{API_VALIDACION}/solicitudes", json=cuerpo, headers=h["supervisor.PRD"]
    )
    assert segunda.status_code == 409, segunda.text


async def cuenta_independiente(cliente: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, str]:
    """The independent's own account: package, first sign-in with a new password, API token."""
    paquete = await cliente.post(
        "/api/identidad/v1/paquetes", json={"participante": "IND-01"}, headers=admin
    )
    assert paquete.status_code == 201, paquete.text
    (temporal,) = [
        c["clave"] for c in paquete.json()["cuentas"] if c["usuario"] == USUARIO_INDEPENDIENTE
    ]
    async with httpx.AsyncClient(transport=cliente._transport, base_url=cliente.base_url) as nav:
        formulario = await nav.get("/identidad/login")
        entrada = await nav.post(
            "/identidad/login",
            data={"usuario": USUARIO_INDEPENDIENTE, "clave": temporal,
                  "csrf_token": _csrf(formulario.text)},
        )  # fmt: skip
        assert entrada.status_code == 303, entrada.text
        pagina = await nav.get("/identidad/cuenta/clave")
        cambio = await nav.post(
            "/identidad/cuenta/clave",
            data={"actual": temporal, "nueva": CLAVE_NUEVA, "confirmacion": CLAVE_NUEVA,
                  "csrf_token": _csrf(pagina.text)},
        )  # fmt: skip
        assert cambio.status_code == 303, cambio.text
    token = await cliente.post(
        "/api/identidad/v1/token",
        data={"username": USUARIO_INDEPENDIENTE, "password": CLAVE_NUEVA},
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _csrf(html: str) -> str:
    encontrado = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert encontrado is not None, "la página no trae código de seguridad"
    return encontrado.group(1)


async def test_la_candidatura_independiente_se_valida_a_si_misma_y_se_publica(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: dict[str, Any]
) -> None:
    propia = await cuenta_independiente(cliente, h["admin"])
    await capturar_y_enviar(cliente, propia, INDEPENDIENTE)
    await por_validar(cliente, propia, INDEPENDIENTE)
    validada = await cliente.post(
        f"{API_VALIDACION}/candidaturas/{INDEPENDIENTE}/validacion", headers=propia
    )
    assert validada.status_code == 200, validada.text

    vista = await publica(cliente, INDEPENDIENTE)
    assert vista["postulante"] == "independiente" and vista["partido"] is None
    assert vista["curricular"]["propuesta_1"] == PROPUESTA


async def test_deshabilitar_el_perfil_completo_deja_solo_el_registro_y_el_motivo(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], publicada: dict[str, Any]
) -> None:
    toma = {**TOMA, "objetivo": "perfil"}
    ruta = f"{API_VALIDACION}/verificacion/{PARTIDO}/deshabilitar"
    assert (await cliente.post(ruta, json=toma, headers=h["verificador"])).status_code == 200

    async def deshabilitado() -> bool:
        return bool((await perfil(cliente, PARTIDO)).json()["estado"] == "deshabilitado")

    await esperar(deshabilitado)
    vista = (await perfil(cliente, PARTIDO)).json()
    assert vista["curricular"] is None and vista["identidad"] is None and vista["cambios"] == []
    assert vista["deshabilitado"]["motivo"] == "propaganda"
    assert NUEVA not in json.dumps(vista, ensure_ascii=False)
