"""The election catalog: territory, offices, parties and who postulates where (DOMINIO §9)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from captura.domain.plazo import AlVencer
from comun.eventos.vocabulario import Cargo, Postulante, Principio


class Contienda(StrEnum):
    """A contest a postulación runs in: a district's deputation or a municipality's council."""

    DIPUTACION_LOCAL = "diputacion_local"
    AYUNTAMIENTO = "ayuntamiento"


@dataclass(frozen=True, slots=True)
class Fechas:
    """Key dates of the process, in the election's time zone."""

    registro: date
    inicio_captura: date
    limite_captura: date
    inicio_publicacion: date
    jornada: date
    fin_publicacion: date


ETIQUETAS_FECHAS = {
    "registro": "registro de candidaturas",
    "inicio_captura": "inicio de la captura",
    "limite_captura": "límite de captura",
    "inicio_publicacion": "inicio de la publicación",
    "jornada": "jornada electoral",
    "fin_publicacion": "fin de la publicación",
}


@dataclass(frozen=True, slots=True)
class Plazos:
    """Capture windows in natural days (PTO 14 and 21)."""

    captura_dias: int = 15
    sustitucion_dias: int = 5
    al_vencer: AlVencer = AlVencer.BLOQUEAR

    @classmethod
    def desde_dict(cls, datos: Mapping[str, Any]) -> "Plazos":
        """From eleccion.json's `plazos`; unknown behaviours after the deadline are refused."""
        valores = dict(datos)
        if "al_vencer" in valores:
            opciones = ", ".join(a.value for a in AlVencer)
            if valores["al_vencer"] not in {a.value for a in AlVencer}:
                raise ValueError(
                    f"eleccion.json: plazos.al_vencer debe ser uno de {opciones}; "
                    f"recibimos «{valores['al_vencer']}»."
                )
            valores["al_vencer"] = AlVencer(valores["al_vencer"])
        return cls(**valores)


@dataclass(frozen=True, slots=True)
class CategoriaMunicipio:
    """Size category of a municipality and the council it elects."""

    clave: str
    descripcion: str
    sindicaturas: int
    regidurias_mr: int
    regidurias_rp: int


@dataclass(frozen=True, slots=True)
class Distrito:
    """A local electoral district."""

    numero: int
    cabecera: str


@dataclass(frozen=True, slots=True)
class Municipio:
    """A municipality: INEGI key, name, size category and the districts it lies in."""

    clave: str
    nombre: str
    categoria: str
    distritos: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Partido:
    """A political party with registration for this election."""

    siglas: str
    nombre: str
    color: str


@dataclass(frozen=True, slots=True)
class Postulacion:
    """A coalition or candidatura común and, per contest, the party that postulates (PTO 20)."""

    clave: str
    nombre: str
    tipo: Postulante
    partidos: tuple[str, ...]
    siglado: Mapping[tuple[Contienda, str], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Independiente:
    """An independent candidacy or slate and the contest it runs in."""

    clave: str
    nombre: str
    contienda: Contienda
    territorio: str


def contienda_de(cargo: Cargo) -> Contienda:
    """The contest an office belongs to."""
    if cargo is Cargo.DIPUTACION_LOCAL:
        return Contienda.DIPUTACION_LOCAL
    return Contienda.AYUNTAMIENTO


@dataclass(frozen=True, slots=True)
class Eleccion:
    """An election as data: nothing in the code is specific to one entity."""

    id: str
    nombre: str
    entidad: str
    clave_entidad: str
    zona_horaria: str
    fechas: Fechas
    plazos: Plazos
    diputaciones_rp: int
    categorias: Mapping[str, CategoriaMunicipio]
    distritos: Mapping[int, Distrito]
    municipios: Mapping[str, Municipio]
    partidos: Mapping[str, Partido]
    postulaciones: Mapping[str, Postulacion]
    independientes: Mapping[str, Independiente]
    totales: Mapping[str, int]
    # Per-election limits and catalogs of the cuestionario curricular (DOMINIO §3 defaults).
    cuestionario: Mapping[str, Any] = field(default_factory=dict)

    def categoria_de(self, municipio: str) -> CategoriaMunicipio:
        """Size category of a municipality of the catalog."""
        return self.categorias[self.municipios[municipio].categoria]

    def posiciones(self, cargo: Cargo, principio: Principio, municipio: str | None) -> int:
        """How many positions a fórmula, planilla or list has for an office."""
        if cargo is Cargo.DIPUTACION_LOCAL:
            return 1 if principio is Principio.MR else self.diputaciones_rp
        if cargo is Cargo.PRESIDENCIA_MUNICIPAL or municipio is None:
            return 1
        categoria = self.categoria_de(municipio)
        if cargo is Cargo.SINDICATURA:
            return categoria.sindicaturas
        return categoria.regidurias_mr if principio is Principio.MR else categoria.regidurias_rp

    def calculados(self) -> dict[str, int]:
        """The totals that follow from the catalog, to compare with the declared ones."""
        categorias = [self.categoria_de(clave) for clave in self.municipios]
        return {
            "distritos": len(self.distritos),
            "municipios": len(self.municipios),
            "diputaciones_mr": len(self.distritos),
            "diputaciones_rp": self.diputaciones_rp,
            "presidencias": len(self.municipios),
            "sindicaturas": sum(c.sindicaturas for c in categorias),
            "regidurias": sum(c.regidurias_mr + c.regidurias_rp for c in categorias),
        }

    def postulacion_en(self, clave: str, contienda: Contienda, territorio: str) -> str | None:
        """Party that postulates for a coalition or común in a contest; None if it does not run."""
        postulacion = self.postulaciones.get(clave)
        return None if postulacion is None else postulacion.siglado.get((contienda, territorio))
