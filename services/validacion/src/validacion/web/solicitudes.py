"""HTML pages of post-publication change requests: request form, queue, resolution."""

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from comun.auth.usuario import Usuario
from comun.errores import Problema, SinPermiso
from comun.eventos.vocabulario import CampoCurricular
from comun.roles import Rol
from validacion import handlers as handlers_revision
from validacion.adapters.solicitudes import Expediente
from validacion.api import Administrador, Repo
from validacion.api.solicitudes import Calendar, Lector, Solicitante, Solicitudes
from validacion.api.verificacion import Moderaciones
from validacion.domain import Revision, etiqueta_campo
from validacion.domain.solicitudes import (
    CAMPOS_CON_TEXTO,
    LIMITE_CORTO,
    LIMITES,
    ErrorSolicitud,
    EstadoSolicitud,
    Ocultos,
)
from validacion.domain.verificacion import PERFIL, Moderacion
from validacion.handlers import solicitudes as handlers
from validacion.web import plantillas

router = APIRouter(prefix="/validacion", include_in_schema=False)
ZONA = ZoneInfo("America/Mexico_City")
DIAS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MESES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip
ESTADOS = {
    EstadoSolicitud.PRESENTADA: "Pendiente",
    EstadoSolicitud.APLICADA: "Aplicada",
    EstadoSolicitud.RECHAZADA: "Rechazada",
}


def fecha_larga(momento: datetime) -> str:
    """«lunes 20 de mayo, 23:59» in central Mexico's time."""
    local = momento.astimezone(ZONA)
    dia, mes = DIAS[local.weekday()], MESES[local.month - 1]
    return f"{dia} {local.day} de {mes}, {local:%H:%M}"


def _contexto(usuario: Usuario, **extra: Any) -> dict[str, Any]:
    """What every change-request page gets."""
    return {
        "usuario": usuario,
        "administrador": usuario.tiene_rol(Rol.ADMINISTRADOR),
        "fecha_larga": fecha_larga,
        "etiqueta_campo": etiqueta_campo,
        "estados": ESTADOS,
        "ahora": datetime.now(UTC),
        **extra,
    }


def _campos(
    revision: Revision, elegidos: dict[str, str], moderacion: Moderacion
) -> list[dict[str, Any]]:
    """Each changeable field: label, published text, limit, takedown and what was typed."""
    filas = []
    for campo in CAMPOS_CON_TEXTO:
        publicado = handlers.texto_publicado(revision.curricular, campo)
        filas.append(
            {
                "clave": campo.value,
                "etiqueta": etiqueta_campo(campo),
                "publicado": publicado,
                "limite": handlers.MAX_CURSO
                if campo is CampoCurricular.CURSOS
                else LIMITES.get(campo, LIMITE_CORTO),
                "por_renglon": campo is CampoCurricular.CURSOS,
                "elegido": campo.value in elegidos,
                "deshabilitado": campo.value in moderacion.vigentes,
                "texto": elegidos.get(campo.value, publicado or ""),
            }
        )
    return filas


