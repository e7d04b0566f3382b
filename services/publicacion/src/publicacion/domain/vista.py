"""The precomputed document the public sees of a profile: site, API, downloads and webhooks."""

from typing import Any

from comun.eventos.vocabulario import etiqueta
from publicacion.domain.perfil import PERFIL_COMPLETO, CambioPublicado, EstadoPerfil, Perfil

RUTA_PERFIL = "/candidaturas/{id}"


def url_de(candidatura_id: str) -> str:
    """The profile's permalink on the public site."""
    return RUTA_PERFIL.format(id=candidatura_id)


def vista_publica(perfil: Perfil) -> dict[str, Any] | None:
    """What anybody may see of the profile; None while it is not public."""
    estado = perfil.estado
    if estado in (EstadoPerfil.SIN_PUBLICAR, EstadoPerfil.RETIRADO) or perfil.registro is None:
        return None
    base = {
        "id": perfil.candidatura_id,
        "url": url_de(perfil.candidatura_id),
        "estado": estado.value,
        **perfil.registro,
        "publicado_en": perfil.publicado_en,
        "actualizado_en": perfil.actualizado_en,
    }
    if estado is EstadoPerfil.DESHABILITADO:
        motivo = perfil.deshabilitados[PERFIL_COMPLETO]
        return {
            **base,
            "deshabilitado": _motivo(motivo),
            "curricular": None,
            "contenido_deshabilitado": [],
            "identidad": None,
            "cambios": [],
        }
    ocultos = perfil.deshabilitados
    curricular = perfil.curricular or {}
    return {
        **base,
        "deshabilitado": None,
        "curricular": {c: (None if c in ocultos else v) for c, v in curricular.items()},
        "contenido_deshabilitado": [{"campo": c, **_motivo(m)} for c, m in sorted(ocultos.items())],
        "identidad": perfil.identidad,
        "cambios": [_cambio(c, ocultos) for c in perfil.cambios],
    }


def _motivo(codigo: str) -> dict[str, str]:
    """A reason code with the Spanish text the public reads."""
    return {"motivo": codigo, "explicacion": etiqueta(codigo)}


def _cambio(cambio: CambioPublicado, ocultos: dict[str, str]) -> dict[str, Any]:
    """A change-log entry; a field disabled now shows neither its old nor its new text."""
    return {
        "solicitud_id": cambio.solicitud_id,
        "fecha": cambio.fecha,
        "campos": [
            {
                "campo": campo,
                "anterior": None if campo in ocultos else anterior,
                "nuevo": None if campo in ocultos else nuevo,
                "deshabilitado": campo in ocultos,
            }
            for campo, anterior, nuevo in cambio.campos
        ],
    }
