"""Processing of candidacy photographs: hostile and odd inputs are refused or cleaned."""

import io
import struct
import subprocess
import sys
import warnings
import zlib
from collections.abc import Callable

import pytest
from PIL import Image, ImageCms, ImageFile

from captura.adapters.fotografia import (
    FotografiaInvalida,
    FotografiaProcesada,
    LimitesFotografia,
    procesar_fotografia,
)

LIMITES = LimitesFotografia()
ROJO = (200, 30, 30)


def imagen(
    ancho: int = 1200,
    alto: int = 900,
    *,
    formato: str = "JPEG",
    modo: str = "RGB",
    **opciones: object,
) -> bytes:
    """An image of one colour, encoded by Pillow."""
    color: object = {"RGB": ROJO, "RGBA": (*ROJO, 0), "CMYK": (0, 200, 200, 30)}.get(modo, 128)
    salida = io.BytesIO()
    Image.new(modo, (ancho, alto), color).save(salida, formato, **opciones)  # type: ignore[arg-type]
    return salida.getvalue()


def abrir(procesada: FotografiaProcesada) -> Image.Image:
    resultado = Image.open(io.BytesIO(procesada.contenido))
    resultado.load()
    return resultado


def trozo_png(tipo: bytes, datos: bytes) -> bytes:
    return (
        struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))
    )


def cabecera_png(ancho: int, alto: int) -> bytes:
    """A PNG that only declares its size: no pixel data at all."""
    ihdr = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + trozo_png(b"IHDR", ihdr) + trozo_png(b"IEND", b"")


def con_medidas_jpeg(contenido: bytes, ancho: int, alto: int) -> bytes:
    """The same JPEG with its start-of-frame marker claiming another size."""
    sof = contenido.index(b"\xff\xc0")
    return contenido[: sof + 5] + struct.pack(">HH", alto, ancho) + contenido[sof + 9 :]


def rechazo(contenido: bytes, limites: LimitesFotografia = LIMITES) -> str:
    with pytest.raises(FotografiaInvalida) as error:
        procesar_fotografia(contenido, limites=limites)
    return str(error.value)


# ---------------------------------------------------------------- what comes out


def test_una_fotografia_grande_se_reduce_a_800_pixeles_de_lado_mayor() -> None:
    procesada = procesar_fotografia(imagen(1200, 900), limites=LIMITES)
    assert (procesada.ancho, procesada.alto) == (800, 600)
    salida = abrir(procesada)
    assert salida.format == "JPEG" and salida.size == (800, 600) and salida.mode == "RGB"
    assert salida.info.get("progressive") == 1


def test_una_fotografia_pequena_no_se_agranda() -> None:
    procesada = procesar_fotografia(imagen(300, 250, formato="PNG"), limites=LIMITES)
    assert (procesada.ancho, procesada.alto) == (300, 250)


def test_los_colores_se_conservan() -> None:
    salida = abrir(procesar_fotografia(imagen(400, 400, formato="PNG"), limites=LIMITES))
    assert all(abs(a - b) < 8 for a, b in zip(salida.getpixel((200, 200)), ROJO, strict=True))  # type: ignore[arg-type]


def test_se_aplica_la_orientacion_exif_y_luego_se_descarta() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    procesada = procesar_fotografia(imagen(400, 300, exif=exif.tobytes()), limites=LIMITES)
    assert (procesada.ancho, procesada.alto) == (300, 400)
    assert not abrir(procesada).getexif()


def test_se_quitan_exif_icc_xmp_y_comentarios() -> None:
    exif = Image.Exif()
    exif[0x010F] = "CamaraSecreta"
    exif[0x8825] = {2: (19.0, 26.0, 0.0)}  # GPS latitude
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = imagen(
        600,
        400,
        exif=exif.tobytes(),
        icc_profile=srgb,
        comment=b"comentario privado",
        xmp=b"<x:xmpmeta>autor privado</x:xmpmeta>",
    )
    assert b"CamaraSecreta" in original and b"comentario privado" in original
    procesada = procesar_fotografia(original, limites=LIMITES)
    for rastro in (b"Exif", b"CamaraSecreta", b"comentario privado", b"xmpmeta", b"ICC_PROFILE"):
        assert rastro not in procesada.contenido
    assert not {"exif", "icc_profile", "comment", "xmp"} & set(abrir(procesada).info)


def test_la_transparencia_se_aplana_sobre_blanco() -> None:
    salida = abrir(
        procesar_fotografia(imagen(300, 300, formato="PNG", modo="RGBA"), limites=LIMITES)
    )
    assert salida.mode == "RGB"
    assert all(canal > 245 for canal in salida.getpixel((150, 150)))  # type: ignore[union-attr]


@pytest.mark.parametrize("modo", ["CMYK", "L", "1"])
def test_un_jpeg_en_otro_modo_de_color_sale_en_rgb(modo: str) -> None:
    assert abrir(procesar_fotografia(imagen(300, 300, modo=modo), limites=LIMITES)).mode == "RGB"


@pytest.mark.parametrize("modo", ["P", "LA", "I;16", "1"])
def test_un_png_en_otro_modo_de_color_sale_en_rgb(modo: str) -> None:
    opciones = {"transparency": 128} if modo == "P" else {}
    salida = procesar_fotografia(
        imagen(300, 300, formato="PNG", modo=modo, **opciones), limites=LIMITES
    )
    assert abrir(salida).mode == "RGB"


