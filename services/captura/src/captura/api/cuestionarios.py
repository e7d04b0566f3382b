"""JSON API of questionnaire capture under /api/captura/v1/candidaturas/{id}/…."""

import asyncio
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from captura.adapters.documentos import DocumentoInvalido
from captura.adapters.fotografia import FotografiaInvalida, LimitesFotografia
from captura.api import MB, Administrador, Ajustes, Capturista, EleccionActual, Repo
from captura.domain import Candidatura, EstadoCandidatura
from captura.domain.errores import ConflictoEdicion
from captura.handlers import archivos as h_archivos
from captura.handlers import cuestionarios as h
from captura.handlers import plazos as h_plazos
from captura.handlers.eventos import es_identidad_publica
from comun.app import recursos_de
from comun.archivos import FileStore
from comun.auth.dependencias import requiere_rol
from comun.auth.usuario import Usuario
from comun.cifrado import Cifrador
from comun.errores import NoEncontrado, Problema
from comun.eventos.vocabulario import Cuestionario
from comun.roles import Rol
from comun.servicios import Servicio

router = APIRouter(prefix="/api/captura/v1", tags=["cuestionarios"])
ROLES_QUE_CAPTURAN = (Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA)


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


class AvanceOut(BaseModel):
    """Capture progress in percent, and whether consent and photo are in."""

    curricular: int
    identidad: int
    consentimiento: bool
    fotografia: bool
    total: int


class ProrrogaOut(BaseModel):
    """An extension of the deadline."""

    vence: datetime
    motivo: str
    por: str
    en: datetime


class PlazoOut(BaseModel):
    """The capture window."""

    inicio: datetime
    vence: datetime
    dias: int
    vencido: bool
    segundos_restantes: int
    prorrogas: list[ProrrogaOut]


class ConsentimientoOut(BaseModel):
    """The three authorizations and the document; whether identity answers will be public."""

    tratamiento: datetime | None
    publicacion: datetime | None
    uso_estadistico: datetime | None
    documento_tipo: str | None
    identidad_publica: bool


class CapturaOut(BaseModel):
    """A candidacy's capture state, without any identity answer."""

    model_config = ConfigDict(frozen=True)

    id: str
    nombre: str
    estado: str
    editable: bool
    revision_curricular: int
    revision_identidad: int
    avance: AvanceOut
    plazo: PlazoOut | None
    consentimiento: ConsentimientoOut | None
    fotografia: dict[str, int] | None
    enviada_en: datetime | None
    fuera_de_plazo: bool

    @classmethod
    def de(cls, c: Candidatura) -> "CapturaOut":
        """From the aggregate."""
        q, ahora = c.cuestionarios, datetime.now(UTC)
        avance = h.avance_de(c)
        consentimiento = q.consentimiento
        return cls(
            id=c.id,
            nombre=c.registro.nombre,
            estado=c.estado.value,
            editable=c.estado in (EstadoCandidatura.REGISTRADA, EstadoCandidatura.EN_CAPTURA),
            revision_curricular=q.revision_curricular,
            revision_identidad=q.revision_identidad,
            avance=AvanceOut(**vars_avance(avance)),
            plazo=None
            if q.plazo is None
            else PlazoOut(
                inicio=q.plazo.inicio,
                vence=q.plazo.vence,
                dias=q.plazo.dias,
                vencido=q.plazo.vencido(ahora),
                segundos_restantes=int(q.plazo.restante(ahora).total_seconds()),
                prorrogas=[
                    ProrrogaOut.model_validate(p, from_attributes=True) for p in q.plazo.prorrogas
                ],
            ),
            consentimiento=None
            if consentimiento is None
            else ConsentimientoOut(
                tratamiento=consentimiento.autorizaciones.tratamiento,
                publicacion=consentimiento.autorizaciones.publicacion,
                uso_estadistico=consentimiento.autorizaciones.uso_estadistico,
                documento_tipo=consentimiento.documento_tipo,
                identidad_publica=es_identidad_publica(c),
            ),
            fotografia=None
            if q.fotografia is None
            else {"ancho": q.fotografia.ancho, "alto": q.fotografia.alto},
            enviada_en=q.enviada_en,
            fuera_de_plazo=q.fuera_de_plazo,
        )


