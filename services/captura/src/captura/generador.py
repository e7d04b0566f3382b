"""Deterministic synthetic candidacies in the registry import layout, for demos and load tests.

Every place of every contest of the catalog (a fórmula of a district, a list position or a
council seat of each postulante) is filled by an invented propietaria and her suplente. The
people are plausible, never real: Mexican names, CURPs that agree with name, birth date and sex,
gender parity along each planilla, and some fórmulas under an acción afirmativa.
"""

import dataclasses
import itertools
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from operator import itemgetter
from pathlib import Path

from captura.domain.catalogo import Contienda, Eleccion
from captura.domain.curp import armar_curp
from captura.domain.formato_registro import NOMBRES_COLUMNAS
from comun import tabular
from comun.eventos.vocabulario import (
    ETIQUETAS,
    AccionAfirmativa,
    Cargo,
    Postulante,
    Principio,
    Sexo,
    TipoCandidatura,
)

HOJA = "REGISTRO"
EDAD_MINIMA, EDAD_MAXIMA = 21, 78
PROPORCION_ACCION_AFIRMATIVA = 0.08
PROPORCION_NO_BINARIO = 0.01
PROPORCION_SOBRENOMBRE = 0.02
PROPORCION_SIN_SEGUNDO_APELLIDO = 0.03
PROPORCION_NACIDA_EN_LA_ENTIDAD = 0.8

# Offices in the order the round-robin visits them.
FLUJOS = (
    (Cargo.DIPUTACION_LOCAL, Principio.MR),
    (Cargo.DIPUTACION_LOCAL, Principio.RP),
    (Cargo.PRESIDENCIA_MUNICIPAL, Principio.MR),
    (Cargo.SINDICATURA, Principio.MR),
    (Cargo.REGIDURIA, Principio.MR),
    (Cargo.REGIDURIA, Principio.RP),
)

ETIQUETAS_ACCION = {
    AccionAfirmativa.INDIGENA: "Indígena",
    AccionAfirmativa.DISCAPACIDAD: "Discapacidad",
    AccionAfirmativa.AFROMEXICANA: "Afromexicana",
    AccionAfirmativa.LGBTTTIQ: "LGBTTTIQ+",
    AccionAfirmativa.MIGRANTE: "Migrante",
    AccionAfirmativa.JOVEN: "Joven",
    AccionAfirmativa.PERSONA_MAYOR: "Persona mayor",
}
ACCIONES = tuple(ETIQUETAS_ACCION)


def _palabras_de(texto: str) -> tuple[str, ...]:
    """The whitespace-separated words of a list written as text."""
    return tuple(texto.split())


# RENAPO codes of the 32 entities, by INEGI key.
ENTIDADES_RENAPO = dict(
    zip(
        (f"{n:02d}" for n in range(1, 33)),
        _palabras_de(
            "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS "
            "TL VZ YN ZS"
        ),
        strict=True,
    )
)
NACIDA_EN_EL_EXTRANJERO = "NE"

