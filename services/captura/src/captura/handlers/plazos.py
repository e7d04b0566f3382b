"""Use cases of capture deadlines: open at credential delivery, extend with a reason."""

from datetime import UTC, datetime

from captura.adapters import CandidaturaRepository
from captura.domain import Candidatura, Eleccion, ErrorDominio
from captura.domain.plazo import fin_del_dia
from captura.handlers.cuestionarios import editar
from comun.auth.usuario import Usuario
from comun.eventos import SISTEMA


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


async def prorrogar_plazos_de_partido(
    *,
    repo: CandidaturaRepository,
    eleccion: Eleccion,
    usuario: Usuario,
    partido: str,
    hasta: datetime,
    motivo: str,
) -> int:
    """Extend the window of every open candidacy a party captures; returns how many."""
    _, candidaturas = await repo.buscar(
        {
            "registro.eleccion": eleccion.id,
            "registro.partido": partido,
            "estado": {"$in": ["registrada", "en_captura"]},
            "cuestionarios.plazo": {"$ne": None},
        }
    )
    abiertas = [c for c in candidaturas if c.cuestionarios.plazo is not None]
    vence = fin_del_dia(hasta, zona=eleccion.zona_horaria)
    # Checked for all first, so a party's extension applies to every candidacy or to none.
    posteriores = [
        c.id for c in abiertas if c.cuestionarios.plazo and c.cuestionarios.plazo.vence >= vence
    ]
    if posteriores:
        raise ErrorDominio(
            f"{len(posteriores)} candidaturas del partido ya tienen un plazo igual o posterior "
            f"(por ejemplo «{posteriores[0]}»); elija una fecha posterior a todos los plazos "
            "vigentes o prorrogue esas candidaturas una por una."
        )
    prorrogadas = 0
    for candidatura in abiertas:
        await prorrogar_plazo(
            repo=repo,
            eleccion=eleccion,
            usuario=usuario,
            candidatura_id=candidatura.id,
            hasta=hasta,
            motivo=motivo,
        )
        prorrogadas += 1
    return prorrogadas


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
        filtro = {
            "registro.eleccion": eleccion.id,
            "registro.partido": partido,
            "estado": {"$in": ["registrada", "en_captura"]},
        }
        _, candidaturas = await repo.buscar(filtro)
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
