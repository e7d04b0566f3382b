"""Questionnaire capture through the all-in-one process (embedded adapters), end to end."""

import asyncio
import io
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from PIL import Image

from comun.eventos import SISTEMA, CredencialesEntregadas, nuevo_evento
from comun.roles import Rol
from comun.servicios import Servicio, topic

from . import proceso
from .captura_flujo import (
    PROPUESTA,
    PUEBLO_MARCADO,
    Espia,
    capturar_y_enviar,
    como_texto,
    curricular,
    identidad,
    jpeg,
    url,
)
from .conftest import esperar

pytestmark = pytest.mark.asyncio(loop_scope="module")

# The four PRD candidacies of the demo registry, one per scenario.
ENVIADA = "AY-15007-PM-CC-FYCEM-P"
INTACTA = "AY-15007-PM-CC-FYCEM-S"
CONCURRIDA = "DL-MR-41-FYCEM-S"
CON_PLAZO = "DL-MR-41-FYCEM-P"  # candidatura.demo's own
ZONA = ZoneInfo("America/Mexico_City")
CUENTAS = ("captura.PRD", "supervisor.PRD", "captura.PAN", "admin", "candidatura.demo")

# The three authorizations are stated every time, with the consent revision read.
CONSENTIMIENTO = {
    "tratamiento": "true",
    "publicacion": "false",
    "uso_estadistico": "false",
    "revision": "0",
}


datos = proceso.datos_demo("cuestionarios")
app, espia, cliente = proceso.todo_en_uno(Servicio.CAPTURA)
h = proceso.tokens(CUENTAS)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def enviada(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> dict[str, Any]:
    return await capturar_y_enviar(cliente, h["captura.PRD"], ENVIADA)


def detalle(respuesta: httpx.Response) -> str:
    """The Spanish explanation of a problem+json answer."""
    return str(respuesta.json()["detail"])


# Capture and sending


async def test_un_partido_captura_y_envia_una_candidatura(enviada: dict[str, Any]) -> None:
    assert (enviada["estado"], enviada["editable"]) == ("enviada", False)
    assert enviada["avance"]["consentimiento"] and enviada["avance"]["fotografia"]
    assert enviada["avance"]["curricular"] == 100
    assert enviada["fotografia"] == {"ancho": 600, "alto": 800}
    assert enviada["enviada_en"] is not None


async def test_la_fotografia_se_vuelve_a_codificar_como_jpeg(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any]
) -> None:
    foto = await cliente.get(url(ENVIADA, "fotografia"), headers=h["captura.PRD"])
    assert foto.status_code == 200 and foto.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(foto.content)) as imagen:
        assert imagen.format == "JPEG" and imagen.size == (600, 800)
    assert "no-store" in foto.headers["cache-control"]


async def test_el_consentimiento_firmado_se_descarga_como_pdf(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any]
) -> None:
    documento = await cliente.get(
        url(ENVIADA, "consentimiento/documento"), headers=h["captura.PRD"]
    )
    assert documento.status_code == 200, documento.text
    assert documento.headers["content-type"] == "application/pdf"
    assert documento.content.startswith(b"%PDF")
    assert enviada["consentimiento"]["tratamiento"] is not None
    assert enviada["consentimiento"]["publicacion"] is None


@pytest.mark.parametrize("cuestionario", ["curricular", "identidad"])
async def test_un_partido_no_edita_despues_de_enviar(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    enviada: dict[str, Any],
    cuestionario: str,
) -> None:
    ruta = url(ENVIADA, f"cuestionarios/{cuestionario}")
    actual = (await cliente.get(ruta, headers=h["captura.PRD"])).json()
    cambio = {"propuesta_2": "Otra propuesta."} if cuestionario == "curricular" else {"joven": "Sí"}
    cuerpo = {"revision": actual["revision"], "respuestas": actual["respuestas"] | cambio}
    respuesta = await cliente.put(ruta, json=cuerpo, headers=h["captura.PRD"])
    assert respuesta.status_code == 409, respuesta.text
    assert "ya se envió a validación" in detalle(respuesta)
    assert "supervisora" in detalle(respuesta)


