"""Shared steps of the gateway tests: register a fórmula, capture it and send it."""

import io
import uuid

import httpx
from PIL import Image

from .conftest import URL_REGISTRO, formulas


def jpeg() -> bytes:
    """A real JPEG portrait."""
    salida = io.BytesIO()
    Image.new("RGB", (600, 800), (120, 140, 90)).save(salida, format="JPEG")
    return salida.getvalue()


async def registrar(cliente: httpx.AsyncClient, csrf: str) -> tuple[str, str]:
    """A new fórmula registered by the administrator: its propietaria's id and party."""
    clave = f"E2E-{uuid.uuid4().hex[:10].upper()}"
    respuesta = await cliente.post(
        URL_REGISTRO, json={"candidaturas": formulas(clave, 1)}, headers={"X-CSRF-Token": csrf}
    )
    assert respuesta.status_code == 200, respuesta.text
    candidatura_id = f"{clave}-00001-P"
    ficha = await cliente.get(f"/api/captura/v1/candidaturas/{candidatura_id}")
    assert ficha.status_code == 200, ficha.text
    return candidatura_id, str(ficha.json()["partido"])


async def capturar_y_enviar(
    sesion: httpx.AsyncClient,
    csrf: dict[str, str],
    candidatura_id: str,
    *,
    propuesta: str,
    pueblo: str,
) -> None:
    """Both questionnaires, photo and consent (identity not to be published), then send."""
    base = f"/api/captura/v1/candidaturas/{candidatura_id}"
    curricular = await sesion.put(
        f"{base}/cuestionarios/curricular",
        json={"revision": 0, "respuestas": {"propuesta_1": propuesta}},
        headers=csrf,
    )
    assert curricular.status_code == 200, curricular.text
    identidad = await sesion.put(
        f"{base}/cuestionarios/identidad",
        json={
            "revision": 0,
            "respuestas": {
                "indigena": "Sí",
                "pueblo_indigena": "Otro",
                "pueblo_indigena_otro": pueblo,
            },
        },
        headers=csrf,
    )
    assert identidad.status_code == 200, identidad.text
    foto = await sesion.put(
        f"{base}/fotografia", files={"archivo": ("retrato.jpg", jpeg(), "image/jpeg")}, headers=csrf
    )
    assert foto.status_code == 200, foto.text
    formato = await sesion.get(f"{base}/consentimiento/formato.pdf")
    assert formato.status_code == 200 and formato.content.startswith(b"%PDF")
    consentimiento = await sesion.put(
        f"{base}/consentimiento",
        data={"tratamiento": "true", "publicacion": "false", "uso_estadistico": "false",
              "revision": "0"},
        files={"documento": ("consentimiento.pdf", formato.content, "application/pdf")},
        headers=csrf,
    )  # fmt: skip
    assert consentimiento.status_code == 200, consentimiento.text
    envio = await sesion.post(
        f"{base}/envio",
        json={
            "revision_curricular": curricular.json()["revision"],
            "revision_identidad": identidad.json()["revision"],
        },
        headers=csrf,
    )
    assert envio.status_code == 200, envio.text
    assert envio.json()["estado"] == "enviada"
