"""JSON API of questionnaire capture under /api/captura/v1/candidaturas/{id}/…."""

import asyncio
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from captura.adapters.documentos import DocumentoInvalido
from captura.adapters.fotografia import FotografiaInvalida, LimitesFotografia
from captura.api import MB, Administrador, Ajustes, Capturista, EleccionActual, Repo
from captura.api.esquemas import (
    ROLES_QUE_CAPTURAN,
    BorradorIn,
    BorradorOut,
    CapturaOut,
    EnvioIn,
    ProrrogaIn,
    ProrrogaPartidoIn,
)
from captura.domain import Candidatura
from captura.domain.errores import ConflictoEdicion
from captura.handlers import archivos as h_archivos
from captura.handlers import cuestionarios as h
from captura.handlers import plazos as h_plazos
from comun.app import recursos_de
from comun.archivos import FileStore
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado, Problema
from comun.eventos.vocabulario import Cuestionario
from comun.servicios import Servicio

router = APIRouter(prefix="/api/captura/v1", tags=["cuestionarios"])


def cifrador(request: Request) -> Cifrador:
    """The identity answers' envelope cipher of this process."""
    plataforma = recursos_de(request, Servicio.CAPTURA).plataforma
    return h.cifrador_de(plataforma.secreto_identidad())


def almacen_archivos(request: Request) -> FileStore:
    """captura's file store (photographs and consent documents)."""
    return recursos_de(request, Servicio.CAPTURA).archivos


Capturador = Annotated[Usuario, Depends(requiere_rol(*ROLES_QUE_CAPTURAN))]
Cifra = Annotated[Cifrador, Depends(cifrador)]
Archivos = Annotated[FileStore, Depends(almacen_archivos)]


async def _en_alcance(repo: Repo, candidatura_id: str, usuario: Usuario) -> Candidatura:
    """The candidacy, or 404."""
    return await h.candidatura_en_alcance(repo=repo, candidatura_id=candidatura_id, usuario=usuario)


def _problema_de(error: Exception, actuales: dict[str, Any] | None = None) -> Problema:
    """Invalid answers → 422 listing each field; an edit conflict → 409 with what is stored."""
    if isinstance(error, h.RespuestasInvalidas):
        return Problema(422, "Respuestas no válidas", str(error), errores=error.errores)
    assert isinstance(error, ConflictoEdicion)
    return Problema(
        409,
        "Conflicto de edición",
        str(error),
        revision_actual=error.revision_actual,
        actuales=actuales or {},
    )