async def test_un_partido_no_carga_fotografia_despues_de_enviar_ni_deja_archivos(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any], datos: Path
) -> None:
    antes = archivos_guardados(datos)
    respuesta = await cliente.put(
        url(ENVIADA, "fotografia"),
        files={"archivo": ("otra.jpg", jpeg(700, 900), "image/jpeg")},
        headers=h["captura.PRD"],
    )
    assert respuesta.status_code == 409, respuesta.text
    assert archivos_guardados(datos) == antes, "quedó un archivo huérfano de una carga rechazada"


async def test_el_texto_con_script_se_guarda_tal_cual(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any]
) -> None:
    leido = await cliente.get(url(ENVIADA, "cuestionarios/curricular"), headers=h["captura.PRD"])
    assert leido.json()["respuestas"]["propuesta_1"] == PROPUESTA


# Identity answers: encrypted at rest, never in events


async def test_las_respuestas_de_identidad_vuelven_descifradas_a_su_partido(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any]
) -> None:
    leido = await cliente.get(url(ENVIADA, "cuestionarios/identidad"), headers=h["captura.PRD"])
    assert leido.status_code == 200, leido.text
    respuestas = leido.json()["respuestas"]
    assert (respuestas["pueblo_indigena"], respuestas["pueblo_indigena_otro"]) == (
        "Otro",
        PUEBLO_MARCADO,
    )


def bytes_de_bases(datos: Path) -> bytes:
    """Every SQLite database and write-ahead log of the process, as raw bytes."""
    return b"".join(p.read_bytes() for p in sorted(datos.rglob("*.db*")) if p.is_file())


async def test_las_bases_no_guardan_en_claro_las_respuestas_de_identidad(
    enviada: dict[str, Any], datos: Path
) -> None:
    crudo = bytes_de_bases(datos)
    assert b"anaperez.mx" in crudo, "la prueba no está leyendo las bases donde se guarda"
    assert PUEBLO_MARCADO.encode() not in crudo


async def test_los_guardados_de_identidad_no_llevan_respuestas(
    espia: Espia, enviada: dict[str, Any]
) -> None:
    async def llegaron() -> bool:
        return bool(espia.de(ENVIADA, "cuestionario_enviado"))

    await esperar(llegaron)
    guardados = [
        e
        for e in espia.de(ENVIADA, "cuestionario_guardado")
        if e.data["cuestionario"] == "identidad"
    ]
    assert len(guardados) == 1
    assert guardados[0].data["campos"] == []
    assert not [e.type for e in espia.eventos if PUEBLO_MARCADO in como_texto(e)]


async def test_el_envio_lleva_la_identidad_solo_como_sobre_cifrado(
    espia: Espia, enviada: dict[str, Any]
) -> None:
    async def llego() -> bool:
        return bool(espia.de(ENVIADA, "cuestionario_enviado"))

    await esperar(llego)
    (envio,) = espia.de(ENVIADA, "cuestionario_enviado")
    sobre = envio.data["identidad_cifrada"]
    assert isinstance(sobre, str) and len(sobre) > 40
    assert PUEBLO_MARCADO not in sobre and "pueblo_indigena" not in sobre
    assert envio.data["curricular"]["propuesta_1"] == PROPUESTA


# Who may do what


async def test_la_supervision_del_partido_corrige_despues_de_enviar(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any]
) -> None:
    ruta = url(ENVIADA, "cuestionarios/curricular")
    actual = (await cliente.get(ruta, headers=h["supervisor.PRD"])).json()
    corregido = actual["respuestas"] | {"propuesta_2": "Transporte público seguro y gratuito."}
    respuesta = await cliente.put(
        ruta,
        json={"revision": actual["revision"], "respuestas": corregido},
        headers=h["supervisor.PRD"],
    )
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["revision"] == actual["revision"] + 1
    estado = await cliente.get(url(ENVIADA, "captura"), headers=h["supervisor.PRD"])
    assert estado.json()["estado"] == "enviada"


