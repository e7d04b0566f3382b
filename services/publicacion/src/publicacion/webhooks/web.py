"""The administrator's webhook pages under /webhooks: subscribers, secrets, delivery log."""

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from publicacion.domain.destinos import ErrorWebhook
from publicacion.domain.webhooks import (
    ETIQUETAS_ENTREGA,
    ETIQUETAS_EVENTO,
    ETIQUETAS_SUSCRIPCION,
    MAX_DESCRIPCION,
    REENVIABLES,
    EstadoEntrega,
    EstadoSuscripcion,
    EventoWebhook,
    Suscripcion,
)
from publicacion.webhooks import handlers
from publicacion.webhooks.adapters import resolver_dns
from publicacion.webhooks.api import (
    Administrador,
    Ajustes,
    EntregaId,
    Entregas,
    Suscripciones,
    SuscripcionId,
)

PREFIJO = "/webhooks"
POR_PAGINA = 50
ZONA = ZoneInfo("America/Mexico_City")
SIN_CACHE = {"Cache-Control": "no-store"}
CONFIRMAR = "Marque la casilla de confirmación para continuar."
AVISOS = {
    "pausada": "El suscriptor quedó en pausa: no se le envía nada hasta reanudarlo.",
    "reanudada": "El suscriptor está activo de nuevo; lo que estaba en cola se envía ahora.",
    "eliminada": "Se eliminó el suscriptor: ya no recibe entregas y su secreto se borró.",
    "reenviada": "La entrega volvió a la cola; se enviará en unos segundos.",
}


def hora(momento: float | None) -> str:
    """Seconds since the epoch → local date and time of central Mexico."""
    if momento is None:
        return ""
    return datetime.fromtimestamp(momento, ZONA).strftime("%d/%m/%Y %H:%M:%S")


plantillas = crear_plantillas(Servicio.PUBLICACION, Path(__file__).parent / "templates")
plantillas.env.filters["hora"] = hora
plantillas.env.globals.update(
    ETIQUETAS_ENTREGA=ETIQUETAS_ENTREGA,
    ETIQUETAS_EVENTO=ETIQUETAS_EVENTO,
    ETIQUETAS_SUSCRIPCION=ETIQUETAS_SUSCRIPCION,
    REENVIABLES=REENVIABLES,
    MAX_DESCRIPCION=MAX_DESCRIPCION,
    quote=quote,
)
router = APIRouter(prefix=PREFIJO, include_in_schema=False)


def _pagina(
    request: Request, plantilla: str, contexto: dict[str, Any], *, status_code: int = 200
) -> Response:
    """A page of this section, never cached (it may show a secret or the log)."""
    aviso = AVISOS.get(request.query_params.get("aviso", ""))
    respuesta = plantillas.TemplateResponse(
        request, f"webhooks/{plantilla}", {"aviso": aviso, **contexto}, status_code=status_code
    )
    respuesta.headers.update(SIN_CACHE)
    return respuesta


