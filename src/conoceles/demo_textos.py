"""Plausible, deterministic questionnaire answers for the demo candidacies (datos/demo/textos.json).

Each candidacy gets its own random stream (seed and candidacy id), so the same candidacy gets the
same answers whatever else is generated. Texts are assembled from sentence pools: a proposal has
eight sentences (diagnosis, two actions, population, reach, goal, means, schedule) drawn from
pools, with the place and figures of its own scattered through them, so that even two proposals
drawing the same sentences stay below the near-copy threshold of validacion (5-word shingles,
Jaccard ≥ 0.8).
"""

import json
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comun.settings import archivo_de_datos

PREFIERO_NO_CONTESTAR = "Prefiero no contestar"
DIPUTACION = "diputacion_local"
# Share of candidacies that consent to publishing their identity answers.
PROPORCION_CONSIENTE = 0.45
_MARCA = re.compile(r"\{(\w+)\}")
_GENERO = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\|([^\[\]|]*)\]")
# «a el» and «de el» contract; «de El Colegio Mexiquense» (a proper name) does not.
_CONTRACCION = re.compile(r"\b(a|de) el\b")
_INDICE_SEXO = {"mujer": 0, "hombre": 1}
# Proposal sentences that may go when a text must fit a tight limit, least important first.
_PRESCINDIBLES = ("alcance", "plazo", "poblacion", "accion_2", "via", "meta")


@dataclass(frozen=True)
class Limites:
    """Character limits of the cuestionario curricular (an election's `cuestionario_curricular`)."""

    propuesta: int = 1600
    historia_profesional: int = 5000
    trayectoria_politica: int = 5000
    motivo_cargo_publico: int = 2500
    curso: int = 250
    max_cursos: int = 20
    domicilio: int = 300

    @classmethod
    def de_eleccion(cls, configuracion: Mapping[str, Any] | None) -> "Limites":
        """The limits of an election's `cuestionario_curricular` (defaults where absent)."""
        c = configuracion or {}
        base = cls()
        return cls(
            propuesta=int(c.get("limite_propuesta", base.propuesta)),
            historia_profesional=int(
                c.get("limite_historia_profesional", base.historia_profesional)
            ),
            trayectoria_politica=int(
                c.get("limite_trayectoria_politica", base.trayectoria_politica)
            ),
            motivo_cargo_publico=int(
                c.get("limite_motivo_cargo_publico", base.motivo_cargo_publico)
            ),
            curso=int(c.get("limite_curso", base.curso)),
            max_cursos=int(c.get("max_cursos", base.max_cursos)),
            domicilio=int(c.get("limite_domicilio", base.domicilio)),
        )


@dataclass(frozen=True)
class Persona:
    """What a capture team knows of its candidacy and the texts depend on."""

    candidatura_id: str
    nombre: str
    sexo: str
    cargo: str
    principio: str = "MR"
    distrito: int | None = None
    municipio: str | None = None
    cabecera: str | None = None
    accion_afirmativa: str | None = None


@dataclass(frozen=True)
class Respuestas:
    """Both questionnaires of one candidacy and whether it consents to publishing its identity."""

    curricular: dict[str, Any]
    identidad: dict[str, Any]
    publicar_identidad: bool


def leer_material(ruta: Path | None = None) -> dict[str, Any]:
    """The sentence pools and weights (datos/demo/textos.json unless another file is given)."""
    datos: dict[str, Any] = json.loads(
        (ruta or archivo_de_datos("demo/textos.json")).read_text(encoding="utf-8")
    )
    return datos


def generar(
    persona: Persona, *, material: Mapping[str, Any], limites: Limites, semilla: int = 2024
) -> Respuestas:
    """The answers of one candidacy: the same persona, material and seed give the same answers."""
    rng = random.Random(f"{semilla}:{persona.candidatura_id}")
    redactor = _Redactor(persona, material, rng)
    return Respuestas(
        curricular=redactor.curricular(limites),
        identidad=_Identidad(persona, material["identidad"], rng).respuestas(),
        publicar_identidad=rng.random() < PROPORCION_CONSIENTE,
    )


