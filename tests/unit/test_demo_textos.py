"""The demo questionnaire generator: deterministic, within the election's limits, valid, clean."""

import csv
import json
import random
import re
from functools import cache
from typing import Any

import pytest

from captura.domain.curricular import ConfiguracionCurricular, validar_curricular
from captura.domain.identidad import validar_identidad
from comun.cuestionario_identidad import PREFIERO_NO_CONTESTAR
from comun.settings import archivo_de_datos
from conoceles import demo_textos
from conoceles.demo_textos import Limites, Persona, Respuestas
from validacion.domain.revisiones import (
    Catalogo,
    IndiceDuplicados,
    Mencionable,
    TipoMencionable,
    revisar_texto,
)

ELECCION = archivo_de_datos("elecciones/edomex-2024")
CARGOS = ("diputacion_local", "presidencia_municipal", "sindicatura", "regiduria", "regiduria")
ACCIONES = (None,) * 8 + (
    "indigena", "discapacidad", "afromexicana", "lgbtttiq", "migrante", "joven", "persona_mayor",
)  # fmt: skip
NOMBRES = ("Brisa Álvarez Rendón", "José Ángel Núñez Peña", "Xóchitl Ortiz", "Luis Ibarra Soto")


@cache
def configuracion() -> dict[str, Any]:
    datos: dict[str, Any] = json.loads((ELECCION / "eleccion.json").read_text(encoding="utf-8"))
    return dict(datos["cuestionario_curricular"])


@cache
def material() -> dict[str, Any]:
    return demo_textos.leer_material()


@cache
def municipios() -> list[str]:
    with (ELECCION / "municipios.csv").open(encoding="utf-8") as archivo:
        return [fila["nombre"] for fila in csv.DictReader(archivo)]


@cache
def catalogo() -> Catalogo:
    """Parties and coalitions of the election, as validacion's alusión check knows them."""
    with (ELECCION / "partidos.csv").open(encoding="utf-8") as archivo:
        partidos = [
            Mencionable(TipoMencionable.PARTIDO, f["siglas"], f["nombre"], (f["siglas"],))
            for f in csv.DictReader(archivo)
        ]
    postulaciones = json.loads((ELECCION / "postulaciones.json").read_text(encoding="utf-8"))
    coaliciones = [
        Mencionable(TipoMencionable.COALICION, c["clave"], c["nombre"], (c["clave"],))
        for grupo in postulaciones.values()
        for c in grupo
    ]
    return Catalogo.de([*partidos, *coaliciones])


def personas(cuantas: int, semilla: int = 7) -> list[Persona]:
    """Varied candidacies: offices, principles, places, sexes and acciones afirmativas."""
    rng = random.Random(semilla)
    return [
        Persona(
            candidatura_id=f"DEMO-{i:04d}",
            nombre=rng.choice(NOMBRES),
            sexo=rng.choice(("mujer", "mujer", "hombre", "hombre", "no_binario")),
            cargo=(cargo := rng.choice(CARGOS)),
            principio=rng.choice(("MR", "MR", "RP")),
            distrito=rng.randint(1, 45),
            municipio=None if cargo == "diputacion_local" else rng.choice(municipios()),
            cabecera="Toluca de Lerdo",
            accion_afirmativa=rng.choice(ACCIONES),
        )
        for i in range(cuantas)
    ]


def generar(persona: Persona, limites: Limites | None = None, semilla: int = 2024) -> Respuestas:
    return demo_textos.generar(
        persona,
        material=material(),
        limites=limites or Limites.de_eleccion(configuracion()),
        semilla=semilla,
    )


@cache
def muestra() -> list[tuple[Persona, Respuestas]]:
    return [(p, generar(p)) for p in personas(300)]


def test_las_mismas_entradas_dan_las_mismas_respuestas() -> None:
    persona = personas(1)[0]
    assert generar(persona) == generar(persona)
    assert generar(persona, semilla=1) != generar(persona, semilla=2)


def test_cada_candidatura_recibe_textos_propios() -> None:
    propuestas = [r.curricular["propuesta_1"] for _, r in muestra()]
    historias = [r.curricular["historia_profesional"] for _, r in muestra()]
    assert len(set(propuestas)) == len(propuestas)
    assert len(set(historias)) > 0.95 * len(historias)


def test_los_textos_caben_en_los_limites_de_la_eleccion() -> None:
    limites = Limites.de_eleccion(configuracion())
    assert limites.propuesta == configuracion()["limite_propuesta"]
    for _, r in muestra():
        c = r.curricular
        for campo in ("propuesta_1", "propuesta_2", "propuesta_genero"):
            assert 300 < len(c[campo]) <= limites.propuesta
        assert len(c["historia_profesional"]) <= limites.historia_profesional
        assert len(c["trayectoria_politica"]) <= limites.trayectoria_politica
        assert len(c["motivo_cargo_publico"]) <= limites.motivo_cargo_publico
        assert all(len(curso) <= limites.curso for curso in c.get("cursos", []))
        assert len(c.get("cursos", [])) <= limites.max_cursos


