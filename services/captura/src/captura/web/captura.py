"""Capture pages under /captura: my candidacies, questionnaires, consent, photo, send, deadlines."""

import json
import math
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from captura import handlers
from captura.adapters.documentos import DocumentoInvalido
from captura.adapters.fotografia import FotografiaInvalida, LimitesFotografia
from captura.api import MB, Administrador, Capturista, EleccionActual, Repo
from captura.api.cuestionarios import ROLES_QUE_CAPTURAN, Archivos, Cifra
from captura.config import Settings
from captura.domain import Candidatura, Eleccion, ErrorDominio, EstadoCandidatura
from captura.domain.curricular import (
    CAMPOS,
    ETIQUETAS_ESTATUS,
    ETIQUETAS_GRADO,
    SECCIONES,
    validar_campo,
    validar_curricular,
)
from captura.domain.errores import CapturaCerrada, ConflictoEdicion
from captura.domain.identidad import (
    NO_APLICA,
    POR_CLAVE,
    PREFIERO_NO_CONTESTAR,
    PREGUNTAS,
    SUFIJO_OTRO,
    validar_identidad,
)
from captura.domain.plazo import AlVencer
from captura.handlers import archivos as h_archivos
from captura.handlers import cuestionarios as h
from captura.handlers import plazos as h_plazos
from captura.handlers.eventos import es_identidad_publica
from captura.web import plantillas
from captura.web.vistas import (
    ACCIONES_AFIRMATIVAS,
    MESES,
    PREFIJO,
    FiltrosPagina,
    cifra,
    fila_lista,
    zona_de,
)
from comun.auth.usuario import Usuario
from comun.errores import NoEncontrado, Problema
from comun.eventos.vocabulario import etiqueta

router = APIRouter(prefix=PREFIJO, include_in_schema=False)
Filtros = Annotated[FiltrosPagina, Query()]
CURRICULAR, IDENTIDAD = "curricular", "identidad"
VACIO = "Sin respuesta"
ABIERTAS = (EstadoCandidatura.REGISTRADA, EstadoCandidatura.EN_CAPTURA)
AUTORIZACIONES = {
    "tratamiento": (
        "Autorizo al Instituto Electoral del Estado de México a tratar mis datos personales "
        "sensibles del cuestionario de identidad conforme al aviso de privacidad integral del "
        "sistema «Candidatas y Candidatos, Conóceles»."
    ),
    "publicacion": (
        "Autorizo que mis respuestas al cuestionario de identidad se publiquen en el sitio "
        "«Candidatas y Candidatos, Conóceles» junto con mi información curricular."
    ),
    "uso_estadistico": (
        "Autorizo que mis respuestas al cuestionario de identidad se usen, sin datos que me "
        "identifiquen, para elaborar estadísticas sobre la participación política de grupos en "
        "situación de discriminación."
    ),
}
TITULOS_AUTORIZACION = {
    "tratamiento": "a) Tratamiento de datos personales sensibles",
    "publicacion": "b) Publicación del cuestionario de identidad",
    "uso_estadistico": "c) Uso estadístico",
}


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


def es_htmx(request: Request) -> bool:
    """An htmx request that swaps part of the page."""
    return request.headers.get("hx-request") == "true"


def pagina(
    request: Request, plantilla: str, contexto: dict[str, Any], status: int = 200
) -> Response:
    """Render a template of this module."""
    return plantillas.TemplateResponse(
        request, f"captura/cuestionarios/{plantilla}", contexto, status_code=status
    )


def _revision(form: FormData) -> int:
    """The draft revision a form carries (422 when missing or not a number)."""
    try:
        return max(int(str(form.get("revision", ""))), 0)
    except ValueError:
        raise Problema(
            422, "Formulario incompleto", "Falta la versión del borrador; recargue la página."
        ) from None


# Curricular questionnaire


def curricular_plano(respuestas: Mapping[str, Any]) -> dict[str, Any]:
    """Stored curricular answers by flat field key (redes as redes_sociales.x)."""
    planos = {k: v for k, v in respuestas.items() if k != "redes_sociales"}
    for red, enlace in (respuestas.get("redes_sociales") or {}).items():
        planos[f"redes_sociales.{red}"] = enlace
    return planos


def texto_curricular(clave: str, valor: Any) -> str:
    """A curricular value as text for forms and summaries."""
    if valor is None:
        return ""
    if isinstance(valor, list):
        return "\n".join(str(v) for v in valor)
    if clave == "grado_maximo_estudios":
        return ETIQUETAS_GRADO.get(valor, str(valor))
    if clave == "estatus_estudios":
        return ETIQUETAS_ESTATUS.get(valor, str(valor))
    return str(valor)


