"""Use cases of account management: generate, designate, disable, enable, follow the registry."""

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime

from uuid6 import uuid7

from comun.auth.proveedor import ProveedorIdentidad, UsuarioYaRegistrado
from comun.eventos import Actor, DatosEvento, Evento, nuevo_evento
from comun.eventos import identidad as eventos
from comun.eventos.captura import CandidaturaRegistrada, EleccionCargada
from comun.roles import PRIORIDAD_ROLES, Rol
from comun.store import DuplicateKeyError
from identidad.adapters.gestion import Gestion
from identidad.domain import DatosCuentaInvalidos, UsuarioDuplicado
from identidad.domain.gestion import (
    ROLES_INSTITUCIONALES,
    Conflicto,
    CuentaDesconocida,
    Designacion,
    Ficha,
    OrigenCuenta,
    Participante,
    ParticipanteDesconocido,
    TipoParticipante,
    numeros_usados,
    participante_de_candidatura,
    separar_nombre,
    siglas_para_usuario,
    usuario_candidatura,
    usuario_captura,
    usuario_de_correo,
    usuario_supervision,
)

MODULO = "cuentas"
REINTENTOS = 5
NUMERO_MAXIMO = 99
DOMINIO_CORREO = "cuentas.conoceles.invalid"
# Keycloak's person-name validator refuses these; registry names rarely carry them.
PROHIBIDOS_EN_NOMBRE = re.compile(r"[<>&\"$%!#?§;*~/\\|^=\[\]{}()]")


def evento(datos: DatosEvento, *, subject: str, actor: Actor, accion: str) -> Evento:
    """An event of the account-management module."""
    return nuevo_evento(datos, subject=subject, actor=actor, accion=accion, modulo=MODULO)


def cuenta_creada(ficha: Ficha, actor: Actor) -> Evento:
    """The cuenta_creada event of a new account's record."""
    return evento(
        eventos.CuentaCreada(
            cuenta_id=ficha.cuenta_id,
            nombre_usuario=ficha.usuario,
            rol=ficha.rol,
            partido=ficha.partido,
            candidatura_id=ficha.candidatura,
            correo=ficha.correo,
        ),
        subject=ficha.cuenta_id,
        actor=actor,
        accion="crear_cuenta",
    )


def correo_interno(usuario: str) -> str:
    """The address of an account without a person's e-mail (the provider asks for one)."""
    return f"{usuario}@{DOMINIO_CORREO}"


def _nombre_proveedor(texto: str) -> str:
    return " ".join(PROHIBIDOS_EN_NOMBRE.sub(" ", texto).split()) or "Sin nombre"


async def _dar_de_alta(
    proveedor: ProveedorIdentidad,
    *,
    usuario: str,
    nombre: str,
    apellidos: str,
    correo: str,
    rol: Rol,
    partido: str | None = None,
    candidatura: str | None = None,
) -> str:
    """Create the account without a password (packages give it one); return its id."""
    await proveedor.crear_cuenta_sin_clave(
        usuario=usuario,
        nombre=_nombre_proveedor(nombre),
        apellidos=_nombre_proveedor(apellidos),
        correo=correo,
        roles=[rol],
        partido=partido,
        candidatura=candidatura,
    )
    return await _id_de(proveedor, usuario)


async def _id_de(proveedor: ProveedorIdentidad, usuario: str) -> str:
    datos = await proveedor.cuenta(usuario=usuario)
    if datos is None:
        raise Conflicto(f"La cuenta «{usuario}» no aparece en el proveedor de identidad.")
    return datos.id


async def _comprobar_libres(gestion: Gestion, usuarios: Sequence[str]) -> None:
    """UsuarioDuplicado (409) before creating anything if one of the usernames is taken."""
    proveedor = gestion.proveedor()
    registradas = await gestion.fichas.por_usuarios(usuarios)
    for usuario in usuarios:
        if usuario in registradas or await proveedor.cuenta(usuario=usuario) is not None:
            raise UsuarioDuplicado(usuario)


async def partido_del_catalogo(gestion: Gestion, siglas: str) -> Participante:
    """The party with these acronyms; ParticipanteDesconocido (422) if the catalog lacks it."""
    participante = await gestion.participantes.por_clave(siglas.strip())
    if participante is None or participante.tipo is not TipoParticipante.PARTIDO:
        raise ParticipanteDesconocido(siglas.strip())
    return participante