def vars_avance(avance: h.Avance) -> dict[str, Any]:
    """The progress as plain values, with its total."""
    return {
        "curricular": avance.curricular,
        "identidad": avance.identidad,
        "consentimiento": avance.consentimiento,
        "fotografia": avance.fotografia,
        "total": avance.total,
    }


class BorradorIn(BaseModel):
    """A whole questionnaire draft and the revision it was edited from."""

    revision: int = Field(ge=0)
    respuestas: dict[str, Any]


class BorradorOut(BaseModel):
    """A questionnaire draft as stored."""

    revision: int
    respuestas: dict[str, Any]


class EnvioIn(BaseModel):
    """The revisions the capturer reviewed before sending."""

    revision_curricular: int = Field(ge=0)
    revision_identidad: int = Field(ge=0)


class ProrrogaIn(BaseModel):
    """A new last day of capture and why."""

    hasta: date
    motivo: str = Field(min_length=1, max_length=1000)


class ProrrogaPartidoIn(ProrrogaIn):
    """An extension for every open candidacy of one party."""

    partido: str = Field(min_length=1, max_length=20)


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
async def estado_captura(candidatura_id: str, usuario: Capturista, repo: Repo) -> CapturaOut:
    """Capture state of one candidacy: progress, deadline, consent, photograph."""
    return CapturaOut.de(await _en_alcance(repo, candidatura_id, usuario))


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
    return CapturaOut.de(c)


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
    return CapturaOut.de(c)


@router.get("/candidaturas/{candidatura_id}/fotografia")
async def fotografia(
    candidatura_id: str, usuario: Capturista, repo: Repo, archivos: Archivos
) -> Response:
    """The stored photograph of a candidacy in scope."""
    c = await _en_alcance(repo, candidatura_id, usuario)
    if c.cuestionarios.fotografia is None:
        raise NoEncontrado("La candidatura todavía no tiene fotografía.")
    return await _archivo(archivos, c.cuestionarios.fotografia.archivo_id)


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
    tratamiento: Annotated[bool, Form()] = False,
    publicacion: Annotated[bool, Form()] = False,
    uso_estadistico: Annotated[bool, Form()] = False,
    documento: Annotated[UploadFile | None, File(description="PDF, JPEG o PNG firmado")] = None,
) -> CapturaOut:
    """Record the three authorizations (each timestamped) and the signed document."""
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
        )
    except DocumentoInvalido as error:
        raise Problema(422, "Documento no válido", str(error)) from error
    return CapturaOut.de(c)


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
        hasta=_mediodia(cuerpo.hasta),
        motivo=cuerpo.motivo,
    )
    return CapturaOut.de(c)


@router.post("/plazos/prorrogas")
async def prorrogar_partido(
    cuerpo: ProrrogaPartidoIn, usuario: Administrador, repo: Repo, eleccion: EleccionActual
) -> dict[str, int]:
    """Extend the deadline of every open candidacy of a party."""
    if cuerpo.partido not in eleccion.partidos:
        raise Problema(
            422, "Partido desconocido", f"«{cuerpo.partido}» no es un partido de la elección."
        )
    cuantas = await h_plazos.prorrogar_plazos_de_partido(
        repo=repo,
        eleccion=eleccion,
        usuario=usuario,
        partido=cuerpo.partido,
        hasta=_mediodia(cuerpo.hasta),
        motivo=cuerpo.motivo,
    )
    return {"prorrogadas": cuantas}


def _mediodia(dia: date) -> datetime:
    """Noon UTC of a calendar day: inside that day in every Mexican time zone."""
    return datetime.combine(dia, time(18, 0), tzinfo=UTC)
