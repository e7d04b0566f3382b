"""Use cases of credential delivery (PTO 10): packages, loss reports (PTO 13), deliveries."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from comun.eventos import Actor, Evento
from comun.eventos import identidad as eventos
from comun.roles import Rol
from identidad.adapters.gestion import Gestion
from identidad.domain.gestion import (
    Conflicto,
    CuentaPaquete,
    EstadoPaquete,
    Ficha,
    MotivoClave,
    Paquete,
    PaqueteDesconocido,
    Participante,
    ParticipanteDesconocido,
    TipoParticipante,
    motivo_de,
    pendiente,
)
from identidad.handlers.cuentas import (
    REINTENTOS,
    comprobar_no_ultimo_administrador,
    deshabilitar_cuenta,
    evento,
    ficha_de,
    habilitar_cuenta,
)

# Resets run side by side (argon2 here, HTTP calls to Keycloak) but not all at once.
RESTABLECIMIENTOS_SIMULTANEOS = 8
ROLES_DE_PARTICIPANTE = frozenset({Rol.PARTIDO, Rol.SUPERVISOR, Rol.CANDIDATURA})
TIPOS = {TipoParticipante.PARTIDO: "Partido", TipoParticipante.INDEPENDIENTE: "Independiente"}


@dataclass(frozen=True)
class PaqueteGenerado:
    """A new package and its passwords, which exist only in this object and its files."""

    paquete: Paquete
    claves: dict[str, str]


@dataclass(frozen=True)
class ResumenEntrega:
    """Where a party or independent stands: active accounts, pending ones, latest package."""

    participante: Participante
    activas: int
    pendientes: int
    ultimo: Paquete | None


def destinatario(participante: Participante) -> str:
    """«Partido PAN — Partido Acción Nacional»."""
    return f"{TIPOS[participante.tipo]} {participante.clave} — {participante.nombre}"


async def generar_paquete(
    *,
    gestion: Gestion,
    participante: str,
    actor: Actor,
    ahora: datetime,
    reemitir: bool = False,
) -> PaqueteGenerado:
    """A party's or independent's package: its accounts not yet delivered (or all, re-issued)."""
    encontrado = await gestion.participantes.por_clave(participante.strip())
    if encontrado is None:
        raise ParticipanteDesconocido(participante.strip())
    fichas = [
        ficha
        for ficha in await gestion.fichas.de_participante(encontrado.clave)
        if ficha.habilitada and ficha.rol in ROLES_DE_PARTICIPANTE
    ]
    if not fichas:
        raise Conflicto(
            f"{destinatario(encontrado)} no tiene cuentas activas: genere primero sus cuentas "
            "de captura o registre sus designaciones."
        )
    if not reemitir:
        estados = await _estados(gestion, fichas)
        fichas = [f for f in fichas if pendiente(f, estados.get(f.paquete or ""))]
    paquete = Paquete.generar(
        clave=encontrado.clave,
        destinatario=destinatario(encontrado),
        cuentas=[_cuenta(ficha, MotivoClave.REENTREGA) for ficha in fichas],
        motivo=_motivo_del_paquete(fichas, MotivoClave.REENTREGA),
        ahora=ahora,
        generado_por=actor.usuario,
        participante=encontrado.clave,
    )
    return await _emitir(gestion, paquete, fichas, actor)


async def paquete_de_cuenta(
    *, gestion: Gestion, usuario: str, actor: Actor, ahora: datetime
) -> PaqueteGenerado:
    """A one-account package: the first delivery of a staff account, or a password reset."""
    ficha = await ficha_de(gestion, usuario)
    ficha.comprobar_restablecible()
    return await _individual(gestion, ficha, MotivoClave.RESTABLECIMIENTO, actor, ahora)


async def reportar_extravio(
    *, gestion: Gestion, usuario: str, descripcion: str, actor: Actor, ahora: datetime
) -> PaqueteGenerado:
    """PTO 13: disable the account at once and issue a new password in a one-account package."""
    ficha = await ficha_de(gestion, usuario)
    await comprobar_no_ultimo_administrador(gestion, ficha, actor, accion="reportar el extravío de")
    detalle = " ".join(descripcion.split())[:300]
    motivo = "Extravío de credenciales reportado" + (f": {detalle}" if detalle else "")
    if ficha.habilitada:
        ficha = await deshabilitar_cuenta(
            gestion=gestion, usuario=usuario, motivo=motivo, actor=actor
        )
    return await _individual(gestion, ficha, MotivoClave.EXTRAVIO, actor, ahora)


async def _individual(
    gestion: Gestion, ficha: Ficha, motivo: MotivoClave, actor: Actor, ahora: datetime
) -> PaqueteGenerado:
    cuenta = _cuenta(ficha, motivo)
    paquete = Paquete.generar(
        clave=ficha.usuario,
        destinatario=f"{ficha.nombre} ({ficha.usuario})",
        cuentas=[cuenta],
        motivo=cuenta.motivo,
        ahora=ahora,
        generado_por=actor.usuario,
        participante=ficha.participante,
    )
    return await _emitir(gestion, paquete, [ficha], actor)


def _cuenta(ficha: Ficha, motivo: MotivoClave) -> CuentaPaquete:
    return CuentaPaquete(
        usuario=ficha.usuario,
        nombre=ficha.nombre,
        rol=ficha.rol,
        cuenta_id=ficha.cuenta_id,
        motivo=motivo_de(ficha, motivo),
        partido=ficha.partido,
        candidatura=ficha.candidatura,
    )


def _motivo_del_paquete(fichas: Sequence[Ficha], motivo: MotivoClave) -> MotivoClave:
    """Entrega when every account gets its first password, else the given reason."""
    return MotivoClave.ENTREGA if all(f.paquete is None for f in fichas) else motivo


async def _estados(gestion: Gestion, fichas: Sequence[Ficha]) -> dict[str, EstadoPaquete]:
    """The state of each package the records point to."""
    folios = sorted({f.paquete for f in fichas if f.paquete})
    paquetes = await gestion.paquetes.por_folios(folios)
    return {folio: paquete.estado for folio, paquete in paquetes.items()}


async def _emitir(
    gestion: Gestion, paquete: Paquete, fichas: Sequence[Ficha], actor: Actor
) -> PaqueteGenerado:
    """Reset every password, store the package with its events, replace older packages."""
    proveedor = gestion.proveedor()
    turnos = asyncio.Semaphore(RESTABLECIMIENTOS_SIMULTANEOS)

    async def restablecer(usuario: str) -> tuple[str, str]:
        async with turnos:
            return usuario, await proveedor.restablecer_clave(usuario=usuario)

    claves = dict(await asyncio.gather(*(restablecer(c.usuario) for c in paquete.cuentas)))
    restablecidas = [
        evento(
            eventos.ClaveRestablecida(
                cuenta_id=c.cuenta_id, nombre_usuario=c.usuario, motivo=c.motivo.value
            ),
            subject=c.cuenta_id,
            actor=actor,
            accion="generar_paquete",
        )
        for c in paquete.cuentas
    ]
    await gestion.paquetes.agregar(paquete, eventos=restablecidas)
    anteriores = sorted({f.paquete for f in fichas if f.paquete and f.paquete != paquete.folio})
    for folio in anteriores:
        await _reemplazar(gestion, folio, por=paquete.folio)
    await _apuntar(gestion, paquete)
    gestion.avisar()
    return PaqueteGenerado(paquete=paquete, claves=claves)


async def _reemplazar(gestion: Gestion, folio: str, *, por: str) -> None:
    for _ in range(REINTENTOS):
        anterior = await gestion.paquetes.por_folio(folio)
        if anterior is None or not anterior.reemplazar(por=por):
            return
        if await gestion.paquetes.guardar(anterior):
            return


async def _apuntar(gestion: Gestion, paquete: Paquete) -> None:
    """Each record points to its latest package (idempotent, so it can be repeated)."""
    for usuario in sorted(paquete.usuarios):
        for _ in range(REINTENTOS):
            ficha = await gestion.fichas.por_usuario(usuario)
            if ficha is None or ficha.paquete == paquete.folio:
                break
            if ficha.paquete:
                # A newer package already took this account: leave it there.
                actual = await gestion.paquetes.por_folio(ficha.paquete)
                if actual is not None and actual.generado > paquete.generado:
                    break
            ficha.paquete = paquete.folio
            if await gestion.fichas.guardar(ficha):
                break


async def registrar_entrega(
    *,
    gestion: Gestion,
    folio: str,
    recibio: str,
    momento: datetime,
    actor: Actor,
    ahora: datetime,
) -> Paquete:
    """Record who received a package and when: credenciales_entregadas for each account."""
    for _ in range(REINTENTOS):
        paquete = await gestion.paquetes.por_folio(folio)
        if paquete is None:
            raise PaqueteDesconocido(folio)
        paquete.registrar_entrega(
            recibio=recibio, entrego=actor.usuario, momento=momento, ahora=ahora
        )
        if await gestion.paquetes.guardar(paquete, eventos=_entregadas(paquete, actor)):
            break
    else:
        raise Conflicto(f"El paquete {folio} está cambiando en este momento; intente de nuevo.")
    await _apuntar(gestion, paquete)
    if paquete.motivo is MotivoClave.EXTRAVIO:
        # The holder has the new password now: the account may sign in again.
        for cuenta in paquete.cuentas:
            ficha = await gestion.fichas.por_usuario(cuenta.usuario)
            if ficha is not None and not ficha.habilitada:
                await habilitar_cuenta(gestion=gestion, usuario=cuenta.usuario, actor=actor)
    gestion.avisar()
    return paquete


def _entregadas(paquete: Paquete, actor: Actor) -> list[Evento]:
    assert paquete.entregado is not None
    return [
        evento(
            eventos.CredencialesEntregadas(
                cuenta_id=c.cuenta_id,
                nombre_usuario=c.usuario,
                rol=c.rol,
                partido=c.partido,
                candidatura_id=c.candidatura,
                entregadas_en=paquete.entregado,
            ),
            subject=c.cuenta_id,
            actor=actor,
            accion="entregar_credenciales",
        )
        for c in paquete.cuentas
    ]


async def resumen_entregas(*, gestion: Gestion) -> list[ResumenEntrega]:
    """Every party and independent with its active and pending accounts and latest package."""
    sin_entregar = await gestion.paquetes.folios_sin_entregar()
    resumen = []
    for participante in await gestion.participantes.todos():
        activas, pendientes = await gestion.fichas.contar_de_participante(
            participante.clave, folios_sin_entregar=sin_entregar
        )
        recientes = await gestion.paquetes.recientes(participante=participante.clave, limite=1)
        resumen.append(
            ResumenEntrega(
                participante=participante,
                activas=activas,
                pendientes=pendientes,
                ultimo=recientes[0] if recientes else None,
            )
        )
    return resumen