def textos_libres(curricular: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, text) of every free text of a curricular answer, one entry per course."""
    campos = (
        "historia_profesional", "trayectoria_politica", "motivo_cargo_publico",
        "propuesta_1", "propuesta_2", "propuesta_genero",
    )  # fmt: skip
    textos = [(campo, str(curricular[campo])) for campo in campos if curricular.get(campo)]
    return textos + [("cursos", str(curso)) for curso in curricular.get("cursos") or []]


def partes_del_nombre(nombre: str) -> tuple[str, str]:
    """First given name and first surname (the second-to-last word of three or more)."""
    palabras = nombre.split()
    if not palabras:
        return "", ""
    apellido = palabras[-2] if len(palabras) >= 3 else palabras[-1]
    return palabras[0], apellido


def ascii_minusculas(texto: str) -> str:
    """Lower-case ASCII letters and digits only («Ñuñez» → «nunez»)."""
    plano = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in plano.lower() if c.isascii() and c.isalnum())


def _ponderado(rng: random.Random, pesos: Mapping[str, float]) -> str:
    """One key of a weight table."""
    claves = list(pesos)
    return rng.choices(claves, weights=[float(pesos[c]) for c in claves])[0]


class _Redactor:
    """Fills the sentence pools for one persona."""

    def __init__(self, persona: Persona, material: Mapping[str, Any], rng: random.Random) -> None:
        self.persona = persona
        self.material = material
        self.rng = rng
        self.diputacion = persona.cargo == DIPUTACION
        self.lugar = _lugar(persona)

    def curricular(self, limites: Limites) -> dict[str, Any]:
        """The whole cuestionario curricular."""
        grado = _ponderado(self.rng, self.material["estudios"]["grados"])
        estatus = (
            None
            if grado == "sin_estudios"
            else _ponderado(self.rng, self.material["estudios"]["estatus"][grado])
        )
        temas = self.rng.sample(sorted(self.material["temas"]), 2)
        respuestas: dict[str, Any] = {
            **_Contacto(self.persona, self.material["contacto"], self.rng).respuestas(limites),
            "grado_maximo_estudios": grado,
            "historia_profesional": self._historia(grado, estatus, limites.historia_profesional),
            "trayectoria_politica": self._trayectoria(limites.trayectoria_politica),
            "motivo_cargo_publico": self._motivo(limites.motivo_cargo_publico),
            "propuesta_1": self._propuesta(self.material["temas"][temas[0]], limites.propuesta),
            "propuesta_2": self._propuesta(self.material["temas"][temas[1]], limites.propuesta),
            "propuesta_genero": self._propuesta(
                self.material["temas_genero"][self._tema_genero()], limites.propuesta
            ),
        }
        if estatus is not None:
            respuestas["estatus_estudios"] = estatus
        cursos = self._cursos(limites)
        if cursos:
            respuestas["cursos"] = cursos
        return respuestas

    def _tema_genero(self) -> str:
        """The group the gender proposal speaks for: the acción afirmativa's, else weighted."""
        propio: str | None = self.material["genero_por_accion_afirmativa"].get(
            self.persona.accion_afirmativa or ""
        )
        return propio or _ponderado(self.rng, self.material["genero_sin_accion_afirmativa"])

    def _propuesta(self, tema: Mapping[str, Any], limite: int) -> str:
        """Diagnosis, two actions, population, reach, goal, means and schedule, within the limit."""
        via = self.material["via"]["diputacion" if self.diputacion else "ayuntamiento"]
        accion_1, accion_2 = self.rng.sample(list(tema["acciones"]), 2)
        contexto = {"ley": tema["ley"], "programa": tema["programa"]}
        partes = {
            "apertura": self.rng.choice(tema["apertura"]),
            "accion_1": accion_1,
            "accion_2": accion_2,
            "poblacion": self.rng.choice(tema["poblacion"]),
            "alcance": self.rng.choice(self.material["alcance"]),
            "meta": self.rng.choice(tema["metas"]),
            "via": self.rng.choice(via),
            "plazo": self.rng.choice(self.material["plazo"]),
        }
        frases = {clave: self._rellenar(texto, contexto) for clave, texto in partes.items()}
        return _ajustar(frases, limite)

    def _historia(self, grado: str, estatus: str | None, limite: int) -> str:
        """Studies, one or two past jobs and the present one in order, often community work."""
        h = self.material["historia"]
        frases = [self._formacion(h, grado, estatus)]
        pasados = self.rng.sample(h["trabajo_pasado"], self.rng.randint(1, 2))
        anio = self.rng.randint(1995, 2008)
        for plantilla in pasados:
            hasta = anio + self.rng.randint(2, 6)
            frases.append(self._rellenar(plantilla, {"desde": str(anio), "hasta": str(hasta)}))
            anio = hasta + self.rng.randint(0, 1)
        actual = self.rng.choice(h["trabajo_actual"])
        frases.append(self._rellenar(actual, {"desde": str(min(anio, 2022))}))
        if self.rng.random() < 0.7:
            frases.append(self._rellenar(self.rng.choice(h["comunidad"])))
        return _recortar(frases, limite)

    def _formacion(self, h: Mapping[str, Any], grado: str, estatus: str | None) -> str:
        """The sentence about the highest studies, agreeing with their status."""
        if estatus is None:
            return self._rellenar(self.rng.choice(h["formacion"]["sin_estudios"]))
        tipo = {"cursando": "cursando", "trunco": "trunca"}.get(estatus, "terminada")
        nivel = self._rellenar(h["nivel"][grado], mayuscula=False)
        frase = self._rellenar(self.rng.choice(h["formacion"][tipo]), {"nivel": nivel})
        titulo = h["titulo"].get(estatus)
        return f"{frase} {titulo}" if titulo else frase

    def _trayectoria(self, limite: int) -> str:
        """Offices held, oldest first, and social work; or a first candidacy."""
        t = self.material["trayectoria"]
        if self.rng.random() < 0.35:
            frases = [self._rellenar(self.rng.choice(t["primera"]))]
        else:
            frases = []
            anio = self.rng.randint(2000, 2012)
            for plantilla in self.rng.sample(t["cargos"], self.rng.randint(1, 2)):
                hasta = min(anio + 3, 2023)
                frases.append(self._rellenar(plantilla, {"desde": str(anio), "hasta": str(hasta)}))
                anio = hasta + self.rng.randint(0, 3)
        frases.append(self._rellenar(self.rng.choice(t["social"])))
        return _recortar(frases, limite)

    def _motivo(self, limite: int) -> str:
        """Why this person wants the office: an opening, one or two reasons, a commitment."""
        m = self.material["motivo"]
        frases = [self.rng.choice(m["inicio"])]
        frases += self.rng.sample(m["centro"], self.rng.randint(1, 2))
        frases.append(self.rng.choice(m["cierre"]))
        return _recortar([self._rellenar(f) for f in frases], limite)

    def _cursos(self, limites: Limites) -> list[str]:
        """None to five courses, each within the per-course limit."""
        cuantos = min(self.rng.choice((0, 1, 2, 2, 3, 3, 4, 5)), limites.max_cursos)
        return [c[: limites.curso] for c in self.rng.sample(self.material["cursos"], cuantos)]

    def _rellenar(
        self, plantilla: str, extra: Mapping[str, str] | None = None, *, mayuscula: bool = True
    ) -> str:
        """A sentence with its marks replaced, in the persona's grammatical gender."""
        desde = self.rng.randint(1996, 2016)
        valores: dict[str, Any] = {
            **self.lugar,
            "periodo": "la legislatura" if self.diputacion else "la administración municipal",
            "cuerpo": "el Congreso" if self.diputacion else "el cabildo",
            "porcentaje": self.rng.choice((10, 15, 20, 25, 30, 35, 40)),
            "porcentaje_alto": self.rng.choice((85, 90, 95)),
            "meses": self.rng.choice((6, 9, 12, 18)),
            "cantidad": self.rng.choice((12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150)),
            "uno_de_cada": self.rng.randint(3, 10),
            "miles": self.rng.randint(2, 12),
            "pocos": self.rng.randint(2, 6),
            "horas": self.rng.choice((2, 4, 6, 12, 24)),
            "anios": self.rng.randint(5, 25),
            "desde": desde,
            "hasta": min(2023, desde + self.rng.randint(3, 8)),
            "comision": self.rng.choice(self.material["trayectoria"]["comisiones"]),
            "carrera": self.rng.choice(self.material["historia"]["carreras"]),
            "posgrado": self.rng.choice(self.material["historia"]["posgrados"]),
            "tecnica": self.rng.choice(self.material["historia"]["tecnicas"]),
            "institucion": self.rng.choice(self.material["historia"]["instituciones"]),
            **(extra or {}),
        }
        texto = _MARCA.sub(lambda m: str(valores[m.group(1)]), plantilla)
        indice = _INDICE_SEXO.get(self.persona.sexo, 2)
        texto = _GENERO.sub(lambda m: m.group(indice + 1), texto)
        texto = _CONTRACCION.sub(lambda m: "al" if m.group(1) == "a" else "del", texto)
        return texto[:1].upper() + texto[1:] if mayuscula else texto


