"""Mentions of other parties, coalitions and candidacies, from the election's catalog."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from comun.eventos.vocabulario import MotivoContenido
from validacion.domain.revisiones.hallazgos import Hallazgo, Regla
from validacion.domain.revisiones.texto import Frases, Palabras, clave

# Acronyms this short are ordinary words in lower case («pan», «pt»): only upper case counts.
SIGLAS_SOLO_MAYUSCULAS = 3


class TipoMencionable(StrEnum):
    """What a catalog entry names."""

    PARTIDO = "partido"
    COALICION = "coalicion"
    INDEPENDIENTE = "independiente"
    CANDIDATURA = "candidatura"


ETIQUETAS = {
    TipoMencionable.PARTIDO: "otro partido",
    TipoMencionable.COALICION: "otra coalición o candidatura común",
    TipoMencionable.INDEPENDIENTE: "otra candidatura independiente",
    TipoMencionable.CANDIDATURA: "otra candidatura",
}


@dataclass(frozen=True, slots=True)
class Mencionable:
    """A party, coalition, independent slate or candidate that other candidacies must not name."""

    tipo: TipoMencionable
    clave: str
    nombre: str
    siglas: tuple[str, ...] = ()
    partidos: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Propia:
    """Who is writing: their own parties, postulante keys and candidacy are not «another»."""

    partidos: frozenset[str] = frozenset()
    claves: frozenset[str] = frozenset()
    candidatura_id: str | None = None

    def incluye(self, m: Mencionable) -> bool:
        """Whether the entry is the writer's own party, coalition or candidacy."""
        if m.clave in self.claves or (self.candidatura_id and m.clave == self.candidatura_id):
            return True
        if m.tipo in (TipoMencionable.PARTIDO, TipoMencionable.COALICION):
            return bool(m.partidos & self.partidos) or m.clave in self.partidos
        return False


@dataclass(frozen=True, slots=True)
class _Forma:
    """One way of writing a catalog entry and how strictly its letter case must match."""

    mencionable: Mencionable
    siglas: bool


@dataclass(frozen=True)
class Catalogo:
    """The election's parties, coalitions, independents and candidates, compiled once."""

    entradas: tuple[Mencionable, ...] = field(default=())

    @classmethod
    def de(cls, entradas: Iterable[Mencionable]) -> "Catalogo":
        """A catalog from any iterable of entries."""
        return cls(tuple(entradas))

    @cached_property
    def _frases(self) -> Frases[list[_Forma]]:
        """Every name and acronym as a whole-word phrase; one phrase may name several entries."""
        por_clave: dict[tuple[str, ...], list[_Forma]] = {}
        for m in self.entradas:
            for nombre in {m.nombre, *m.siglas}:
                llave = clave(nombre)
                # One-word names other than acronyms («Morena») are matched like acronyms.
                es_sigla = nombre in m.siglas or len(llave) == 1
                if llave:
                    por_clave.setdefault(llave, []).append(_Forma(m, es_sigla))
        return Frases(por_clave.items())

    def buscar(
        self, *, texto: str, tokens: Palabras, campo: str, propia: Propia
    ) -> Iterator[Hallazgo]:
        """Mentions of entries other than the writer's own."""
        for i, j, formas in self._frases.buscar(tokens.textos):
            inicio, fin = tokens.limites(i, j)
            escrito = texto[inicio:fin]
            otras = [
                f.mencionable
                for f in formas
                if not propia.incluye(f.mencionable) and _caso_valido(escrito, siglas=f.siglas)
            ]
            if otras:
                yield _hallazgo(otras[0], campo, inicio, fin)


def _caso_valido(escrito: str, *, siglas: bool) -> bool:
    """Names must start in upper case; short acronyms must be all upper case («PAN», not «pan»)."""
    if not escrito[:1].isupper():
        return False
    if siglas and len(escrito) <= SIGLAS_SOLO_MAYUSCULAS:
        return escrito.isupper()
    return True


def _hallazgo(m: Mencionable, campo: str, inicio: int, fin: int) -> Hallazgo:
    """A mention as a finding with code 5."""
    return Hallazgo(
        regla=Regla.ALUSION,
        codigo=MotivoContenido.ALUSION_OTRO_PARTIDO,
        campo=campo,
        inicio=inicio,
        fin=fin,
        explicacion=(
            f"El texto menciona a «{m.nombre}», {ETIQUETAS[m.tipo]}. Los Lineamientos no "
            "permiten alusiones a otros partidos o candidaturas en la información publicada."
        ),
        sugerencia="Retire la mención y hable de su propia trayectoria y propuestas.",
    )
