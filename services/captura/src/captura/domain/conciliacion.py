"""Reconcile a registry file with the candidacies already registered (PTO 14 and 21)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from captura.domain.candidatura import Candidatura, EstadoCandidatura, Registro
from captura.domain.celdas import Rechazo
from captura.domain.formato_registro import Estatus, FilaRegistro
from comun.eventos.vocabulario import TipoCandidatura


@dataclass(frozen=True, slots=True)
class Alta:
    """A new candidacy; `sustituye_a` names the one it replaces."""

    fila: int
    folio: str
    registro: Registro
    sustituye_a: str | None = None


@dataclass(frozen=True, slots=True)
class Cambio:
    """Corrected data of a registered candidacy."""

    fila: int
    folio: str
    registro: Registro
    campos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Baja:
    """A candidacy the file cancels."""

    fila: int
    folio: str


@dataclass
class Plan:
    """What applying a file would do; the reconciliation report is built from it."""

    nuevas: list[Alta] = field(default_factory=list)
    modificadas: list[Cambio] = field(default_factory=list)
    canceladas: list[Baja] = field(default_factory=list)
    rechazadas: list[Rechazo] = field(default_factory=list)
    sin_cambios: int = 0

    @property
    def sustituciones(self) -> list[Alta]:
        """New candidacies that replace another."""
        return [a for a in self.nuevas if a.sustituye_a]

    def resumen(self) -> dict[str, int]:
        """Counts for the summary line."""
        return {
            "nuevas": len(self.nuevas),
            "modificadas": len(self.modificadas),
            "sustituidas": len(self.sustituciones),
            "canceladas": len(self.canceladas),
            "rechazadas": len({r.fila for r in self.rechazadas}),
        }


@dataclass(frozen=True, slots=True)
class _Vigente:
    """A candidacy as it would stand after the file: for the cross-row checks."""

    folio: str
    registro: Registro
    fila: int | None


def conciliar(filas: Iterable[FilaRegistro], existentes: Mapping[str, Candidatura]) -> Plan:
    """Compare checked rows with the registry and decide, row by row, what changes."""
    plan = Plan()
    lista = _sin_folios_repetidos(list(filas), plan)
    sustitutas = {
        f.sustituye_a: f for f in lista if f.sustituye_a and f.estatus is Estatus.REGISTRADA
    }
    for fila in lista:
        _clasificar(fila, existentes, sustitutas, plan)
    _revisar_conjunto(plan, existentes)
    return plan


def _sin_folios_repetidos(filas: list[FilaRegistro], plan: Plan) -> list[FilaRegistro]:
    """Keep the first row of each folio; later ones are rejected."""
    vistas: dict[str, int] = {}
    unicas = []
    for fila in filas:
        if fila.folio in vistas:
            plan.rechazadas.append(
                Rechazo(
                    fila.fila,
                    "FOLIO",
                    f"El folio ya aparece en la fila {vistas[fila.folio]}.",
                    fila.folio,
                )
            )
            continue
        vistas[fila.folio] = fila.fila
        unicas.append(fila)
    return unicas


def _clasificar(
    fila: FilaRegistro,
    existentes: Mapping[str, Candidatura],
    sustitutas: Mapping[str, FilaRegistro],
    plan: Plan,
) -> None:
    """One row → nueva, modificada, cancelada, sin cambios or rechazada."""
    actual = existentes.get(fila.folio)
    if fila.estatus is Estatus.CANCELADA:
        _cancelar(fila, actual, plan)
    elif fila.estatus is Estatus.SUSTITUIDA:
        _sustituida(fila, actual, sustitutas, plan)
    elif actual is None:
        _alta(fila, existentes, sustitutas, plan)
    elif not actual.vigente:
        _rechazar(
            plan,
            fila,
            "ESTATUS",
            f"La candidatura está {actual.estado.value} en el registro; "
            "no puede volver a registrarse.",
        )
    else:
        campos = tuple(actual.registro.diferencias(fila.registro))
        if campos:
            plan.modificadas.append(Cambio(fila.fila, fila.folio, fila.registro, campos))
        else:
            plan.sin_cambios += 1


def _cancelar(fila: FilaRegistro, actual: Candidatura | None, plan: Plan) -> None:
    """A cancellation applies to a registered candidacy once."""
    if actual is None:
        _rechazar(
            plan, fila, "FOLIO", "No hay una candidatura registrada con este folio para cancelar."
        )
    elif actual.estado is EstadoCandidatura.CANCELADA:
        plan.sin_cambios += 1
    elif not actual.vigente:
        _rechazar(
            plan,
            fila,
            "ESTATUS",
            f"La candidatura ya está {actual.estado.value}; no puede cancelarse.",
        )
    else:
        plan.canceladas.append(Baja(fila.fila, fila.folio))


def _sustituida(
    fila: FilaRegistro,
    actual: Candidatura | None,
    sustitutas: Mapping[str, FilaRegistro],
    plan: Plan,
) -> None:
    """A row marked sustituida is applied by the row of its substitute."""
    if actual is None:
        _rechazar(plan, fila, "FOLIO", "No hay una candidatura registrada con este folio.")
    elif actual.estado is EstadoCandidatura.SUSTITUIDA or fila.folio in sustitutas:
        plan.sin_cambios += 1
    else:
        _rechazar(
            plan,
            fila,
            "ESTATUS",
            "Ninguna fila la sustituye: indique este folio en la columna SUSTITUYE_A "
            "de la candidatura sustituta.",
        )


def _alta(
    fila: FilaRegistro,
    existentes: Mapping[str, Candidatura],
    sustitutas: Mapping[str, FilaRegistro],
    plan: Plan,
) -> None:
    """A new candidacy, replacing another one when SUSTITUYE_A says so."""
    objetivo = fila.sustituye_a
    if objetivo is not None:
        anterior = existentes.get(objetivo)
        if anterior is None:
            _rechazar(
                plan,
                fila,
                "SUSTITUYE_A",
                f"No hay una candidatura registrada con el folio «{objetivo}».",
            )
            return
        if not anterior.vigente:
            _rechazar(
                plan,
                fila,
                "SUSTITUYE_A",
                f"La candidatura «{objetivo}» ya está {anterior.estado.value}.",
            )
            return
        if anterior.registro.formula != fila.registro.formula or (
            anterior.registro.tipo_candidatura is not fila.registro.tipo_candidatura
        ):
            _rechazar(
                plan,
                fila,
                "SUSTITUYE_A",
                f"La sustituta debe ocupar el mismo lugar que «{objetivo}» "
                "(postulante, cargo, territorio, posición y tipo).",
            )
            return
    plan.nuevas.append(Alta(fila.fila, fila.folio, fila.registro, objetivo))


def _rechazar(plan: Plan, fila: FilaRegistro, columna: str, motivo: str) -> None:
    """Record a rejected row."""
    plan.rechazadas.append(Rechazo(fila.fila, columna, motivo, fila.folio))


def _revisar_conjunto(plan: Plan, existentes: Mapping[str, Candidatura]) -> None:
    """Cross-row rules on the registry as it would stand; repeat until nothing else falls."""
    while True:
        rechazos = _reglas_de_conjunto(_vigentes(plan, existentes))
        if not rechazos:
            return
        filas = {r.fila for r in rechazos}
        plan.rechazadas.extend(rechazos)
        plan.nuevas = [a for a in plan.nuevas if a.fila not in filas]
        plan.modificadas = [c for c in plan.modificadas if c.fila not in filas]


def _vigentes(plan: Plan, existentes: Mapping[str, Candidatura]) -> list[_Vigente]:
    """Active candidacies after applying the plan; file rows carry their row number."""
    salen = {b.folio for b in plan.canceladas} | {a.sustituye_a for a in plan.sustituciones}
    cambian = {c.folio: c for c in plan.modificadas}
    vigentes = [
        _Vigente(folio, cambian[folio].registro, cambian[folio].fila)
        if folio in cambian
        else _Vigente(folio, c.registro, None)
        for folio, c in existentes.items()
        if c.vigente and folio not in salen
    ]
    return vigentes + [_Vigente(a.folio, a.registro, a.fila) for a in plan.nuevas]


def _reglas_de_conjunto(vigentes: list[_Vigente]) -> list[Rechazo]:
    """Same person twice in one contest; a propietaria without suplente."""
    # Two holders of one place are left to the registration system, which owns the places.
    por_contienda: dict[tuple[object, ...], list[_Vigente]] = defaultdict(list)
    por_lugar: dict[tuple[object, ...], list[_Vigente]] = defaultdict(list)
    for v in vigentes:
        if v.registro.curp:
            por_contienda[(*_contienda(v.registro), v.registro.curp)].append(v)
        por_lugar[(*v.registro.formula, v.registro.tipo_candidatura)].append(v)
    rechazos = [
        *_repetidas(
            por_contienda.values(),
            "CURP",
            "La misma persona (CURP) ya está registrada en esta contienda con el folio «{}».",
        ),
    ]
    return rechazos + _sin_pareja(por_lugar)


def _sin_pareja(por_lugar: Mapping[tuple[object, ...], list[_Vigente]]) -> list[Rechazo]:
    """Rows whose place lacks the other half of the fórmula (propietaria or suplente)."""
    motivos = {
        TipoCandidatura.PROPIETARIA: "La propietaria no tiene suplente: registre la suplente "
        "en la misma posición.",
        TipoCandidatura.SUPLENTE: "La suplente no tiene propietaria: registre la propietaria "
        "en la misma posición.",
    }
    otra = {
        TipoCandidatura.PROPIETARIA: TipoCandidatura.SUPLENTE,
        TipoCandidatura.SUPLENTE: TipoCandidatura.PROPIETARIA,
    }
    return [
        Rechazo(v.fila, "TIPO", motivos[clave[-1]], v.folio)  # type: ignore[index]
        for clave, grupo in por_lugar.items()
        if (*clave[:-1], otra[clave[-1]]) not in por_lugar  # type: ignore[index]
        for v in grupo
        if v.fila is not None
    ]


def _contienda(r: Registro) -> tuple[object, ...]:
    """Contest key: a deputation by district and principle, or a municipality's council."""
    if r.distrito is not None or r.municipio is None:
        return (r.cargo, r.principio, r.distrito)
    return ("ayuntamiento", r.municipio)


def _repetidas(grupos: Iterable[list[_Vigente]], columna: str, plantilla: str) -> list[Rechazo]:
    """In each group, rows of the file after the first holder are rejected."""
    rechazos = []
    for grupo in grupos:
        if len(grupo) < 2:
            continue
        ordenado = sorted(grupo, key=lambda v: (v.fila is not None, v.fila or 0))
        primero = ordenado[0]
        rechazos += [
            Rechazo(v.fila, columna, plantilla.format(primero.folio), v.folio)
            for v in ordenado[1:]
            if v.fila is not None
        ]
    return rechazos
