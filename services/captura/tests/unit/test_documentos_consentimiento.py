"""Checking of the signed consent document: passive PDFs and legible scans only."""

import io
import random
import zlib

import pytest
from PIL import Image

from captura.adapters.documentos import DocumentoInvalido, revisar_documento


def pdf(*objetos: bytes, final: bytes = b"%%EOF\n", version: bytes = b"1.7") -> bytes:
    """A small PDF with the given objects after a catalog and one empty page."""
    cuerpo = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *objetos,
    ]
    salida = io.BytesIO()
    salida.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    posiciones = []
    for numero, objeto in enumerate(cuerpo, start=1):
        posiciones.append(salida.tell())
        salida.write(b"%d 0 obj\n" % numero + objeto + b"\nendobj\n")
    inicio_xref = salida.tell()
    salida.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(cuerpo) + 1))
    salida.writelines(b"%010d 00000 n \n" % p for p in posiciones)
    salida.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(cuerpo) + 1))
    salida.write(b"startxref\n%d\n" % inicio_xref + final)
    return salida.getvalue()


def stream(diccionario: bytes, datos: bytes) -> bytes:
    return b"<< " + diccionario + b" /Length %d >>\nstream\n" % len(datos) + datos + b"\nendstream"


def objetos_comprimidos(texto: bytes) -> bytes:
    """An object stream (PDF 1.5+) hiding `texto` behind FlateDecode."""
    return stream(
        b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlib.compress(b"9 0 " + texto)
    )