def respuestas_curricular(form: FormData) -> dict[str, str]:
    """The curricular fields of a submitted form."""
    return {c.clave: str(form.get(c.clave, "")) for c in CAMPOS}


def secciones_curricular(
    eleccion: Eleccion, valores: Mapping[str, Any], errores: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The questionnaire's sections with their fields, values, limits and errors."""
    config = h.configuracion(eleccion)
    opciones = {
        "grado_maximo_estudios": [(g.value, ETIQUETAS_GRADO[g]) for g in config.grados],
        "estatus_estudios": [(e.value, ETIQUETAS_ESTATUS[e]) for e in config.estatus],
    }
    secciones = []
    for clave, titulo in SECCIONES.items():
        campos: list[dict[str, Any]] = []
        for c in (c for c in CAMPOS if c.seccion == clave):
            valor = valores.get(c.clave)
            campos.append({
                "clave": c.clave, "id": id_campo(c.clave), "etiqueta": c.etiqueta,
                "ayuda": c.ayuda, "tipo": c.tipo, "publico": c.publico,
                "valor": valor if isinstance(valor, str) else texto_curricular(c.clave, valor),
                "limite": config.limite(c.clave), "error": errores.get(c.clave),
                "opciones": opciones.get(c.clave, []),
            })  # fmt: skip
        llenos = sum(1 for campo in campos if campo["valor"].strip())
        secciones.append(
            {"clave": clave, "titulo": titulo, "campos": campos, "llenos": llenos,
             "total": len(campos)}
        )  # fmt: skip
    return secciones


# Identity questionnaire


def respuestas_identidad(form: FormData) -> dict[str, Any]:
    """The identity answers of a submitted form (unanswered questions as None)."""
    respuestas: dict[str, Any] = {}
    for p in PREGUNTAS:
        if p.multiple:
            respuestas[p.clave] = [str(v) for v in form.getlist(p.clave) if str(v)] or None
        else:
            respuestas[p.clave] = str(form.get(p.clave, "")) or None
        if p.otro:
            respuestas[p.clave + SUFIJO_OTRO] = str(form.get(p.clave + SUFIJO_OTRO, "")) or None
    return respuestas


def texto_identidad(valor: Any) -> str:
    """An identity answer as text."""
    if valor is None or valor == []:
        return VACIO
    return ", ".join(valor) if isinstance(valor, list) else str(valor)


def preguntas_identidad(
    valores: Mapping[str, Any], errores: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The 20 questions with the chosen options and errors."""
    preguntas = []
    for p in PREGUNTAS:
        valor = valores.get(p.clave)
        elegidas = valor if isinstance(valor, list) else [] if valor is None else [valor]
        padre = POR_CLAVE[p.depende_de[0]] if p.depende_de else None
        preguntas.append({
            "p": p, "id": f"pregunta-{p.clave}", "elegidas": elegidas,
            "opciones": [*p.opciones, PREFIERO_NO_CONTESTAR], "padre": padre,
            "otro": valores.get(p.clave + SUFIJO_OTRO) or "",
            "error": errores.get(p.clave), "error_otro": errores.get(p.clave + SUFIJO_OTRO),
        })  # fmt: skip
    return preguntas


def _texto_de_identidad(clave: str, valor: Any) -> str:
    """An identity answer as text, with the signature the merge view expects."""
    return texto_identidad(valor)


def resumen_identidad(respuestas: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each question with its answer as text, «Otro» texts included."""
    resumen = []
    for p in PREGUNTAS:
        otro = respuestas.get(p.clave + SUFIJO_OTRO) if p.otro else None
        texto = texto_identidad(respuestas.get(p.clave)) + (f" ({otro})" if otro else "")
        resumen.append({"numero": p.numero, "texto": p.texto, "respuesta": texto})
    return resumen


# Saving with optimistic concurrency


def diferencias(
    mias: Mapping[str, Any],
    guardadas: Mapping[str, Any],
    etiquetas: Mapping[str, str],
    texto: Callable[[str, Any], str],
) -> list[dict[str, str]]:
    """The fields where the user's draft and the stored one differ, for the merge view."""
    claves = [k for k in etiquetas if (mias.get(k) or None) != (guardadas.get(k) or None)]
    return [
        {"clave": k, "id": id_campo(k), "etiqueta": etiquetas[k],
         "mia": texto(k, mias.get(k)) or VACIO, "guardada": texto(k, guardadas.get(k)) or VACIO}
        for k in claves
    ]  # fmt: skip


ETIQUETAS_CURRICULAR = {c.clave: c.etiqueta for c in CAMPOS}
ETIQUETAS_IDENTIDAD = {
    clave: etiqueta_
    for p in PREGUNTAS
    for clave, etiqueta_ in (
        (p.clave, f"{p.numero}. {p.texto}"),
        *([(p.clave + SUFIJO_OTRO, f"{p.numero}. Texto de «Otro»")] if p.otro else []),
    )
}


def _ancla(cuestionario: str, clave: str) -> str:
    """The id an error links to: the field's control, or the question's fieldset."""
    if cuestionario == CURRICULAR:
        return id_campo(clave)
    if clave.endswith(SUFIJO_OTRO):
        return f"pregunta-{clave.removesuffix(SUFIJO_OTRO)}-otro"
    return f"pregunta-{clave}"


def _etiqueta(cuestionario: str, clave: str) -> str:
    """The label of a field or question an error is about."""
    etiquetas = ETIQUETAS_CURRICULAR if cuestionario == CURRICULAR else ETIQUETAS_IDENTIDAD
    return etiquetas.get(clave, clave)


async def guardar(
    cuestionario: str,
    c: Candidatura,
    respuestas: dict[str, Any],
    revision: int,
    accion: Callable[[dict[str, Any], int], Awaitable[Candidatura]],
    actuales: Callable[[Candidatura], dict[str, Any]],
    eleccion: Eleccion,
) -> dict[str, Any]:
    """Try a save; the outcome as the status line, errors and merge view need it."""
    resultado: dict[str, Any] = {
        "errores": {}, "fusion": None, "revision": revision, "cuestionario": cuestionario,
        "lista": [],
    }  # fmt: skip
    try:
        guardada = await accion(respuestas, revision)
    except h.RespuestasInvalidas as error:
        resultado |= {"errores": error.errores, "mensaje": str(error), "tipo": "error"}
        resultado["lista"] = [
            (_ancla(cuestionario, clave), _etiqueta(cuestionario, clave), mensaje)
            for clave, mensaje in error.errores.items()
        ]
        return resultado
    except ConflictoEdicion as error:
        if cuestionario == CURRICULAR:
            mias = curricular_plano(
                validar_curricular(respuestas, config=h.configuracion(eleccion))[0]
            )
            etiquetas, texto = ETIQUETAS_CURRICULAR, texto_curricular
        else:
            mias = validar_identidad(respuestas)[0]
            etiquetas, texto = ETIQUETAS_IDENTIDAD, _texto_de_identidad
        guardadas = actuales(c)
        resultado["fusion"] = {
            "campos": diferencias(mias, guardadas, etiquetas, texto),
            "revision": error.revision_actual,
            "mias": json.dumps(respuestas, ensure_ascii=False),
        }
        resultado |= {"mensaje": str(error), "tipo": "conflicto"}
        return resultado
    except ErrorDominio as error:
        resultado |= {"mensaje": str(error), "tipo": "error"}
        return resultado
    q = guardada.cuestionarios
    revision_nueva = q.revision_curricular if cuestionario == CURRICULAR else q.revision_identidad
    hora = datetime.now(UTC).astimezone(zona_de(eleccion))
    resultado |= {
        "revision": revision_nueva,
        "mensaje": f"Guardado a las {hora:%H:%M}.",
        "tipo": "guardado",
        "avance": h.avance_de(guardada),
    }
    return resultado


def _url(c: Candidatura, pagina_: str = "") -> str:
    """A capture page of the candidacy."""
    from urllib.parse import quote

    return f"{PREFIJO}/candidaturas/{quote(c.id, safe='')}" + (f"/{pagina_}" if pagina_ else "")


def _comun(
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
        "base": _url(c),
        "guardado": request.query_params.get("guardado") == "1",
    }


def _respuesta_guardado(
    request: Request,
    c: Candidatura,
    resultado: dict[str, Any],
    campos: list[tuple[str, str]],
    completa: Callable[[], Response],
    destino: str,
) -> Response:
    """htmx gets the status fragment; a plain form gets a redirect or the page with errors."""
    status = {"guardado": 200, "conflicto": 409}.get(resultado["tipo"], 422)
    if es_htmx(request):
        contexto = {"r": resultado, "campos": campos, "oob": True, "c": c, "base": _url(c)}
        return pagina(request, "_guardado.html", contexto, 422 if status == 422 else 200)
    if status == 200:
        return RedirectResponse(f"{destino}?guardado=1", status_code=303)
    respuesta = completa()
    respuesta.status_code = status
    return respuesta


# Pages: my candidacies


@router.get("/mis-candidaturas", response_class=HTMLResponse)
async def mis_candidaturas(
    request: Request, usuario: Capturista, repo: Repo, eleccion: EleccionActual, filtros: Filtros
) -> Response:
    """The user's candidacies with progress, state and deadline, filtered and paged."""
    if not captura_equipo(usuario):
        return RedirectResponse(f"{PREFIJO}/candidaturas", status_code=303)
    total, encontradas = await handlers.buscar_candidaturas(
        repo=repo,
        usuario=usuario,
        eleccion_id=eleccion.id,
        filtros=filtros.filtros(),
        pagina=filtros.pagina,
        por_pagina=filtros.por_pagina,
    )
    paginas = max(1, math.ceil(total / filtros.por_pagina))
    url = f"{PREFIJO}/mis-candidaturas?"
    filas = [
        {**fila_lista(c, eleccion), "url": _url(c), "avance": h.avance_de(c),
         "plazo": vista_plazo(c, eleccion), "enviada": c.estado not in ABIERTAS}
        for c in encontradas
    ]  # fmt: skip
    contexto = {
        "titulo": "Mis candidaturas",
        "filas": filas,
        "total": total,
        "pagina": filtros.pagina,
        "paginas": paginas,
        "filtros": filtros,
        "estados": [(s.value, etiqueta(s)) for s in EstadoCandidatura],
        "anterior": url + filtros.consulta(pagina=filtros.pagina - 1)
        if 1 < filtros.pagina <= paginas + 1
        else None,
        "siguiente": url + filtros.consulta(pagina=filtros.pagina + 1)
        if filtros.pagina < paginas
        else None,
    }
    return pagina(request, "mis_candidaturas.html", contexto)


# Pages: curricular questionnaire


def _pagina_curricular(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    *,
    valores: Mapping[str, Any] | None = None,
    resultado: dict[str, Any] | None = None,
) -> Response:
    """The curricular questionnaire with the given values, errors and merge view."""
    resultado = resultado or {"errores": {}, "revision": c.cuestionarios.revision_curricular}
    guardadas = curricular_plano(c.cuestionarios.curricular)
    contexto = {
        **_comun(request, c, usuario, eleccion),
        "titulo": f"Cuestionario curricular de {c.registro.nombre}",
        "secciones": secciones_curricular(eleccion, valores or guardadas, resultado["errores"]),
        "r": resultado,
        "resumen": [
            (f["etiqueta"], texto_curricular(f["clave"], guardadas.get(f["clave"])))
            for s in secciones_curricular(eleccion, guardadas, {})
            for f in s["campos"]
        ],
    }
    return pagina(request, "curricular.html", contexto)


def _campos_curricular(resultado: dict[str, Any]) -> list[tuple[str, str]]:
    """Each field's id and message, for the out-of-band swaps of an autosave."""
    return [(id_campo(c.clave), resultado["errores"].get(c.clave, "")) for c in CAMPOS]


@router.get("/candidaturas/{candidatura_id}/curricular", response_class=HTMLResponse)
async def curricular(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """The curricular questionnaire: registry data, sections, counters, autosave."""
    c = await en_alcance(repo, candidatura_id, usuario)
    return _pagina_curricular(request, c, usuario, eleccion)


async def _guardar_curricular(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    repo: Repo,
    eleccion: Eleccion,
    respuestas: dict[str, Any],
    revision: int,
) -> Response:
    """Save a curricular draft and answer as the request expects."""

    async def accion(r: dict[str, Any], rev: int) -> Candidatura:
        return await h.guardar_curricular(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=c.id,
            respuestas=r, revision=rev,
        )  # fmt: skip

    def actuales(actual: Candidatura) -> dict[str, Any]:
        return curricular_plano(actual.cuestionarios.curricular)

    resultado = await guardar(CURRICULAR, c, respuestas, revision, accion, actuales, eleccion)
    return _respuesta_guardado(
        request,
        c,
        resultado,
        _campos_curricular(resultado),
        lambda: _pagina_curricular(
            request, c, usuario, eleccion, valores=respuestas, resultado=resultado
        ),
        _url(c, CURRICULAR),
    )


@router.post("/candidaturas/{candidatura_id}/curricular", response_class=HTMLResponse)
async def guardar_curricular(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Save the whole draft: autosave (htmx) or the «Guardar» button without JavaScript."""
    c = await _editable(repo, candidatura_id, usuario)
    form = await request.form()
    revision = _revision(form)
    return await _guardar_curricular(
        request, c, usuario, repo, eleccion, respuestas_curricular(form), revision
    )


@router.post("/candidaturas/{candidatura_id}/curricular/validar", response_class=HTMLResponse)
async def validar_curricular_campo(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Live validation of one field: its message fragment (empty when the value is fine)."""
    await _editable(repo, candidatura_id, usuario)
    form = await request.form()
    clave = str(form.get("campo", ""))
    if clave not in ETIQUETAS_CURRICULAR:
        raise Problema(422, "Campo desconocido", f"El campo «{clave}» no existe.")
    _, error = validar_campo(clave, form.get(clave, ""), config=h.configuracion(eleccion))
    contexto = {"campos": [(id_campo(clave), error or "")], "oob": False}
    return pagina(request, "_mensajes.html", contexto)


@router.post("/candidaturas/{candidatura_id}/curricular/fusion", response_class=HTMLResponse)
async def fusionar_curricular(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Save the merge the user chose field by field after an edit conflict."""
    c = await _editable(repo, candidatura_id, usuario)
    form = await request.form()
    respuestas = _fusion(form, curricular_plano(c.cuestionarios.curricular), ETIQUETAS_CURRICULAR)
    return await _guardar_curricular(
        request, c, usuario, repo, eleccion, respuestas, _revision(form)
    )


async def _editable(repo: Repo, candidatura_id: str, usuario: Usuario) -> Candidatura:
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


def _fusion(
    form: FormData, guardadas: Mapping[str, Any], etiquetas: Mapping[str, str]
) -> dict[str, Any]:
    """The user's draft with the stored value wherever they chose «Versión guardada»."""
    try:
        mias = json.loads(str(form.get("mias", "")))
    except ValueError:
        mias = None
    if not isinstance(mias, dict):
        raise Problema(
            422, "Formulario incompleto", "Faltan sus respuestas; vuelva a abrir el cuestionario."
        )
    for clave in etiquetas:
        if form.get(f"elegir.{clave}") == "guardada":
            mias[clave] = guardadas.get(clave)
    return mias


# Pages: identity questionnaire


async def _identidad_del_equipo(repo: Repo, candidatura_id: str, usuario: Usuario) -> Candidatura:
    """A candidacy in scope whose identity answers this user may read (its capture team)."""
    c = await en_alcance(repo, candidatura_id, usuario)
    if not captura_equipo(usuario):
        raise Problema(
            403,
            "Datos personales sensibles",
            "Las respuestas del cuestionario de identidad son datos personales sensibles: solo "
            "las ve el equipo de captura de la candidatura. La Unidad de Transparencia consulta "
            "el avance y el consentimiento, no las respuestas.",
        )
    return c


def _pagina_identidad(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    guardadas: Mapping[str, Any],
    *,
    valores: Mapping[str, Any] | None = None,
    resultado: dict[str, Any] | None = None,
) -> Response:
    """The identity questionnaire with the given values, errors and merge view."""
    resultado = resultado or {"errores": {}, "revision": c.cuestionarios.revision_identidad}
    contexto = {
        **_comun(request, c, usuario, eleccion),
        "titulo": f"Cuestionario de identidad de {c.registro.nombre}",
        "preguntas": preguntas_identidad(valores or guardadas, resultado["errores"]),
        "r": resultado,
        "publica": es_identidad_publica(c),
        "NO_APLICA": NO_APLICA,
    }
    return pagina(request, "identidad.html", contexto)


def _campos_identidad(resultado: dict[str, Any]) -> list[tuple[str, str]]:
    """Each question's id and message, for the out-of-band swaps of an autosave."""
    errores = resultado["errores"]
    return [
        (f"pregunta-{p.clave}", " ".join(
            e for e in (errores.get(p.clave), errores.get(p.clave + SUFIJO_OTRO)) if e
        ))
        for p in PREGUNTAS
    ]  # fmt: skip


@router.get("/candidaturas/{candidatura_id}/identidad", response_class=HTMLResponse)
async def identidad(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """The identity questionnaire, only for the candidacy's own capture team."""
    c = await _identidad_del_equipo(repo, candidatura_id, usuario)
    guardadas = h.leer_identidad(c, cifrador=cifra_)
    return _pagina_identidad(request, c, usuario, eleccion, guardadas)


async def _guardar_identidad(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    repo: Repo,
    eleccion: Eleccion,
    cifra_: Any,
    respuestas: dict[str, Any],
    revision: int,
) -> Response:
    """Save an identity draft and answer as the request expects."""

    async def accion(r: dict[str, Any], rev: int) -> Candidatura:
        return await h.guardar_identidad(
            repo=repo, eleccion=eleccion, cifrador=cifra_, usuario=usuario, candidatura_id=c.id,
            respuestas=r, revision=rev,
        )  # fmt: skip

    def actuales(actual: Candidatura) -> dict[str, Any]:
        return h.leer_identidad(actual, cifrador=cifra_)

    resultado = await guardar(IDENTIDAD, c, respuestas, revision, accion, actuales, eleccion)
    return _respuesta_guardado(
        request,
        c,
        resultado,
        _campos_identidad(resultado),
        lambda: _pagina_identidad(
            request, c, usuario, eleccion, actuales(c), valores=respuestas, resultado=resultado
        ),
        _url(c, IDENTIDAD),
    )


@router.post("/candidaturas/{candidatura_id}/identidad", response_class=HTMLResponse)
async def guardar_identidad(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """Save the identity draft (encrypted at rest): autosave or the «Guardar» button."""
    c = await _identidad_del_equipo(repo, candidatura_id, usuario)
    form = await request.form()
    revision = _revision(form)
    return await _guardar_identidad(
        request, c, usuario, repo, eleccion, cifra_, respuestas_identidad(form), revision
    )


@router.post("/candidaturas/{candidatura_id}/identidad/fusion", response_class=HTMLResponse)
async def fusionar_identidad(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """Save the merge the user chose question by question after an edit conflict."""
    c = await _identidad_del_equipo(repo, candidatura_id, usuario)
    form = await request.form()
    guardadas = h.leer_identidad(c, cifrador=cifra_)
    respuestas = _fusion(form, guardadas, ETIQUETAS_IDENTIDAD)
    return await _guardar_identidad(
        request, c, usuario, repo, eleccion, cifra_, respuestas, _revision(form)
    )


# Pages: consent


def _pagina_consentimiento(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The consent page: format download, the three authorizations, the signed document."""
    consentimiento = c.cuestionarios.consentimiento
    dadas = consentimiento.autorizaciones if consentimiento else None
    autorizaciones: list[dict[str, Any]] = [
        {"clave": clave, "titulo": TITULOS_AUTORIZACION[clave], "texto": texto,
         "en": getattr(dadas, clave) if dadas else None}
        for clave, texto in AUTORIZACIONES.items()
    ]  # fmt: skip
    for a in autorizaciones:
        a["cuando"] = hora_local(a["en"], eleccion) if a["en"] else None
    contexto = {
        **_comun(request, c, usuario, eleccion),
        "titulo": f"Consentimiento de {c.registro.nombre}",
        "autorizaciones": autorizaciones,
        "consentimiento": consentimiento,
        "registrado": hora_local(consentimiento.registrado_en, eleccion)
        if consentimiento
        else None,
        "publica": es_identidad_publica(c),
        "accion_afirmativa": c.registro.accion_afirmativa is not None,
        "max_mb": Settings().max_consentimiento_mb,
        "error": error,
    }
    return pagina(request, "consentimiento.html", contexto, status)


@router.get("/candidaturas/{candidatura_id}/consentimiento", response_class=HTMLResponse)
async def consentimiento(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """Consent: pre-filled format, three authorizations with their times, signed document."""
    c = await en_alcance(repo, candidatura_id, usuario)
    return _pagina_consentimiento(request, c, usuario, eleccion)


@router.post("/candidaturas/{candidatura_id}/consentimiento", response_class=HTMLResponse)
async def registrar_consentimiento(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    archivos: Archivos,
    tratamiento: Annotated[bool, Form()] = False,
    publicacion: Annotated[bool, Form()] = False,
    uso_estadistico: Annotated[bool, Form()] = False,
    documento: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Record the authorizations and the signed document; errors come back on the page."""
    c = await _editable(repo, candidatura_id, usuario)
    maximo = Settings().max_consentimiento_mb * MB
    contenido = (
        await documento.read(maximo + 1) if documento is not None and documento.filename else None
    )
    try:
        await h_archivos.registrar_consentimiento(
            repo=repo, archivos=archivos, eleccion=eleccion, usuario=usuario,
            candidatura_id=c.id, tratamiento=tratamiento, publicacion=publicacion,
            uso_estadistico=uso_estadistico, documento=contenido or None, max_bytes=maximo,
        )  # fmt: skip
    except (DocumentoInvalido, ErrorDominio) as error:
        return _pagina_consentimiento(request, c, usuario, eleccion, error=str(error), status=422)
    return RedirectResponse(_url(c, "consentimiento") + "?guardado=1", status_code=303)


# Pages: photograph


def _pagina_fotografia(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The photograph page: limits, the stored photo and the upload form."""
    limites = LimitesFotografia(max_bytes=Settings().max_fotografia_mb * MB)
    contexto = {
        **_comun(request, c, usuario, eleccion),
        "titulo": f"Fotografía de {c.registro.nombre}",
        "foto": c.cuestionarios.fotografia,
        "cargada": hora_local(c.cuestionarios.fotografia.cargada_en, eleccion)
        if c.cuestionarios.fotografia
        else None,
        "max_mb": Settings().max_fotografia_mb,
        "limites": limites,
        "megapixeles": limites.max_pixeles // 1_000_000,
        "error": error,
    }
    return pagina(request, "fotografia.html", contexto, status)


@router.get("/candidaturas/{candidatura_id}/fotografia", response_class=HTMLResponse)
async def fotografia(
    request: Request, candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """The photograph: limits, preview and upload."""
    c = await en_alcance(repo, candidatura_id, usuario)
    return _pagina_fotografia(request, c, usuario, eleccion)


@router.post("/candidaturas/{candidatura_id}/fotografia", response_class=HTMLResponse)
async def cargar_fotografia(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    archivos: Archivos,
    archivo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload the photograph (re-encoded, metadata removed); errors come back on the page."""
    c = await _editable(repo, candidatura_id, usuario)
    if archivo is None or not archivo.filename:
        error = "Elija una fotografía JPEG o PNG antes de cargarla."
        return _pagina_fotografia(request, c, usuario, eleccion, error=error, status=422)
    limites = LimitesFotografia(max_bytes=Settings().max_fotografia_mb * MB)
    contenido = await archivo.read(limites.max_bytes + 1)
    try:
        await h_archivos.cargar_fotografia(
            repo=repo, archivos=archivos, eleccion=eleccion, usuario=usuario,
            candidatura_id=c.id, contenido=contenido, limites=limites,
        )  # fmt: skip
    except (FotografiaInvalida, ErrorDominio) as error:
        return _pagina_fotografia(request, c, usuario, eleccion, error=str(error), status=422)
    return RedirectResponse(_url(c, "fotografia") + "?guardado=1", status_code=303)


# Pages: review and send


def _pagina_envio(
    request: Request,
    c: Candidatura,
    usuario: Usuario,
    eleccion: Eleccion,
    identidad_: Mapping[str, Any] | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """Everything captured, what is missing, and the one-opportunity confirmation."""
    guardadas = curricular_plano(c.cuestionarios.curricular)
    avance = h.avance_de(c)
    faltantes = [
        texto
        for falta, texto in (
            (avance.curricular < 100, f"El cuestionario curricular está al {avance.curricular} %."),
            (avance.identidad < 100, f"El cuestionario de identidad está al {avance.identidad} %."),
            (not avance.consentimiento, "Falta el consentimiento firmado."),
            (not avance.fotografia, "Falta la fotografía."),
        )
        if falta
    ]
    contexto = {
        **_comun(request, c, usuario, eleccion),
        "titulo": f"Revisar y enviar: {c.registro.nombre}",
        "secciones": secciones_curricular(eleccion, guardadas, {}),
        "identidad": None if identidad_ is None else resumen_identidad(identidad_),
        "consentimiento": c.cuestionarios.consentimiento,
        "foto": c.cuestionarios.fotografia,
        "faltantes": faltantes,
        "enviada": c.estado not in ABIERTAS,
        "enviada_en": hora_local(c.cuestionarios.enviada_en, eleccion),
        "error": error,
    }
    return pagina(request, "envio.html", contexto, status)


@router.get("/candidaturas/{candidatura_id}/envio", response_class=HTMLResponse)
async def envio(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
) -> Response:
    """Review everything before the one opportunity to send (PTO 23)."""
    c = await en_alcance(repo, candidatura_id, usuario)
    respuestas = h.leer_identidad(c, cifrador=cifra_) if captura_equipo(usuario) else None
    return _pagina_envio(request, c, usuario, eleccion, respuestas)


@router.post("/candidaturas/{candidatura_id}/envio", response_class=HTMLResponse)
async def enviar(
    request: Request,
    candidatura_id: str,
    usuario: Capturista,
    repo: Repo,
    eleccion: EleccionActual,
    cifra_: Cifra,
    revision_curricular: Annotated[int | None, Form(ge=0)] = None,
    revision_identidad: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    """Send the reviewed revisions to validation; a change since the review comes back."""
    c = await _editable(repo, candidatura_id, usuario)
    if revision_curricular is None or revision_identidad is None:
        raise Problema(
            422, "Formulario incompleto", "Faltan las versiones revisadas; recargue la página."
        )
    try:
        await h.enviar_a_validacion(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=c.id,
            revision_curricular=revision_curricular, revision_identidad=revision_identidad,
        )  # fmt: skip
    except ConflictoEdicion:
        error = (
            "Alguien guardó cambios después de que usted abrió esta revisión; no se envió nada. "
            "Revise de nuevo lo que se muestra abajo y vuelva a confirmar."
        )
    except (CapturaCerrada, ErrorDominio) as exc:
        error = str(exc)
    else:
        return RedirectResponse(_url(c, "envio"), status_code=303)
    actual = await en_alcance(repo, candidatura_id, usuario)
    respuestas = h.leer_identidad(actual, cifrador=cifra_)
    return _pagina_envio(request, actual, usuario, eleccion, respuestas, error=error, status=409)


# Deadlines (administrador)


def _mediodia(dia: date) -> datetime:
    """Noon in Mexico of a calendar day, so every Mexican time zone reads the same date."""
    return datetime.combine(dia, time(18, 0), tzinfo=UTC)


@router.post("/candidaturas/{candidatura_id}/plazo", response_class=HTMLResponse)
async def prorrogar(
    request: Request,
    candidatura_id: str,
    usuario: Administrador,
    repo: Repo,
    eleccion: EleccionActual,
    hasta: Annotated[date, Form()],
    motivo: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Extend one candidacy's deadline with a logged reason."""
    c = await en_alcance(repo, candidatura_id, usuario)
    try:
        await h_plazos.prorrogar_plazo(
            repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=c.id,
            hasta=_mediodia(hasta), motivo=motivo,
        )  # fmt: skip
    except ErrorDominio as error:
        contexto = {"titulo": "No se prorrogó el plazo", "c": c, "error": str(error),
                    "base": _url(c), "plazo": vista_plazo(c, eleccion), "motivo": motivo,
                    "hasta": hasta.isoformat()}  # fmt: skip
        return pagina(request, "prorroga.html", contexto, 422)
    return RedirectResponse(f"{_url(c)}?prorroga=1", status_code=303)


def _pagina_plazos(
    request: Request, eleccion: Eleccion, *, status: int = 200, **extra: Any
) -> Response:
    """The form to extend every open candidacy of a party."""
    contexto = {
        "titulo": "Prorrogar plazos de captura",
        "partidos": [(p.siglas, f"{p.siglas} – {p.nombre}") for p in eleccion.partidos.values()],
        **extra,
    }
    return pagina(request, "plazos.html", contexto, status)


@router.get("/plazos", response_class=HTMLResponse)
async def plazos(request: Request, usuario: Administrador, eleccion: EleccionActual) -> Response:
    """Extend the deadline of a party's open candidacies."""
    return _pagina_plazos(request, eleccion)


@router.post("/plazos", response_class=HTMLResponse)
async def prorrogar_partido(
    request: Request,
    usuario: Administrador,
    repo: Repo,
    eleccion: EleccionActual,
    partido: Annotated[str, Form(max_length=20)],
    hasta: Annotated[date, Form()],
    motivo: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Extend every open candidacy of a party; the page says how many."""
    valores = {"partido": partido, "hasta": hasta.isoformat(), "motivo": motivo}
    if partido not in eleccion.partidos:
        error = f"«{partido}» no es un partido de la elección; elija uno de la lista."
        return _pagina_plazos(request, eleccion, status=422, error=error, valores=valores)
    try:
        cuantas = await h_plazos.prorrogar_plazos_de_partido(
            repo=repo, eleccion=eleccion, usuario=usuario, partido=partido,
            hasta=_mediodia(hasta), motivo=motivo,
        )  # fmt: skip
    except ErrorDominio as error:
        return _pagina_plazos(request, eleccion, status=422, error=str(error), valores=valores)
    hecho = (
        f"Se prorrogó el plazo de {cifra(cuantas)} candidatura{'s' if cuantas != 1 else ''} "
        f"de {partido} hasta el {hasta.day} de {MESES[hasta.month - 1]} de {hasta.year}."
        if cuantas
        else f"{partido} no tiene candidaturas abiertas con plazo corriendo; no se cambió nada."
    )
    return _pagina_plazos(request, eleccion, hecho=hecho)