async def crear_cuentas_partido(
    *,
    gestion: Gestion,
    siglas: str,
    cantidad: int | None,
    por_defecto: int,
    actor: Actor,
    ahora: datetime,
) -> list[Ficha]:
    """Create a party's generic capture accounts `<siglas>.captura.NN`, numbered on."""
    partido = await partido_del_catalogo(gestion, siglas)
    prefijo = f"{siglas_para_usuario(partido.clave)}.captura."
    usados = numeros_usados(await gestion.fichas.usuarios_con_prefijo(prefijo), prefijo)
    if cantidad is None:
        if usados:
            raise Conflicto(
                f"{partido.clave} ya tiene {len(usados)} cuenta(s) de captura "
                f"({prefijo}{usados[0]:02d} a {prefijo}{usados[-1]:02d}); para agregar más, "
                "indique cuántas."
            )
        cantidad = por_defecto
    inicio = (usados[-1] if usados else 0) + 1
    if not 1 <= cantidad <= NUMERO_MAXIMO - inicio + 1:
        raise DatosCuentaInvalidos(
            f"Indique de 1 a {NUMERO_MAXIMO - inicio + 1} cuentas; recibimos {cantidad}."
        )
    usuarios = [usuario_captura(partido.clave, n) for n in range(inicio, inicio + cantidad)]
    await _comprobar_libres(gestion, usuarios)
    proveedor = gestion.proveedor()
    fichas = []
    for numero, usuario in enumerate(usuarios, start=inicio):
        cuenta_id = await _dar_de_alta(
            proveedor,
            usuario=usuario,
            nombre="Captura",
            apellidos=f"{partido.clave} {numero:02d}",
            correo=correo_interno(usuario),
            rol=Rol.PARTIDO,
            partido=partido.clave,
        )
        ficha = Ficha(
            usuario=usuario,
            cuenta_id=cuenta_id,
            nombre=f"Captura {partido.clave} {numero:02d}",
            rol=Rol.PARTIDO,
            origen=OrigenCuenta.CAPTURA,
            creada=ahora,
            partido=partido.clave,
            participante=partido.clave,
        )
        await gestion.fichas.agregar(ficha, eventos=[cuenta_creada(ficha, actor)])
        fichas.append(ficha)
    gestion.avisar()
    return fichas


async def registrar_designacion(
    *,
    gestion: Gestion,
    partido: str,
    nombre: str,
    apellidos: str,
    correo: str,
    telefono: str,
    oficio: str,
    fecha_oficio: date,
    actor: Actor,
    ahora: datetime,
) -> tuple[Designacion, Ficha]:
    """Record a party's designation of a supervisor (PTO 24) and create the account."""
    participante = await partido_del_catalogo(gestion, partido)
    prefijo = f"{siglas_para_usuario(participante.clave)}.supervision."
    usados = numeros_usados(await gestion.fichas.usuarios_con_prefijo(prefijo), prefijo)
    usuario = usuario_supervision(participante.clave, (usados[-1] if usados else 0) + 1)
    designacion = Designacion.registrar(
        id=str(uuid7()),
        partido=participante.clave,
        nombre=nombre,
        apellidos=apellidos,
        correo=correo,
        telefono=telefono,
        oficio=oficio,
        fecha_oficio=fecha_oficio,
        usuario=usuario,
        ahora=ahora,
        registrada_por=actor.usuario,
    )
    for anterior in await gestion.designaciones.de_partido(participante.clave):
        if anterior.correo == designacion.correo:
            raise Conflicto(
                f"{participante.clave} ya designó a {anterior.nombre_completo} con el correo "
                f"{anterior.correo} (cuenta {anterior.usuario})."
            )
    await _comprobar_libres(gestion, [usuario])
    cuenta_id = await _dar_de_alta(
        gestion.proveedor(),
        usuario=usuario,
        nombre=designacion.nombre,
        apellidos=designacion.apellidos,
        correo=designacion.correo,
        rol=Rol.SUPERVISOR,
        partido=participante.clave,
    )
    ficha = Ficha(
        usuario=usuario,
        cuenta_id=cuenta_id,
        nombre=designacion.nombre_completo,
        rol=Rol.SUPERVISOR,
        origen=OrigenCuenta.SUPERVISION,
        creada=ahora,
        partido=participante.clave,
        participante=participante.clave,
        correo=designacion.correo,
        telefono=designacion.telefono,
    )
    registrada = evento(
        eventos.DesignacionRegistrada(
            designacion_id=designacion.id,
            partido=designacion.partido,
            nombre=designacion.nombre_completo,
            oficio=designacion.oficio,
        ),
        subject=designacion.id,
        actor=actor,
        accion="registrar_designacion",
    )
    # Both facts in one write: the designation and the account it created.
    await gestion.designaciones.agregar_unica(
        designacion, eventos=[registrada, cuenta_creada(ficha, actor)]
    )
    await gestion.fichas.agregar(ficha)
    gestion.avisar()
    return designacion, ficha