def escaneo(ancho: int = 2480, alto: int = 3508, formato: str = "JPEG") -> bytes:
    """A white page with a dark signature stroke, as a scanner would send it."""
    pagina = Image.new("RGB", (ancho, alto), (255, 255, 255))
    pagina.paste((20, 20, 20), (ancho // 4, alto // 2, ancho // 2, alto // 2 + 20))
    salida = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "EscanerDeOficina"
    pagina.save(salida, formato, exif=exif.tobytes())
    return salida.getvalue()


def rechazo(contenido: bytes, **opciones: int) -> str:
    with pytest.raises(DocumentoInvalido) as error:
        revisar_documento(contenido, **opciones)
    return str(error.value)


# ---------------------------------------------------------------- PDFs


def test_un_pdf_sencillo_se_acepta_sin_cambios() -> None:
    documento = pdf()
    assert revisar_documento(documento) == (documento, "application/pdf")


def test_un_pdf_2_se_acepta() -> None:
    documento = pdf(version=b"2.0")
    assert revisar_documento(documento) == (documento, "application/pdf")


def test_un_pdf_con_open_action_que_solo_ajusta_la_vista_se_acepta() -> None:
    documento = pdf(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>")
    assert revisar_documento(documento)[1] == "application/pdf"


def test_un_pdf_con_datos_binarios_que_parecen_nombres_cortos_se_acepta() -> None:
    ruido = bytes(random.Random(7).randrange(256) for _ in range(2000))
    imagen = stream(
        b"/Type /XObject /Subtype /Image /Filter /DCTDecode", ruido + b"/JS /AA " + ruido
    )
    assert revisar_documento(pdf(imagen))[1] == "application/pdf"


def test_un_pdf_con_javascript_se_rechaza_con_mensaje_claro() -> None:
    mensaje = rechazo(pdf(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"))
    assert mensaje.startswith("El PDF contiene contenido activo (/JS, /JavaScript)")
    assert "escanee el documento firmado" in mensaje


def test_un_pdf_con_javascript_escrito_con_escapes_hex_se_rechaza() -> None:
    assert "/JavaScript" in rechazo(pdf(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"))


def test_un_pdf_con_open_action_que_ejecuta_javascript_se_rechaza() -> None:
    accion = b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (this.print()) >> >>"
    assert "/JavaScript" in rechazo(pdf(accion))


@pytest.mark.parametrize(
    ("objeto", "nombre"),
    [
        (b"<< /S /Launch /F (cmd.exe) >>", "/Launch"),
        (b"<< /Type /Annot /AA << /O 5 0 R >> >>", "/AA"),
        (b"<< /Type /EmbeddedFile /Length 0 >>", "/EmbeddedFile"),
        (b"<< /Names << /EmbeddedFiles 6 0 R >> >>", "/EmbeddedFiles"),
        (b"<< /Subtype /RichMedia >>", "/RichMedia"),
        (b"<< /AcroForm << /XFA 7 0 R >> >>", "/XFA"),
        (b"<< /S /SubmitForm /F (https://example.org) >>", "/SubmitForm"),
        (b"<< /S /L#61unch >>", "/Launch"),
    ],
)
def test_un_pdf_con_contenido_activo_se_rechaza(objeto: bytes, nombre: str) -> None:
    assert nombre in rechazo(pdf(objeto))


def test_un_pdf_con_javascript_oculto_en_un_stream_de_objetos_se_rechaza() -> None:
    assert "/JavaScript" in rechazo(pdf(objetos_comprimidos(b"<< /S /JavaScript /JS (x) >>")))


def test_un_pdf_con_stream_de_objetos_inocente_se_acepta() -> None:
    assert revisar_documento(pdf(objetos_comprimidos(b"<< /Producer (Escaner) >>")))


def test_un_pdf_con_stream_de_objetos_que_no_sabemos_leer_se_rechaza() -> None:
    oculto = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode", b"3c3c3e3e>")
    assert "partes comprimidas que no podemos revisar" in rechazo(pdf(oculto))


def test_un_pdf_con_stream_de_objetos_danado_se_rechaza() -> None:
    oculto = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", b"no es zlib")
    assert "partes comprimidas que no podemos revisar" in rechazo(pdf(oculto))


def test_una_bomba_zip_en_un_stream_de_objetos_se_rechaza_sin_descomprimirla_entera() -> None:
    bomba = zlib.compress(b"\x00" * (65 * 1024 * 1024), 9)
    oculto = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomba)
    assert "partes comprimidas" in rechazo(pdf(oculto))


def test_un_pdf_cifrado_pide_un_archivo_sin_proteccion() -> None:
    documento = pdf(final=b"%%EOF\n").replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R")
    assert rechazo(documento).startswith(
        "El PDF está protegido con contraseña o cifrado; guárdelo sin protección"
    )


def test_un_pdf_truncado_sin_eof_se_rechaza() -> None:
    completo = pdf()
    assert "El PDF está incompleto" in rechazo(completo[: len(completo) // 2])


def test_un_pdf_con_eof_lejos_del_final_se_rechaza() -> None:
    assert "incompleto" in rechazo(pdf() + b"\x00" * 4096)


def test_un_pdf_de_version_desconocida_se_rechaza() -> None:
    assert "versión desconocida" in rechazo(pdf(version=b"9.1"))


# ---------------------------------------------------------------- scans


def test_un_escaneo_jpeg_se_reduce_a_3000_pixeles_y_pierde_sus_metadatos() -> None:
    contenido, tipo = revisar_documento(escaneo())
    assert tipo == "image/jpeg"
    salida = Image.open(io.BytesIO(contenido))
    assert max(salida.size) == 3000 and salida.format == "JPEG"
    assert b"EscanerDeOficina" not in contenido and not salida.getexif()


def test_un_escaneo_pequeno_conserva_su_tamano() -> None:
    contenido, _ = revisar_documento(escaneo(1240, 1754))
    assert Image.open(io.BytesIO(contenido)).size == (1240, 1754)


def test_un_escaneo_png_se_guarda_como_jpeg() -> None:
    contenido, tipo = revisar_documento(escaneo(1000, 1400, formato="PNG"))
    assert tipo == "image/jpeg" and contenido.startswith(b"\xff\xd8\xff")


def test_un_escaneo_ilegible_por_pequeno_se_rechaza() -> None:
    assert "al menos 500" in rechazo(escaneo(300, 400))


def test_un_escaneo_truncado_se_rechaza() -> None:
    completo = escaneo(1000, 1400)
    assert "dañada o incompleta" in rechazo(completo[: len(completo) // 2])


# ---------------------------------------------------------------- anything else


def test_un_archivo_vacio_se_rechaza() -> None:
    assert "vacío" in rechazo(b"")


def test_un_documento_de_mas_de_10_mb_se_rechaza() -> None:
    mensaje = rechazo(pdf() + b"\x00" * (10 * 1024 * 1024))
    assert "pesa más de 10 MB; el máximo es 10 MB" in mensaje


def test_el_limite_de_tamano_se_puede_ajustar() -> None:
    assert "el máximo es 0.5 MB" in rechazo(pdf() + b"\x00" * 600_000, max_bytes=512 * 1024)


@pytest.mark.parametrize(
    "contenido",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 200,  # a ZIP renamed to .png
        bytes(random.Random(3).randrange(256) for _ in range(5000)),
        b"<html><script>alert(1)</script></html>",
        b"  %PDF-1.7\n%%EOF",
    ],
    ids=["zip", "aleatorio", "html", "pdf-con-espacios"],
)
def test_lo_que_no_es_pdf_jpeg_ni_png_se_rechaza(contenido: bytes) -> None:
    assert rechazo(contenido).startswith("El archivo no es un PDF ni una imagen JPEG o PNG.")
