"""Use cases of capture deadlines: open at credential delivery, extend with a reason."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from captura.adapters import CandidaturaRepository
from captura.domain import Candidatura, CapturaCerrada, Eleccion, ErrorDominio
from captura.domain.candidatura import EDITABLES
from captura.domain.plazo import fin_del_dia
from captura.handlers.cuestionarios import editar
from comun.auth.usuario import Usuario
from comun.eventos import SISTEMA
from comun.store import Filter


async def iniciar_plazo(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    candidatura_id: str,
    entregadas_en: datetime,
) -> bool:
    """Open the window at the first delivery of the candidacy's credentials (PTO 14, 21)."""
    abierto = False

    def cambio(c: Candidatura) -> bool:
        nonlocal abierto
        plazos = eleccion.plazos
        dias = plazos.sustitucion_dias if c.sustituye_a else plazos.captura_dias
        abierto = c.iniciar_plazo(
            entregadas_en=entregadas_en, dias=dias, zona=eleccion.zona_horaria
        )
        return abierto

    if await repo.obtener(candidatura_id) is None:
        return False
    await editar(
        repo=repo,
        eleccion=eleccion,
        usuario=None,
        candidatura_id=candidatura_id,
        cambio=cambio,
        actor=SISTEMA,
    )
    return abierto


async def prorrogar_plazo(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    usuario: Usuario,
    candidatura_id: str,
    hasta: datetime,
    motivo: str,
) -> Candidatura:
    """Extend one candidacy's window to the end of the day `hasta` (local time)."""
    vence = fin_del_dia(hasta, zona=eleccion.zona_horaria)

    def cambio(c: Candidatura) -> bool:
        c.prorrogar_plazo(
            vence=vence, motivo=motivo, por=usuario.nombre_usuario, ahora=datetime.now(UTC)
        )
        return True

    return await editar(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura_id, cambio=cambio
    )


def dia_de(dia: date) -> datetime:
    """A calendar day as an instant inside it in every Mexican time zone (18:00 UTC)."""
    return datetime.combine(dia, time(18, 0), tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ProrrogaDePartido:
    """What a party-wide extension did."""

    prorrogadas: int
    omitidas: int = 0


def _abiertas(eleccion: Eleccion, **filtro: object) -> Filter:
    """Candidacies of the election still open to capture, narrowed by `filtro`."""
    return {
        "registro.eleccion": eleccion.id,
        "estado": {"$in": [e.value for e in EDITABLES]},
        **filtro,
    }


async def prorrogar_plazos_de_partido(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    usuario: Usuario,
    partido: str,
    hasta: datetime,
    motivo: str,
) -> ProrrogaDePartido:
    """Extend every open window of a party; those sent meanwhile are skipped and counted."""
    _, candidaturas = await repo.buscar(_abiertas(eleccion, **{"registro.partido": partido}))
    abiertas = [c for c in candidaturas if c.cuestionarios.plazo is not None]
    vence = fin_del_dia(hasta, zona=eleccion.zona_horaria)
    # Checked for all first, so a date that fits some candidacies only changes none.
    posteriores = [
        c.id for c in abiertas if c.cuestionarios.plazo and c.cuestionarios.plazo.vence >= vence
    ]
    if posteriores:
        raise ErrorDominio(
            f"{len(posteriores)} candidaturas del partido ya tienen un plazo igual o posterior "
            f"(por ejemplo «{posteriores[0]}»); elija una fecha posterior a todos los plazos "
            "vigentes o prorrogue esas candidaturas una por una."
        )
    prorrogadas = omitidas = 0
    for candidatura in abiertas:
        try:
            await prorrogar_plazo(
                repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=candidatura.id,
                hasta=hasta, motivo=motivo,
            )  # fmt: skip
        except CapturaCerrada:
            # Sent to validation while this ran: it no longer needs more time.
            omitidas += 1
        else:
            prorrogadas += 1
    return ProrrogaDePartido(prorrogadas, omitidas)


async def credenciales_entregadas(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    candidatura_id: str | None,
    partido: str | None,
    entregadas_en: datetime,
) -> int:
    """Open the windows a delivery starts: its candidacy's, or every open one of its party."""
    if candidatura_id is not None:
        ids = [candidatura_id]
    elif partido is not None:
        await repo.registrar_entrega(partido, entregadas_en)
        _, candidaturas = await repo.buscar(_abiertas(eleccion, **{"registro.partido": partido}))
        ids = [c.id for c in candidaturas if c.cuestionarios.plazo is None]
    else:
        return 0
    abiertos = 0
    for id in ids:
        abierto = await iniciar_plazo(
            repo=repo, eleccion=eleccion, candidatura_id=id, entregadas_en=entregadas_en
        )
        abiertos += abierto
    return abiertos
