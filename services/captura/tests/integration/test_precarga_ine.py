"""The real INE 2022 file (479 candidacies) through the pre-load path (issue 6, point 10)."""

import pathlib
import re
from collections import Counter
from datetime import date

from captura import handlers
from captura.adapters import CandidaturaRepository, EleccionRepository, leer_directorio_eleccion
from captura.domain import Registro
from captura.handlers import precarga
from captura.handlers.cuestionarios import cifrador_de, guardar_curricular
from comun.auth.usuario import Usuario
from comun.eventos import SISTEMA
from comun.eventos.vocabulario import Cargo, Postulante, Principio, Sexo, TipoCandidatura
from comun.roles import Rol
from comun.settings import archivo_de_datos
from comun.store.sqlite import open_sqlite

INE = archivo_de_datos("ine/ine-2022-baseDatosCandidatos.xls")
CARGOS = {
    "DIPUTACIÓN LOCAL MR": (Cargo.DIPUTACION_LOCAL, Principio.MR),
    "PRESIDENCIA MUNICIPAL": (Cargo.PRESIDENCIA_MUNICIPAL, Principio.MR),
}


def _nada(doc_id: str | None = None) -> None:
    """No relay in this test."""


def causa(motivo: str) -> str:
    """A reason without its numbers and quoted values, to count rows by cause."""
    return re.sub(r"\d[\d,]*", "N", re.sub(r"«[^»]*»", "«…»", motivo))[:40]


async def test_el_archivo_real_del_ine_se_precarga_con_estas_cifras(tmp_path: pathlib.Path) -> None:
    store = await open_sqlite(tmp_path / "captura.db")
    elecciones = EleccionRepository(store, avisar_relay=_nada)
    datos = leer_directorio_eleccion(archivo_de_datos("elecciones/simulacro-2025"))
    eleccion, _ = await handlers.cargar_eleccion(repo=elecciones, datos=datos, actor=SISTEMA)
    repo = CandidaturaRepository(store, avisar_relay=_nada)
    await repo.preparar()
    formato, filas = precarga.leer_libro(INE, INE.name, eleccion_id=eleccion.id)
    assert (formato, len(filas)) == ("ine", 479)
    # Each INE row becomes one candidacy of PRO with that person's name, type and office
    # (gubernatura and RP deputations, which the drill has no room for, as RP deputations).
    for n, fila in enumerate(filas, start=1):
        referencia = fila.referencia
        assert referencia is not None
        cargo, principio = CARGOS.get(referencia.cargo, (Cargo.DIPUTACION_LOCAL, Principio.RP))
        tipo = (
            TipoCandidatura.SUPLENTE
            if referencia.tipo == "SUPLENTE"
            else TipoCandidatura.PROPIETARIA
        )
        registro = Registro(
            eleccion=eleccion.id, nombres=referencia.nombre, cargo=cargo, principio=principio,
            tipo_candidatura=tipo, postulante=Postulante.PARTIDO, sexo=Sexo.MUJER,
            fecha_nacimiento=date(1980, 1, 1), partido="PRO", clave_postulante="PRO",
            distrito=1 if principio is Principio.MR and cargo is Cargo.DIPUTACION_LOCAL else None,
            municipio="99001" if cargo is Cargo.PRESIDENCIA_MUNICIPAL else None, posicion=1,
        )  # fmt: skip
        await handlers.registrar_candidatura(
            repo=repo, id=f"INE-{n:03d}", registro=registro, eleccion=eleccion, actor=SISTEMA
        )
    usuario = Usuario(id="u", nombre_usuario="captura.pro", roles=frozenset({Rol.PARTIDO}),
                      partido="PRO")  # fmt: skip
    cifrador = cifrador_de("secreto-de-pruebas")
    resultado = await precarga.precargar(
        repo=repo, eleccion=eleccion, cifrador=cifrador, usuario=usuario, filas=filas
    )
    reporte = precarga.reporte(resultado, archivo=INE.name, formato=formato)
    # 203 rows saved; 140 bring nothing (INE publishes blanks and «No proporcionó» for whoever
    # did not answer); 136 have at least one cell our rules refuse, counted by cause below.
    assert reporte["resumen"] == {"aceptadas": 203, "rechazadas": 136, "sin_cambios": 140}
    por_fila: dict[tuple[str, int], set[str]] = {}
    for r in reporte["rechazadas"]:
        por_fila.setdefault((r["hoja"], r["fila"]), set()).add(causa(r["motivo"]))
    causas = Counter(c for motivos in por_fila.values() for c in motivos)
    assert causas == {
        # CURSOS is one prose paragraph in INE's file, over the 250 characters per course.
        "El curso N tiene N caracteres; el máximo": 124,
        # REDES links to a post, a story, a video or the bare site instead of a profile.
        "Ese enlace de Facebook no es de un perfi": 4,
        "Ese enlace de Instagram no es de un perf": 3,
        "Ese enlace de TikTok no es de un perfil;": 5,
        "Ese enlace de YouTube no es de un canal;": 2,
        # Question 3 answered «No aplica» by someone who said Sí to question 1.
        "La pregunta N aplica por su respuesta a ": 4,
        # «Otro» pueblo with no name written.
        "Escriba cuál en la pregunta N porque eli": 3,
    }
    otra = await precarga.precargar(
        repo=repo, eleccion=eleccion, cifrador=cifrador, usuario=usuario, filas=filas
    )
    assert (len(otra.aceptadas), len(otra.sin_cambios)) == (0, 343)
    # A capturer then edits one pre-loaded candidacy in the system: INE's layout carries no
    # version, so a later upload of that row is refused instead of overwriting the edit.
    editada = otra.sin_cambios[0]["id"]
    actual = await repo.obtener(editada)
    assert actual is not None
    await guardar_curricular(
        repo=repo, eleccion=eleccion, usuario=usuario, candidatura_id=editada,
        respuestas={**actual.cuestionarios.curricular, "propuesta_2": "Corregida en el sistema."},
        revision=actual.cuestionarios.revision_curricular,
    )  # fmt: skip
    tercera = await precarga.precargar(
        repo=repo, eleccion=eleccion, cifrador=cifrador, usuario=usuario, filas=filas
    )
    motivos = [r["motivo"] for r in tercera.rechazadas if r["id"] == editada]
    assert any("ya se capturó en el sistema" in m for m in motivos), motivos
    await store.close()
