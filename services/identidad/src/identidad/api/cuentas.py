"""JSON API of account management under /api/identidad/v1: accounts, designations, packages."""

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import jwt
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from comun.auth.dependencias import COOKIE_SESION, requiere_rol, token_bearer
from comun.auth.usuario import Usuario, actor_de
from comun.errores import NoAutenticado, Problema
from comun.roles import Rol
from identidad.adapters import Componentes
from identidad.adapters.acuse import ZONA, acuse_csv, acuse_pdf, nombre_archivo, paquete_zip
from identidad.adapters.gestion import Gestion
from identidad.domain import CLAIM_EPOCA
from identidad.domain.gestion import (
    Designacion,
    EstadoPaquete,
    Ficha,
    MotivoClave,
    OrigenCuenta,
    Paquete,
)
from identidad.handlers import cuentas, entregas

PREFIJO = "/api/identidad/v1"
SIN_CACHE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
ZIP = "application/zip"
SESION_TERMINADA = (
    "Su sesión terminó: la cuenta se deshabilitó, cambió de contraseña o se cerraron sus "
    "sesiones desde la administración. Inicie sesión de nuevo."
)


class GestionDiferida:
    """The account management of this process, ready once the service has started."""

    def __init__(self) -> None:
        self._gestion: Gestion | None = None

    def poner(self, gestion: Gestion) -> None:
        """Set it at start-up."""
        self._gestion = gestion

    def __call__(self) -> Gestion:
        """The account management; 503 while the service is still starting."""
        if self._gestion is None:
            raise Problema(
                503,
                "Servicio de identidad no disponible",
                "El servicio de identidad está iniciando; intente de nuevo en unos segundos.",
            )
        return self._gestion


async def comprobar_sesion(componentes: Componentes, request: Request, usuario: Usuario) -> None:
    """Embedded provider: refuse tokens of disabled accounts or of sessions ended since."""
    repo = componentes.repo
    if repo is None or componentes.settings.plataforma.identidad == "keycloak":
        # Keycloak ends its sessions itself (admin logout); tokens live minutes.
        return
    token = token_bearer(request) or request.cookies.get(COOKIE_SESION) or ""
    try:
        epoca = jwt.decode(token, options={"verify_signature": False}).get(CLAIM_EPOCA)
    except jwt.PyJWTError as error:
        raise NoAutenticado(SESION_TERMINADA) from error
    cuenta = await repo.por_id(usuario.id)
    if cuenta is None or not cuenta.sesion_vigente(epoca if isinstance(epoca, int) else None):
        raise NoAutenticado(SESION_TERMINADA)


def administrador(componentes: Componentes) -> Any:
    """Dependency: an administrador whose session is still open."""
    requiere = requiere_rol(Rol.ADMINISTRADOR)

    async def dependencia(
        request: Request, usuario: Annotated[Usuario, Depends(requiere)]
    ) -> Usuario:
        await comprobar_sesion(componentes, request, usuario)
        return usuario

    return Depends(dependencia)


class CuentaOut(BaseModel):
    """An account as the administration sees it (never a password)."""

    model_config = ConfigDict(from_attributes=True)

    usuario: str
    cuenta_id: str
    nombre: str
    rol: Rol
    origen: OrigenCuenta
    habilitada: bool
    motivo_deshabilitada: str | None = None
    partido: str | None = None
    candidatura: str | None = None
    participante: str | None = None
    correo: str | None = None
    telefono: str | None = None
    paquete: str | None = None
    creada: datetime

    @classmethod
    def de(cls, ficha: Ficha) -> "CuentaOut":
        """From the account's record."""
        return cls.model_validate(ficha)


class PaginaCuentasOut(BaseModel):
    """One page of the account list."""

    total: int
    pagina: int
    por_pagina: int
    cuentas: list[CuentaOut]


class CuentasPartidoIn(BaseModel):
    """How many more generic capture accounts (omitted: the configured number, first time)."""

    cantidad: int | None = Field(default=None, ge=1, le=99)


class CuentaInstitucionalIn(BaseModel):
    """A staff account: role, holder and e-mail (username from the e-mail if omitted)."""

    rol: Literal[Rol.ADMINISTRADOR, Rol.VERIFICADOR, Rol.SOPORTE]
    nombre: str = Field(max_length=120)
    apellidos: str = Field(max_length=120)
    correo: str = Field(max_length=200)
    usuario: str | None = Field(default=None, max_length=64)


