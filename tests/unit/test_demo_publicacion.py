"""Pure parts of the demo publication: which candidacies, which accounts, the portrait."""

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from comun.roles import Rol
from conoceles.demo_publicacion import Cuentas, elegir, retrato


def candidatura(cid: str, partido: str | None, *, estado: str = "registrada") -> dict[str, Any]:
    clave = None if partido else f"IND-{cid[-1]}"
    return {"id": cid, "partido": partido, "clave_postulante": clave, "estado": estado}


REGISTRO = [
    *(candidatura(f"PAN-{i}", "PAN") for i in range(6)),
    *(candidatura(f"PRI-{i}", "PRI") for i in range(6)),
    *(candidatura(f"PES-{i}", "PES") for i in range(6)),
    *(candidatura(f"IND-{i}", None) for i in range(3)),
]


def test_elegir_alterna_los_partidos_con_las_independientes_primero() -> None:
    elegidas = elegir(REGISTRO, cantidad=6, partidos=["PAN", "PRI"])
    grupos = [c["partido"] or "independiente" for c in elegidas]
    assert grupos == ["independiente", "PAN", "PRI"] * 2


def test_elegir_deja_fuera_partidos_sin_cuentas_bajas_y_exclusiones() -> None:
    registro = [*REGISTRO, candidatura("PAN-baja", "PAN", estado="cancelada")]
    elegidas = elegir(registro, cantidad=100, partidos=["PAN"], excluir=["PAN-0"])
    ids = {c["id"] for c in elegidas}
    assert ids == {f"PAN-{i}" for i in range(1, 6)} | {f"IND-{i}" for i in range(3)}


def test_una_cantidad_mayor_conserva_la_eleccion_menor() -> None:
    pocas = elegir(REGISTRO, cantidad=5, partidos=["PAN", "PRI"])
    muchas = elegir(REGISTRO, cantidad=12, partidos=["PAN", "PRI"])
    assert muchas[:5] == pocas
    assert elegir(REGISTRO, cantidad=5, partidos=["PAN", "PRI"], semilla=1) != pocas


@dataclass
class Credencial:
    usuario: str
    clave: str
    rol: Rol
    partido: str | None = None


def test_las_cuentas_se_reconocen_por_rol_y_partido() -> None:
    cuentas = Cuentas.de(
        [
            Credencial("admin", "x", Rol.ADMINISTRADOR),
            Credencial("captura.pan", "x", Rol.PARTIDO, "PAN"),
            Credencial("supervisor.pan", "x", Rol.SUPERVISOR, "PAN"),
            Credencial("captura.pri", "x", Rol.PARTIDO, "PRI"),
            Credencial("candidatura.demo", "x", Rol.CANDIDATURA, "PRD"),
        ]
    )
    assert cuentas.admin == "admin"
    assert cuentas.partidos() == {"PAN"}
    assert cuentas.captura["PAN"] == "captura.pan"
    assert cuentas.candidatura_demo == "candidatura.demo"


def test_el_retrato_es_un_jpeg_determinista_con_tamano_de_fotografia() -> None:
    uno = retrato("Brisa Álvarez Rendón", clave="2024:DL-MR-41-FYCEM-P")
    assert uno == retrato("Brisa Álvarez Rendón", clave="2024:DL-MR-41-FYCEM-P")
    imagen = Image.open(io.BytesIO(uno))
    assert imagen.format == "JPEG" and imagen.size == (600, 800)