async def crear_cuenta_institucional(
    *,
    gestion: Gestion,
    rol: Rol,
    nombre: str,
    apellidos: str,
    correo: str,
    actor: Actor,
    ahora: datetime,
    usuario: str | None = None,
) -> Ficha:
    """Create a verificador, soporte or administrador account (username from the e-mail)."""
    if rol not in ROLES_INSTITUCIONALES:
        raise DatosCuentaInvalidos(
            "Desde aquí solo se crean cuentas de administración, verificación o soporte; las de "
            "partidos, supervisión y candidaturas tienen su propio procedimiento."
        )
    usuario = (usuario or "").strip().lower() or usuario_de_correo(correo)
    nombre, apellidos = " ".join(nombre.split()), " ".join(apellidos.split())
    if not nombre or not apellidos:
        raise DatosCuentaInvalidos("Escriba el nombre y los apellidos de la persona titular.")
    await _comprobar_libres(gestion, [usuario])
    cuenta_id = await _dar_de_alta(
        gestion.proveedor(),
        usuario=usuario,
        nombre=nombre,
        apellidos=apellidos,
        correo=correo,
        rol=rol,
    )
    ficha = Ficha(
        usuario=usuario,
        cuenta_id=cuenta_id,
        nombre=f"{nombre} {apellidos}",
        rol=rol,
        origen=OrigenCuenta.INSTITUCIONAL,
        creada=ahora,
        correo=correo.strip().lower(),
    )
    await gestion.fichas.agregar(ficha, eventos=[cuenta_creada(ficha, actor)])
    gestion.avisar()
    return ficha


async def crear_cuenta_candidatura(
    *, gestion: Gestion, datos: CandidaturaRegistrada, actor: Actor, ahora: datetime
) -> Ficha | None:
    """The individual account of a registered candidacy; None if it exists (redelivery)."""
    if await gestion.fichas.por_candidatura(datos.candidatura_id) is not None:
        return None
    independientes: list[Participante] = []
    if not datos.partido:
        independientes = await gestion.participantes.todos(TipoParticipante.INDEPENDIENTE)
    participante = participante_de_candidatura(
        partido=datos.partido,
        nombre_postulante=datos.nombre_postulante,
        independientes=independientes,
    )
    if not datos.partido and datos.clave_postulante:
        # The key, when captura sends it, beats matching the slate by name.
        participante = datos.clave_postulante
    nombre, apellidos = separar_nombre(datos.nombre)
    proveedor = gestion.proveedor()
    for con_huella in (False, True):
        usuario = usuario_candidatura(datos.candidatura_id, con_huella=con_huella)
        try:
            await proveedor.crear_cuenta_sin_clave(
                usuario=usuario,
                nombre=_nombre_proveedor(nombre),
                apellidos=_nombre_proveedor(apellidos),
                correo=correo_interno(usuario),
                roles=[Rol.CANDIDATURA],
                partido=datos.partido,
                candidatura=datos.candidatura_id,
            )
        except UsuarioYaRegistrado:
            existente = await proveedor.cuenta(usuario=usuario)
            # Ours from a delivery that stopped half-way: adopt it; another's: next name.
            if existente is None or existente.candidatura != datos.candidatura_id:
                continue
        ficha = Ficha(
            usuario=usuario,
            cuenta_id=await _id_de(proveedor, usuario),
            nombre=datos.nombre,
            rol=Rol.CANDIDATURA,
            origen=OrigenCuenta.CANDIDATURA,
            creada=ahora,
            partido=datos.partido,
            candidatura=datos.candidatura_id,
            participante=participante,
            nombre_postulante=datos.nombre_postulante,
        )
        try:
            await gestion.fichas.agregar(ficha, eventos=[cuenta_creada(ficha, actor)])
        except DuplicateKeyError:
            otra = await gestion.fichas.por_usuario(usuario)
            if otra is not None and otra.candidatura == datos.candidatura_id:
                return None
            continue
        gestion.avisar()
        return ficha
    raise Conflicto(
        f"No se pudo dar un usuario a la candidatura «{datos.candidatura_id[:80]}»: sus nombres "
        "posibles ya los tienen otras cuentas."
    )


