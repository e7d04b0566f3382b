"""Shared pieces of the questionnaire-capture tests: answers, files and the capture flow."""

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from PIL import Image

from comun.eventos import Evento

from .conftest import esperar

API = "/api/captura/v1"
API_VALIDACION = "/api/validacion/v1"
PARTIDO = "PRD"
OTRO_PARTIDO = "PAN"
# Identity answers are looked for as raw bytes: an ASCII text with no \u escapes in JSON.
PUEBLO_MARCADO = "Pueblo Zentzontle QX7"
PROPUESTA = "<script>alert('x')</script> Agua potable en cada colonia"


def url(candidatura_id: str, resto: str) -> str:
    """A capture route of one candidacy."""
    return f"{API}/candidaturas/{candidatura_id}/{resto}"


def curricular() -> dict[str, Any]:
    """A complete, valid cuestionario curricular with script-like text in a proposal."""
    return {
        "telefono_publico": "7221234567",
        "correo_publico": "ana.perez@ejemplo.mx",
        "pagina_web": "https://anaperez.mx",
        "redes_sociales": {"facebook": "anaperezmx", "x": "@anaperezmx"},
        "domicilio_casa_campana": "Av. Juárez 15, Centro, Toluca, 50000",
        "grado_maximo_estudios": "licenciatura",
        "estatus_estudios": "titulo",
        "cursos": ["Diplomado en políticas públicas"],
        "historia_profesional": "Docente de secundaria durante veinte años.",
        "trayectoria_politica": "Regidora de 2019 a 2021.",
        "motivo_cargo_publico": "Quiero servir a mi comunidad.",
        "propuesta_1": PROPUESTA,
        "propuesta_2": "Transporte público seguro de noche.",
        "propuesta_genero": "Refugios para mujeres en cada distrito.",
        "correo_aclaraciones": "aclaraciones@ejemplo.mx",
    }


def identidad() -> dict[str, Any]:
    """A full identity questionnaire whose «Otro» pueblo carries a distinctive text."""
    return {
        "indigena": "Sí",
        "lengua_indigena": "No",
        "pueblo_indigena": "Otro",
        "pueblo_indigena_otro": PUEBLO_MARCADO,
        "discapacidad": "No",
        "afromexicana": "No",
        "lgbtttiq": "Prefiero no contestar",
        "migrante": "No",
        "joven": "No",
        "persona_mayor": "No",
        "ingresos": "De $25,001 a $50,000",
        "fuente_ingresos": "Salario",
        "entidad_nacimiento": "Campeche",
    }


def jpeg(ancho: int = 600, alto: int = 800) -> bytes:
    """A real JPEG portrait made with Pillow."""
    salida = io.BytesIO()
    Image.new("RGB", (ancho, alto), (180, 120, 90)).save(salida, format="JPEG", quality=90)
    return salida.getvalue()


@dataclass
class Espia:
    """Records every event the process publishes on its bus (wraps the bus's publish)."""

    eventos: list[Evento] = field(default_factory=list)

    def instalar(self, bus: Any) -> None:
        """Wrap `bus.publish` of this bus instance."""
        original = bus.publish

        async def publicar(topic: str, evento: Evento) -> None:
            await original(topic, evento)
            self.eventos.append(evento)

        bus.publish = publicar

    def de(self, candidatura_id: str, nombre: str) -> list[Evento]:
        """The events of one type about one candidacy."""
        return [
            e
            for e in self.eventos
            if e.subject == candidatura_id and e.type.split(".")[3] == nombre
        ]


def como_texto(evento: Evento) -> str:
    """The event as it travels (JSON)."""
    return json.dumps(evento.model_dump(mode="json"), ensure_ascii=False)


async def capturar_y_enviar(
    cliente: httpx.AsyncClient,
    cabecera: dict[str, str],
    candidatura_id: str,
    *,
    respuestas_identidad: dict[str, Any] | None = None,
    publicar_identidad: bool = False,
) -> dict[str, Any]:
    """The whole capture of one candidacy by its party, ending in «enviada»; the last state."""
    guardado = await cliente.put(
        url(candidatura_id, "cuestionarios/curricular"),
        json={"revision": 0, "respuestas": curricular()},
        headers=cabecera,
    )
    assert guardado.status_code == 200, guardado.text
    ident = await cliente.put(
        url(candidatura_id, "cuestionarios/identidad"),
        json={"revision": 0, "respuestas": respuestas_identidad or identidad()},
        headers=cabecera,
    )
    assert ident.status_code == 200, ident.text
    foto = await cliente.put(
        url(candidatura_id, "fotografia"),
        files={"archivo": ("retrato.jpg", jpeg(), "image/jpeg")},
        headers=cabecera,
    )
    assert foto.status_code == 200, foto.text
    formato = await cliente.get(url(candidatura_id, "consentimiento/formato.pdf"), headers=cabecera)
    assert formato.status_code == 200 and formato.content.startswith(b"%PDF"), formato.text
    consentimiento = await cliente.put(
        url(candidatura_id, "consentimiento"),
        data={
            "tratamiento": "true",
            "publicacion": "true" if publicar_identidad else "false",
            "uso_estadistico": "true",
            "revision": "0",
        },
        files={"documento": ("consentimiento.pdf", formato.content, "application/pdf")},
        headers=cabecera,
    )
    assert consentimiento.status_code == 200, consentimiento.text
    envio = await cliente.post(
        url(candidatura_id, "envio"),
        json={
            "revision_curricular": guardado.json()["revision"],
            "revision_identidad": ident.json()["revision"],
        },
        headers=cabecera,
    )
    assert envio.status_code == 200, envio.text
    estado: dict[str, Any] = envio.json()
    return estado


async def capturar_y_validar(
    cliente: httpx.AsyncClient,
    h: dict[str, dict[str, str]],
    candidatura_id: str,
    *,
    inicio_hace: timedelta,
    **opciones: Any,
) -> None:
    """Capture and send (captura.PRD), wait for «por validar», set the publication start
    `inicio_hace` ago (admin) and validate (supervisor.PRD): the candidacy becomes public."""
    await capturar_y_enviar(cliente, h["captura.PRD"], candidatura_id, **opciones)
    revision = f"{API_VALIDACION}/candidaturas/{candidatura_id}"

    async def por_validar() -> bool:
        respuesta = await cliente.get(revision, headers=h["supervisor.PRD"])
        assert respuesta.status_code == 200, respuesta.text
        return bool(respuesta.json()["estado"] == "por_validar")

    await esperar(por_validar)
    pasada = (datetime.now(UTC) - inicio_hace).isoformat()
    fijada = await cliente.put(
        f"{API_VALIDACION}/publicacion/inicio", json={"fecha": pasada}, headers=h["admin"]
    )
    assert fijada.status_code == 200, fijada.text
    validada = await cliente.post(f"{revision}/validacion", headers=h["supervisor.PRD"])
    assert validada.status_code == 200, validada.text
