"""Administration pages of accounts under /identidad: list, generation, designations, delivery."""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from comun.auth.usuario import Usuario, actor_de
from comun.errores import Problema
from comun.roles import Rol
from comun.servicios import Servicio
from comun.web.plantillas import crear_plantillas
from identidad.adapters import Componentes
from identidad.adapters.acuse import ROLES, ZONA, hora_local, nombre_archivo, nombre_rol
from identidad.adapters.gestion import Gestion
from identidad.api import problema_de
from identidad.api.cuentas import GestionDiferida, administrador, archivos_paquete
from identidad.domain import ErrorIdentidad
from identidad.domain.gestion import (
    ROLES_INSTITUCIONALES,
    EstadoPaquete,
    Ficha,
    Paquete,
    TipoParticipante,
)
from identidad.handlers import cuentas, entregas

DIRECTORIO_PLANTILLAS = Path(__file__).parent.parent / "templates"
PREFIJO = "/identidad"
POR_PAGINA = 50
SIN_CACHE = {"Cache-Control": "no-store"}
ESTADOS_PAQUETE = {
    EstadoPaquete.GENERADO: "Generado, pendiente de entrega",
    EstadoPaquete.ENTREGADO: "Entregado",
    EstadoPaquete.REEMPLAZADO: "Reemplazado por uno más reciente",
}
AVISOS = {
    "creadas": "Se crearon las cuentas. Para entregarlas, genere el paquete en «Entregas».",
    "designada": "Se registró la designación y se creó la cuenta de supervisión.",
    "deshabilitada": "La cuenta quedó deshabilitada: ya no puede iniciar sesión.",
    "habilitada": "La cuenta quedó habilitada de nuevo.",
    "sesiones": "Se cerraron las sesiones abiertas de la cuenta en todos los equipos.",
    "entregado": "Se registró la entrega: los plazos de captura de sus candidaturas corren "
    "desde ahora.",
    "sincronizada": "La lista incluye ya todas las cuentas del proveedor de identidad.",
}
CONFIRMAR = "Marque la casilla de confirmación para continuar."

T = TypeVar("T")
Fallo = Callable[[ErrorIdentidad | Problema], Awaitable[Response]]


def _confirmado(valor: str) -> bool:
    return valor == "si"


