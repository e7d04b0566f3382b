"""Live text hints (issue 7): POST /api/validacion/v1/revisiones/texto through the whole app."""

import httpx

from tests.integration.conftest import esperar, token

RUTA = "/api/validacion/v1/revisiones/texto"


async def test_la_revision_de_texto_senala_llamados_al_voto_con_su_codigo(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "admin")
    texto = "Este 2 de junio vota por mí y por las personas con capacidades diferentes."
    respuesta = await cliente.post(
        RUTA, json={"texto": texto, "campo": "propuesta_1"}, headers=cabecera
    )
    assert respuesta.status_code == 200, respuesta.text
    hallazgos = respuesta.json()["hallazgos"]
    por_regla = {h["regla"]: h for h in hallazgos}
    assert por_regla["propaganda"]["codigo"] == "propaganda"
    lenguaje = por_regla["lenguaje"]
    assert texto[lenguaje["inicio"] : lenguaje["fin"]] == "capacidades diferentes"
    assert lenguaje["codigo"] == "lenguaje_discriminatorio"
    assert "persona con discapacidad" in lenguaje["sugerencia"]


async def test_la_revision_senala_otros_partidos_pero_no_el_propio(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "captura.pri")
    texto = "Fui regidora por el PRI y trabajé con regidores del PAN en la comisión de agua."

    async def ya_conoce_el_catalogo() -> bool:
        r = await cliente.post(RUTA, json={"texto": texto, "campo": "historia_profesional"},
                               headers=cabecera)  # fmt: skip
        return any(h["regla"] == "alusion" for h in r.json()["hallazgos"])

    await esperar(ya_conoce_el_catalogo, plazo=40)
    r = await cliente.post(
        RUTA, json={"texto": texto, "campo": "historia_profesional"}, headers=cabecera
    )
    alusiones = [h for h in r.json()["hallazgos"] if h["regla"] == "alusion"]
    assert [texto[h["inicio"] : h["fin"]] for h in alusiones] == ["PAN"]
    assert alusiones[0]["codigo"] == "alusion_otro_partido"


async def test_la_revision_de_texto_pide_sesion(cliente: httpx.AsyncClient) -> None:
    respuesta = await cliente.post(RUTA, json={"texto": "Hola", "campo": "propuesta_1"})
    assert respuesta.status_code == 401


async def test_la_revision_rechaza_un_campo_desconocido(cliente: httpx.AsyncClient) -> None:
    cabecera = await token(cliente, "admin")
    respuesta = await cliente.post(
        RUTA, json={"texto": "Hola", "campo": "fotografia"}, headers=cabecera
    )
    assert respuesta.status_code == 422


async def test_la_revision_rechaza_textos_de_mas_de_diez_mil_caracteres(
    cliente: httpx.AsyncClient,
) -> None:
    cabecera = await token(cliente, "admin")
    respuesta = await cliente.post(
        RUTA, json={"texto": "a" * 10_001, "campo": "propuesta_1"}, headers=cabecera
    )
    assert respuesta.status_code == 422
