"""The registration system pushes candidacies; the registry reconciles and everyone learns."""

import httpx
import pytest

from comun import telemetria

from .conftest import DEMO_CANDIDATURAS, esperar, nuevas, token

URL = "/api/captura/v1/registro/candidaturas"


async def registradas_en_publicacion(cliente: httpx.AsyncClient) -> int:
    return int(
        (await cliente.get("/api/publicacion/v1/resumen")).json()["candidaturas_registradas"]
    )


async def test_un_lote_del_registro_llega_a_todos_los_servicios(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    lote = nuevas(2)
    respuesta = await cliente.post(URL, json={"candidaturas": lote}, headers=cabecera)
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["resumen"]["nuevas"] == 2

    async def conocidas() -> bool:
        return await registradas_en_publicacion(cliente) == DEMO_CANDIDATURAS + 2

    await esperar(conocidas)
    historial = (await cliente.get("/api/auditoria/v1/historial", headers=cabecera)).json()
    propias = [e for e in historial["entradas"] if e["sujeto"] == lote[0]["folio"]]
    assert [(e["usuario"], e["rol"], e["accion"]) for e in propias] == [
        ("admin", "administrador", "registrar_candidatura")
    ]


async def test_la_peticion_y_sus_efectos_comparten_una_traza(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    spans = telemetria.capturar_spans()
    respuesta = await cliente.post(URL, json={"candidaturas": nuevas(2)}, headers=cabecera)
    assert respuesta.status_code == 200

    def en_la_traza_de_la_peticion() -> set[str]:
        """Consumers that handled a registration inside the request's own trace."""
        terminados = spans.get_finished_spans()
        peticion = next((s for s in terminados if s.name == f"POST {URL}"), None)
        if peticion is None:
            return set()
        # Other consumer spans may still finish meanwhile (the demo registry's own events).
        return {
            s.name.split()[0]
            for s in terminados
            if s.name.endswith("candidatura_registrada.v1")
            and s.context.trace_id == peticion.context.trace_id
        }

    async def llegaron() -> bool:
        consumidores = {"publicacion", "auditoria", "validacion", "estadistica"}
        return consumidores <= en_la_traza_de_la_peticion()

    await esperar(llegaron)


async def test_reenviar_el_mismo_lote_no_cambia_nada(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    lote = {"candidaturas": nuevas(4)}
    await cliente.post(URL, json=lote, headers=cabecera)
    otra = (await cliente.post(URL, json=lote, headers=cabecera)).json()
    assert otra["resumen"] == {
        "nuevas": 0, "modificadas": 0, "sustituidas": 0, "canceladas": 0, "rechazadas": 0,
        "sin_cambios": 4,
    }  # fmt: skip


async def test_una_fila_mala_se_rechaza_y_las_buenas_se_aplican(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    lote = nuevas(4)
    lote[2]["sexo"] = "Otro"
    reporte = (await cliente.post(URL, json={"candidaturas": lote}, headers=cabecera)).json()
    assert reporte["rechazadas"][0] == (
        {
            "fila": 3,
            "folio": lote[2]["folio"],
            "columna": "SEXO",
            "motivo": "«Otro» no es un valor válido; use: Hombre, Mujer, No binario.",
        }
    )
    # The other half of its fórmula falls with it; the other fórmula is registered.
    assert (reporte["resumen"]["nuevas"], reporte["resumen"]["rechazadas"]) == (2, 2)


async def test_todo_o_nada_no_aplica_nada_si_hay_un_error(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    lote = nuevas(4)
    lote[0]["curp"] = "XXXX"
    reporte = (
        await cliente.post(URL, json={"candidaturas": lote, "todo_o_nada": True}, headers=cabecera)
    ).json()
    assert reporte["aplicado"] is False
    folio = lote[1]["folio"]
    assert (
        await cliente.get(f"/api/captura/v1/candidaturas/{folio}", headers=cabecera)
    ).status_code == 404


@pytest.mark.parametrize(
    ("cuerpo", "estado", "fragmento"),
    [
        (b'{"candidaturas": [', 400, "JSON"),
        (b'{"candidaturas": [{"folio": "X", "color": "rojo"}]}', 422, "COLOR"),
        (b'{"candidaturas": []}', 422, "candidaturas"),
        (b'{"candidaturas": [{"folio": "X"}], "extra": 1}', 422, "extra"),
    ],
)
async def test_un_lote_mal_formado_recibe_un_problema_en_espanol(
    cliente: httpx.AsyncClient, cuerpo: bytes, estado: int, fragmento: str
) -> None:
    cabecera = {**(await token(cliente, "admin")), "Content-Type": "application/json"}
    respuesta = await cliente.post(URL, content=cuerpo, headers=cabecera)
    assert respuesta.status_code == estado
    assert respuesta.headers["content-type"].startswith("application/problem+json")
    assert fragmento in str(respuesta.json())


async def test_un_partido_no_puede_enviar_el_registro(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "captura.pri")
    respuesta = await cliente.post(URL, json={"candidaturas": nuevas(2)}, headers=cabecera)
    assert respuesta.status_code == 403


async def test_la_cuenta_de_servicio_del_registro_envia_lotes(cliente: httpx.AsyncClient) -> None:
    from .conftest import CLAVE

    credenciales = {
        "grant_type": "client_credentials",
        "client_id": "sistema.registro",
        "client_secret": CLAVE,
    }
    emitido = await cliente.post("/api/identidad/v1/token", data=credenciales)
    assert emitido.status_code == 200, emitido.text
    cabecera = {"Authorization": f"Bearer {emitido.json()['access_token']}"}
    respuesta = await cliente.post(URL, json={"candidaturas": nuevas(2)}, headers=cabecera)
    assert respuesta.status_code == 200
    assert respuesta.json()["resumen"]["nuevas"] == 2
    lista = await cliente.get("/api/captura/v1/candidaturas", headers=cabecera)
    assert lista.status_code == 403