def test_de_un_png_animado_solo_se_conserva_el_primer_cuadro() -> None:
    cuadros = [Image.new("RGB", (300, 300), c) for c in (ROJO, (0, 0, 255), (0, 255, 0))]
    salida = io.BytesIO()
    cuadros[0].save(salida, "PNG", save_all=True, append_images=cuadros[1:], duration=100)
    resultado = abrir(procesar_fotografia(salida.getvalue(), limites=LIMITES))
    rojo, _, azul = resultado.getpixel((150, 150))  # type: ignore[misc]
    assert rojo > 180 and azul < 60


def test_lo_que_venga_pegado_tras_un_png_no_llega_a_la_salida() -> None:
    poliglota = imagen(300, 300, formato="PNG") + b"PK\x03\x04" + b"carga oculta" * 10
    procesada = procesar_fotografia(poliglota, limites=LIMITES)
    assert b"PK\x03\x04" not in procesada.contenido and b"carga oculta" not in procesada.contenido


# ---------------------------------------------------------------- what is refused


def test_un_archivo_vacio_se_rechaza() -> None:
    assert "vacío" in rechazo(b"")


def test_un_archivo_de_mas_de_5_mb_se_rechaza_sin_decodificarlo() -> None:
    mensaje = rechazo(b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024))
    assert "pesa 6 MB; el máximo es 5 MB" in mensaje


@pytest.mark.parametrize(
    "contenido",
    [
        b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 100,  # a ZIP, whatever its name says
        b"GIF89a" + b"\x00" * 100,
        b"%PDF-1.7\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\x89PNX\r\n\x1a\n" + b"\x00" * 100,
        bytes(range(256)) * 8,
    ],
    ids=["zip", "gif", "pdf", "svg", "png-casi", "aleatorio"],
)
def test_lo_que_no_es_jpeg_ni_png_se_rechaza(contenido: bytes) -> None:
    assert rechazo(contenido).startswith("El archivo no es una imagen JPEG o PNG.")


def test_un_png_de_50_megapixeles_se_rechaza_por_su_cabecera() -> None:
    mensaje = rechazo(cabecera_png(10_000, 5_000))
    assert "La imagen mide 10000 × 5000 píxeles (50 megapíxeles); el máximo es 40." in mensaje


def test_un_jpeg_que_declara_9000_por_6000_se_rechaza_antes_de_decodificar() -> None:
    mensaje = rechazo(con_medidas_jpeg(imagen(300, 300), 9000, 6000))
    assert mensaje.startswith(
        "La imagen mide 9000 × 6000 píxeles (54 megapíxeles); el máximo es 40."
    )


def test_una_bomba_mas_alla_del_limite_de_pillow_no_emite_avisos() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "megapíxeles" in rechazo(cabecera_png(65_000, 65_000))


def test_si_pillow_es_mas_estricto_manda_su_limite_sin_avisos(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "el máximo es 0.1" in rechazo(imagen(400, 400))


def test_con_la_guardia_de_pillow_apagada_sigue_valiendo_el_limite_propio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    assert "el máximo es 40" in rechazo(cabecera_png(10_000, 5_000))


def test_un_jpeg_truncado_se_rechaza() -> None:
    completo = imagen(600, 600, quality=95)
    assert "dañada o incompleta" in rechazo(completo[: len(completo) // 2])


def test_un_jpeg_truncado_que_se_reduciria_tambien_se_rechaza() -> None:
    completo = imagen(2400, 2000, quality=95)
    assert "dañada o incompleta" in rechazo(completo[: len(completo) * 2 // 3])


def test_un_png_truncado_se_rechaza() -> None:
    completo = imagen(600, 600, formato="PNG", modo="RGB", compress_level=0)
    assert "dañada o incompleta" in rechazo(completo[: len(completo) // 2])


def test_un_png_sin_pixeles_se_rechaza() -> None:
    assert "dañada o incompleta" in rechazo(cabecera_png(300, 300))


def test_un_jpeg_sin_marcador_de_tamano_se_rechaza() -> None:
    assert "dañada o incompleta" in rechazo(b"\xff\xd8\xff\xe0\x00\x04ab\xff\xda\x00\x02")


def test_un_png_con_cabecera_rota_se_rechaza() -> None:
    assert "dañada o incompleta" in rechazo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)


def test_con_load_truncated_images_activo_no_se_procesa_nada(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        procesar_fotografia(imagen(300, 300), limites=LIMITES)


@pytest.mark.parametrize(("ancho", "alto"), [(150, 900), (900, 199)])
def test_una_imagen_con_un_lado_menor_de_200_se_rechaza(ancho: int, alto: int) -> None:
    mensaje = rechazo(imagen(ancho, alto))
    assert f"mide {ancho} × {alto} píxeles; cada lado debe medir al menos 200" in mensaje


@pytest.mark.parametrize(
    "fabrica", [lambda: imagen(300, 300), lambda: imagen(300, 300, formato="PNG")]
)
def test_reprocesar_una_salida_da_una_imagen_valida(fabrica: Callable[[], bytes]) -> None:
    una = procesar_fotografia(fabrica(), limites=LIMITES)
    otra = procesar_fotografia(una.contenido, limites=LIMITES)
    assert (otra.ancho, otra.alto) == (una.ancho, una.alto)


def test_importar_el_modulo_no_carga_pillow() -> None:
    codigo = "import sys, captura.adapters.fotografia; sys.exit('PIL' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", codigo], check=False).returncode == 0