def _lugar(persona: Persona) -> dict[str, str]:
    """How the texts name the candidacy's territory, with its preposition («en …», «de …»)."""
    if persona.cargo == DIPUTACION:
        if persona.principio == "RP" or persona.distrito is None:
            return {"en_lugar": "en el Estado de México", "del_lugar": "del Estado de México"}
        cabecera = f" ({persona.cabecera})" if persona.cabecera else ""
        return {
            "en_lugar": f"en el distrito local {persona.distrito}{cabecera}",
            "del_lugar": f"del distrito local {persona.distrito}{cabecera}",
        }
    if persona.municipio:
        return {"en_lugar": f"en {persona.municipio}", "del_lugar": f"de {persona.municipio}"}
    return {"en_lugar": "en el municipio", "del_lugar": "del municipio"}


def _ajustar(frases: Mapping[str, str], limite: int) -> str:
    """The proposal's sentences joined, dropping the least important ones until it fits."""
    quedan = dict(frases)
    for clave in _PRESCINDIBLES:
        if len(" ".join(quedan.values())) <= limite:
            break
        quedan.pop(clave)
    return _recortar(list(quedan.values()), limite)


def _recortar(frases: Sequence[str], limite: int) -> str:
    """Whole sentences while they fit; a first sentence too long is cut at a word."""
    texto = ""
    for frase in frases:
        junto = f"{texto} {frase}" if texto else frase
        if len(junto) > limite:
            break
        texto = junto
    if texto:
        return texto
    corte = frases[0][: max(limite - 1, 1)].rsplit(" ", 1)[0].rstrip(",;:")
    return corte + "."


