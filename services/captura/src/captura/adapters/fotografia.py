"""Server-side processing of candidacy photographs: verify, orient, clean and re-encode."""

import io
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

FIRMA_JPEG = b"\xff\xd8\xff"
FIRMA_PNG = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers that carry the image size (all but DHT C4, JPG C8 and DAC CC).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_SIN_LONGITUD = frozenset({0x01, *range(0xD0, 0xD8)})
_DANADA = (
    "La imagen está dañada o incompleta; vuelva a guardarla o tómela de nuevo y súbala otra vez."
)


@dataclass(frozen=True, slots=True)
class LimitesFotografia:
    """How large, how many pixels and how small an uploaded image may be; the output size."""

    max_bytes: int = 5 * 1024 * 1024
    max_pixeles: int = 40_000_000  # decompression-bomb guard, checked from the header first
    min_lado: int = 200  # smaller is useless as a portrait
    lado_salida: int = 800  # longest side after re-encoding (only ever downscaled)
    calidad: int = 85


LIMITES_FOTOGRAFIA = LimitesFotografia()


class FotografiaInvalida(ValueError):
    """An uploaded image that cannot be used; the message, in Spanish, is for the capturer."""


@dataclass(frozen=True, slots=True)
class FotografiaProcesada:
    """A re-encoded JPEG (sRGB, progressive, without metadata) and its size."""

    contenido: bytes
    ancho: int
    alto: int


def formato_de(contenido: bytes) -> str | None:
    """`JPEG` or `PNG` by magic bytes (never by file name or declared type), else None."""
    if contenido.startswith(FIRMA_JPEG):
        return "JPEG"
    if contenido.startswith(FIRMA_PNG):
        return "PNG"
    return None


def procesar_fotografia(
    contenido: bytes, *, limites: LimitesFotografia = LIMITES_FOTOGRAFIA
) -> FotografiaProcesada:
    """Check an uploaded JPEG or PNG and return it re-encoded; raise FotografiaInvalida."""
    if not contenido:
        raise FotografiaInvalida(
            "El archivo está vacío; elija la imagen de nuevo y vuelva a subirla."
        )
    if len(contenido) > limites.max_bytes:
        raise FotografiaInvalida(
            f"La imagen {excede(len(contenido), limites.max_bytes)}. Redúzcala y vuelva a subirla."
        )
    formato = formato_de(contenido)
    if formato is None:
        raise FotografiaInvalida(
            "El archivo no es una imagen JPEG o PNG. Guárdela en uno de esos formatos y vuelva a "
            "subirla."
        )
    from PIL import Image, ImageFile

    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError(
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES está activo: aceptaría imágenes a medias"
        )
    # Never above Pillow's own guard, so its DecompressionBombWarning cannot fire after our check.
    max_pixeles = min(limites.max_pixeles, Image.MAX_IMAGE_PIXELS or limites.max_pixeles)
    _revisar_medidas(_medidas_de_cabecera(contenido, formato), limites, max_pixeles)
    imagen = _decodificar(contenido, formato, limites, max_pixeles)
    contenido_salida = _codificar(imagen, calidad=limites.calidad)
    return FotografiaProcesada(contenido_salida, imagen.width, imagen.height)


def _medidas_de_cabecera(contenido: bytes, formato: str) -> tuple[int, int]:
    """Width and height read from the header alone, before any decoder sees the bytes."""
    if formato == "PNG":
        if contenido[12:16] != b"IHDR" or len(contenido) < 24:
            raise FotografiaInvalida(_DANADA)
        ancho, alto = struct.unpack(">II", contenido[16:24])
        return int(ancho), int(alto)
    return _medidas_jpeg(contenido)


def _medidas_jpeg(contenido: bytes) -> tuple[int, int]:
    """The largest frame size among the JPEG's start-of-frame markers (up to start of scan)."""
    medidas: list[tuple[int, int]] = []
    i = 2
    while i + 4 <= len(contenido):
        if contenido[i] != 0xFF:
            raise FotografiaInvalida(_DANADA)
        marcador = contenido[i + 1]
        if marcador == 0xFF:
            i += 1
            continue
        if marcador in _SIN_LONGITUD:
            i += 2
            continue
        if marcador in (0xDA, 0xD9):
            break
        (longitud,) = struct.unpack(">H", contenido[i + 2 : i + 4])
        if marcador in _SOF and i + 9 <= len(contenido):
            alto, ancho = struct.unpack(">HH", contenido[i + 5 : i + 9])
            medidas.append((int(ancho), int(alto)))
        i += 2 + longitud
    if not medidas:
        raise FotografiaInvalida(_DANADA)
    return max(medidas, key=lambda m: m[0] * m[1])