@router.get("/candidaturas/{candidatura_id}/captura")
async def estado_captura(
    candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> CapturaOut:
    """Capture state of one candidacy: progress, deadline, consent, photograph."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    return CapturaOut.de(c, usuario=usuario, eleccion=eleccion)


def _borrador(c: Candidatura, cuestionario: Cuestionario, cifra: Cifrador) -> BorradorOut:
    """A questionnaire's stored draft and revision (identity decrypted)."""
    q = c.cuestionarios
    if cuestionario is Cuestionario.CURRICULAR:
        return BorradorOut(revision=q.revision_curricular, respuestas=q.curricular)
    return BorradorOut(
        revision=q.revision_identidad, respuestas=h.leer_identidad(c, cifrador=cifra)
    )


async def _guardar(
    cuestionario: Cuestionario,
    *,
    candidatura_id: str,
    cuerpo: BorradorIn,
    usuario: Usuario,
    repo: Repo,
    eleccion: EleccionActual,
    cifra: Cifrador,
) -> BorradorOut:
    """Save a whole draft: 422 listing bad fields, 409 with the stored answers on a conflict."""
    respuestas, revision = cuerpo.respuestas, cuerpo.revision
    try:
        if cuestionario is Cuestionario.CURRICULAR:
            c = await h.guardar_curricular(
                repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id,
                respuestas=respuestas, revision=revision,
            )  # fmt: skip
        else:
            c = await h.guardar_identidad(
                repo=repo, eleccion=eleccion, cifrador=cifra, usuario=usuario,
                candidatura_id=candidatura_id, respuestas=respuestas, revision=revision,
            )  # fmt: skip
    except h.RespuestasInvalidas as error:
        raise _problema_de(error) from error
    except ConflictoEdicion as error:
        actual = await _en_alcance(repo, candidatura_id, usuario)
        raise _problema_de(error, _borrador(actual, cuestionario, cifra).respuestas) from error
    return _borrador(c, cuestionario, cifra)


@router.get("/candidaturas/{candidatura_id}/cuestionarios/curricular")
async def leer_curricular(
    candidatura_id: str, usuario: Capturista, repo: Repo, cifra: Cifra
) -> BorradorOut:
    """The curricular draft (the private e-mail included, for its capture team)."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    return _borrador(c, Cuestionario.CURRICULAR, cifra)


@router.put("/candidaturas/{candidatura_id}/cuestionarios/curricular")
async def guardar_curricular(
    candidatura_id: str,
    cuerpo: BorradorIn,
    usuario: Capturador,
    repo: Repo,
    eleccion: EleccionActual,
    cifra: Cifra,
) -> BorradorOut:
    """Save the whole curricular draft (409 with the stored answers on an edit conflict)."""
    return await _guardar(
        Cuestionario.CURRICULAR, candidatura_id=candidatura_id, cuerpo=cuerpo, usuario=usuario,
        repo=repo, eleccion=eleccion, cifra=cifra,
    )  # fmt: skip


@router.get("/candidaturas/{candidatura_id}/cuestionarios/identidad")
async def leer_identidad(
    candidatura_id: str, usuario: Capturador, repo: Repo, cifra: Cifra
) -> BorradorOut:
    """The identity answers, decrypted only for the candidacy's own capture team."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    return _borrador(c, Cuestionario.IDENTIDAD, cifra)


@router.put("/candidaturas/{candidatura_id}/cuestionarios/identidad")
async def guardar_identidad(
    candidatura_id: str,
    cuerpo: BorradorIn,
    usuario: Capturador,
    repo: Repo,
    eleccion: EleccionActual,
    cifra: Cifra,
) -> BorradorOut:
    """Save the identity draft, encrypted at rest (409 with the stored answers on a conflict)."""
    return await _guardar(
        Cuestionario.IDENTIDAD, candidatura_id=candidatura_id, cuerpo=cuerpo, usuario=usuario,
        repo=repo, eleccion=eleccion, cifra=cifra,
    )  # fmt: skip


@router.post("/candidaturas/{candidatura_id}/envio")
async def enviar(
    candidatura_id: str, cuerpo: EnvioIn, usuario: Capturador, repo: Repo, eleccion: EleccionActual
) -> CapturaOut:
    """Send to validation: after this, capturers can no longer edit (PTO 23)."""
    try:
        c = await h.enviar_a_validacion(
            repo=repo,
            eleccion=eleccion,
            usuario=usuario,
            candidatura_id=candidatura_id,
            revision_curricular=cuerpo.revision_curricular,
            revision_identidad=cuerpo.revision_identidad,
        )
    except ConflictoEdicion as error:
        raise _problema_de(error) from error
    return CapturaOut.de(c, usuario=usuario, eleccion=eleccion)


@router.put("/candidaturas/{candidatura_id}/fotografia")
async def cargar_fotografia(
    candidatura_id: str,
    usuario: Capturador,
    repo: Repo,
    eleccion: EleccionActual,
    archivos: Archivos,
    ajustes: Ajustes,
    archivo: Annotated[UploadFile, File(description="JPEG o PNG")],
) -> CapturaOut:
    """Upload the photograph: decoded, re-encoded as JPEG, metadata removed."""
    limites = LimitesFotografia(max_bytes=ajustes.max_fotografia_mb * MB)
    contenido = await archivo.read(limites.max_bytes + 1)
    try:
        c = await h_archivos.cargar_fotografia(
            repo=repo,
            archivos=archivos,
            eleccion=eleccion,
            usuario=usuario,
            candidatura_id=candidatura_id,
            contenido=contenido,
            limites=limites,
        )
    except FotografiaInvalida as error:
        raise Problema(422, "Fotografía no válida", str(error)) from error
    return CapturaOut.de(c, usuario=usuario, eleccion=eleccion)


@router.get("/candidaturas/{candidatura_id}/fotografia")
async def fotografia(
    candidatura_id: str, usuario: Capturista, repo: Repo, archivos: Archivos
) -> Response:
    """The stored photograph of a candidacy in scope."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    if c.cuestionarios.fotografia is None:
        raise NoEncontrado("La candidatura todavía no tiene fotografía.")
    return await _archivo(archivos, c.cuestionarios.fotografia.archivo_id)


@router.get("/fotografias/{archivo_id}.jpg")
async def fotografia_publica(archivo_id: str, repo: Repo, archivos: Archivos) -> Response:
    """A published candidacy's photograph, for anyone; nothing before publication."""
    if not re.fullmatch(r"[0-9a-f]{64}", archivo_id) or not await repo.fotografia_publicada(
        archivo_id
    ):
        raise NoEncontrado("No hay una fotografía publicada con esa clave.")
    leido = await archivos.leer(archivo_id)
    if leido is None:
        raise NoEncontrado("La fotografía ya no está disponible.")
    # Content-addressed: the same address always holds the same bytes.
    cache = "public, max-age=86400, immutable"
    return Response(leido[0], media_type=leido[1], headers={"Cache-Control": cache})


@router.get("/candidaturas/{candidatura_id}/consentimiento/formato.pdf")
async def formato_consentimiento(
    candidatura_id: str, usuario: Capturista, repo: Repo, eleccion: EleccionActual
) -> Response:
    """The consent format pre-filled with the candidacy's data (PTO 18)."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    contenido = await asyncio.to_thread(h_archivos.formato_consentimiento_pdf, c, eleccion)
    return Response(
        contenido,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="consentimiento-{c.id}.pdf"'},
    )


@router.put("/candidaturas/{candidatura_id}/consentimiento")
async def registrar_consentimiento(
    candidatura_id: str,
    usuario: Capturador,
    repo: Repo,
    eleccion: EleccionActual,
    archivos: Archivos,
    ajustes: Ajustes,
    tratamiento: Annotated[bool, Form()],
    publicacion: Annotated[bool, Form()],
    uso_estadistico: Annotated[bool, Form()],
    revision: Annotated[int, Form(ge=0, description="revision_consentimiento leída")],
    documento: Annotated[UploadFile | None, File(description="PDF, JPEG o PNG firmado")] = None,
) -> CapturaOut:
    """Record the three authorizations (all three stated, each timestamped) and the document."""
    maximo = ajustes.max_consentimiento_mb * MB
    contenido = await documento.read(maximo + 1) if documento is not None else None
    try:
        c = await h_archivos.registrar_consentimiento(
            repo=repo,
            archivos=archivos,
            eleccion=eleccion,
            usuario=usuario,
            candidatura_id=candidatura_id,
            tratamiento=tratamiento,
            publicacion=publicacion,
            uso_estadistico=uso_estadistico,
            documento=contenido or None,
            max_bytes=maximo,
            revision=revision,
        )
    except DocumentoInvalido as error:
        raise Problema(422, "Documento no válido", str(error)) from error
    return CapturaOut.de(c, usuario=usuario, eleccion=eleccion)


@router.get("/candidaturas/{candidatura_id}/consentimiento/documento")
async def documento_consentimiento(
    candidatura_id: str, usuario: Capturista, repo: Repo, archivos: Archivos
) -> Response:
    """The signed consent document of a candidacy in scope."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    consentimiento = c.cuestionarios.consentimiento
    if consentimiento is None or consentimiento.documento_id is None:
        raise NoEncontrado("La candidatura todavía no tiene consentimiento firmado.")
    return await _archivo(archivos, consentimiento.documento_id)


async def _archivo(archivos: FileStore, archivo_id: str) -> Response:
    """A stored file, never cached by shared caches."""
    leido = await archivos.leer(archivo_id)
    if leido is None:
        raise NoEncontrado("El archivo ya no está disponible.")
    contenido, tipo = leido
    return Response(contenido, media_type=tipo, headers={"Cache-Control": "private, no-store"})


@router.post("/candidaturas/{candidatura_id}/plazo/prorroga")
async def prorrogar(
    candidatura_id: str,
    cuerpo: ProrrogaIn,
    usuario: Administrador,
    repo: Repo,
    eleccion: EleccionActual,
) -> CapturaOut:
    """Extend one candidacy's deadline to the end of `hasta`, with a logged reason."""
    c = await h_plazos.prorrogar_plazo(
        repo=repo,
        eleccion=eleccion,
        usuario=usuario,
        candidatura_id=candidatura_id,
        hasta=h_plazos.dia_de(cuerpo.hasta),
        motivo=cuerpo.motivo,
    )
    return CapturaOut.de(c, usuario=usuario, eleccion=eleccion)


@router.post("/plazos/prorrogas")
async def prorrogar_partido(
    cuerpo: ProrrogaPartidoIn, usuario: Administrador, repo: Repo, eleccion: EleccionActual
) -> dict[str, int]:
    """Extend the deadline of every open candidacy of a party."""
    if cuerpo.partido not in eleccion.partidos:
        raise Problema(
            422, "Partido desconocido", f"«{cuerpo.partido}» no es un partido de la elección."
        )
    hecha = await h_plazos.prorrogar_plazos_de_partido(
        repo=repo,
        eleccion=eleccion,
        usuario=usuario,
        partido=cuerpo.partido,
        hasta=h_plazos.dia_de(cuerpo.hasta),
        motivo=cuerpo.motivo,
    )
    return {"prorrogadas": hecha.prorrogadas, "omitidas": hecha.omitidas}