async def retirar_cuenta_candidatura(
    *, gestion: Gestion, candidatura_id: str, motivo: str, actor: Actor
) -> bool:
    """Disable a substituted or cancelled candidacy's account; False if nothing to do."""
    for _ in range(REINTENTOS):
        ficha = await gestion.fichas.por_candidatura(candidatura_id)
        if ficha is None or not ficha.habilitada:
            return False
        await gestion.proveedor().deshabilitar(usuario=ficha.usuario, motivo=motivo)
        ficha.deshabilitar(motivo)
        if await gestion.fichas.guardar(ficha, eventos=[_deshabilitada(ficha, actor)]):
            gestion.avisar()
            return True
    raise Conflicto(f"La cuenta de la candidatura «{candidatura_id}» cambió mientras se retiraba.")


async def conocer_eleccion(*, gestion: Gestion, datos: EleccionCargada) -> None:
    """Keep the catalog's parties and independents; place candidacy accounts that waited."""
    for tipo, lista in (
        (TipoParticipante.PARTIDO, datos.partidos),
        (TipoParticipante.INDEPENDIENTE, datos.independientes),
    ):
        for p in lista:
            await gestion.participantes.guardar(
                Participante(clave=p.clave, nombre=p.nombre, tipo=tipo), eleccion=datos.eleccion
            )
    independientes = await gestion.participantes.todos(TipoParticipante.INDEPENDIENTE)
    for ficha in await gestion.fichas.sin_participante():
        ficha.participante = participante_de_candidatura(
            partido=None, nombre_postulante=ficha.nombre_postulante, independientes=independientes
        )
        if ficha.participante is not None:
            await gestion.fichas.guardar(ficha)


def _deshabilitada(ficha: Ficha, actor: Actor) -> Evento:
    return evento(
        eventos.CuentaDeshabilitada(
            cuenta_id=ficha.cuenta_id,
            nombre_usuario=ficha.usuario,
            motivo=ficha.motivo_deshabilitada,
        ),
        subject=ficha.cuenta_id,
        actor=actor,
        accion="deshabilitar_cuenta",
    )


async def ficha_de(gestion: Gestion, usuario: str) -> Ficha:
    """The record of a username; CuentaDesconocida (404) if there is none."""
    ficha = await gestion.fichas.por_usuario(usuario)
    if ficha is None:
        raise CuentaDesconocida(usuario)
    return ficha


async def _cambiar(
    gestion: Gestion,
    usuario: str,
    cambio: Callable[[Ficha], Evento],
    efecto: Callable[[ProveedorIdentidad, Ficha], Awaitable[None]],
) -> Ficha:
    """Change the record (refusing illegal transitions first), the provider, then save."""
    hecho = False
    for _ in range(REINTENTOS):
        ficha = await ficha_de(gestion, usuario)
        nuevo = cambio(ficha)
        if not hecho:
            await efecto(gestion.proveedor(), ficha)
            hecho = True
        if await gestion.fichas.guardar(ficha, eventos=[nuevo]):
            gestion.avisar()
            return ficha
    raise Conflicto(f"La cuenta «{usuario}» está cambiando en este momento; intente de nuevo.")


async def comprobar_no_ultimo_administrador(
    gestion: Gestion, ficha: Ficha, actor: Actor, *, accion: str = "deshabilitar"
) -> None:
    """Never leave the system without an active administrador, nor lock oneself out."""
    if ficha.rol is not Rol.ADMINISTRADOR:
        return
    if ficha.usuario == actor.usuario:
        raise Conflicto(
            f"No puede {accion} su propia cuenta; pídalo a otra persona con cuenta de "
            "administración."
        )
    otras = [
        cuenta
        for cuenta in await gestion.proveedor().listar(rol=Rol.ADMINISTRADOR)
        if cuenta.habilitada and cuenta.usuario != ficha.usuario
    ]
    if not otras:
        raise Conflicto(
            f"«{ficha.usuario}» es la última cuenta de administración activa: sin ella nadie "
            "podría administrar el sistema. Cree o habilite otra antes."
        )