def router(componentes: Componentes, gestion: GestionDiferida) -> APIRouter:
    """Pages of the administration of accounts (role administrador)."""
    plantillas = crear_plantillas(Servicio.IDENTIDAD, DIRECTORIO_PLANTILLAS)
    plantillas.env.filters.update(rol=nombre_rol, hora=hora_local)
    rutas = APIRouter(prefix=PREFIJO, include_in_schema=False)
    Admin = Annotated[Usuario, administrador(componentes)]
    Gestiones = Annotated[Gestion, Depends(gestion)]
    Confirmo = Annotated[str, Form(max_length=2)]

    def pagina(
        request: Request, plantilla: str, contexto: dict[str, Any], *, status_code: int = 200
    ) -> Response:
        aviso = AVISOS.get(request.query_params.get("aviso", ""))
        contexto = {"aviso": aviso, **contexto}
        respuesta = plantillas.TemplateResponse(
            request, f"identidad/{plantilla}", contexto, status_code=status_code
        )
        respuesta.headers.update(SIN_CACHE)
        return respuesta

    def volver(ruta: str, aviso: str, **parametros: str) -> Response:
        consulta = urlencode({**parametros, "aviso": aviso})
        return RedirectResponse(f"{ruta}?{consulta}", status_code=303)

    def mensaje(error: ErrorIdentidad | Problema) -> tuple[str, int]:
        problema = problema_de(error) if isinstance(error, ErrorIdentidad) else error
        return problema.detail, problema.status

    async def confirmada(
        confirmo: str,
        hacer: Callable[[], Awaitable[T]],
        responder: Callable[[T], Response],
        fallo: Fallo,
    ) -> Response:
        """Run an action the form confirmed; its error shows on the form's page instead."""
        try:
            if not _confirmado(confirmo):
                raise Problema(422, "Falta confirmar", CONFIRMAR)
            resultado = await hacer()
        except (ErrorIdentidad, Problema) as error:
            return await fallo(error)
        return responder(resultado)

    async def opciones_participantes(g: Gestion) -> list[tuple[str, str]]:
        return [
            (p.clave, f"{p.clave} — {p.nombre}")
            for p in await g.participantes.todos()
            if p.tipo is TipoParticipante.PARTIDO
        ] + [
            (p.clave, f"{p.clave} — {p.nombre} (independiente)")
            for p in await g.participantes.todos(TipoParticipante.INDEPENDIENTE)
        ]

    async def partidos(g: Gestion) -> list[tuple[str, str]]:
        return [
            (p.clave, f"{p.clave} — {p.nombre}")
            for p in await g.participantes.todos(TipoParticipante.PARTIDO)
        ]

    async def estados_de(g: Gestion, fichas: list[Ficha]) -> dict[str, Paquete]:
        folios = sorted({f.paquete for f in fichas if f.paquete})
        return await g.paquetes.por_folios(folios)

    # The list

    @rutas.get("/cuentas")
    async def lista(
        request: Request,
        usuario: Admin,
        g: Gestiones,
        rol: str = "",
        partido: Annotated[str, Query(max_length=40)] = "",
        estado: str = "",
        pagina_n: Annotated[int, Query(alias="pagina", ge=1, le=100_000)] = 1,
    ) -> Response:
        rol_elegido = Rol(rol) if rol in {r.value for r in ROLES} else None
        habilitada = {"activa": True, "deshabilitada": False}.get(estado)
        total, fichas = await g.fichas.buscar(
            rol=rol_elegido,
            participante=partido or None,
            habilitada=habilitada,
            desde=(pagina_n - 1) * POR_PAGINA,
            limite=POR_PAGINA,
        )
        paginas = max(1, -(-total // POR_PAGINA))
        filtros = {"rol": rol, "partido": partido, "estado": estado}

        def enlace(n: int) -> str:
            consulta = urlencode({**{k: v for k, v in filtros.items() if v}, "pagina": n})
            return f"{PREFIJO}/cuentas?{consulta}"

        return pagina(
            request,
            "admin_cuentas.html",
            {
                "titulo": "Cuentas de acceso",
                "fichas": fichas,
                "paquetes": await estados_de(g, fichas),
                "estados_paquete": ESTADOS_PAQUETE,
                "total": total,
                "pagina": pagina_n,
                "paginas": paginas,
                "anterior": enlace(pagina_n - 1) if pagina_n > 1 else None,
                "siguiente": enlace(pagina_n + 1) if pagina_n < paginas else None,
                "filtros": filtros,
                "con_filtros": any(filtros.values()),
                "opciones_rol": [(r.value, texto) for r, texto in ROLES.items()],
                "opciones_partido": await opciones_participantes(g),
            },
        )

    @rutas.post("/cuentas/sincronizar")
    async def sincronizar(usuario: Admin, g: Gestiones) -> Response:
        await cuentas.sincronizar(gestion=g, ahora=datetime.now(UTC))
        return volver(f"{PREFIJO}/cuentas", "sincronizada")

    # Generation

    async def pagina_generar(
        request: Request,
        g: Gestion,
        *,
        error_partido: str | None = None,
        error_institucional: str | None = None,
        valores: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        return pagina(
            request,
            "admin_generar.html",
            {
                "titulo": "Generar cuentas",
                "partidos": await partidos(g),
                "por_defecto": componentes.settings.cuentas_por_partido,
                "roles_institucionales": [
                    (r.value, ROLES[r]) for r in ROLES if r in ROLES_INSTITUCIONALES
                ],
                "error_partido": error_partido,
                "error_institucional": error_institucional,
                "valores": valores or {},
            },
            status_code=status_code,
        )

    @rutas.get("/cuentas/nuevas")
    async def generar(request: Request, usuario: Admin, g: Gestiones) -> Response:
        return await pagina_generar(request, g)

    @rutas.post("/cuentas/nuevas/partido")
    async def generar_partido(
        request: Request,
        usuario: Admin,
        g: Gestiones,
        partido: Annotated[str, Form(max_length=40)] = "",
        cantidad: Annotated[str, Form(max_length=3)] = "",
    ) -> Response:
        try:
            if not partido:
                raise Problema(422, "Datos incompletos", "Elija el partido.")
            if cantidad and not cantidad.isdigit():
                raise Problema(422, "Datos no válidos", "La cantidad debe ser un número entero.")
            await cuentas.crear_cuentas_partido(
                gestion=g,
                siglas=partido,
                cantidad=int(cantidad) if cantidad else None,
                por_defecto=componentes.settings.cuentas_por_partido,
                actor=actor_de(usuario),
                ahora=datetime.now(UTC),
            )
        except (ErrorIdentidad, Problema) as error:
            detalle, status = mensaje(error)
            return await pagina_generar(
                request,
                g,
                error_partido=detalle,
                valores={"partido": partido, "cantidad": cantidad},
                status_code=status,
            )
        return volver(f"{PREFIJO}/cuentas", "creadas", partido=partido)

    @rutas.post("/cuentas/nuevas/institucional")
    async def generar_institucional(
        request: Request,
        usuario: Admin,
        g: Gestiones,
        rol: Annotated[str, Form(max_length=20)] = "",
        nombre: Annotated[str, Form(max_length=120)] = "",
        apellidos: Annotated[str, Form(max_length=120)] = "",
        correo: Annotated[str, Form(max_length=200)] = "",
        nombre_usuario: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        valores = {
            "rol": rol,
            "nombre": nombre,
            "apellidos": apellidos,
            "correo": correo,
            "nombre_usuario": nombre_usuario,
        }
        try:
            if rol not in {r.value for r in ROLES_INSTITUCIONALES}:
                raise Problema(422, "Datos incompletos", "Elija el rol de la cuenta.")
            ficha = await cuentas.crear_cuenta_institucional(
                gestion=g,
                rol=Rol(rol),
                nombre=nombre,
                apellidos=apellidos,
                correo=correo,
                usuario=nombre_usuario or None,
                actor=actor_de(usuario),
                ahora=datetime.now(UTC),
            )
        except (ErrorIdentidad, Problema) as error:
            detalle, status = mensaje(error)
            return await pagina_generar(
                request, g, error_institucional=detalle, valores=valores, status_code=status
            )
        return volver(f"{PREFIJO}/cuentas/{ficha.usuario}", "creadas")

    # One account

    async def pagina_cuenta(
        request: Request, g: Gestion, usuario: str, *, error: str | None = None, status: int = 200
    ) -> Response:
        ficha = await cuentas.ficha_de(g, usuario)
        paquetes = await estados_de(g, [ficha])
        return pagina(
            request,
            "admin_cuenta.html",
            {
                "titulo": f"Cuenta {ficha.usuario}",
                "ficha": ficha,
                "paquete": paquetes.get(ficha.paquete or ""),
                "estados_paquete": ESTADOS_PAQUETE,
                "error": error,
            },
            status_code=status,
        )

    @rutas.get("/cuentas/{usuario}")
    async def cuenta(request: Request, usuario: str, admin: Admin, g: Gestiones) -> Response:
        return await pagina_cuenta(request, g, usuario)

    @rutas.post("/cuentas/{usuario}/deshabilitar")
    async def deshabilitar(
        request: Request,
        usuario: str,
        admin: Admin,
        g: Gestiones,
        motivo: Annotated[str, Form(max_length=500)] = "",
        confirmo: Confirmo = "",
    ) -> Response:
        return await confirmada(
            confirmo,
            lambda: cuentas.deshabilitar_cuenta(
                gestion=g, usuario=usuario, motivo=motivo, actor=actor_de(admin)
            ),
            a_cuenta(usuario, "deshabilitada"),
            error_cuenta(request, g, usuario),
        )

    @rutas.post("/cuentas/{usuario}/habilitar")
    async def habilitar(
        request: Request, usuario: str, admin: Admin, g: Gestiones, confirmo: Confirmo = ""
    ) -> Response:
        return await confirmada(
            confirmo,
            lambda: cuentas.habilitar_cuenta(gestion=g, usuario=usuario, actor=actor_de(admin)),
            a_cuenta(usuario, "habilitada"),
            error_cuenta(request, g, usuario),
        )

    @rutas.post("/cuentas/{usuario}/cerrar-sesiones")
    async def cerrar_sesiones(
        request: Request, usuario: str, admin: Admin, g: Gestiones, confirmo: Confirmo = ""
    ) -> Response:
        return await confirmada(
            confirmo,
            lambda: cuentas.cerrar_sesiones(gestion=g, usuario=usuario, actor=actor_de(admin)),
            a_cuenta(usuario, "sesiones"),
            error_cuenta(request, g, usuario),
        )

    @rutas.post("/cuentas/{usuario}/restablecer")
    async def restablecer(
        request: Request, usuario: str, admin: Admin, g: Gestiones, confirmo: Confirmo = ""
    ) -> Response:
        return await confirmada(
            confirmo,
            lambda: entregas.paquete_de_cuenta(
                gestion=g, usuario=usuario, actor=actor_de(admin), ahora=datetime.now(UTC)
            ),
            descarga,
            error_cuenta(request, g, usuario),
        )

    @rutas.post("/cuentas/{usuario}/extravio")
    async def extravio(
        request: Request,
        usuario: str,
        admin: Admin,
        g: Gestiones,
        descripcion: Annotated[str, Form(max_length=300)] = "",
        confirmo: Confirmo = "",
    ) -> Response:
        return await confirmada(
            confirmo,
            lambda: entregas.reportar_extravio(
                gestion=g,
                usuario=usuario,
                descripcion=descripcion,
                actor=actor_de(admin),
                ahora=datetime.now(UTC),
            ),
            descarga,
            error_cuenta(request, g, usuario),
        )

    def a_cuenta(usuario: str, aviso: str) -> Callable[[object], Response]:
        """Back to the account's page with this notice, whatever the action returned."""
        return lambda _: volver(f"{PREFIJO}/cuentas/{usuario}", aviso)

    def error_cuenta(request: Request, g: Gestion, usuario: str) -> Fallo:
        """The account's page with the error; an unknown account is a plain 404."""

        async def fallo(error: ErrorIdentidad | Problema) -> Response:
            detalle, status = mensaje(error)
            if status == 404:
                raise error if isinstance(error, Problema) else problema_de(error)
            return await pagina_cuenta(request, g, usuario, error=detalle, status=status)

        return fallo

    def descarga(generado: entregas.PaqueteGenerado) -> Response:
        """The package's ZIP (receipt and CSV): the only time its passwords are shown."""
        contenido, tipo, extension = archivos_paquete(componentes, generado, "zip")
        nombre = f"{nombre_archivo(generado.paquete)}.{extension}"
        cabeceras = {**SIN_CACHE, "Content-Disposition": f'attachment; filename="{nombre}"'}
        return Response(contenido, media_type=tipo, headers=cabeceras)

    # Designations

    async def pagina_designaciones(
        request: Request,
        g: Gestion,
        *,
        partido: str = "",
        error: str | None = None,
        valores: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        return pagina(
            request,
            "admin_designaciones.html",
            {
                "titulo": "Designaciones de supervisión",
                "designaciones": await g.designaciones.de_partido(partido or None),
                "partidos": await partidos(g),
                "partido": partido,
                "error": error,
                "valores": valores or {},
                "hoy": date.today().isoformat(),
            },
            status_code=status_code,
        )

    @rutas.get("/designaciones")
    async def designaciones(
        request: Request,
        usuario: Admin,
        g: Gestiones,
        partido: Annotated[str, Query(max_length=40)] = "",
    ) -> Response:
        return await pagina_designaciones(request, g, partido=partido)

    @rutas.post("/designaciones")
    async def designar(
        request: Request,
        usuario: Admin,
        g: Gestiones,
        partido: Annotated[str, Form(max_length=40)] = "",
        nombre: Annotated[str, Form(max_length=120)] = "",
        apellidos: Annotated[str, Form(max_length=120)] = "",
        correo: Annotated[str, Form(max_length=200)] = "",
        telefono: Annotated[str, Form(max_length=30)] = "",
        oficio: Annotated[str, Form(max_length=120)] = "",
        fecha_oficio: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        valores = {
            "partido": partido,
            "nombre": nombre,
            "apellidos": apellidos,
            "correo": correo,
            "telefono": telefono,
            "oficio": oficio,
            "fecha_oficio": fecha_oficio,
        }
        try:
            if not partido:
                raise Problema(422, "Datos incompletos", "Elija el partido que designa.")
            try:
                fecha = date.fromisoformat(fecha_oficio)
            except ValueError as error:
                raise Problema(
                    422, "Datos no válidos", "Escriba la fecha del oficio (día, mes y año)."
                ) from error
            designacion, _ = await cuentas.registrar_designacion(
                gestion=g,
                partido=partido,
                nombre=nombre,
                apellidos=apellidos,
                correo=correo,
                telefono=telefono,
                oficio=oficio,
                fecha_oficio=fecha,
                actor=actor_de(usuario),
                ahora=datetime.now(UTC),
            )
        except (ErrorIdentidad, Problema) as error:
            detalle, status = mensaje(error)
            return await pagina_designaciones(
                request, g, error=detalle, valores=valores, status_code=status
            )
        return volver(f"{PREFIJO}/designaciones", "designada", partido=designacion.partido)

    # Delivery packages

    async def pagina_entregas(
        request: Request, g: Gestion, *, error: str | None = None, status_code: int = 200
    ) -> Response:
        return pagina(
            request,
            "admin_entregas.html",
            {
                "titulo": "Entrega de cuentas",
                "resumen": await entregas.resumen_entregas(gestion=g),
                "paquetes": await g.paquetes.recientes(limite=100),
                "estados_paquete": ESTADOS_PAQUETE,
                "error": error,
                "ahora": datetime.now(UTC).astimezone(ZONA).strftime("%Y-%m-%dT%H:%M"),
            },
            status_code=status_code,
        )

    @rutas.get("/entregas")
    async def ver_entregas(request: Request, usuario: Admin, g: Gestiones) -> Response:
        return await pagina_entregas(request, g)

    @rutas.post("/entregas")
    async def generar_paquete(
        request: Request,
        usuario: Admin,
        g: Gestiones,
        participante: Annotated[str, Form(max_length=40)] = "",
        reemitir: Annotated[str, Form(max_length=2)] = "",
        confirmo: Confirmo = "",
    ) -> Response:
        return await confirmada(
            confirmo,
            lambda: entregas.generar_paquete(
                gestion=g,
                participante=participante,
                reemitir=reemitir == "si",
                actor=actor_de(usuario),
                ahora=datetime.now(UTC),
            ),
            descarga,
            error_entregas(request, g),
        )

    @rutas.post("/entregas/{folio}/entrega")
    async def registrar_entrega(
        request: Request,
        folio: str,
        usuario: Admin,
        g: Gestiones,
        recibio: Annotated[str, Form(max_length=120)] = "",
        momento: Annotated[str, Form(max_length=20)] = "",
        confirmo: Confirmo = "",
    ) -> Response:
        ahora = datetime.now(UTC)

        async def entregar() -> Paquete:
            try:
                cuando = datetime.fromisoformat(momento).replace(tzinfo=ZONA) if momento else ahora
            except ValueError as error:
                raise Problema(
                    422, "Datos no válidos", "Escriba la fecha y la hora de la entrega."
                ) from error
            return await entregas.registrar_entrega(
                gestion=g,
                folio=folio,
                recibio=recibio,
                momento=cuando,
                actor=actor_de(usuario),
                ahora=ahora,
            )

        return await confirmada(
            confirmo,
            entregar,
            lambda _: volver(f"{PREFIJO}/entregas", "entregado"),
            error_entregas(request, g),
        )

    def error_entregas(request: Request, g: Gestion) -> Fallo:
        """The delivery page with the error."""

        async def fallo(error: ErrorIdentidad | Problema) -> Response:
            detalle, status = mensaje(error)
            return await pagina_entregas(request, g, error=detalle, status_code=status)

        return fallo

    return rutas
