"""The capture state of a candidacy ↔ its plain document form."""

from datetime import datetime
from typing import Any

from captura.domain.cuestionarios import (
    Autorizaciones,
    Consentimiento,
    Cuestionarios,
    Edicion,
    Fotografia,
)
from captura.domain.plazo import Plazo, Prorroga
from comun.eventos.vocabulario import Cuestionario


def cuestionarios_a_dict(c: Cuestionarios) -> dict[str, Any]:
    """Aggregate part → document part (ISO dates, plain values)."""
    return {
        "curricular": c.curricular,
        "revision_curricular": c.revision_curricular,
        "identidad_cifrada": c.identidad_cifrada,
        "identidad_avance": c.identidad_avance,
        "revision_identidad": c.revision_identidad,
        "revision_consentimiento": c.revision_consentimiento,
        "consentimiento": _consentimiento_a_dict(c.consentimiento),
        "fotografia": None if c.fotografia is None else _fotografia_a_dict(c.fotografia),
        "plazo": None if c.plazo is None else _plazo_a_dict(c.plazo),
        "ediciones": {k.value: _edicion_a_dict(e) for k, e in c.ediciones.items()},
        "enviada_en": _iso(c.enviada_en),
        "enviada_por": c.enviada_por,
        "fuera_de_plazo": c.fuera_de_plazo,
    }


def cuestionarios_de_dict(d: dict[str, Any] | None) -> Cuestionarios:
    """Document part → aggregate part; documents from before capture existed are empty."""
    if not d:
        return Cuestionarios()
    return Cuestionarios(
        curricular=dict(d.get("curricular") or {}),
        revision_curricular=int(d.get("revision_curricular", 0)),
        identidad_cifrada=d.get("identidad_cifrada"),
        identidad_avance=int(d.get("identidad_avance", 0)),
        revision_identidad=int(d.get("revision_identidad", 0)),
        revision_consentimiento=int(d.get("revision_consentimiento", 0)),
        consentimiento=_consentimiento_de_dict(d.get("consentimiento")),
        fotografia=_fotografia_de_dict(d.get("fotografia")),
        plazo=_plazo_de_dict(d.get("plazo")),
        ediciones={
            Cuestionario(k): Edicion(e["por"], _fecha(e["en"]), bool(e.get("carga_masiva")))
            for k, e in (d.get("ediciones") or {}).items()
        },
        enviada_en=_fecha_o_none(d.get("enviada_en")),
        enviada_por=d.get("enviada_por"),
        fuera_de_plazo=bool(d.get("fuera_de_plazo")),
    )


def _consentimiento_a_dict(c: Consentimiento | None) -> dict[str, Any] | None:
    """Consent → plain values."""
    if c is None:
        return None
    a = c.autorizaciones
    return {
        "autorizaciones": {
            "tratamiento": _iso(a.tratamiento),
            "publicacion": _iso(a.publicacion),
            "uso_estadistico": _iso(a.uso_estadistico),
        },
        "documento_id": c.documento_id,
        "documento_tipo": c.documento_tipo,
        "registrado_en": _iso(c.registrado_en),
        "registrado_por": c.registrado_por,
    }


def _consentimiento_de_dict(d: dict[str, Any] | None) -> Consentimiento | None:
    """Plain values → consent."""
    if not d:
        return None
    a = d["autorizaciones"]
    return Consentimiento(
        autorizaciones=Autorizaciones(
            tratamiento=_fecha_o_none(a.get("tratamiento")),
            publicacion=_fecha_o_none(a.get("publicacion")),
            uso_estadistico=_fecha_o_none(a.get("uso_estadistico")),
        ),
        documento_id=d.get("documento_id"),
        documento_tipo=d.get("documento_tipo"),
        registrado_en=_fecha_o_none(d.get("registrado_en")),
        registrado_por=d.get("registrado_por"),
    )


def _fotografia_a_dict(f: Fotografia) -> dict[str, Any]:
    """Photograph → plain values."""
    return {
        "archivo_id": f.archivo_id,
        "ancho": f.ancho,
        "alto": f.alto,
        "cargada_en": _iso(f.cargada_en),
    }


def _fotografia_de_dict(d: dict[str, Any] | None) -> Fotografia | None:
    """Plain values → photograph."""
    if not d:
        return None
    return Fotografia(d["archivo_id"], int(d["ancho"]), int(d["alto"]), _fecha(d["cargada_en"]))


def _plazo_a_dict(p: Plazo) -> dict[str, Any]:
    """Deadline → plain values."""
    return {
        "inicio": _iso(p.inicio),
        "vence_original": _iso(p.vence_original),
        "dias": p.dias,
        "prorrogas": [
            {"vence": _iso(x.vence), "motivo": x.motivo, "por": x.por, "en": _iso(x.en)}
            for x in p.prorrogas
        ],
    }


def _plazo_de_dict(d: dict[str, Any] | None) -> Plazo | None:
    """Plain values → deadline."""
    if not d:
        return None
    return Plazo(
        inicio=_fecha(d["inicio"]),
        vence_original=_fecha(d["vence_original"]),
        dias=int(d["dias"]),
        prorrogas=tuple(
            Prorroga(_fecha(x["vence"]), x["motivo"], x["por"], _fecha(x["en"]))
            for x in d.get("prorrogas") or ()
        ),
    )


def _edicion_a_dict(e: Edicion) -> dict[str, Any]:
    """Last edit → plain values."""
    return {"por": e.por, "en": _iso(e.en), "carga_masiva": e.carga_masiva}


def _iso(momento: datetime | None) -> str | None:
    """ISO 8601 with offset, or None."""
    return None if momento is None else momento.isoformat()


def _fecha(texto: str) -> datetime:
    """ISO 8601 → aware datetime."""
    return datetime.fromisoformat(texto)


def _fecha_o_none(texto: str | None) -> datetime | None:
    """ISO 8601 or None → aware datetime or None."""
    return None if texto is None else datetime.fromisoformat(texto)