def rutas_de_otro_partido() -> list[tuple[str, str, dict[str, Any]]]:
    """Every capture route of a candidacy, with a valid body."""
    return [
        ("GET", "captura", {}),
        ("GET", "cuestionarios/curricular", {}),
        ("PUT", "cuestionarios/curricular", {"json": {"revision": 1, "respuestas": curricular()}}),
        ("GET", "cuestionarios/identidad", {}),
        ("PUT", "cuestionarios/identidad", {"json": {"revision": 1, "respuestas": identidad()}}),
        ("POST", "envio", {"json": {"revision_curricular": 1, "revision_identidad": 1}}),
        ("PUT", "fotografia", {"files": {"archivo": ("f.jpg", jpeg(), "image/jpeg")}}),
        ("GET", "fotografia", {}),
        ("GET", "consentimiento/formato.pdf", {}),
        (
            "PUT",
            "consentimiento",
            {
                "data": CONSENTIMIENTO,
                "files": {"documento": ("c.jpg", jpeg(), "image/jpeg")},
            },
        ),
        ("GET", "consentimiento/documento", {}),
    ]


@pytest.mark.parametrize(
    ("metodo", "ruta", "cuerpo"), rutas_de_otro_partido(), ids=lambda v: str(v)[:40]
)
async def test_otro_partido_recibe_404_en_todas_las_rutas(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    enviada: dict[str, Any],
    metodo: str,
    ruta: str,
    cuerpo: dict[str, Any],
) -> None:
    respuesta = await cliente.request(
        metodo, url(ENVIADA, ruta), headers=h["captura.PAN"], **cuerpo
    )
    assert respuesta.status_code == 404, respuesta.text
    assert PUEBLO_MARCADO not in respuesta.text and "Agua potable" not in respuesta.text


async def test_la_administracion_ve_el_estado_de_captura(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any]
) -> None:
    respuesta = await cliente.get(url(ENVIADA, "captura"), headers=h["admin"])
    assert respuesta.status_code == 200
    assert respuesta.json()["estado"] == "enviada"
    assert PUEBLO_MARCADO not in respuesta.text


@pytest.mark.parametrize("metodo", ["GET", "PUT"])
async def test_la_administracion_no_ve_ni_edita_las_respuestas_de_identidad(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], enviada: dict[str, Any], metodo: str
) -> None:
    cuerpo = {"json": {"revision": 1, "respuestas": identidad()}} if metodo == "PUT" else {}
    respuesta = await cliente.request(
        metodo, url(ENVIADA, "cuestionarios/identidad"), headers=h["admin"], **cuerpo
    )
    assert respuesta.status_code in (403, 404), respuesta.text
    assert PUEBLO_MARCADO not in respuesta.text


# Optimistic concurrency


