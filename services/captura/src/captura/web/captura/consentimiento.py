"""The consent page: pre-filled format, the three authorizations and the signed document."""

from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from captura.adapters.documentos import DocumentoInvalido
from captura.api import MB, Capturista, EleccionActual, Repo, ajustes_de
from captura.api.cuestionarios import Archivos
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.handlers import archivos as h_archivos
from captura.handlers.eventos import es_identidad_publica
from captura.web.captura.paginas import (
    contexto_comun,
    editable,
    en_alcance,
    hora_local,
    pagina,
    router,
    url_de,
)
from comun.auth.usuario import Usuario

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
        **contexto_comun(request, c, usuario, eleccion),
        "titulo": f"Consentimiento de {c.registro.nombre}",
        "autorizaciones": autorizaciones,
        "consentimiento": consentimiento,
        "registrado": hora_local(consentimiento.registrado_en, eleccion)
        if consentimiento
        else None,
        "publica": es_identidad_publica(c),
        "accion_afirmativa": c.registro.accion_afirmativa is not None,
        "max_mb": ajustes_de(request).max_consentimiento_mb,
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
    revision: Annotated[int, Form(ge=0)] = 0,
    documento: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Record the authorizations and the signed document; errors come back on the page."""
    c = await editable(repo, candidatura_id, usuario)
    maximo = ajustes_de(request).max_consentimiento_mb * MB
    contenido = (
        await documento.read(maximo + 1) if documento is not None and documento.filename else None
    )
    try:
        await h_archivos.registrar_consentimiento(
            repo=repo, archivos=archivos, eleccion=eleccion, usuario=usuario,
            candidatura_id=c.id, tratamiento=tratamiento, publicacion=publicacion,
            uso_estadistico=uso_estadistico, documento=contenido or None, max_bytes=maximo,
            revision=revision,
        )  # fmt: skip
    except (DocumentoInvalido, ErrorDominio) as error:
        return _pagina_consentimiento(request, c, usuario, eleccion, error=str(error), status=422)
    return RedirectResponse(url_de(c, "consentimiento") + "?guardado=1", status_code=303)