def _revisar_medidas(
    medidas: tuple[int, int], limites: LimitesFotografia, max_pixeles: int
) -> None:
    ancho, alto = medidas
    if ancho * alto > max_pixeles:
        raise FotografiaInvalida(
            f"La imagen mide {ancho} × {alto} píxeles ({round(ancho * alto / 1e6)} megapíxeles); "
            f"el máximo es {max_pixeles / 1e6:g}. Redúzcala y vuelva a subirla."
        )
    if min(ancho, alto) < limites.min_lado:
        raise FotografiaInvalida(
            f"La imagen mide {ancho} × {alto} píxeles; cada lado debe medir al menos "
            f"{limites.min_lado}. Suba una imagen de mayor resolución."
        )


def _decodificar(
    contenido: bytes, formato: str, limites: LimitesFotografia, max_pixeles: int
) -> "Image.Image":
    """Decode fully (so truncation shows), orient, flatten to RGB and downscale."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(contenido), formats=[formato]) as abierta:
            # Pillow may see a size our header reading did not (e.g. a later frame marker).
            _revisar_medidas(abierta.size, limites, max_pixeles)
            if formato == "JPEG":
                abierta.draft(None, (limites.lado_salida, limites.lado_salida))
            # Only the first frame of an animated PNG is decoded; the rest are dropped.
            abierta.load()
            imagen = ImageOps.exif_transpose(abierta)
            imagen = _a_srgb(imagen)
    except FotografiaInvalida:
        raise
    except Image.DecompressionBombError as error:
        raise FotografiaInvalida(
            f"La imagen tiene demasiados píxeles; el máximo es {max_pixeles / 1e6:g} megapíxeles. "
            "Redúzcala y vuelva a subirla."
        ) from error
    except Exception as error:
        # Decoders of untrusted bytes fail in many ways (OSError, SyntaxError, struct.error…).
        raise FotografiaInvalida(_DANADA) from error
    imagen.thumbnail(
        (limites.lado_salida, limites.lado_salida), Image.Resampling.LANCZOS, reducing_gap=3.0
    )
    return imagen


def _a_srgb(imagen: "Image.Image") -> "Image.Image":
    """RGB in sRGB: apply an embedded ICC profile, flatten transparency on white."""
    from PIL import Image, ImageCms

    perfil = imagen.info.get("icc_profile")
    if perfil and imagen.mode in ("RGB", "CMYK", "L"):
        try:
            convertida = ImageCms.profileToProfile(
                imagen,
                ImageCms.ImageCmsProfile(io.BytesIO(perfil)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            convertida = None
        if convertida is not None:
            imagen = convertida
    if imagen.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        imagen = imagen.point(lambda valor: valor / 256).convert("L")
    if imagen.mode == "P" or imagen.has_transparency_data:
        imagen = imagen.convert("RGBA")
    if imagen.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        fondo = Image.new("RGB", imagen.size, (255, 255, 255))
        fondo.paste(imagen.convert("RGBA"), mask=imagen.convert("RGBA").getchannel("A"))
        return fondo
    return imagen.convert("RGB")


def _codificar(imagen: "Image.Image", *, calidad: int) -> bytes:
    """Progressive JPEG without EXIF, ICC, XMP or comments."""
    # Pillow copies some `info` entries (the JPEG comment) into the output unless told not to.
    imagen.info.clear()
    salida = io.BytesIO()
    imagen.save(salida, "JPEG", quality=calidad, progressive=True, optimize=True, exif=b"")
    return salida.getvalue()


def _megas(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0")


def excede(tamano: int, maximo: int) -> str:
    """«pesa 12.3 MB; el máximo es 10 MB», never «pesa 10 MB; el máximo es 10 MB»."""
    pesa, limite = _megas(tamano), _megas(maximo)
    return f"pesa {'más de ' if pesa == limite else ''}{pesa} MB; el máximo es {limite} MB"