@pytest.mark.parametrize(
    ("cuestionario", "cambios"),
    [
        ("curricular", ({"propuesta_2": "Primera versión."}, {"propuesta_2": "Segunda versión."})),
        ("identidad", ({"joven": "Sí"}, {"joven": "Prefiero no contestar"})),
    ],
)
async def test_dos_guardados_desde_la_misma_revision_dan_un_200_y_un_409_con_lo_vigente(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    cuestionario: str,
    cambios: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    ruta = url(CONCURRIDA, f"cuestionarios/{cuestionario}")
    base = curricular() if cuestionario == "curricular" else identidad()
    revision = (await cliente.get(ruta, headers=h["captura.PRD"])).json()["revision"]
    a, b = await asyncio.gather(
        *(
            cliente.put(
                ruta,
                json={"revision": revision, "respuestas": base | cambio},
                headers=h[cuenta],
            )
            for cambio, cuenta in zip(cambios, ("captura.PRD", "supervisor.PRD"), strict=True)
        )
    )
    assert sorted((a.status_code, b.status_code)) == [200, 409], (a.text, b.text)
    ganador, perdedor = (a, b) if a.status_code == 200 else (b, a)
    conflicto = perdedor.json()
    assert conflicto["revision_actual"] == revision + 1
    assert conflicto["actuales"] == ganador.json()["respuestas"]
    assert "Otra persona guardó" in conflicto["detail"]


# Bad input: a clear Spanish 4xx and nothing saved


def archivos_guardados(datos: Path) -> set[str]:
    """The files captura's file store holds."""
    return {str(p) for p in (datos / "captura").rglob("*") if p.is_file()}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def foto_intacta(cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> None:
    """INTACTA holds a saved draft before the bad inputs arrive."""
    for cuestionario, respuestas in (("curricular", curricular()), ("identidad", identidad())):
        r = await cliente.put(
            url(INTACTA, f"cuestionarios/{cuestionario}"),
            json={"revision": 0, "respuestas": respuestas},
            headers=h["captura.PRD"],
        )
        assert r.status_code == 200, r.text


async def foto_de(
    cliente: httpx.AsyncClient, cabecera: dict[str, str], datos: Path
) -> dict[str, Any]:
    """Everything a bad input must leave as it was."""
    ficha = await cliente.get(f"/api/captura/v1/candidaturas/{INTACTA}", headers=cabecera)
    estado = await cliente.get(url(INTACTA, "captura"), headers=cabecera)
    cur = await cliente.get(url(INTACTA, "cuestionarios/curricular"), headers=cabecera)
    ide = await cliente.get(url(INTACTA, "cuestionarios/identidad"), headers=cabecera)
    return {
        "version": ficha.json()["version"],
        "captura": estado.json(),
        "curricular": cur.json(),
        "identidad": ide.json(),
        "archivos": archivos_guardados(datos),
    }


MALOS_CURRICULARES = [
    ("historia_profesional", "x" * 5001, "el máximo es 5,000"),
    ("propuesta_2", "Agua\x07potable", "carácter de control"),
    ("correo_publico", "ana@", "dominio del correo"),
    ("telefono_publico", "72212345", "10 dígitos; recibimos 8"),
    ("pagina_web", "javascript:alert(1)", "javascript:"),
    ("pagina_web", "ftp://anaperez.mx", "https://"),
    ("redes_sociales", {"facebook": "https://www.instagram.com/anaperez"}, "Instagram"),
    ("campo_inventado", "hola", "no existe en el cuestionario"),
]


@pytest.mark.parametrize(("campo", "valor", "motivo"), MALOS_CURRICULARES)
async def test_un_curricular_no_valido_se_rechaza_sin_guardar_nada(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    datos: Path,
    foto_intacta: None,
    campo: str,
    valor: Any,
    motivo: str,
) -> None:
    cabecera = h["captura.PRD"]
    antes = await foto_de(cliente, cabecera, datos)
    respuestas = curricular() | {
        "propuesta_1": "Un cambio válido que no debe quedar.",
        campo: valor,
    }
    respuesta = await cliente.put(
        url(INTACTA, "cuestionarios/curricular"),
        json={"revision": antes["curricular"]["revision"], "respuestas": respuestas},
        headers=cabecera,
    )
    assert respuesta.status_code == 422, respuesta.text
    errores = respuesta.json()["errores"]
    assert motivo in " ".join(errores.values()), errores
    assert "no se guardó nada" in detalle(respuesta)
    assert await foto_de(cliente, cabecera, datos) == antes


MALOS_IDENTIDAD = [
    ({"indigena": "Quizá"}, "indigena"),
    ({"pueblo_indigena_otro": "x" * 101}, "pueblo_indigena_otro"),
    ({"joven_otro": "algo"}, "joven_otro"),
]


@pytest.mark.parametrize(("cambio", "campo"), MALOS_IDENTIDAD)
async def test_una_identidad_no_valida_se_rechaza_sin_guardar_nada(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    datos: Path,
    foto_intacta: None,
    cambio: dict[str, Any],
    campo: str,
) -> None:
    cabecera = h["captura.PRD"]
    antes = await foto_de(cliente, cabecera, datos)
    respuesta = await cliente.put(
        url(INTACTA, "cuestionarios/identidad"),
        json={"revision": antes["identidad"]["revision"], "respuestas": identidad() | cambio},
        headers=cabecera,
    )
    assert respuesta.status_code == 422, respuesta.text
    assert campo in respuesta.json()["errores"]
    assert await foto_de(cliente, cabecera, datos) == antes


def zip_como_png() -> bytes:
    """A ZIP archive named and typed as a PNG."""
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as archivo:
        archivo.writestr("foto.png", b"\x89PNG no es una imagen")
    return salida.getvalue()


def pdf_con_javascript() -> bytes:
    """A small PDF whose open action runs JavaScript."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"3 0 obj << /S /JavaScript /JS (app.alert('hola')) >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


ARCHIVOS_MALOS = {
    "png_que_es_zip": (
        "fotografia",
        "archivo",
        ("foto.png", zip_como_png(), "image/png"),
        "no es una imagen JPEG o PNG",
    ),
    "jpeg_truncado": (
        "fotografia",
        "archivo",
        ("foto.jpg", jpeg()[:3000], "image/jpeg"),
        "dañada o incompleta",
    ),
    "pdf_con_javascript": (
        "consentimiento",
        "documento",
        ("c.pdf", pdf_con_javascript(), "application/pdf"),
        "contenido activo",
    ),
    "consentimiento_de_mas_de_10_mb": (
        "consentimiento",
        "documento",
        ("c.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf"),
        "el máximo es 10 MB",
    ),
}


@pytest.mark.parametrize("caso", sorted(ARCHIVOS_MALOS))
async def test_un_archivo_no_valido_se_rechaza_sin_guardar_nada(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    datos: Path,
    foto_intacta: None,
    caso: str,
) -> None:
    cabecera = h["captura.PRD"]
    ruta, campo, archivo, motivo = ARCHIVOS_MALOS[caso]
    antes = await foto_de(cliente, cabecera, datos)
    formulario = CONSENTIMIENTO if ruta == "consentimiento" else {}
    respuesta = await cliente.put(
        url(INTACTA, ruta), data=formulario, files={campo: archivo}, headers=cabecera
    )
    assert respuesta.status_code == 422, respuesta.text
    assert motivo in detalle(respuesta)
    assert await foto_de(cliente, cabecera, datos) == antes


# Deadlines (PTO 14, 21)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def plazo(app: FastAPI, cliente: httpx.AsyncClient, h: dict[str, dict[str, str]]) -> Any:
    """candidatura.demo's credentials are delivered (identidad's event on the bus)."""
    entrega = CredencialesEntregadas(
        cuenta_id="cuenta-candidatura-demo",
        nombre_usuario="candidatura.demo",
        rol=Rol.CANDIDATURA,
        partido="PRD",
        candidatura_id=CON_PLAZO,
        entregadas_en=datetime.now(UTC),
    )
    evento = nuevo_evento(
        entrega, subject=entrega.cuenta_id, actor=SISTEMA, accion="entregar_credenciales"
    )
    await app.state.recursos[Servicio.IDENTIDAD].bus.publish(topic(Servicio.IDENTIDAD), evento)

    async def abierto() -> bool:
        r = await cliente.get(url(CON_PLAZO, "captura"), headers=h["candidatura.demo"])
        return r.json()["plazo"] is not None

    await esperar(abierto)
    return entrega


def vence_local(estado: dict[str, Any]) -> datetime:
    """The deadline in force, in Mexico City time."""
    return datetime.fromisoformat(estado["plazo"]["vence"]).astimezone(ZONA)


async def test_entregar_las_credenciales_abre_quince_dias_hasta_las_23_59_59(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], plazo: CredencialesEntregadas
) -> None:
    estado = (await cliente.get(url(CON_PLAZO, "captura"), headers=h["captura.PRD"])).json()
    assert estado["plazo"]["dias"] == 15
    ultimo_dia = plazo.entregadas_en.astimezone(ZONA).date() + timedelta(days=15)
    assert vence_local(estado) == datetime.combine(ultimo_dia, time(23, 59, 59), tzinfo=ZONA)
    assert not estado["plazo"]["vencido"] and estado["plazo"]["segundos_restantes"] > 14 * 86400


async def test_abrir_el_plazo_emite_plazo_iniciado_sin_esperar_la_revision_completa(
    espia: Espia, plazo: CredencialesEntregadas
) -> None:
    async def emitido() -> bool:
        return bool(espia.de(CON_PLAZO, "plazo_iniciado"))

    # The relay publishes a saved document within its poll interval (1 s) when it is told;
    # untold, the event waits for the next full scan (30 s).
    await esperar(emitido, plazo=5)
    assert espia.de(CON_PLAZO, "plazo_iniciado")[0].data["dias"] == 15


async def test_una_prorroga_con_motivo_mueve_el_plazo_y_emite_plazo_prorrogado(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    espia: Espia,
    plazo: CredencialesEntregadas,
) -> None:
    hasta = date.today() + timedelta(days=40)
    motivo = "El partido acreditó una falla del sistema el día de la entrega."
    respuesta = await cliente.post(
        url(CON_PLAZO, "plazo/prorroga"),
        json={"hasta": hasta.isoformat(), "motivo": motivo},
        headers=h["admin"],
    )
    assert respuesta.status_code == 200, respuesta.text
    estado = respuesta.json()
    assert vence_local(estado) == datetime.combine(hasta, time(23, 59, 59), tzinfo=ZONA)
    assert [(p["motivo"], p["por"]) for p in estado["plazo"]["prorrogas"]] == [(motivo, "admin")]

    async def emitido() -> bool:
        return bool(espia.de(CON_PLAZO, "plazo_prorrogado"))

    await esperar(emitido)
    assert espia.de(CON_PLAZO, "plazo_prorrogado")[0].data["motivo"] == motivo


async def test_una_prorroga_con_motivo_demasiado_corto_se_rechaza(
    cliente: httpx.AsyncClient, h: dict[str, dict[str, str]], plazo: CredencialesEntregadas
) -> None:
    antes = (await cliente.get(url(CON_PLAZO, "captura"), headers=h["admin"])).json()["plazo"]
    respuesta = await cliente.post(
        url(CON_PLAZO, "plazo/prorroga"),
        json={"hasta": (date.today() + timedelta(days=60)).isoformat(), "motivo": "porque sí"},
        headers=h["admin"],
    )
    assert respuesta.status_code == 422, respuesta.text
    assert "al menos 10 caracteres" in detalle(respuesta)
    despues = (await cliente.get(url(CON_PLAZO, "captura"), headers=h["admin"])).json()["plazo"]
    assert despues["vence"] == antes["vence"]


@pytest.mark.parametrize("cuenta", ["captura.PRD", "supervisor.PRD", "candidatura.demo"])
async def test_solo_la_administracion_prorroga_plazos(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    plazo: CredencialesEntregadas,
    cuenta: str,
) -> None:
    respuesta = await cliente.post(
        url(CON_PLAZO, "plazo/prorroga"),
        json={"hasta": (date.today() + timedelta(days=90)).isoformat(), "motivo": "x" * 20},
        headers=h[cuenta],
    )
    assert respuesta.status_code == 403, respuesta.text