class _Contacto:
    """Public contact data in valid formats, on fictitious addresses."""

    def __init__(self, persona: Persona, material: Mapping[str, Any], rng: random.Random) -> None:
        self.persona = persona
        self.material = material
        self.rng = rng
        nombre, apellido = partes_del_nombre(persona.nombre)
        self.nombre = ascii_minusculas(nombre) or "candidatura"
        self.apellido = ascii_minusculas(apellido) or "demo"

    def respuestas(self, limites: Limites) -> dict[str, Any]:
        """Phone, e-mail, web page, social networks, campaign office and clarifications e-mail."""
        dominio = self.material["dominio"]
        usuario = f"{self.nombre}.{self.apellido}"
        datos: dict[str, Any] = {"correo_aclaraciones": f"aclaraciones.{usuario}@{dominio}"}
        if self.rng.random() < 0.85:
            datos["telefono_publico"] = self._telefono()
        if self.rng.random() < 0.9:
            sufijo = self.rng.choice(("", "", str(self.rng.randint(1, 99))))
            datos["correo_publico"] = f"{usuario}{sufijo}@{dominio}"
        if self.rng.random() < 0.4:
            datos["pagina_web"] = f"https://{self.nombre}{self.apellido}.{dominio}"
        redes = self._redes()
        if redes:
            datos["redes_sociales"] = redes
        if self.rng.random() < 0.6:
            datos["domicilio_casa_campana"] = self._domicilio()[: limites.domicilio]
        return datos

    def _telefono(self) -> str:
        """Ten digits: a real area code of the region and a fictitious 555 number."""
        inicio = str(self.rng.choice(self.material["ladas"])) + "555"
        return inicio + "".join(str(self.rng.randint(0, 9)) for _ in range(10 - len(inicio)))

    def _redes(self) -> dict[str, str]:
        """Handles on some networks (a few candidacies have none)."""
        corto = f"{self.nombre}{self.apellido}"
        redes: dict[str, str] = {}
        if self.rng.random() < 0.75:
            redes["facebook"] = f"{self.nombre}.{self.apellido}.{self.rng.randint(10, 99)}"
        if self.rng.random() < 0.45:
            redes["x"] = "@" + corto[:13] + str(self.rng.randint(1, 9))
        if self.rng.random() < 0.4:
            redes["instagram"] = f"{self.nombre}.{self.apellido}"[:30]
        if self.rng.random() < 0.2:
            redes["tiktok"] = corto[:22] + "mx"
        if self.rng.random() < 0.1:
            redes["youtube"] = corto[:28] + "tv"
        return redes

    def _domicilio(self) -> str:
        """Street, number, neighbourhood, town and a postal code of the Estado de México."""
        lugar = self.persona.municipio or self.persona.cabecera or "Toluca de Lerdo"
        calle = self.rng.choice(self.material["calles"])
        colonia = self.rng.choice(self.material["colonias"])
        numero = self.rng.randint(1, 450)
        codigo = self.rng.randint(50000, 57999)
        return f"{calle} {numero}, Col. {colonia}, {lugar}, Estado de México, C.P. {codigo}"