def _pagina_formulario(
    request: Request,
    usuario: Usuario,
    revision: Revision,
    *,
    previa: Expediente | None,
    moderacion: Moderacion,
    elegidos: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The one change request form of a published candidacy."""
    contexto = _contexto(
        usuario,
        r=revision,
        previa=previa,
        publicada=revision.publicable and revision.vigente,
        campos=_campos(revision, elegidos or {}, moderacion),
        perfil_deshabilitado=PERFIL in moderacion.vigentes,
        error=error,
    )
    return plantillas.TemplateResponse(
        request, "validacion/solicitud_nueva.html", contexto, status_code=status
    )


@router.get("/candidaturas/{candidatura_id}/solicitud", response_class=HTMLResponse)
async def formulario(
    request: Request,
    candidatura_id: str,
    usuario: Solicitante,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
) -> Response:
    """Pick fields and write their new texts; shows the request if there is one already."""
    revision = await handlers_revision.revision_en_alcance(
        repo=repo, usuario=usuario, candidatura_id=candidatura_id
    )
    if not handlers_revision.puede_validar(usuario, revision):
        raise SinPermiso("Su cuenta no pide cambios de esta candidatura.")
    previa = await solicitudes.de_candidatura(candidatura_id)
    moderacion = await moderaciones.obtener(candidatura_id)
    return _pagina_formulario(request, usuario, revision, previa=previa, moderacion=moderacion)


@router.post("/candidaturas/{candidatura_id}/solicitud", response_class=HTMLResponse)
async def presentar(
    request: Request,
    candidatura_id: str,
    usuario: Solicitante,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
    calendario: Calendar,
) -> Response:
    """File the request from the form; errors come back with what was typed."""
    datos = await request.form()
    elegidos = {
        str(campo): str(datos.get(f"texto_{campo}", "")) for campo in datos.getlist("campo")
    }
    try:
        expediente = await handlers.presentar_solicitud(
            repo=repo,
            solicitudes=solicitudes,
            usuario=usuario,
            candidatura_id=candidatura_id,
            cambios=list(elegidos.items()),
            calendario=calendario,
        )
    except (ErrorSolicitud, handlers.SolicitudNoAdmitida) as exc:
        status = exc.status if isinstance(exc, Problema) else 422
        detalle = exc.detail if isinstance(exc, Problema) else str(exc)
        revision = await handlers_revision.revision_en_alcance(
            repo=repo, usuario=usuario, candidatura_id=candidatura_id
        )
        previa = await solicitudes.de_candidatura(candidatura_id)
        moderacion = await moderaciones.obtener(candidatura_id)
        return _pagina_formulario(
            request, usuario, revision, previa=previa, moderacion=moderacion, elegidos=elegidos,
            error=detalle, status=status,
        )  # fmt: skip
    return RedirectResponse(f"/validacion/solicitudes/{expediente.solicitud.id}", status_code=303)


@router.get("/solicitudes", response_class=HTMLResponse)
async def cola(
    request: Request,
    usuario: Lector,
    solicitudes: Solicitudes,
    estado: str | None = None,
    partido: str | None = None,
    vencidas: str | None = None,
) -> HTMLResponse:
    """The administrator's queue (or the caller's own requests), overdue first."""
    # Empty form fields come as "": they mean «any».
    elegido = EstadoSolicitud(estado) if estado in set(EstadoSolicitud) else None
    lista = await handlers.cola_de_solicitudes(
        solicitudes=solicitudes,
        usuario=usuario,
        estado=elegido,
        partido=partido or None,
        vencidas=bool(vencidas),
    )
    contexto = _contexto(
        usuario,
        cola=lista,
        elegidos={
            "estado": elegido.value if elegido else "",
            "partido": partido or "",
            "vencidas": bool(vencidas),
        },
    )
    return plantillas.TemplateResponse(request, "validacion/solicitudes.html", contexto)


def _pagina_solicitud(
    request: Request,
    usuario: Usuario,
    expediente: Expediente,
    revision: Revision | None,
    ocultos: Ocultos,
    *,
    error: str | None = None,
    motivo: str = "",
    status: int = 200,
) -> Response:
    """One request: old and new text side by side, and the resolution forms."""
    s = expediente.solicitud
    filas = [
        {
            "etiqueta": etiqueta_campo(c.campo),
            "anterior": s.anteriores.get(c.campo)
            if s.estado is EstadoSolicitud.APLICADA
            else handlers.texto_publicado(revision.curricular if revision else None, c.campo),
            "nuevo": c.texto,
        }
        for c in s.cambios
    ]
    contexto = _contexto(
        usuario,
        e=expediente,
        s=s,
        filas=filas,
        advertencia=ocultos.advertencia,
        error=error,
        motivo=motivo,
    )
    return plantillas.TemplateResponse(
        request, "validacion/solicitud.html", contexto, status_code=status
    )


@router.get("/solicitudes/{solicitud_id}", response_class=HTMLResponse)
async def solicitud(
    request: Request,
    solicitud_id: str,
    usuario: Lector,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
) -> Response:
    """The page of one request."""
    return await _pagina(request, usuario, repo, solicitudes, moderaciones, solicitud_id)


@router.post("/solicitudes/{solicitud_id}/aplicar", response_class=HTMLResponse)
async def aplicar(
    request: Request,
    solicitud_id: str,
    usuario: Administrador,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
) -> Response:
    """Apply from the request page."""
    try:
        await handlers.aplicar_solicitud(
            repo=repo, solicitudes=solicitudes, usuario=usuario, solicitud_id=solicitud_id
        )
    except handlers.SolicitudNoAdmitida as exc:
        return await _pagina(
            request, usuario, repo, solicitudes, moderaciones, solicitud_id, exc.detail, 409
        )
    return RedirectResponse(f"/validacion/solicitudes/{solicitud_id}", status_code=303)


@router.post("/solicitudes/{solicitud_id}/rechazar", response_class=HTMLResponse)
async def rechazar(
    request: Request,
    solicitud_id: str,
    usuario: Administrador,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
    motivo: Annotated[str, Form()] = "",
) -> Response:
    """Reject from the request page; the reason is required."""
    try:
        await handlers.rechazar_solicitud(
            repo=repo, solicitudes=solicitudes, usuario=usuario,
            solicitud_id=solicitud_id, motivo=motivo,
        )  # fmt: skip
    except handlers.SolicitudNoAdmitida as exc:
        return await _pagina(
            request, usuario, repo, solicitudes, moderaciones, solicitud_id, exc.detail, 409
        )
    except ErrorSolicitud as exc:
        return await _pagina(
            request, usuario, repo, solicitudes, moderaciones, solicitud_id, str(exc), 422,
            motivo=motivo,
        )  # fmt: skip
    return RedirectResponse(f"/validacion/solicitudes/{solicitud_id}", status_code=303)


async def _pagina(
    request: Request,
    usuario: Usuario,
    repo: Repo,
    solicitudes: Solicitudes,
    moderaciones: Moderaciones,
    solicitud_id: str,
    error: str | None = None,
    status: int = 200,
    *,
    motivo: str = "",
) -> Response:
    """The request page, with what went wrong if anything did."""
    expediente = await handlers.solicitud_en_alcance(
        solicitudes=solicitudes, usuario=usuario, solicitud_id=solicitud_id
    )
    revision = await repo.obtener(expediente.solicitud.candidatura_id)
    ocultos = await handlers.ocultos_de(moderaciones=moderaciones, expedientes=[expediente])
    return _pagina_solicitud(
        request, usuario, expediente, revision, ocultos[expediente.solicitud.id], error=error,
        motivo=motivo, status=status,
    )  # fmt: skip