_MUJERES = _palabras_de(
    """
    Abigail Adela Adriana Alejandra Alicia Alma Alondra Amalia Amparo Ana Andrea Ángela Angélica
    Antonia Araceli Aurora Azucena Beatriz Begoña Belén Berenice Blanca Brenda Brisa Camila Carla
    Carmen Carolina Catalina Cecilia Celia Cintia Citlali Claudia Concepción Consuelo Cristina
    Dalia Daniela Diana Dolores Dulce Edith Elena Elisa Elizabeth Elsa Elvia Elvira Emilia Erika
    Esperanza Estela Esther Eugenia Eva Evangelina Fabiola Fátima Felipa Fernanda Florencia
    Gabriela Gloria Graciela Guadalupe Herminia Hilda Hortensia Inés Irene Iris Isabel Itzel
    Ivette Ivonne Janet Jazmín Jimena Josefina Juana Judith Julia Karina Karla Laura Leticia Lidia
    Lilia Liliana Lorena Lourdes Lucía Luisa Luz Magdalena Marcela Margarita María Mariana
    Maricela Marisol Martha Mayra Mercedes Minerva Miriam Mónica Nancy Natalia Nayeli Noemí Norma
    Ofelia Olga Paloma Patricia Paula Paulina Perla Pilar Raquel Rebeca Regina Renata Reyna Rocío
    Romina Rosa Rosalía Rosario Rubí Ruth Salomé Sandra Sara Selene Silvia Socorro Sofía Soledad
    Susana Tania Teresa Valentina Valeria Verónica Victoria Viridiana Xóchitl Ximena Yadira
    Yaretzi Yesenia Yolanda Zaira Zoé
    """
)
_HOMBRES = _palabras_de(
    """
    Abel Abraham Adán Adolfo Adrián Agustín Alberto Alejandro Alfonso Alfredo Álvaro Andrés Ángel
    Anselmo Antonio Armando Arturo Augusto Aurelio Baltasar Bartolomé Benito Benjamín Bernardo
    Braulio Bruno Candelario Carlos César Ciro Cristian Crisóforo Cuauhtémoc Damián Daniel David
    Diego Domingo Eduardo Efraín Eleazar Elías Eliseo Emiliano Emilio Enrique Ernesto Esteban
    Eugenio Eusebio Ezequiel Fausto Federico Felipe Fernando Fidel Florencio Francisco Gabriel
    Gael Gerardo Germán Gilberto Gonzalo Gregorio Guillermo Gustavo Héctor Heriberto Hilario
    Homero Horacio Hugo Humberto Ignacio Íñigo Isaac Ismael Israel Iván Jacinto Jaime Javier
    Jerónimo Jesús Joaquín Joel Jorge José Juan Julián Julio Lázaro Leonardo Leonel Lorenzo Lucas
    Luis Manuel Marcelino Marco Marcos Mario Martín Mateo Mauricio Maximiliano Máximo Miguel
    Moisés Nazario Néstor Nicolás Noé Octavio Omar Óscar Osvaldo Pablo Patricio Pedro Porfirio
    Rafael Ramiro Ramón Raúl Refugio Reynaldo Ricardo Roberto Rodrigo Rogelio Rolando Rubén
    Salvador Samuel Santiago Saúl Sebastián Sergio Simón Tadeo Teodoro Tomás Ulises Uriel
    Valentín Vicente Víctor Wenceslao Xavier Yahir Zacarías
    """
)
_APELLIDOS = _palabras_de(
    """
    Acevedo Acosta Aguilar Aguirre Alcántara Alvarado Álvarez Anaya Arellano Arriaga Avendaño Ávila
    Barrera Bautista Becerra Beltrán Benítez Bermúdez Bonilla Bravo Briseño Bustamante Cabrera
    Cadena Calderón Camacho Campos Cano Cárdenas Carmona Carreño Carrillo Castillo Castro Cedeño
    Cervantes Chávez Cisneros Contreras Córdova Corona Correa Cortés Coyotl Cruz Cuautle Cuevas
    Dávila Delgado Díaz Domínguez Durán Enríquez Escamilla Escobar Esparza Espinosa Espinoza
    Esquivel Estrada Farías Fernández Figueroa Flores Franco Fuentes Galindo Gallegos Galván
    Gálvez García Garza Gil Godínez Gómez González Guerra Guerrero Gutiérrez Guzmán Hernández
    Herrera Hidalgo Huerta Ibáñez Ibarra Jaramillo Jiménez Juárez Landa Lara León Leyva Limón
    López Lozano Lugo Luna Macías Magaña Maldonado Manríquez Marín Márquez Marroquín Martínez Mata
    Medina Mejía Méndez Mendoza Mercado Meza Miranda Molina Montaño Montes Montoya Mora Morales
    Moreno Muñiz Muñoz Murillo Nava Navarro Nieto Núñez Ocampo Ochoa Olvera Ordóñez Orozco Ortega
    Ortiz Osorio Pacheco Padilla Palacios Paredes Patiño Peña Peñaloza Pérez Pineda Pizarro Ponce
    Quiñones Quintero Quiroz Ramírez Ramos Rangel Rendón Rentería Reyes Ríos Rivera Robles Rocha
    Rodríguez Rojas Romero Rosales Rosas Ruelas Ruiz Saavedra Salas Salazar Saldaña Salinas
    Sánchez Sandoval Santiago Santillán Serrano Silva Solano Solís Sosa Soto Suárez Tapia Téllez
    Toledo Torres Tovar Treviño Trejo Tzompantzi Urbina Uribe Valdés Valdez Valencia Valenzuela
    Vallejo Varela Vargas Vázquez Vega Velázquez Vélez Vera Villanueva Villaseñor Villegas
    Xicoténcatl Yáñez Zamora Zárate Zavala Zepeda Zúñiga
    """
)
_APELLIDOS_COMPUESTOS = (
    "De la Cruz",
    "De la Rosa",
    "De la Torre",
    "De León",
    "De los Santos",
    "Del Valle",
)
_PRIMEROS_NOMBRES = {Sexo.MUJER: ("María", "Ana", "Luz", "Rosa"), Sexo.HOMBRE: ("José", "Juan")}
_NOMBRES_CON_PARTICULA = {
    Sexo.MUJER: ("María de los Ángeles", "María del Carmen", "María de la Luz", "María de Jesús"),
    Sexo.HOMBRE: ("José de Jesús", "Juan de Dios", "José del Carmen"),
}
_SOBRENOMBRES = {
    Sexo.MUJER: ("Lupita", "Chelo", "Conchita", "Maru", "Paty", "Vero", "Gaby", "Tere", "Chayo"),
    Sexo.HOMBRE: ("Pepe", "Paco", "Chuy", "Toño", "Memo", "Lalo", "Beto", "Nacho", "El Güero"),
}

