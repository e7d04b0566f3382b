"""Domain facts of a candidacy → integration events of comun."""

from captura.domain import (
    Candidatura,
    CandidaturaActualizadaHecho,
    CandidaturaCanceladaHecho,
    CandidaturaRegistradaHecho,
    CandidaturaSustituidaHecho,
    Eleccion,
    Hecho,
)
from comun.eventos import (
    Actor,
    CandidaturaActualizada,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    DatosEvento,
    Evento,
    nuevo_evento,
)
from comun.eventos.vocabulario import Postulante


def evento_de(candidatura: Candidatura, hecho: Hecho, eleccion: Eleccion, actor: Actor) -> Evento:
    """Wrap one fact of the registry in its event."""
    datos: DatosEvento
    if isinstance(hecho, CandidaturaRegistradaHecho):
        datos = CandidaturaRegistrada(
            **_registro(candidatura, eleccion), sustituye_a=candidatura.sustituye_a
        )
        accion = "registrar_candidatura"
    elif isinstance(hecho, CandidaturaActualizadaHecho):
        datos = CandidaturaActualizada(**_registro(candidatura, eleccion), campos=hecho.campos)
        accion = "actualizar_candidatura"
    elif isinstance(hecho, CandidaturaSustituidaHecho):
        datos = CandidaturaSustituida(
            candidatura_id=candidatura.id,
            version=candidatura.version,
            sustituta_id=hecho.sustituta_id,
        )
        accion = "sustituir_candidatura"
    elif isinstance(hecho, CandidaturaCanceladaHecho):
        datos = CandidaturaCancelada(candidatura_id=candidatura.id, version=candidatura.version)
        accion = "cancelar_candidatura"
    return nuevo_evento(datos, subject=candidatura.id, actor=actor, accion=accion)


def _registro(candidatura: Candidatura, eleccion: Eleccion) -> dict[str, object]:
    """The public registry fields an event carries (never the CURP or the birth date)."""
    r = candidatura.registro
    postulacion = eleccion.postulaciones.get(r.clave_postulante or "")
    independiente = eleccion.independientes.get(r.clave_postulante or "")
    municipio = eleccion.municipios.get(r.municipio or "")
    return {
        "candidatura_id": candidatura.id,
        "version": candidatura.version,
        "eleccion": r.eleccion,
        "nombre": r.nombre,
        "sobrenombre": r.sobrenombre,
        "cargo": r.cargo,
        "principio": r.principio,
        "distrito": r.distrito,
        "municipio": r.municipio,
        "nombre_municipio": municipio.nombre if municipio else None,
        "posicion": r.posicion,
        "tipo_candidatura": r.tipo_candidatura,
        "postulante": r.postulante,
        "partido": r.partido,
        "partidos": postulacion.partidos if postulacion else ((r.partido,) if r.partido else ()),
        "clave_postulante": r.clave_postulante,
        "nombre_postulante": (
            postulacion.nombre
            if postulacion
            else independiente.nombre
            if independiente and r.postulante is Postulante.INDEPENDIENTE
            else None
        ),
        "sexo": r.sexo,
        "edad": candidatura.edad(fecha_jornada=eleccion.fechas.jornada),
        "accion_afirmativa": r.accion_afirmativa,
        "folio_registro": candidatura.id,
    }