def test_con_limites_estrechos_los_textos_se_recortan_sin_pasarse() -> None:
    estrechos = Limites(
        propuesta=200, historia_profesional=150, trayectoria_politica=90,
        motivo_cargo_publico=120, curso=20, max_cursos=1, domicilio=40,
    )  # fmt: skip
    for persona in personas(40):
        c = generar(persona, estrechos).curricular
        for campo, limite in (
            ("propuesta_1", 200), ("propuesta_genero", 200), ("historia_profesional", 150),
            ("trayectoria_politica", 90), ("motivo_cargo_publico", 120),
        ):  # fmt: skip
            assert 0 < len(c[campo]) <= limite, (campo, c[campo])
            assert c[campo].endswith("."), c[campo]
        assert len(c.get("cursos", [])) <= 1
        assert len(c.get("domicilio_casa_campana", "")) <= 40


def test_las_respuestas_curriculares_pasan_la_validacion_de_captura() -> None:
    config = ConfiguracionCurricular.desde_dict(configuracion())
    for _, r in muestra():
        limpias, errores = validar_curricular(r.curricular, config=config)
        assert errores == {}, (errores, r.curricular)
        assert limpias["grado_maximo_estudios"] == r.curricular["grado_maximo_estudios"]


def test_los_datos_de_contacto_tienen_formatos_validos() -> None:
    for _, r in muestra():
        c = r.curricular
        if "telefono_publico" in c:
            assert re.fullmatch(r"[2-9]\d{9}", c["telefono_publico"])
        if "correo_publico" in c:
            assert re.fullmatch(r"[a-z0-9.]+@ejemplo\.mx", c["correo_publico"])
        if "pagina_web" in c:
            assert re.fullmatch(r"https://[a-z0-9]+\.ejemplo\.mx", c["pagina_web"])
        for handle in (c.get("redes_sociales") or {}).values():
            assert handle.isascii() and " " not in handle
        assert c["correo_aclaraciones"].endswith("@ejemplo.mx")
    con_telefono = sum("telefono_publico" in r.curricular for _, r in muestra())
    con_redes = sum("redes_sociales" in r.curricular for _, r in muestra())
    assert 0.7 * len(muestra()) < con_telefono < len(muestra())
    assert 0.6 * len(muestra()) < con_redes < len(muestra())


def test_el_cuestionario_de_identidad_es_valido_y_a_veces_prefiere_no_contestar() -> None:
    reservas = 0
    for _, r in muestra():
        _, errores = validar_identidad(r.identidad)
        assert errores == {}, (errores, r.identidad)
        reservas += PREFIERO_NO_CONTESTAR in (r.identidad["ingresos"], r.identidad["lgbtttiq"])
    assert 0.05 * len(muestra()) < reservas < 0.5 * len(muestra())


def test_algunas_candidaturas_consienten_publicar_su_identidad_y_otras_no() -> None:
    consienten = sum(r.publicar_identidad for _, r in muestra())
    assert 0.3 * len(muestra()) < consienten < 0.6 * len(muestra())


def test_la_accion_afirmativa_se_refleja_en_identidad_y_en_la_propuesta_de_genero() -> None:
    pregunta = {
        "indigena": "indigena", "discapacidad": "discapacidad", "afromexicana": "afromexicana",
        "lgbtttiq": "lgbtttiq", "migrante": "migrante", "joven": "joven",
        "persona_mayor": "persona_mayor",
    }  # fmt: skip
    temas = material()["temas_genero"]
    for persona, r in muestra():
        accion = persona.accion_afirmativa
        if accion is None:
            assert r.identidad["joven"] == r.identidad["persona_mayor"] == PREFIERO_NO_CONTESTAR
            continue
        assert r.identidad[pregunta[accion]] == "Sí", (accion, r.identidad)
        tema = temas[material()["genero_por_accion_afirmativa"][accion]]
        assert any(a in r.curricular["propuesta_genero"] for a in tema["acciones"])


def test_una_persona_no_binaria_se_identifica_como_tal() -> None:
    for persona, r in muestra():
        if persona.sexo == "no_binario":
            assert r.identidad["identidad_lgbtttiq"] == ["Persona no binaria"]


def test_ningun_texto_activa_las_revisiones_automaticas() -> None:
    for _, r in muestra():
        for campo, texto in demo_textos.textos_libres(r.curricular):
            assert revisar_texto(texto, campo=campo, catalogo=catalogo()) == [], (campo, texto)


def test_las_propuestas_no_parecen_copias_entre_candidaturas() -> None:
    indice = IndiceDuplicados()
    for persona, r in muestra():
        for campo in ("propuesta_1", "propuesta_2", "propuesta_genero"):
            indice.agregar(persona.candidatura_id, campo, r.curricular[campo])
    assert list(indice.pares()) == []


@pytest.mark.parametrize("marca", ["{", "}", "[", "]", "  "])
def test_no_quedan_marcas_sin_rellenar(marca: str) -> None:
    for _, r in muestra():
        for campo, texto in demo_textos.textos_libres(r.curricular):
            assert marca not in texto, (campo, texto)


def test_las_contracciones_y_las_mayusculas_se_respetan() -> None:
    for _, r in muestra():
        for _, texto in demo_textos.textos_libres(r.curricular):
            assert not re.search(r"\b(?:a|de) el\b", texto), texto
            assert not re.search(r"\. [a-záéíóú]", texto), texto