async def deshabilitar_cuenta(
    *, gestion: Gestion, usuario: str, motivo: str, actor: Actor
) -> Ficha:
    """Disable an account with a reason (never the last active administrador)."""
    await comprobar_no_ultimo_administrador(gestion, await ficha_de(gestion, usuario), actor)

    def cambio(ficha: Ficha) -> Evento:
        ficha.deshabilitar(motivo)
        return _deshabilitada(ficha, actor)

    async def efecto(proveedor: ProveedorIdentidad, ficha: Ficha) -> None:
        await proveedor.deshabilitar(usuario=ficha.usuario, motivo=ficha.motivo_deshabilitada or "")

    return await _cambiar(gestion, usuario, cambio, efecto)


async def habilitar_cuenta(*, gestion: Gestion, usuario: str, actor: Actor) -> Ficha:
    """Let a disabled account sign in again."""

    def cambio(ficha: Ficha) -> Evento:
        ficha.habilitar()
        return evento(
            eventos.CuentaHabilitada(cuenta_id=ficha.cuenta_id, nombre_usuario=ficha.usuario),
            subject=ficha.cuenta_id,
            actor=actor,
            accion="habilitar_cuenta",
        )

    async def efecto(proveedor: ProveedorIdentidad, ficha: Ficha) -> None:
        await proveedor.habilitar(usuario=ficha.usuario)

    return await _cambiar(gestion, usuario, cambio, efecto)


async def cerrar_sesiones(*, gestion: Gestion, usuario: str, actor: Actor) -> Ficha:
    """End every open session of the account (logout everywhere), recorded in the history."""

    def cambio(ficha: Ficha) -> Evento:
        return evento(
            eventos.SesionesCerradas(cuenta_id=ficha.cuenta_id, nombre_usuario=ficha.usuario),
            subject=ficha.cuenta_id,
            actor=actor,
            accion="cerrar_sesiones",
        )

    async def efecto(proveedor: ProveedorIdentidad, ficha: Ficha) -> None:
        await proveedor.cerrar_sesiones(usuario=ficha.usuario)

    return await _cambiar(gestion, usuario, cambio, efecto)


async def sincronizar(*, gestion: Gestion, ahora: datetime) -> int:
    """Records for the provider's accounts made elsewhere (demo, CLI, console); how many new."""
    proveedor = gestion.proveedor()
    vistas: dict[str, tuple[Rol, bool, str, str, str | None, str | None, str | None]] = {}
    for rol in PRIORIDAD_ROLES:
        if rol is Rol.SISTEMA_REGISTRO:
            continue
        for datos in await proveedor.listar(rol=rol):
            # The highest role comes first: it names the account.
            vistas.setdefault(
                datos.usuario,
                (
                    rol,
                    datos.habilitada,
                    datos.id,
                    datos.nombre_completo or datos.usuario,
                    datos.partido,
                    datos.candidatura,
                    datos.correo,
                ),
            )
    registradas = await gestion.fichas.por_usuarios(list(vistas))
    nuevas = 0
    for usuario, (rol, habilitada, cuenta_id, nombre, partido, candidatura, correo) in sorted(
        vistas.items()
    ):
        ficha = registradas.get(usuario)
        if ficha is None:
            ficha = Ficha(
                usuario=usuario,
                cuenta_id=cuenta_id,
                nombre=nombre,
                rol=rol,
                origen=OrigenCuenta.EXISTENTE,
                creada=ahora,
                partido=partido,
                candidatura=candidatura,
                participante=partido,
                correo=correo if correo and not correo.endswith(DOMINIO_CORREO) else None,
                habilitada=habilitada,
            )
            try:
                await gestion.fichas.agregar(ficha)
            except DuplicateKeyError:
                continue
            nuevas += 1
        elif ficha.habilitada != habilitada:
            # Changed in the provider's own console: follow it.
            ficha.habilitada = habilitada
            await gestion.fichas.guardar(ficha)
    return nuevas
