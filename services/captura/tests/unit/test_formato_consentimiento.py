"""The pre-filled consent format (PTO 18) is a PDF that carries the candidacy's data."""

import re
import subprocess
import sys

from captura.adapters.formato_consentimiento import (
    DIRECTORIOS_FUENTES,
    FormatoConsentimiento,
    _dejavu,
    formato_consentimiento,
    transliterar,
)
from comun.pruebas import falta

NOMBRE = "María Guadalupe Núñez Peña"


def datos(**cambios: str) -> FormatoConsentimiento:
    """A diputación candidacy with accents in every field that can have them."""
    valores = {
        "nombre": NOMBRE,
        "cargo": "Diputación local",
        "principio": "Mayoría relativa",
        "demarcacion": "Distrito 5, Toluca de Lerdo",
        "postulante": "Coalición «Juntos por el Estado de México»",
        "tipo": "Propietaria",
        "id_candidatura": "DIP-MR-05-P-0012",
        "eleccion": "Elección de diputaciones locales 2024",
    } | cambios
    return FormatoConsentimiento(**valores)


def textos(pdf: bytes) -> str:
    """Every string drawn in an uncompressed fpdf2 PDF, decoded with each font's ToUnicode map."""
    mapas = [
        {int(g, 16): chr(int(u, 16)) for g, u in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", m)}
        for m in re.findall(rb"beginbfchar(.*?)endbfchar", pdf, re.S)
    ]
    salida = []
    for cruda in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", pdf, re.S):
        cadena = re.sub(
            rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m[1], m[1]), cruda
        )
        salida.append(cadena.decode("latin-1"))
        codigos = [int.from_bytes(cadena[i : i + 2], "big") for i in range(0, len(cadena) - 1, 2)]
        salida.extend("".join(mapa.get(c, "\ufffd") for c in codigos) for mapa in mapas)
    return "\n".join(salida)


def test_el_formato_es_un_pdf() -> None:
    pdf = formato_consentimiento(datos=datos())
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_el_formato_lleva_el_titulo_en_sus_metadatos() -> None:
    pdf = formato_consentimiento(datos=datos(), comprimir=False)
    assert b"/Title" in pdf
    assert b"/Lang" in pdf


def test_el_mismo_dato_produce_los_mismos_bytes() -> None:
    assert formato_consentimiento(datos=datos()) == formato_consentimiento(datos=datos())


def test_con_dejavu_el_nombre_y_los_acentos_sobreviven() -> None:
    if _dejavu(DIRECTORIOS_FUENTES) is None:
        falta("DejaVu no está instalada", como="instale el paquete fonts-dejavu-core de Debian")
    contenido = textos(formato_consentimiento(datos=datos(), comprimir=False))
    assert NOMBRE in contenido
    assert "Coalición «Juntos por el Estado de México»" in contenido
    assert "DIP-MR-05-P-0012" in contenido


def test_el_formato_pide_las_tres_autorizaciones_por_separado() -> None:
    # Core fonts: the same text is laid out whether or not DejaVu is installed.
    pdf = formato_consentimiento(datos=datos(), comprimir=False, fuentes=())
    contenido = " ".join(textos(pdf).split())
    assert contenido.count("Sí autorizo") == 3
    assert contenido.count("No autorizo") == 3
    for titulo in ("a) Tratamiento", "b) Publicación", "c) Uso estadístico"):
        assert titulo in contenido
    assert "acción afirmativa" in contenido


def test_sin_fuentes_unicode_usa_las_fuentes_base_y_conserva_los_acentos() -> None:
    pdf = formato_consentimiento(datos=datos(), comprimir=False, fuentes=())
    assert b"/Helvetica" in pdf
    assert NOMBRE.encode("latin-1") in pdf


def test_sin_fuentes_unicode_los_caracteres_ajenos_al_latin1_se_transliteran() -> None:
    assert transliterar("Ñuñoa — Łódź “x” ☃") == 'Ñuñoa - ?ódz "x" ?'


def test_el_lugar_y_la_fecha_se_prellenan_si_se_conocen() -> None:
    pdf = formato_consentimiento(
        datos=datos(lugar="Toluca, México", fecha="15 de abril de 2024"),
        comprimir=False,
        fuentes=(),
    )
    assert b"Lugar: Toluca, M\xe9xico" in pdf
    assert b"15 de abril de 2024" in pdf


def test_un_nombre_muy_largo_cabe_en_dos_paginas_a_lo_mas() -> None:
    largo = datos(nombre="Ana " * 60, postulante="Partido " * 60)
    pdf = formato_consentimiento(datos=largo, comprimir=False)
    assert 1 <= pdf.count(b"/Type /Page\n") <= 2


def test_importar_el_modulo_no_carga_fpdf() -> None:
    codigo = "import sys, captura.adapters.formato_consentimiento; sys.exit('fpdf' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", codigo], check=False).returncode == 0
