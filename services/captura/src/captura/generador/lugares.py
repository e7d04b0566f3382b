"""The places of an election a generator fills: fórmulas, lists and council seats."""

import itertools
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter

from captura.domain.catalogo import Contienda, Eleccion
from comun.eventos.vocabulario import Cargo, Postulante, Principio

# Offices in the order the round-robin visits them.
FLUJOS = (
    (Cargo.DIPUTACION_LOCAL, Principio.MR),
    (Cargo.DIPUTACION_LOCAL, Principio.RP),
    (Cargo.PRESIDENCIA_MUNICIPAL, Principio.MR),
    (Cargo.SINDICATURA, Principio.MR),
    (Cargo.REGIDURIA, Principio.MR),
    (Cargo.REGIDURIA, Principio.RP),
)


@dataclass(frozen=True, slots=True)
class Lugar:
    """One place of a fórmula, list or planilla; a propietaria and her suplente fill it."""

    folio: str
    cargo: Cargo
    principio: Principio
    distrito: int | None
    municipio: str | None
    posicion: int
    postulante: Postulante
    clave: str
    partido: str | None
    planilla: str
    turno: int

    @property
    def territorio(self) -> str:
        """District number or municipality key; empty for the state-wide lists."""
        return str(self.distrito or self.municipio or "")


def todos_los_lugares(e: Eleccion) -> list[Lugar]:
    """Every place of every contest, in catalog order."""
    return [*_diputaciones_mr(e), *_diputaciones_rp(e), *_ayuntamientos(e)]


def _postulantes(
    e: Eleccion, contienda: Contienda, territorio: str
) -> list[tuple[Postulante, str, str | None]]:
    """Who runs in a contest: postulaciones of its siglado, parties alone, independents."""
    postulaciones = [p for p in e.postulaciones.values() if (contienda, territorio) in p.siglado]
    unidos = {s for p in postulaciones for s in p.partidos}
    return [
        *((p.tipo, p.clave, p.siglado[(contienda, territorio)]) for p in postulaciones),
        *((Postulante.PARTIDO, s, s) for s in e.partidos if s not in unidos),
        *(
            (Postulante.INDEPENDIENTE, i.clave, None)
            for i in e.independientes.values()
            if (i.contienda, i.territorio) == (contienda, territorio)
        ),
    ]


def _diputaciones_mr(e: Eleccion) -> Iterator[Lugar]:
    """One fórmula per postulante and district; parity alternates along each one's districts."""
    turnos: dict[str, int] = defaultdict(int)
    for numero in sorted(e.distritos):
        for postulante, clave, partido in _postulantes(e, Contienda.DIPUTACION_LOCAL, str(numero)):
            yield Lugar(
                folio=f"DL-MR-{numero:02d}-{_para_folio(clave)}",
                cargo=Cargo.DIPUTACION_LOCAL,
                principio=Principio.MR,
                distrito=numero,
                municipio=None,
                posicion=1,
                postulante=postulante,
                clave=clave,
                partido=partido,
                planilla=f"DL-MR-{clave}",
                turno=turnos[clave],
            )
            turnos[clave] += 1


def _diputaciones_rp(e: Eleccion) -> Iterator[Lugar]:
    """One list per party with the election's number of RP positions."""
    for siglas in e.partidos:
        for posicion in range(1, e.diputaciones_rp + 1):
            yield Lugar(
                folio=f"DL-RP-{_para_folio(siglas)}-{posicion:02d}",
                cargo=Cargo.DIPUTACION_LOCAL,
                principio=Principio.RP,
                distrito=None,
                municipio=None,
                posicion=posicion,
                postulante=Postulante.PARTIDO,
                clave=siglas,
                partido=siglas,
                planilla=f"DL-RP-{siglas}",
                turno=posicion - 1,
            )


def _ayuntamientos(e: Eleccion) -> Iterator[Lugar]:
    """Each postulante's planilla and RP list in each municipality."""
    for municipio in sorted(e.municipios):
        for quien in _postulantes(e, Contienda.AYUNTAMIENTO, municipio):
            yield from _planilla(e, municipio, quien)