class DesignacionIn(BaseModel):
    """A party's designation record of a supervisor (PTO 24)."""

    partido: str = Field(max_length=40)
    nombre: str = Field(max_length=120)
    apellidos: str = Field(max_length=120)
    correo: str = Field(max_length=200)
    telefono: str = Field(max_length=30)
    oficio: str = Field(max_length=120, description="Reference of the designation letter")
    fecha_oficio: date


class DesignacionOut(BaseModel):
    """A registered designation and the account it created."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    partido: str
    nombre: str
    apellidos: str
    correo: str
    telefono: str
    oficio: str
    fecha_oficio: date
    usuario: str
    registrada: datetime
    registrada_por: str

    @classmethod
    def de(cls, d: Designacion) -> "DesignacionOut":
        """From the domain record."""
        return cls.model_validate(d)


class MotivoIn(BaseModel):
    """Why an account is disabled (or how the credentials were lost)."""

    motivo: str = Field(default="", max_length=500)


class CuentaPaqueteOut(BaseModel):
    """One account of a package; `clave` only in the answer that generated it."""

    model_config = ConfigDict(from_attributes=True)

    usuario: str
    nombre: str
    rol: Rol
    motivo: MotivoClave
    partido: str | None = None
    candidatura: str | None = None
    clave: str | None = None


class PaqueteOut(BaseModel):
    """A delivery package."""

    model_config = ConfigDict(from_attributes=True)

    folio: str
    destinatario: str
    participante: str | None
    motivo: MotivoClave
    estado: EstadoPaquete
    generado: datetime
    generado_por: str
    entregado: datetime | None = None
    recibio: str | None = None
    entrego: str | None = None
    reemplazado_por: str | None = None
    cuentas: list[CuentaPaqueteOut]

    @classmethod
    def de(cls, paquete: Paquete, claves: dict[str, str] | None = None) -> "PaqueteOut":
        """From the domain package (with the passwords, right after generating it)."""
        salida = cls.model_validate(paquete)
        for cuenta in salida.cuentas:
            cuenta.clave = (claves or {}).get(cuenta.usuario)
        return salida


class PaqueteIn(BaseModel):
    """Generate a party's or independent's package (`reemitir`: every account, reset)."""

    participante: str = Field(max_length=40)
    reemitir: bool = False


class EntregaIn(BaseModel):
    """Who received the package and when (default: now)."""

    recibio: str = Field(max_length=120)
    entregado_en: datetime | None = None


class ResumenEntregaOut(BaseModel):
    """A party's or independent's accounts and latest package."""

    participante: str
    nombre: str
    tipo: str
    activas: int
    pendientes: int
    ultimo_paquete: str | None
    estado_ultimo: EstadoPaquete | None


class SincronizacionOut(BaseModel):
    """How many accounts of the provider got a record."""

    nuevas: int


Formato = Literal["json", "zip", "pdf", "csv"]


def respuesta_paquete(
    componentes: Componentes, generado: entregas.PaqueteGenerado, formato: Formato
) -> Response:
    """The new package as JSON with its passwords, or as its files: never stored, never cached."""
    if formato == "json":
        cuerpo = PaqueteOut.de(generado.paquete, generado.claves).model_dump_json()
        return Response(cuerpo, media_type="application/json", headers=SIN_CACHE, status_code=201)
    contenido, tipo, extension = archivos_paquete(componentes, generado, formato)
    nombre = f"{nombre_archivo(generado.paquete)}.{extension}"
    cabeceras = {**SIN_CACHE, "Content-Disposition": f'attachment; filename="{nombre}"'}
    return Response(contenido, media_type=tipo, headers=cabeceras, status_code=201)


def archivos_paquete(
    componentes: Componentes, generado: entregas.PaqueteGenerado, formato: Formato
) -> tuple[bytes, str, str]:
    """The bytes, media type and extension of the package in this format."""
    settings = componentes.settings
    csv = acuse_csv(paquete=generado.paquete, claves=generado.claves)
    if formato == "csv":
        return csv, "text/csv; charset=utf-8", "csv"
    pdf = acuse_pdf(
        paquete=generado.paquete,
        claves=generado.claves,
        institucion=settings.institucion,
        area=settings.area_entrega,
        direccion=f"{settings.url_publica.rstrip('/')}/identidad/login"
        if settings.url_publica
        else None,
    )
    if formato == "pdf":
        return pdf, "application/pdf", "pdf"
    return paquete_zip(paquete=generado.paquete, pdf=pdf, csv=csv), ZIP, "zip"


def router(componentes: Componentes, gestion: GestionDiferida) -> APIRouter:
    """Routes of the administration of accounts (role administrador)."""
    # One dependency object: FastAPI runs it once per request for the router and the route.
    solo_administracion = administrador(componentes)
    rutas = APIRouter(prefix=PREFIJO, tags=["cuentas"], dependencies=[solo_administracion])
    Admin = Annotated[Usuario, solo_administracion]
    Gestiones = Annotated[Gestion, Depends(gestion)]

    @rutas.get("/cuentas", response_model=PaginaCuentasOut, summary="Lista de cuentas")
    async def listar(
        g: Gestiones,
        rol: Rol | None = None,
        partido: Annotated[str | None, Query(max_length=40)] = None,
        estado: Literal["activa", "deshabilitada"] | None = None,
        pagina: Annotated[int, Query(ge=1)] = 1,
        por_pagina: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> PaginaCuentasOut:
        total, fichas = await g.fichas.buscar(
            rol=rol,
            participante=partido or None,
            habilitada=None if estado is None else estado == "activa",
            desde=(pagina - 1) * por_pagina,
            limite=por_pagina,
        )
        return PaginaCuentasOut(
            total=total,
            pagina=pagina,
            por_pagina=por_pagina,
            cuentas=[CuentaOut.de(f) for f in fichas],
        )

    @rutas.post(
        "/cuentas",
        response_model=CuentaOut,
        status_code=201,
        summary="Crear una cuenta de administración, verificación o soporte",
    )
    async def crear_institucional(
        datos: CuentaInstitucionalIn, usuario: Admin, g: Gestiones
    ) -> CuentaOut:
        ficha = await cuentas.crear_cuenta_institucional(
            gestion=g,
            rol=datos.rol,
            nombre=datos.nombre,
            apellidos=datos.apellidos,
            correo=datos.correo,
            usuario=datos.usuario,
            actor=actor_de(usuario),
            ahora=datetime.now(UTC),
        )
        return CuentaOut.de(ficha)

    @rutas.post(
        "/cuentas/sincronizar",
        response_model=SincronizacionOut,
        summary="Incorporar a la lista las cuentas creadas fuera de este módulo",
    )
    async def sincronizar(g: Gestiones) -> SincronizacionOut:
        return SincronizacionOut(
            nuevas=await cuentas.sincronizar(gestion=g, ahora=datetime.now(UTC))
        )

    @rutas.get("/cuentas/{usuario}", response_model=CuentaOut, summary="Una cuenta")
    async def ver(usuario: str, g: Gestiones) -> CuentaOut:
        return CuentaOut.de(await cuentas.ficha_de(g, usuario))

    @rutas.post(
        "/partidos/{siglas}/cuentas",
        response_model=list[CuentaOut],
        status_code=201,
        summary="Generar las cuentas genéricas de captura de un partido",
    )
    async def generar_partido(
        siglas: str, usuario: Admin, g: Gestiones, datos: CuentasPartidoIn | None = None
    ) -> list[CuentaOut]:
        fichas = await cuentas.crear_cuentas_partido(
            gestion=g,
            siglas=siglas,
            cantidad=datos.cantidad if datos else None,
            por_defecto=componentes.settings.cuentas_por_partido,
            actor=actor_de(usuario),
            ahora=datetime.now(UTC),
        )
        return [CuentaOut.de(f) for f in fichas]

    @rutas.get("/designaciones", response_model=list[DesignacionOut], summary="Designaciones")
    async def designaciones(
        g: Gestiones, partido: Annotated[str | None, Query(max_length=40)] = None
    ) -> list[DesignacionOut]:
        return [DesignacionOut.de(d) for d in await g.designaciones.de_partido(partido)]

    @rutas.post(
        "/designaciones",
        response_model=DesignacionOut,
        status_code=201,
        summary="Registrar la designación de una persona supervisora (crea su cuenta)",
    )
    async def designar(datos: DesignacionIn, usuario: Admin, g: Gestiones) -> DesignacionOut:
        designacion, _ = await cuentas.registrar_designacion(
            gestion=g,
            partido=datos.partido,
            nombre=datos.nombre,
            apellidos=datos.apellidos,
            correo=datos.correo,
            telefono=datos.telefono,
            oficio=datos.oficio,
            fecha_oficio=datos.fecha_oficio,
            actor=actor_de(usuario),
            ahora=datetime.now(UTC),
        )
        return DesignacionOut.de(designacion)

    @rutas.post("/cuentas/{usuario}/deshabilitar", response_model=CuentaOut, summary="Deshabilitar")
    async def deshabilitar(usuario: str, datos: MotivoIn, admin: Admin, g: Gestiones) -> CuentaOut:
        ficha = await cuentas.deshabilitar_cuenta(
            gestion=g, usuario=usuario, motivo=datos.motivo, actor=actor_de(admin)
        )
        return CuentaOut.de(ficha)

    @rutas.post("/cuentas/{usuario}/habilitar", response_model=CuentaOut, summary="Habilitar")
    async def habilitar(usuario: str, admin: Admin, g: Gestiones) -> CuentaOut:
        ficha = await cuentas.habilitar_cuenta(gestion=g, usuario=usuario, actor=actor_de(admin))
        return CuentaOut.de(ficha)

    @rutas.post(
        "/cuentas/{usuario}/cerrar-sesiones",
        status_code=204,
        summary="Cerrar las sesiones abiertas de la cuenta en todos los equipos",
    )
    async def cerrar(usuario: str, admin: Admin, g: Gestiones) -> Response:
        await cuentas.cerrar_sesiones(gestion=g, usuario=usuario, actor=actor_de(admin))
        return Response(status_code=204)

    @rutas.post(
        "/cuentas/{usuario}/restablecer",
        response_model=PaqueteOut,
        status_code=201,
        summary="Contraseña temporal nueva en un paquete de una cuenta",
    )
    async def restablecer(
        usuario: str, admin: Admin, g: Gestiones, formato: Formato = "json"
    ) -> Response:
        generado = await entregas.paquete_de_cuenta(
            gestion=g, usuario=usuario, actor=actor_de(admin), ahora=datetime.now(UTC)
        )
        return respuesta_paquete(componentes, generado, formato)

    @rutas.post(
        "/cuentas/{usuario}/extravio",
        response_model=PaqueteOut,
        status_code=201,
        summary="Reportar extravío (PTO 13): deshabilitar y emitir una contraseña nueva",
    )
    async def extravio(
        usuario: str, datos: MotivoIn, admin: Admin, g: Gestiones, formato: Formato = "json"
    ) -> Response:
        generado = await entregas.reportar_extravio(
            gestion=g,
            usuario=usuario,
            descripcion=datos.motivo,
            actor=actor_de(admin),
            ahora=datetime.now(UTC),
        )
        return respuesta_paquete(componentes, generado, formato)

    @rutas.get(
        "/entregas",
        response_model=list[ResumenEntregaOut],
        summary="Cuentas pendientes de entregar por partido e independiente",
    )
    async def resumen(g: Gestiones) -> list[ResumenEntregaOut]:
        return [
            ResumenEntregaOut(
                participante=r.participante.clave,
                nombre=r.participante.nombre,
                tipo=r.participante.tipo.value,
                activas=r.activas,
                pendientes=r.pendientes,
                ultimo_paquete=r.ultimo.folio if r.ultimo else None,
                estado_ultimo=r.ultimo.estado if r.ultimo else None,
            )
            for r in await entregas.resumen_entregas(gestion=g)
        ]

    @rutas.get("/paquetes", response_model=list[PaqueteOut], summary="Paquetes de entrega")
    async def paquetes(
        g: Gestiones, participante: Annotated[str | None, Query(max_length=40)] = None
    ) -> list[PaqueteOut]:
        return [PaqueteOut.de(p) for p in await g.paquetes.recientes(participante=participante)]

    @rutas.post(
        "/paquetes",
        response_model=PaqueteOut,
        status_code=201,
        summary="Generar el paquete de entrega de un partido o independiente",
        description="Restablece la contraseña de cada cuenta incluida; las contraseñas solo "
        "aparecen en esta respuesta (formato json, zip, pdf o csv).",
    )
    async def generar(
        datos: PaqueteIn, admin: Admin, g: Gestiones, formato: Formato = "json"
    ) -> Response:
        generado = await entregas.generar_paquete(
            gestion=g,
            participante=datos.participante,
            reemitir=datos.reemitir,
            actor=actor_de(admin),
            ahora=datetime.now(UTC),
        )
        return respuesta_paquete(componentes, generado, formato)

    @rutas.post(
        "/paquetes/{folio}/entrega",
        response_model=PaqueteOut,
        summary="Registrar la entrega de un paquete (inicia los plazos de captura)",
    )
    async def entregar(folio: str, datos: EntregaIn, admin: Admin, g: Gestiones) -> PaqueteOut:
        ahora = datetime.now(UTC)
        paquete = await entregas.registrar_entrega(
            gestion=g,
            folio=folio,
            recibio=datos.recibio,
            momento=_con_zona(datos.entregado_en) or ahora,
            actor=actor_de(admin),
            ahora=ahora,
        )
        return PaqueteOut.de(paquete)

    return rutas


def _con_zona(momento: datetime | None) -> datetime | None:
    """A moment without offset is read in Mexico City time."""
    if momento is not None and momento.tzinfo is None:
        return momento.replace(tzinfo=ZONA)
    return momento
