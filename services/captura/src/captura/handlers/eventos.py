"""Domain facts of a candidacy → integration events of comun."""

from captura.domain import (
    Candidatura,
    CandidaturaActualizadaHecho,
    CandidaturaCanceladaHecho,
    CandidaturaRegistradaHecho,
    CandidaturaSustituidaHecho,
    Eleccion,
    EstadoCandidatura,
    Hecho,
)
from captura.domain.cuestionarios import (
    ConsentimientoCargadoHecho,
    CuestionarioEnviadoHecho,
    CuestionarioGuardadoHecho,
    PlazoIniciadoHecho,
    PlazoProrrogadoHecho,
)
from comun.eventos import (
    Actor,
    Autorizaciones,
    CandidaturaActualizada,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    ConsentimientoCargado,
    CuestionarioEnviado,
    CuestionarioGuardado,
    DatosEvento,
    Evento,
    PlazoIniciado,
    PlazoProrrogado,
    RespuestasCurriculares,
    nuevo_evento,
)
from comun.eventos.vocabulario import Cuestionario, Postulante
from comun.politicas import identidad_publica

PREFIJO_FOTOGRAFIAS = "/api/captura/v1/fotografias"


def eventos_de(candidatura: Candidatura, eleccion: Eleccion, actor: Actor) -> list[Evento]:
    """The events of the candidacy's pending facts, each with the version its fact reached."""
    hechos, candidatura.hechos = list(candidatura.hechos), []
    primera = candidatura.version - len(hechos) + 1
    return [
        evento_de(candidatura, hecho, eleccion, actor, version=primera + i)
        for i, hecho in enumerate(hechos)
    ]


def evento_de(
    candidatura: Candidatura,
    hecho: Hecho,
    eleccion: Eleccion,
    actor: Actor,
    *,
    version: int | None = None,
) -> Evento:
    """Wrap one fact of a candidacy in its event (at `version`, by default the current one)."""
    version = candidatura.version if version is None else version
    datos: DatosEvento
    if isinstance(hecho, _HECHOS_DE_CAPTURA):
        datos, accion = _de_captura(candidatura, hecho, version)
        return nuevo_evento(datos, subject=candidatura.id, actor=actor, accion=accion)
    if isinstance(hecho, CandidaturaRegistradaHecho):
        datos = CandidaturaRegistrada(
            **_registro(candidatura, eleccion, version), sustituye_a=candidatura.sustituye_a
        )
        accion = "registrar_candidatura"
    elif isinstance(hecho, CandidaturaActualizadaHecho):
        datos = CandidaturaActualizada(
            **_registro(candidatura, eleccion, version), campos=hecho.campos
        )
        accion = "actualizar_candidatura"
    elif isinstance(hecho, CandidaturaSustituidaHecho):
        datos = CandidaturaSustituida(
            candidatura_id=candidatura.id,
            version=version,
            sustituta_id=hecho.sustituta_id,
        )
        accion = "sustituir_candidatura"
    elif isinstance(hecho, CandidaturaCanceladaHecho):
        datos = CandidaturaCancelada(candidatura_id=candidatura.id, version=version)
        accion = "cancelar_candidatura"
    return nuevo_evento(datos, subject=candidatura.id, actor=actor, accion=accion)


def _registro(candidatura: Candidatura, eleccion: Eleccion, version: int) -> dict[str, object]:
    """The public registry fields an event carries (never the CURP or the birth date)."""
    r = candidatura.registro
    postulacion = eleccion.postulaciones.get(r.clave_postulante or "")
    independiente = eleccion.independientes.get(r.clave_postulante or "")
    municipio = eleccion.municipios.get(r.municipio or "")
    return {
        "candidatura_id": candidatura.id,
        "version": version,
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


_HECHOS_DE_CAPTURA = (
    CuestionarioGuardadoHecho,
    CuestionarioEnviadoHecho,
    ConsentimientoCargadoHecho,
    PlazoIniciadoHecho,
    PlazoProrrogadoHecho,
)


def _de_captura(candidatura: Candidatura, hecho: Hecho, version: int) -> tuple[DatosEvento, str]:
    """Event data and action of a capture fact."""
    c = candidatura.cuestionarios
    base = {"candidatura_id": candidatura.id, "version": version}
    if isinstance(hecho, CuestionarioGuardadoHecho):
        # After sending only the supervisor edits (PTO 26): validacion needs the new content.
        enviada = candidatura.estado is EstadoCandidatura.ENVIADA
        identidad = enviada and hecho.cuestionario is Cuestionario.IDENTIDAD
        guardado = CuestionarioGuardado(
            **base,
            cuestionario=hecho.cuestionario,
            campos=hecho.campos,
            carga_masiva=hecho.carga_masiva,
            curricular=respuestas_publicas(candidatura) if enviada else None,
            identidad_cifrada=c.identidad_cifrada if identidad else None,
        )
        return guardado, "precargar_cuestionario" if hecho.carga_masiva else "guardar_cuestionario"
    if isinstance(hecho, CuestionarioEnviadoHecho):
        enviado = CuestionarioEnviado(
            **base,
            curricular=respuestas_publicas(candidatura),
            identidad_cifrada=c.identidad_cifrada,
            identidad_publica=es_identidad_publica(candidatura),
            fuera_de_plazo=c.fuera_de_plazo,
        )
        return enviado, "enviar_a_validacion"
    if isinstance(hecho, ConsentimientoCargadoHecho):
        return _consentimiento(candidatura, base), "cargar_consentimiento"
    plazo = c.plazo
    assert plazo is not None
    if isinstance(hecho, PlazoIniciadoHecho):
        iniciado = PlazoIniciado(**base, inicio=plazo.inicio, vence=plazo.vence, dias=plazo.dias)
        return iniciado, "iniciar_plazo"
    motivo = plazo.prorrogas[-1].motivo
    return PlazoProrrogado(**base, vence=plazo.vence, motivo=motivo), "prorrogar_plazo"


def _consentimiento(candidatura: Candidatura, base: dict[str, object]) -> ConsentimientoCargado:
    """The consent event: the three authorizations and the signed document's checksum."""
    consentimiento = candidatura.cuestionarios.consentimiento
    assert consentimiento is not None
    a = consentimiento.autorizaciones
    return ConsentimientoCargado.model_validate(
        {
            **base,
            "autorizaciones": Autorizaciones(
                tratamiento=a.tratamiento,
                publicacion=a.publicacion,
                uso_estadistico=a.uso_estadistico,
            ),
            "documento_sha256": consentimiento.documento_id,
            "documento_tipo": consentimiento.documento_tipo,
        }
    )


def respuestas_publicas(candidatura: Candidatura) -> RespuestasCurriculares:
    """The public curricular answers (never the private e-mail) with the photograph's URL."""
    c = candidatura.cuestionarios
    publicas = {k: v for k, v in c.curricular.items() if k != "correo_aclaraciones"}
    if c.fotografia is not None:
        publicas["fotografia"] = f"{PREFIJO_FOTOGRAFIAS}/{c.fotografia.archivo_id}.jpg"
    return RespuestasCurriculares.model_validate(publicas)


def es_identidad_publica(candidatura: Candidatura) -> bool:
    """The publication rule of DOMINIO §4 applied to this candidacy."""
    consentimiento = candidatura.cuestionarios.consentimiento
    return identidad_publica(
        autorizacion_publicacion=(
            consentimiento.autorizaciones.publicacion if consentimiento else None
        ),
        accion_afirmativa=candidatura.registro.accion_afirmativa,
    )