async def _lista(
    request: Request,
    suscripciones: Suscripciones,
    entregas: Entregas,
    *,
    error: str | None = None,
    valores: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The subscribers with their pending and dead counts, and the registration form."""
    todas = await handlers.lista(suscripciones=suscripciones)
    conteos = {s.id: await entregas.conteos(s.id) for s in todas}
    contexto = {
        "titulo": "Webhooks",
        "suscripciones": todas,
        "conteos": conteos,
        "opciones_eventos": [(e.value, ETIQUETAS_EVENTO[e]) for e in EventoWebhook],
        "error": error,
        "valores": valores
        or {"url": "", "descripcion": "", "eventos": [e.value for e in EventoWebhook]},
    }
    return _pagina(request, "lista.html", contexto, status_code=status_code)


@router.get("", response_class=HTMLResponse)
async def lista(
    request: Request, _usuario: Administrador, suscripciones: Suscripciones, entregas: Entregas
) -> Response:
    """The subscribers and the form to register one."""
    return await _lista(request, suscripciones, entregas)


@router.post("", response_class=HTMLResponse)
async def registrar(
    request: Request,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
    ajustes: Ajustes,
    url: Annotated[str, Form(max_length=2000)] = "",
    descripcion: Annotated[str, Form(max_length=MAX_DESCRIPCION)] = "",
    eventos: Annotated[list[str] | None, Form(max_length=10)] = None,
) -> Response:
    """Register a subscriber and show its secret once; the form again with the error if not."""
    valores = {"url": url, "descripcion": descripcion, "eventos": eventos or []}
    try:
        nueva, secreto = await handlers.registrar(
            suscripciones=suscripciones,
            resolver=resolver_dns,
            permitir_privadas=ajustes.webhooks_permitir_privadas,
            usuario=usuario,
            url=url,
            eventos=eventos or [],
            descripcion=descripcion,
            ahora=time.time(),
        )
    except ErrorWebhook as exc:
        return await _lista(
            request, suscripciones, entregas, error=str(exc), valores=valores, status_code=422
        )
    return _secreto(request, nueva, secreto, nueva_suscripcion=True)


def _secreto(
    request: Request, suscripcion: Suscripcion, secreto: str, *, nueva_suscripcion: bool
) -> Response:
    """The only page that shows a signing secret."""
    contexto = {
        "titulo": "Secreto de firma",
        "s": suscripcion,
        "secreto": secreto,
        "nueva": nueva_suscripcion,
    }
    return _pagina(request, "secreto.html", contexto, status_code=201 if nueva_suscripcion else 200)


async def _detalle(
    request: Request,
    suscripcion: Suscripcion,
    entregas: Entregas,
    *,
    estado: str = "",
    pagina: int = 1,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """A subscriber, its actions and its delivery log (filtered by state, paged)."""
    filtro = EstadoEntrega(estado) if estado in set(EstadoEntrega) else None
    total, lista_ = await handlers.registro(
        entregas=entregas,
        suscripcion_id=suscripcion.id,
        estado=filtro,
        pagina=pagina,
        por_pagina=POR_PAGINA,
    )
    ultima = max(1, -(-total // POR_PAGINA))
    base = f"{PREFIJO}/{quote(suscripcion.id)}"
    contexto = {
        "titulo": f"Suscriptor {suscripcion.descripcion or suscripcion.url}",
        "s": suscripcion,
        "conteos": await entregas.conteos(suscripcion.id),
        "entregas": lista_,
        "total": total,
        "pagina": pagina,
        "ultima": ultima,
        "estado": filtro.value if filtro else "",
        "enlace": lambda p: f"{base}?" + urlencode({"estado": estado, "pagina": p}),
        "error": error,
        "activa": suscripcion.estado is EstadoSuscripcion.ACTIVA,
        "eliminada": suscripcion.estado is EstadoSuscripcion.ELIMINADA,
    }
    return _pagina(request, "suscripcion.html", contexto, status_code=status_code)


@router.get("/{suscripcion_id}", response_class=HTMLResponse)
async def detalle(
    request: Request,
    suscripcion_id: SuscripcionId,
    _usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
    estado: Annotated[str, Query(max_length=20)] = "",
    pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """A subscriber's page: data, actions and delivery log."""
    encontrada = await handlers.suscripcion(
        suscripciones=suscripciones, suscripcion_id=suscripcion_id
    )
    return await _detalle(request, encontrada, entregas, estado=estado, pagina=pagina)


def _volver(suscripcion_id: str, aviso: str, ancla: str = "") -> RedirectResponse:
    destino = f"{PREFIJO}/{quote(suscripcion_id)}?aviso={aviso}{ancla}"
    return RedirectResponse(destino, status_code=303)


async def _fallo(
    request: Request,
    suscripciones: Suscripciones,
    entregas: Entregas,
    suscripcion_id: str,
    error: ErrorWebhook | str,
) -> Response:
    """The subscriber's page again, with why the action was not done."""
    encontrada = await handlers.suscripcion(
        suscripciones=suscripciones, suscripcion_id=suscripcion_id
    )
    status = 422 if isinstance(error, str) else 409
    texto = error if isinstance(error, str) else str(error)
    return await _detalle(request, encontrada, entregas, error=texto, status_code=status)


@router.post("/{suscripcion_id}/pausar")
async def pausar(
    request: Request,
    suscripcion_id: SuscripcionId,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
) -> Response:
    """Pause a subscriber."""
    args = (request, suscripcion_id, usuario, suscripciones, entregas)
    return await _cambiar_estado(*args, handlers.pausar, "pausada")


@router.post("/{suscripcion_id}/reanudar")
async def reanudar(
    request: Request,
    suscripcion_id: SuscripcionId,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
) -> Response:
    """Resume a paused subscriber."""
    args = (request, suscripcion_id, usuario, suscripciones, entregas)
    return await _cambiar_estado(*args, handlers.reanudar, "reanudada")


async def _cambiar_estado(
    request: Request,
    suscripcion_id: str,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
    cambio: Callable[..., Awaitable[Suscripcion]],
    aviso: str,
) -> Response:
    """Pause or resume, then back to the subscriber's page (with why, when refused)."""
    try:
        await cambio(
            suscripciones=suscripciones,
            suscripcion_id=suscripcion_id,
            usuario=usuario,
            ahora=time.time(),
        )
    except ErrorWebhook as exc:
        return await _fallo(request, suscripciones, entregas, suscripcion_id, exc)
    return _volver(suscripcion_id, aviso)


@router.post("/{suscripcion_id}/rotar-secreto")
async def rotar_secreto(
    request: Request,
    suscripcion_id: SuscripcionId,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
    confirmo: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    """A new secret, shown once; the previous one also signs for 24 hours."""
    if confirmo != "si":
        return await _fallo(request, suscripciones, entregas, suscripcion_id, CONFIRMAR)
    try:
        rotada, secreto = await handlers.rotar_secreto(
            suscripciones=suscripciones,
            suscripcion_id=suscripcion_id,
            usuario=usuario,
            ahora=time.time(),
        )
    except ErrorWebhook as exc:
        return await _fallo(request, suscripciones, entregas, suscripcion_id, exc)
    return _secreto(request, rotada, secreto, nueva_suscripcion=False)


@router.post("/{suscripcion_id}/eliminar")
async def eliminar(
    request: Request,
    suscripcion_id: SuscripcionId,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
    confirmo: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    """Delete a subscriber (its log stays)."""
    if confirmo != "si":
        return await _fallo(request, suscripciones, entregas, suscripcion_id, CONFIRMAR)
    try:
        await handlers.eliminar(
            suscripciones=suscripciones,
            entregas=entregas,
            suscripcion_id=suscripcion_id,
            usuario=usuario,
            ahora=time.time(),
        )
    except ErrorWebhook as exc:
        return await _fallo(request, suscripciones, entregas, suscripcion_id, exc)
    return _volver(suscripcion_id, "eliminada")


@router.post("/entregas/{entrega_id}/reenviar")
async def reenviar(
    request: Request,
    entrega_id: EntregaId,
    usuario: Administrador,
    suscripciones: Suscripciones,
    entregas: Entregas,
) -> Response:
    """Put a delivered or dead delivery back in the queue."""
    try:
        reenviada = await handlers.reenviar(
            suscripciones=suscripciones,
            entregas=entregas,
            entrega_id=entrega_id,
            usuario=usuario,
            ahora=time.time(),
        )
    except ErrorWebhook as exc:
        # Refused only once the delivery was found: its subscriber's page explains why.
        entrega = await entregas.obtener(entrega_id)
        suscripcion_id = entrega.suscripcion_id if entrega is not None else ""
        return await _fallo(request, suscripciones, entregas, suscripcion_id, exc)
    return _volver(reenviada.suscripcion_id, "reenviada", f"#entrega-{quote(reenviada.id)}")
