"""Use cases with uploaded files: the photograph and the signed consent document."""

import asyncio
from datetime import UTC, datetime

from captura.adapters import CandidaturaRepository
from captura.adapters.documentos import revisar_documento
from captura.adapters.fotografia import LimitesFotografia, procesar_fotografia
from captura.domain import Candidatura, Eleccion
from captura.domain.cuestionarios import Fotografia
from captura.handlers.cuestionarios import candidatura_en_alcance, captura_de, editar
from comun.archivos import FileStore
from comun.auth.usuario import Usuario

JPEG = "image/jpeg"


async def cargar_fotografia(
    *,
    repo: CandidaturaRepository,
    archivos: FileStore,
    eleccion: Eleccion,
    usuario: Usuario,
    candidatura_id: str,
    contenido: bytes,
    limites: LimitesFotografia,
) -> Candidatura:
    """Re-encode the photograph (no metadata), store it and set it on the candidacy."""
    captura = captura_de(usuario, eleccion)
    actual = await candidatura_en_alcance(repo=repo, candidatura_id=candidatura_id, usuario=usuario)
    actual.exigir_editable(captura)
    procesada = await asyncio.to_thread(procesar_fotografia, contenido, limites=limites)
    guardado = await archivos.guardar(procesada.contenido, tipo=JPEG)
    fotografia = Fotografia(guardado.id, procesada.ancho, procesada.alto, datetime.now(UTC))

    def cambio(c: Candidatura) -> bool:
        if c.cuestionarios.fotografia and c.cuestionarios.fotografia.archivo_id == guardado.id:
            return False
        c.cargar_fotografia(fotografia, captura=captura)
        return True

    return await editar(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id, cambio=cambio
    )


async def registrar_consentimiento(
    *,
    repo: CandidaturaRepository,
    archivos: FileStore,
    eleccion: Eleccion,
    usuario: Usuario,
    candidatura_id: str,
    tratamiento: bool,
    publicacion: bool,
    uso_estadistico: bool,
    documento: bytes | None,
    max_bytes: int,
    revision: int,
) -> Candidatura:
    """Record the three authorizations and the signed document (checked, metadata removed)."""
    captura = captura_de(usuario, eleccion)
    actual = await candidatura_en_alcance(repo=repo, candidatura_id=candidatura_id, usuario=usuario)
    actual.exigir_editable(captura)
    par: tuple[str, str] | None = None
    if documento:
        limpio, tipo = await asyncio.to_thread(revisar_documento, documento, max_bytes=max_bytes)
        guardado = await archivos.guardar(limpio, tipo=tipo)
        par = (guardado.id, tipo)

    def cambio(c: Candidatura) -> bool:
        c.registrar_consentimiento(
            tratamiento=tratamiento,
            publicacion=publicacion,
            uso_estadistico=uso_estadistico,
            documento=par,
            captura=captura,
            revision=revision,
        )
        return True

    return await editar(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id, cambio=cambio
    )


def formato_consentimiento_pdf(candidatura: Candidatura, eleccion: Eleccion) -> bytes:
    """The consent format pre-filled with the candidacy's registry data (PTO 18)."""
    from captura.adapters.formato_consentimiento import (
        FormatoConsentimiento,
        formato_consentimiento,
    )
    from comun.eventos.vocabulario import ETIQUETAS

    r = candidatura.registro
    municipio = eleccion.municipios.get(r.municipio or "")
    demarcacion = (
        f"Distrito {r.distrito}"
        if r.distrito
        else f"Municipio de {municipio.nombre}"
        if municipio
        else "Lista de representación proporcional"
    )
    postulante = eleccion.postulaciones.get(r.clave_postulante or "")
    independiente = eleccion.independientes.get(r.clave_postulante or "")
    partido = eleccion.partidos.get(r.partido or "")
    nombre_postulante = (
        postulante.nombre
        if postulante
        else independiente.nombre
        if independiente
        else partido.nombre
        if partido
        else ETIQUETAS[r.postulante]
    )
    datos = FormatoConsentimiento(
        nombre=r.nombre,
        cargo=ETIQUETAS[r.cargo],
        principio=ETIQUETAS[r.principio],
        demarcacion=demarcacion,
        postulante=nombre_postulante,
        tipo=ETIQUETAS[r.tipo_candidatura],
        id_candidatura=candidatura.id,
        eleccion=eleccion.nombre,
    )
    return formato_consentimiento(datos=datos)
