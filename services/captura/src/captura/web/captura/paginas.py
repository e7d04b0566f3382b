"""What every capture page of a candidacy shares: the router, deadline text, guards, context."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from captura.api import Repo
from captura.api.esquemas import ROLES_QUE_CAPTURAN
from captura.domain import Candidatura, Eleccion, EstadoCandidatura
from captura.domain.plazo import AlVencer
from captura.handlers import cuestionarios as h
from captura.web import plantillas
from captura.web.vistas import ACCIONES_AFIRMATIVAS, MESES, PREFIJO, fila_lista, zona_de
from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado, Problema
from comun.eventos.vocabulario import etiqueta

router = APIRouter(prefix=PREFIJO, include_in_schema=False)
ABIERTAS = (EstadoCandidatura.REGISTRADA, EstadoCandidatura.EN_CAPTURA)


# Formatting


def hora_local(momento: datetime | None, eleccion: Eleccion) -> str:
    """`3 de mayo de 2024 a las 10:42` in the election's time zone."""
    if momento is None:
        return "—"
    local = momento.astimezone(zona_de(eleccion))
    return f"{local.day} de {MESES[local.month - 1]} de {local.year} a las {local:%H:%M}"


def tiempo_restante(segundos: int) -> str:
    """`3 días y 4 horas`, `5 horas y 10 minutos`, `12 minutos`."""
    dias, resto = divmod(max(segundos, 0), 86400)
    horas, minutos = resto // 3600, resto % 3600 // 60

    def n(valor: int, uno: str, varios: str) -> str:
        return f"{valor} {uno if valor == 1 else varios}"

    if dias:
        return f"{n(dias, 'día', 'días')} y {n(horas, 'hora', 'horas')}"
    if horas:
        return f"{n(horas, 'hora', 'horas')} y {n(minutos, 'minuto', 'minutos')}"
    return n(minutos, "minuto", "minutos")


def vista_plazo(c: Candidatura, eleccion: Eleccion) -> dict[str, Any] | None:
    """The deadline as pages show it, with its extensions; None before the accounts are given."""
    plazo = c.cuestionarios.plazo
    if plazo is None:
        return None
    ahora = datetime.now(UTC)
    return {
        "vence": hora_local(plazo.vence, eleccion),
        "vence_iso": plazo.vence.astimezone(UTC).isoformat(),
        "vence_dia": plazo.vence.astimezone(zona_de(eleccion)).date().isoformat(),
        "vencido": plazo.vencido(ahora),
        "restante": tiempo_restante(int(plazo.restante(ahora).total_seconds())),
        "dias": plazo.dias,
        "bloquea": eleccion.plazos.al_vencer is AlVencer.BLOQUEAR,
        "prorrogas": [
            {"vence": hora_local(p.vence, eleccion), "motivo": p.motivo, "por": p.por,
             "en": hora_local(p.en, eleccion)}
            for p in plazo.prorrogas
        ],
    }  # fmt: skip


plantillas.env.globals.update(vista_plazo=vista_plazo)


def captura_equipo(usuario: Usuario) -> bool:
    """Whether the user belongs to a capture team (the only ones who see identity answers)."""
    return usuario.tiene_rol(*ROLES_QUE_CAPTURAN)


def motivo_no_editable(c: Candidatura, usuario: Usuario, eleccion: Eleccion) -> str | None:
    """Why this user cannot edit the candidacy's capture now, or None when they can."""
    if not captura_equipo(usuario):
        return "Solo el equipo de captura de la candidatura edita sus cuestionarios."
    return c.motivo_no_editable(h.captura_de(usuario, eleccion))


def datos_registro(c: Candidatura, eleccion: Eleccion) -> list[tuple[str, str]]:
    """The registry data shown read-only above the questionnaires."""
    r, fila = c.registro, fila_lista(c, eleccion)
    accion = r.accion_afirmativa
    return [
        ("Nombre", r.nombre),
        ("Sobrenombre", r.sobrenombre or "Sin sobrenombre"),
        ("Cargo", f"{fila['cargo']} ({fila['detalle_cargo']})"),
        ("Principio", f"{etiqueta(r.principio)} ({r.principio.value})"),
        ("Distrito o municipio", fila["ambito"]),
        ("Posición", str(r.posicion or 1)),
        ("Tipo", etiqueta(r.tipo_candidatura)),
        ("Postulante", fila["postulante"]),
        ("Sexo", etiqueta(r.sexo)),
        ("Edad", f"{c.edad(fecha_jornada=eleccion.fechas.jornada)} años el día de la jornada"),
        (
            "Acción afirmativa",
            ACCIONES_AFIRMATIVAS.get(accion.value, etiqueta(accion)) if accion else "Ninguna",
        ),
    ]


def id_campo(clave: str) -> str:
    """The HTML id of a field's control (the same rule as comun's form macros)."""
    return "campo-" + clave.replace(".", "-")


async def en_alcance(repo: Repo, candidatura_id: str, usuario: Usuario) -> Candidatura:
    """The candidacy, or the same 404 the candidacy page gives when missing or out of scope."""
    try:
        return await h.candidatura_en_alcance(
            repo=repo, candidatura_id=candidatura_id, usuario=usuario
        )
    except NoEncontrado:
        raise NoEncontrado(
            f"No existe la candidatura «{candidatura_id}» o no está a su cargo."
        ) from None


def pagina(
    request: Request, plantilla: str, contexto: dict[str, Any], status: int = 200
) -> Response:
    """Render a template of this module."""
    return plantillas.TemplateResponse(
        request, f"captura/cuestionarios/{plantilla}", contexto, status_code=status
    )


def revision_de(form: FormData) -> int:
    """The draft revision a form carries (422 when missing or not a number)."""
    try:
        return max(int(str(form.get("revision", ""))), 0)
    except ValueError:
        raise Problema(
            422, "Formulario incompleto", "Falta la versión del borrador; recargue la página."
        ) from None


def url_de(c: Candidatura, pagina_: str = "") -> str:
    """A capture page of the candidacy."""
    from urllib.parse import quote

    return f"{PREFIJO}/candidaturas/{quote(c.id, safe='')}" + (f"/{pagina_}" if pagina_ else "")


def contexto_comun(
    request: Request, c: Candidatura, usuario: Usuario, eleccion: Eleccion
) -> dict[str, Any]:
    """What every capture page of one candidacy shows."""
    return {
        "c": c,
        "usuario": usuario,
        "registro": datos_registro(c, eleccion),
        "plazo": vista_plazo(c, eleccion),
        "avance": h.avance_de(c),
        "estado": etiqueta(c.estado),
        "bloqueo": motivo_no_editable(c, usuario, eleccion),
        "equipo": captura_equipo(usuario),
        "base": url_de(c),
        "guardado": request.query_params.get("guardado") == "1",
    }


async def editable(repo: Repo, candidatura_id: str, usuario: Usuario) -> Candidatura:
    """A candidacy in scope that only its capture team may change."""
    c = await en_alcance(repo, candidatura_id, usuario)
    if not captura_equipo(usuario):
        raise Problema(
            403,
            "Solo el equipo de captura",
            "Solo el equipo de captura de la candidatura (partido, supervisión o la propia "
            "candidatura) puede cambiar sus cuestionarios.",
        )
    return c
