"""Event envelope, event data models and their registry."""

from comun.eventos.auditoria import CabezaFirmada
from comun.eventos.captura import (
    Autorizaciones,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    ConsentimientoCargado,
    CuestionarioEnviado,
    CuestionarioGuardado,
)
from comun.eventos.catalogo import CATALOGO
from comun.eventos.contenido import (
    CambioCampo,
    DatosCandidatura,
    IdentidadCifrada,
    RedesSociales,
    RespuestasCurriculares,
)
from comun.eventos.envelope import SISTEMA, Actor, DatosEvento, Evento, nuevo_evento
from comun.eventos.estadistica import CedulaCalculada, PuntajeRubro
from comun.eventos.identidad import (
    CredencialesEntregadas,
    CuentaCreada,
    CuentaDeshabilitada,
    SesionIniciada,
)
from comun.eventos.publicacion import PerfilPublicado, PerfilRetirado, WebhookEntregado
from comun.eventos.registro import (
    TIPOS,
    TipoDesconocido,
    TipoDuplicado,
    datos_de,
    modelo_de,
    muestra,
    registrar,
)
from comun.eventos.validacion import (
    AvisoEmitido,
    CandidaturaValidada,
    ContenidoDeshabilitado,
    SolicitudCambioAplicada,
    SolicitudCambioPresentada,
    SolicitudCambioRechazada,
)
from comun.eventos.vocabulario import (
    AccionAfirmativa,
    CampoCurricular,
    Cargo,
    Cuestionario,
    EstatusEstudios,
    GradoEstudios,
    MotivoContenido,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)

__all__ = [
    "CATALOGO",
    "SISTEMA",
    "TIPOS",
    "AccionAfirmativa",
    "Actor",
    "Autorizaciones",
    "AvisoEmitido",
    "CabezaFirmada",
    "CambioCampo",
    "CampoCurricular",
    "CandidaturaRegistrada",
    "CandidaturaSustituida",
    "CandidaturaValidada",
    "Cargo",
    "CedulaCalculada",
    "ConsentimientoCargado",
    "ContenidoDeshabilitado",
    "CredencialesEntregadas",
    "CuentaCreada",
    "CuentaDeshabilitada",
    "Cuestionario",
    "CuestionarioEnviado",
    "CuestionarioGuardado",
    "DatosCandidatura",
    "DatosEvento",
    "EstatusEstudios",
    "Evento",
    "GradoEstudios",
    "IdentidadCifrada",
    "MotivoContenido",
    "PerfilPublicado",
    "PerfilRetirado",
    "Postulante",
    "Principio",
    "PuntajeRubro",
    "RedesSociales",
    "RespuestasCurriculares",
    "SesionIniciada",
    "Sexo",
    "SolicitudCambioAplicada",
    "SolicitudCambioPresentada",
    "SolicitudCambioRechazada",
    "TipoCandidatura",
    "TipoDesconocido",
    "TipoDuplicado",
    "WebhookEntregado",
    "datos_de",
    "modelo_de",
    "muestra",
    "nuevo_evento",
    "registrar",
]