class _Identidad:
    """The cuestionario de identidad, consistent with the acción afirmativa and the sex."""

    def __init__(self, persona: Persona, material: Mapping[str, Any], rng: random.Random) -> None:
        self.persona = persona
        self.material = material
        self.rng = rng
        self.accion = persona.accion_afirmativa

    def _si_no(self, grupo: str, probabilidad: float, *, reserva: float = 0.03) -> str:
        """Sí under the group's acción afirmativa; else Sí, No or, sometimes, no answer."""
        if self.accion == grupo:
            return "Sí"
        azar = self.rng.random()
        if azar < reserva:
            return PREFIERO_NO_CONTESTAR
        return "Sí" if azar < reserva + probabilidad else "No"

    def respuestas(self) -> dict[str, Any]:
        """The applicable questions answered (the others are «No aplica» on saving)."""
        r: dict[str, Any] = {"indigena": self._si_no("indigena", 0.08)}
        if r["indigena"] == "Sí":
            r["lengua_indigena"] = "Sí" if self.rng.random() < 0.5 else "No"
            r["pueblo_indigena"] = _ponderado(self.rng, self.material["pueblos"])
        else:
            r["lengua_indigena"] = self._si_no("", 0.0)
        r["discapacidad"] = self._si_no("discapacidad", 0.04)
        if r["discapacidad"] == "Sí":
            r.update(self._discapacidad())
        r["afromexicana"] = self._si_no("afromexicana", 0.02)
        r.update(self._diversidad())
        r["migrante"] = self._si_no("migrante", 0.02, reserva=0.02)
        if r["migrante"] == "Sí":
            r.update(self._migracion())
        # Age is in the registry, not here: only an age-based acción afirmativa answers it.
        r["joven"] = self._edad("joven")
        r["persona_mayor"] = self._edad("persona_mayor")
        r["ingresos"] = _ponderado(self.rng, self.material["ingresos"])
        r["fuente_ingresos"] = _ponderado(self.rng, self.material["fuente_ingresos"])
        r["entidad_nacimiento"] = _ponderado(self.rng, self.material["entidades"])
        return r

    def _edad(self, grupo: str) -> str:
        if self.accion in ("joven", "persona_mayor"):
            return "Sí" if self.accion == grupo else "No"
        return PREFIERO_NO_CONTESTAR

    def _discapacidad(self) -> dict[str, Any]:
        """Type, class and the difficulty that goes with the class."""
        clase, dificultad = self.rng.choice(
            (
                ("Física", "Caminar, subir o bajar escaleras con sus piernas"),
                ("Física", "Mover o usar brazos y/o manos"),
                ("Sensorial", "Ver (aunque use lentes)"),
                ("Sensorial", "Escuchar (aunque use aparato auditivo)"),
                ("Intelectual", "Aprender, recordar y/o concentrarse"),
            )
        )
        return {
            "tipo_discapacidad": "Permanente" if self.rng.random() < 0.85 else "Temporal",
            "clase_discapacidad": [clase],
            "dificultad_discapacidad": [dificultad],
        }

    def _diversidad(self) -> dict[str, Any]:
        """LGBTTTIQ+ belonging; a non-binary registry sex answers it with its identity."""
        if self.persona.sexo == "no_binario":
            return {"lgbtttiq": "Sí", "identidad_lgbtttiq": ["Persona no binaria"]}
        respuesta = self._si_no("lgbtttiq", 0.04, reserva=0.08)
        if respuesta != "Sí":
            return {"lgbtttiq": respuesta}
        opciones = (
            ("Mujer lesbiana", "Persona bisexual", "Mujer trans")
            if self.persona.sexo == "mujer"
            else ("Hombre gay", "Persona bisexual", "Hombre trans")
        )
        return {"lgbtttiq": "Sí", "identidad_lgbtttiq": [self.rng.choice(opciones)]}

    def _migracion(self) -> dict[str, Any]:
        """Country, time abroad, reason and status when leaving."""
        return {
            "pais_residencia": _ponderado(self.rng, self.material["paises"]),
            "tiempo_extranjero": self.rng.choice(
                ("De 0 a 5 años", "De 6 a 15 años", "Más de 15 años")
            ),
            "motivo_extranjero": self.rng.choice(("Trabajo", "Trabajo", "Familiar", "Estudio")),
            "situacion_regular": "Sí" if self.rng.random() < 0.4 else "No",
        }
