"""Every event type of DESIGN §2, grouped by producing service."""

from comun.eventos.auditoria import CabezaFirmada
from comun.eventos.captura import (
    CandidaturaActualizada,
    CandidaturaCancelada,
    CandidaturaRegistrada,
    CandidaturaSustituida,
    ConsentimientoCargado,
    CuestionarioEnviado,
    CuestionarioGuardado,
    EleccionCargada,
    PlazoIniciado,
    PlazoProrrogado,
)
from comun.eventos.envelope import DatosEvento
from comun.eventos.estadistica import CedulaCalculada
from comun.eventos.identidad import (
    ClaveCambiada,
    ClaveRestablecida,
    CredencialesEntregadas,
    CuentaCreada,
    CuentaDeshabilitada,
    CuentaHabilitada,
    DesignacionRegistrada,
    InicioSesionFallido,
    SegundoFactorConfigurado,
    SesionesCerradas,
    SesionIniciada,
)
from comun.eventos.publicacion import PerfilPublicado, PerfilRetirado, WebhookEntregado
from comun.eventos.validacion import (
    AvisoEmitido,
    CandidaturaValidada,
    ContenidoDeshabilitado,
    SolicitudCambioAplicada,
    SolicitudCambioPresentada,
    SolicitudCambioRechazada,
)

CATALOGO: tuple[type[DatosEvento], ...] = (
    CuentaCreada,
    CuentaDeshabilitada,
    CredencialesEntregadas,
    SesionIniciada,
    SesionesCerradas,
    CuentaHabilitada,
    ClaveRestablecida,
    ClaveCambiada,
    SegundoFactorConfigurado,
    InicioSesionFallido,
    DesignacionRegistrada,
    EleccionCargada,
    CandidaturaRegistrada,
    CandidaturaActualizada,
    CandidaturaSustituida,
    CandidaturaCancelada,
    CuestionarioGuardado,
    CuestionarioEnviado,
    ConsentimientoCargado,
    PlazoIniciado,
    PlazoProrrogado,
    CandidaturaValidada,
    ContenidoDeshabilitado,
    AvisoEmitido,
    SolicitudCambioPresentada,
    SolicitudCambioAplicada,
    SolicitudCambioRechazada,
    PerfilPublicado,
    PerfilRetirado,
    WebhookEntregado,
    CedulaCalculada,
    CabezaFirmada,
)
