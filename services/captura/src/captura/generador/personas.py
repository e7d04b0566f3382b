"""The invented people of each place: names, ages, CURPs and affirmative actions."""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from captura.domain.catalogo import Eleccion
from captura.domain.curp import armar_curp
from captura.generador.lugares import Lugar
from captura.generador.nombres import (
    ALTISONANTES,
    APELLIDOS,
    APELLIDOS_COMPUESTOS,
    CONSONANTES,
    ENTIDADES_RENAPO,
    HOMBRES,
    MUJERES,
    NACIDA_EN_EL_EXTRANJERO,
    NOMBRES_COMUNES,
    NOMBRES_CON_PARTICULA,
    PARTICULAS,
    PRIMEROS_NOMBRES,
    SOBRENOMBRES,
    VOCALES,
)
from comun.eventos.vocabulario import (
    ETIQUETAS,
    AccionAfirmativa,
    Sexo,
    TipoCandidatura,
)

EDAD_MINIMA, EDAD_MAXIMA = 21, 78
PROPORCION_ACCION_AFIRMATIVA = 0.08
PROPORCION_NO_BINARIO = 0.01
PROPORCION_SOBRENOMBRE = 0.02
PROPORCION_SIN_SEGUNDO_APELLIDO = 0.03
PROPORCION_NACIDA_EN_LA_ENTIDAD = 0.8


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


@dataclass(frozen=True, slots=True)
class Persona:
    """An invented person, as the registry knows her."""

    nombres: str
    primer_apellido: str
    segundo_apellido: str | None
    sobrenombre: str | None
    nacimiento: date
    curp: str


class Padron:
    """Invents the people of each place, keeping CURPs unique across the file."""

    def __init__(self, eleccion: Eleccion, semilla: int) -> None:
        self._jornada = eleccion.fechas.jornada
        self._entidad = ENTIDADES_RENAPO.get(eleccion.clave_entidad)
        self._semilla = semilla
        self._curps: set[str] = set()
        self._inicios: dict[str, bool] = {}

    def filas(self, lugar: Lugar) -> list[dict[str, object]]:
        """The propietaria and suplente rows of one place."""
        rng = random.Random(f"{self._semilla}/{lugar.folio}")
        sexo = self._sexo(lugar, rng)
        accion = rng.choice(ACCIONES) if rng.random() < PROPORCION_ACCION_AFIRMATIVA else None
        return [
            _fila(lugar, tipo, sexo, accion, self._persona(sexo, accion, rng))
            for tipo in (TipoCandidatura.PROPIETARIA, TipoCandidatura.SUPLENTE)
        ]

    def _sexo(self, lugar: Lugar, rng: random.Random) -> Sexo:
        """Alternating along the planilla from a seeded start; rarely no binario."""
        if rng.random() < PROPORCION_NO_BINARIO:
            return Sexo.NO_BINARIO
        if lugar.planilla not in self._inicios:
            semilla = f"{self._semilla}/{lugar.planilla}"
            self._inicios[lugar.planilla] = random.Random(semilla).random() < 0.5
        mujer = self._inicios[lugar.planilla] != (lugar.turno % 2 == 1)
        return Sexo.MUJER if mujer else Sexo.HOMBRE

    def _persona(self, sexo: Sexo, accion: AccionAfirmativa | None, rng: random.Random) -> Persona:
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
        return Persona(nombres, primer, segundo, sobrenombre, nacimiento, curp)

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
    lugar: Lugar,
    tipo: TipoCandidatura,
    sexo: Sexo,
    accion: AccionAfirmativa | None,
    persona: Persona,
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
    lista = MUJERES if sexo is Sexo.MUJER else HOMBRES
    azar = rng.random()
    if azar < 0.03:
        return rng.choice(NOMBRES_CON_PARTICULA[sexo])
    if azar < 0.22:
        primero = rng.choice(PRIMEROS_NOMBRES[sexo]) if azar < 0.14 else rng.choice(lista)
        segundo = rng.choice(lista)
        return primero if segundo == primero else f"{primero} {segundo}"
    return rng.choice(lista)


def _apellido(rng: random.Random) -> str:
    """A surname; a few carry particles («De la Cruz»)."""
    if rng.random() < 0.02:
        return rng.choice(APELLIDOS_COMPUESTOS)
    return rng.choice(APELLIDOS)


def _sobrenombre(sexo: Sexo, rng: random.Random) -> str:
    """A nickname to appear on the ballot."""
    if sexo is Sexo.NO_BINARIO:
        sexo = rng.choice((Sexo.MUJER, Sexo.HOMBRE))
    return rng.choice(SOBRENOMBRES[sexo])


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
    if base in ALTISONANTES:
        base = base[0] + "X" + base[2:]
    return base, consonante1 + consonante2 + consonante3


@cache
def _letras_apellido(apellido: str) -> tuple[str, str, str]:
    """Initial, first internal vowel and first internal consonant of a surname."""
    palabra = (_palabras(apellido) or ["X"])[0]
    return palabra[0], _primera(palabra[1:], VOCALES), _primera(palabra[1:], CONSONANTES)


@cache
def _letras_nombre(nombres: str) -> tuple[str, str]:
    """Initial and first internal consonant of the given name RENAPO uses."""
    palabras = _palabras(nombres) or ["X"]
    palabra = palabras[1] if len(palabras) > 1 and palabras[0] in NOMBRES_COMUNES else palabras[0]
    return palabra[0], _primera(palabra[1:], CONSONANTES)


def _palabras(texto: str) -> list[str]:
    """Upper-case words without accents or particles; Ñ becomes X as in the CURP."""
    sin_enie = texto.upper().replace("Ñ", "X")
    plano = "".join(
        c for c in unicodedata.normalize("NFD", sin_enie) if unicodedata.category(c) != "Mn"
    )
    palabras = ["".join(c for c in p if "A" <= c <= "Z") for p in plano.split()]
    utiles = [p for p in palabras if p and p not in PARTICULAS]
    return utiles or [p for p in palabras if p]


def _primera(texto: str, letras: frozenset[str]) -> str:
    """The first character of `texto` among `letras`, or X."""
    return next((c for c in texto if c in letras), "X")