def _planilla(
    e: Eleccion, municipio: str, quien: tuple[Postulante, str, str | None]
) -> Iterator[Lugar]:
    """Presidencia, sindicaturas and regidurías MR (one alternation), then the RP list."""
    categoria = e.categoria_de(municipio)
    postulante, clave, partido = quien
    cargos = (
        (Cargo.PRESIDENCIA_MUNICIPAL, Principio.MR, "PM", 1),
        (Cargo.SINDICATURA, Principio.MR, "SI", categoria.sindicaturas),
        (Cargo.REGIDURIA, Principio.MR, "RM", categoria.regidurias_mr),
        (Cargo.REGIDURIA, Principio.RP, "RP", categoria.regidurias_rp),
    )
    turnos: dict[Principio, int] = defaultdict(int)
    for cargo, principio, siglas, total in cargos:
        for posicion in range(1, total + 1):
            yield Lugar(
                folio=_folio_ayuntamiento(municipio, siglas, posicion, clave),
                cargo=cargo,
                principio=principio,
                distrito=None,
                municipio=municipio,
                posicion=posicion,
                postulante=postulante,
                clave=clave,
                partido=partido,
                planilla=f"AY-{municipio}-{clave}-{principio.value}",
                turno=turnos[principio],
            )
            turnos[principio] += 1


def _folio_ayuntamiento(municipio: str, cargo: str, posicion: int, clave: str) -> str:
    """AY-15106-PM-PAN, AY-15106-SI1-PAN, AY-15106-RM03-PAN, AY-15106-RP02-PAN."""
    lugar = {"PM": "PM", "SI": f"SI{posicion}"}.get(cargo, f"{cargo}{posicion:02d}")
    return f"AY-{municipio}-{lugar}-{_para_folio(clave)}"


def _para_folio(clave: str) -> str:
    """A postulante key with only the characters a folio may hold."""
    return "".join(c if c.isalnum() or c in "-_./" else "_" for c in clave)


# --- Choosing N places ---------------------------------------------------------------------------


def elegir(lugares: list[Lugar], cuantos: int, semilla: int) -> list[Lugar]:
    """The first `cuantos` places of the spread-out order, back in catalog order."""
    rng = random.Random(semilla)
    flujos = [
        _repartir([lugar for lugar in lugares if (lugar.cargo, lugar.principio) == flujo], rng)
        for flujo in FLUJOS
    ]
    elegidos = {lugar.folio for lugar in itertools.islice(_alternar(flujos), cuantos)}
    return [lugar for lugar in lugares if lugar.folio in elegidos]


def _alternar(flujos: Sequence[Sequence[Lugar]]) -> Iterator[Lugar]:
    """One place of each office in turn until all run out."""
    for ronda in itertools.zip_longest(*flujos):
        yield from (lugar for lugar in ronda if lugar is not None)


def _repartir(lugares: list[Lugar], rng: random.Random) -> list[Lugar]:
    """Order one office's places: by position, then one per postulante per round."""
    if not lugares:
        return []
    territorios = sorted({lugar.territorio for lugar in lugares})
    claves = sorted({lugar.clave for lugar in lugares})
    rng.shuffle(territorios)
    rng.shuffle(claves)
    donde = {t: i for i, t in enumerate(territorios)}
    # Each postulante starts its tour of the territories at a different point.
    inicio = {c: j * len(territorios) // len(claves) for j, c in enumerate(claves)}
    turno = {c: j for j, c in enumerate(claves)}
    grupos: dict[tuple[int, str], list[Lugar]] = defaultdict(list)
    for lugar in lugares:
        grupos[(lugar.posicion, lugar.clave)].append(lugar)
    ordenados: list[tuple[tuple[int, int, int], Lugar]] = []
    for (posicion, clave), grupo in grupos.items():
        grupo.sort(key=lambda lugar: (donde[lugar.territorio] - inicio[clave]) % len(territorios))
        ordenados += [((posicion, ronda, turno[clave]), lugar) for ronda, lugar in enumerate(grupo)]
    ordenados.sort(key=itemgetter(0))
    return [lugar for _, lugar in ordenados]


# --- The people ----------------------------------------------------------------------------------