# RENAPO skips these words of surnames and given names, and the first of a compound given name.
_PARTICULAS = frozenset(
    _palabras_de("DA DAS DE DEL DER DI DIE DD EL LA LAS LE LES LOS MAC MC VAN VON Y")
)
_NOMBRES_COMUNES = frozenset(_palabras_de("JOSE J MARIA MA M"))
_VOCALES = frozenset("AEIOU")
_CONSONANTES = frozenset("BCDFGHJKLMNPQRSTVWXYZ")
_ALTISONANTES = frozenset(
    _palabras_de("""
    BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO
    FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA
    KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO
    PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO
    VAKA VUEI VUEY WUEI WUEY
    """)
)


@dataclass(frozen=True, slots=True)
class _Lugar:
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


@dataclass(frozen=True, slots=True)
class _Persona:
    """An invented person, as the registry knows her."""

    nombres: str
    primer_apellido: str
    segundo_apellido: str | None
    sobrenombre: str | None
    nacimiento: date
    curp: str


def capacidad(eleccion: Eleccion) -> int:
    """How many candidacies (propietarias plus suplentes) the whole election holds."""
    return 2 * len(_lugares(eleccion))


def generar(
    eleccion: Eleccion, *, candidaturas: int, semilla: int = 2024
) -> list[dict[str, object]]:
    """Invent `candidaturas` registry rows (whole fórmulas, so an odd number is rounded down).

    Places are taken one fórmula at a time, round-robin over the offices (diputación MR and RP,
    presidencia, sindicatura, regiduría MR and RP); within an office every postulante (party,
    coalición, candidatura común, independiente) gets one place before any gets a second, each
    touring the districts or municipalities from a different start, and lower positions first.
    Rows come out in catalog order. The same election, number and seed give the same rows, and
    a place keeps its people when the number grows (unless a rare CURP clash moves a homoclave).
    ValueError when the number is negative or exceeds `capacidad`.
    """
    lugares = _lugares(eleccion)
    if candidaturas < 0:
        raise ValueError(
            f"El número de candidaturas no puede ser negativo; recibimos {candidaturas}."
        )
    if candidaturas > 2 * len(lugares):
        raise ValueError(
            f"La elección «{eleccion.nombre}» admite como máximo {2 * len(lugares):,} candidaturas "
            f"(propietarias y suplentes); se pidieron {candidaturas:,}."
        )
    padron = _Padron(eleccion, semilla)
    return [
        fila
        for lugar in _elegir(lugares, candidaturas // 2, semilla)
        for fila in padron.filas(lugar)
    ]


def repetir_formula(
    eleccion: Eleccion, *, prefijo: str, formulas: int, semilla: int
) -> list[dict[str, object]]:
    """`formulas` new fórmulas for the election's first place, with new folios and people.

    For load and fault tests that need many registrations: the place repeats (the registry
    allows that), the folios `<prefijo>-00001-P/S` and the people (CURPs) do not.
    """
    primero = _elegir(_lugares(eleccion), 1, semilla)[0]
    padron = _Padron(eleccion, semilla)
    return [
        fila
        for i in range(1, formulas + 1)
        for fila in padron.filas(dataclasses.replace(primero, folio=f"{prefijo}-{i:05d}"))
    ]


def escribir(filas: Iterable[Mapping[str, object]], destino: Path) -> None:
    """Write rows in the layout as .xlsx (sheet REGISTRO) or .csv (UTF-8 with BOM, for Excel)."""
    tipo = destino.suffix.lower()
    if tipo not in (".xlsx", ".csv"):
        raise ValueError(
            f"No se puede escribir «{destino.name}»: el archivo debe terminar en .xlsx o .csv."
        )
    celdas = ([_celda(fila.get(c)) for c in NOMBRES_COLUMNAS] for fila in filas)
    if tipo == ".xlsx":
        tabular.write_xlsx(destino, {HOJA: (NOMBRES_COLUMNAS, celdas)})
        return
    with destino.open("w", encoding="utf-8-sig", newline="") as archivo:
        tabular.write_csv(archivo, NOMBRES_COLUMNAS, celdas)


def _celda(valor: object) -> tabular.Cell:
    """A row value as a spreadsheet cell."""
    if valor is None or isinstance(valor, str | int | float | date):
        return valor
    return str(valor)


# --- The places of the election -----------------------------------------------------------------


def _lugares(e: Eleccion) -> list[_Lugar]:
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


def _diputaciones_mr(e: Eleccion) -> Iterator[_Lugar]:
    """One fórmula per postulante and district; parity alternates along each one's districts."""
    turnos: dict[str, int] = defaultdict(int)
    for numero in sorted(e.distritos):
        for postulante, clave, partido in _postulantes(e, Contienda.DIPUTACION_LOCAL, str(numero)):
            yield _Lugar(
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


def _diputaciones_rp(e: Eleccion) -> Iterator[_Lugar]:
    """One list per party with the election's number of RP positions."""
    for siglas in e.partidos:
        for posicion in range(1, e.diputaciones_rp + 1):
            yield _Lugar(
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


def _ayuntamientos(e: Eleccion) -> Iterator[_Lugar]:
    """Each postulante's planilla and RP list in each municipality."""
    for municipio in sorted(e.municipios):
        for quien in _postulantes(e, Contienda.AYUNTAMIENTO, municipio):
            yield from _planilla(e, municipio, quien)


def _planilla(
    e: Eleccion, municipio: str, quien: tuple[Postulante, str, str | None]
) -> Iterator[_Lugar]:
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
            yield _Lugar(
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


def _elegir(lugares: list[_Lugar], cuantos: int, semilla: int) -> list[_Lugar]:
    """The first `cuantos` places of the spread-out order, back in catalog order."""
    rng = random.Random(semilla)
    flujos = [
        _repartir([lugar for lugar in lugares if (lugar.cargo, lugar.principio) == flujo], rng)
        for flujo in FLUJOS
    ]
    elegidos = {lugar.folio for lugar in itertools.islice(_alternar(flujos), cuantos)}
    return [lugar for lugar in lugares if lugar.folio in elegidos]


def _alternar(flujos: Sequence[Sequence[_Lugar]]) -> Iterator[_Lugar]:
    """One place of each office in turn until all run out."""
    for ronda in itertools.zip_longest(*flujos):
        yield from (lugar for lugar in ronda if lugar is not None)


def _repartir(lugares: list[_Lugar], rng: random.Random) -> list[_Lugar]:
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
    grupos: dict[tuple[int, str], list[_Lugar]] = defaultdict(list)
    for lugar in lugares:
        grupos[(lugar.posicion, lugar.clave)].append(lugar)
    ordenados: list[tuple[tuple[int, int, int], _Lugar]] = []
    for (posicion, clave), grupo in grupos.items():
        grupo.sort(key=lambda lugar: (donde[lugar.territorio] - inicio[clave]) % len(territorios))
        ordenados += [((posicion, ronda, turno[clave]), lugar) for ronda, lugar in enumerate(grupo)]
    ordenados.sort(key=itemgetter(0))
    return [lugar for _, lugar in ordenados]


# --- The people ----------------------------------------------------------------------------------


class _Padron:
    """Invents the people of each place, keeping CURPs unique across the file."""

    def __init__(self, eleccion: Eleccion, semilla: int) -> None:
        self._jornada = eleccion.fechas.jornada
        self._entidad = ENTIDADES_RENAPO.get(eleccion.clave_entidad)
        self._semilla = semilla
        self._curps: set[str] = set()
        self._inicios: dict[str, bool] = {}

    def filas(self, lugar: _Lugar) -> list[dict[str, object]]:
        """The propietaria and suplente rows of one place."""
        rng = random.Random(f"{self._semilla}/{lugar.folio}")
        sexo = self._sexo(lugar, rng)
        accion = rng.choice(ACCIONES) if rng.random() < PROPORCION_ACCION_AFIRMATIVA else None
        return [
            _fila(lugar, tipo, sexo, accion, self._persona(sexo, accion, rng))
            for tipo in (TipoCandidatura.PROPIETARIA, TipoCandidatura.SUPLENTE)
        ]

    def _sexo(self, lugar: _Lugar, rng: random.Random) -> Sexo:
        """Alternating along the planilla from a seeded start; rarely no binario."""
        if rng.random() < PROPORCION_NO_BINARIO:
            return Sexo.NO_BINARIO
        if lugar.planilla not in self._inicios:
            semilla = f"{self._semilla}/{lugar.planilla}"
            self._inicios[lugar.planilla] = random.Random(semilla).random() < 0.5
        mujer = self._inicios[lugar.planilla] != (lugar.turno % 2 == 1)
        return Sexo.MUJER if mujer else Sexo.HOMBRE

    def _persona(self, sexo: Sexo, accion: AccionAfirmativa | None, rng: random.Random) -> _Persona:
        """A person with a CURP nobody else in the file has."""
        while True:
            nombres = _nombres(sexo, rng)
            primer = _apellido(rng)
            segundo = None if rng.random() < PROPORCION_SIN_SEGUNDO_APELLIDO else _apellido(rng)
            nacimiento = _nacimiento(_edad(accion, rng), self._jornada, rng)
            curp = self._curp(nombres, primer, segundo, nacimiento, sexo, accion, rng)
            if curp is not None:
                break
        sobrenombre = _sobrenombre(sexo, rng) if rng.random() < PROPORCION_SOBRENOMBRE else None
        return _Persona(nombres, primer, segundo, sobrenombre, nacimiento, curp)

    def _curp(
        self,
        nombres: str,
        primer: str,
        segundo: str | None,
        nacimiento: date,
        sexo: Sexo,
        accion: AccionAfirmativa | None,
        rng: random.Random,
    ) -> str | None:
        """A CURP as RENAPO would compose it, or None when every homoclave is taken."""
        base, consonantes = _letras_curp(nombres, primer, segundo or "")
        entidad = self._entidad_nacimiento(accion, rng)
        inicio = rng.randrange(10)
        for paso in range(10):
            curp = armar_curp(
                base=base,
                nacimiento=nacimiento,
                sexo=sexo,
                entidad=entidad,
                consonantes=consonantes,
                homoclave=str((inicio + paso) % 10),
            )
            if curp not in self._curps:
                self._curps.add(curp)
                return curp
        return None

    def _entidad_nacimiento(self, accion: AccionAfirmativa | None, rng: random.Random) -> str:
        """Mostly the election's entity; some elsewhere; migrants sometimes abroad."""
        azar = rng.random()
        if azar < (0.3 if accion is AccionAfirmativa.MIGRANTE else 0.005):
            return NACIDA_EN_EL_EXTRANJERO
        if self._entidad and azar < PROPORCION_NACIDA_EN_LA_ENTIDAD:
            return self._entidad
        return rng.choice(tuple(ENTIDADES_RENAPO.values()))


def _fila(
    lugar: _Lugar,
    tipo: TipoCandidatura,
    sexo: Sexo,
    accion: AccionAfirmativa | None,
    persona: _Persona,
) -> dict[str, object]:
    """One row in the layout, labelled as the registration system exports it."""
    return {
        "FOLIO": f"{lugar.folio}-{'P' if tipo is TipoCandidatura.PROPIETARIA else 'S'}",
        "ESTATUS": "Registrada",
        "SUSTITUYE_A": None,
        "CARGO": ETIQUETAS[lugar.cargo],
        "PRINCIPIO": lugar.principio.value,
        "DISTRITO": lugar.distrito,
        "MUNICIPIO": lugar.municipio,
        "POSICION": lugar.posicion,
        "TIPO": ETIQUETAS[tipo],
        "POSTULANTE": ETIQUETAS[lugar.postulante],
        "CLAVE_POSTULANTE": lugar.clave,
        "PARTIDO_POSTULANTE": lugar.partido,
        "NOMBRE": persona.nombres,
        "PRIMER_APELLIDO": persona.primer_apellido,
        "SEGUNDO_APELLIDO": persona.segundo_apellido,
        "SOBRENOMBRE": persona.sobrenombre,
        "CURP": persona.curp,
        "FECHA_NACIMIENTO": f"{persona.nacimiento:%d/%m/%Y}",
        "SEXO": ETIQUETAS[sexo],
        "ACCION_AFIRMATIVA": ETIQUETAS_ACCION[accion] if accion else None,
    }


def _nombres(sexo: Sexo, rng: random.Random) -> str:
    """One given name, sometimes two («María Fernanda», «José de Jesús»)."""
    if sexo is Sexo.NO_BINARIO:
        sexo = rng.choice((Sexo.MUJER, Sexo.HOMBRE))
    lista = _MUJERES if sexo is Sexo.MUJER else _HOMBRES
    azar = rng.random()
    if azar < 0.03:
        return rng.choice(_NOMBRES_CON_PARTICULA[sexo])
    if azar < 0.22:
        primero = rng.choice(_PRIMEROS_NOMBRES[sexo]) if azar < 0.14 else rng.choice(lista)
        segundo = rng.choice(lista)
        return primero if segundo == primero else f"{primero} {segundo}"
    return rng.choice(lista)


def _apellido(rng: random.Random) -> str:
    """A surname; a few carry particles («De la Cruz»)."""
    if rng.random() < 0.02:
        return rng.choice(_APELLIDOS_COMPUESTOS)
    return rng.choice(_APELLIDOS)


def _sobrenombre(sexo: Sexo, rng: random.Random) -> str:
    """A nickname to appear on the ballot."""
    if sexo is Sexo.NO_BINARIO:
        sexo = rng.choice((Sexo.MUJER, Sexo.HOMBRE))
    return rng.choice(_SOBRENOMBRES[sexo])


def _edad(accion: AccionAfirmativa | None, rng: random.Random) -> int:
    """Age on election day, consistent with the joven and persona mayor groups."""
    if accion is AccionAfirmativa.JOVEN:
        return rng.randint(EDAD_MINIMA, 29)
    if accion is AccionAfirmativa.PERSONA_MAYOR:
        return rng.randint(60, EDAD_MAXIMA)
    return min(EDAD_MAXIMA, int(rng.triangular(EDAD_MINIMA, EDAD_MAXIMA + 1, 45)))


def _nacimiento(edad: int, jornada: date, rng: random.Random) -> date:
    """A birth date that makes the person exactly `edad` years old on election day."""
    ultimo = _anios_antes(jornada, edad)
    primero = _anios_antes(jornada, edad + 1) + timedelta(days=1)
    return primero + timedelta(days=rng.randrange((ultimo - primero).days + 1))


def _anios_antes(dia: date, anios: int) -> date:
    """The same day `anios` years earlier (29 February falls back to the 28th)."""
    try:
        return dia.replace(year=dia.year - anios)
    except ValueError:
        return dia.replace(year=dia.year - anios, day=28)


# --- CURP letters --------------------------------------------------------------------------------


def _letras_curp(nombres: str, primer: str, segundo: str) -> tuple[str, str]:
    """The four initial letters and the three internal consonants RENAPO takes from a name."""
    inicial1, vocal1, consonante1 = _letras_apellido(primer)
    inicial2, _, consonante2 = _letras_apellido(segundo) if segundo else ("X", "X", "X")
    inicial3, consonante3 = _letras_nombre(nombres)
    base = inicial1 + vocal1 + inicial2 + inicial3
    if base in _ALTISONANTES:
        base = base[0] + "X" + base[2:]
    return base, consonante1 + consonante2 + consonante3


@cache
def _letras_apellido(apellido: str) -> tuple[str, str, str]:
    """Initial, first internal vowel and first internal consonant of a surname."""
    palabra = (_palabras(apellido) or ["X"])[0]
    return palabra[0], _primera(palabra[1:], _VOCALES), _primera(palabra[1:], _CONSONANTES)


@cache
def _letras_nombre(nombres: str) -> tuple[str, str]:
    """Initial and first internal consonant of the given name RENAPO uses."""
    palabras = _palabras(nombres) or ["X"]
    palabra = palabras[1] if len(palabras) > 1 and palabras[0] in _NOMBRES_COMUNES else palabras[0]
    return palabra[0], _primera(palabra[1:], _CONSONANTES)


def _palabras(texto: str) -> list[str]:
    """Upper-case words without accents or particles; Ñ becomes X as in the CURP."""
    sin_enie = texto.upper().replace("Ñ", "X")
    plano = "".join(
        c for c in unicodedata.normalize("NFD", sin_enie) if unicodedata.category(c) != "Mn"
    )
    palabras = ["".join(c for c in p if "A" <= c <= "Z") for p in plano.split()]
    utiles = [p for p in palabras if p and p not in _PARTICULAS]
    return utiles or [p for p in palabras if p]


def _primera(texto: str, letras: frozenset[str]) -> str:
    """The first character of `texto` among `letras`, or X."""
    return next((c for c in texto if c in letras), "X")
