"""The pre-filled consent format for sensitive personal data (PTO 18), as a PDF (fpdf2)."""

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

TITULO = (
    "Formato de consentimiento para el tratamiento y la publicación de datos personales sensibles"
)
SISTEMA = "Candidatas y Candidatos, Conóceles"
DIRECTORIOS_FUENTES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
# A fixed date keeps the bytes identical for the same data (the PDF id hashes it).
FECHA_DOCUMENTO = datetime(2024, 1, 1, tzinfo=UTC)
# Core fonts only draw Latin-1; these are the non-Latin-1 characters our texts use.
_SUSTITUTOS = str.maketrans(
    {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "•": "-"}
)
AUTORIZACIONES = (
    (
        "a",
        "Tratamiento",
        "Autorizo el tratamiento de mis datos personales, incluidos los sensibles, conforme al "
        "aviso de privacidad del sistema «{sistema}».",
    ),
    (
        "b",
        "Publicación",
        "Autorizo la publicación, en el sistema «{sistema}», de mis respuestas al cuestionario de "
        "identidad.",
    ),
    (
        "c",
        "Uso estadístico",
        "Autorizo el uso de mis respuestas al cuestionario de identidad con fines estadísticos, "
        "sin que se me identifique.",
    ),
)
NOTA = (
    "Nota: cada autorización es independiente. Si no autoriza la publicación (inciso b), sus "
    "respuestas al cuestionario de identidad se usarán solo con fines estadísticos y no se "
    "publicarán, salvo que su candidatura se haya registrado por una acción afirmativa, en cuyo "
    "caso se publican (PTO 19)."
)


@dataclass(frozen=True, slots=True)
class FormatoConsentimiento:
    """The data that pre-fills the consent format of one candidacy."""

    nombre: str
    cargo: str
    principio: str
    demarcacion: str
    postulante: str
    tipo: str
    id_candidatura: str
    eleccion: str
    institucion: str = "Instituto Electoral del Estado de México"
    lugar: str = ""
    fecha: str = ""


@cache
def _dejavu(directorios: tuple[Path, ...]) -> tuple[Path, Path] | None:
    for directorio in directorios:
        normal, negrita = directorio / "DejaVuSans.ttf", directorio / "DejaVuSans-Bold.ttf"
        if normal.is_file() and negrita.is_file():
            return normal, negrita
    return None


def transliterar(valor: str) -> str:
    """Text the core fonts can draw: Latin-1 kept, accents dropped elsewhere, the rest «?»."""
    valor = valor.translate(_SUSTITUTOS)
    salida = []
    for caracter in valor:
        if ord(caracter) > 0xFF:
            base = unicodedata.normalize("NFKD", caracter)
            caracter = "".join(c for c in base if not unicodedata.combining(c)) or "?"
        salida.append(caracter)
    return "".join(salida).encode("latin-1", "replace").decode("latin-1")


class _Pdf:
    """An fpdf2 document with the fonts chosen and a text filter for them."""

    def __init__(
        self, *, datos: FormatoConsentimiento, comprimir: bool, fuentes: tuple[Path, ...]
    ) -> None:
        from fpdf import FPDF

        self.pdf: FPDF = FPDF(orientation="portrait", unit="mm", format="A4")
        dejavu = _dejavu(fuentes)
        if dejavu is not None:
            self.pdf.add_font("DejaVu", "", str(dejavu[0]))
            self.pdf.add_font("DejaVu", "B", str(dejavu[1]))
            self.letra, self.unicode = "DejaVu", True
        else:
            self.letra, self.unicode = "Helvetica", False
        self.pdf.set_compression(comprimir)
        self.pdf.set_creation_date(FECHA_DOCUMENTO)
        self.pdf.set_title(TITULO)
        self.pdf.set_subject(f"Candidatura {datos.id_candidatura}")
        self.pdf.set_author(datos.institucion)
        self.pdf.set_creator("Conóceles")
        self.pdf.set_lang("es-MX")
        self.pdf.set_margins(20, 18, 20)
        self.pdf.set_auto_page_break(auto=True, margin=18)

    def t(self, valor: str) -> str:
        """Text the current font can draw."""
        return valor if self.unicode else transliterar(valor)

    def fuente(self, *, tamano: float, negrita: bool = False) -> None:
        """Switch to the document's family at the given size."""
        self.pdf.set_font(self.letra, "B" if negrita else "", tamano)

    def parrafo(self, texto: str, *, alto: float = 5) -> None:
        """A full-width paragraph."""
        self.pdf.multi_cell(0, alto, self.t(texto), align="L", new_x="LMARGIN", new_y="NEXT")


def formato_consentimiento(
    *,
    datos: FormatoConsentimiento,
    comprimir: bool = True,
    fuentes: tuple[Path, ...] = DIRECTORIOS_FUENTES,
) -> bytes:
    """The consent format of one candidacy, pre-filled, as PDF bytes (one or two pages)."""
    documento = _Pdf(datos=datos, comprimir=comprimir, fuentes=fuentes)
    pdf = documento.pdf
    pdf.add_page()
    _encabezado(documento, institucion=datos.institucion)
    _datos_candidatura(documento, datos=datos)
    documento.fuente(tamano=10)
    documento.parrafo(
        f"Yo, {datos.nombre}, en mi calidad de persona candidata, manifiesto lo siguiente sobre "
        "los datos personales sensibles que proporciono en el cuestionario de identidad "
        "(marque una sola casilla en cada inciso):"
    )
    pdf.ln(2)
    for inciso, titulo, texto in AUTORIZACIONES:
        _autorizacion(documento, inciso=inciso, titulo=titulo, texto=texto)
    pdf.ln(1)
    documento.fuente(tamano=8.5)
    documento.parrafo(NOTA, alto=4.2)
    _firma(documento, datos=datos)
    _pies(documento, id_candidatura=datos.id_candidatura)
    return bytes(pdf.output())


def _encabezado(documento: _Pdf, *, institucion: str) -> None:
    """Institute, system and title."""
    pdf, t = documento.pdf, documento.t
    documento.fuente(tamano=12, negrita=True)
    pdf.cell(0, 6, t(institucion), new_x="LMARGIN", new_y="NEXT")
    documento.fuente(tamano=9)
    pdf.cell(0, 5, t(f"Sistema «{SISTEMA}»"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(5)
    documento.fuente(tamano=13, negrita=True)
    pdf.multi_cell(0, 6.5, t(TITULO), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _datos_candidatura(documento: _Pdf, *, datos: FormatoConsentimiento) -> None:
    """The table with the candidacy the consent belongs to."""
    pdf, t = documento.pdf, documento.t
    filas = (
        ("Nombre", datos.nombre),
        ("Cargo", datos.cargo),
        ("Principio", datos.principio),
        ("Distrito o municipio", datos.demarcacion),
        ("Postulada por", datos.postulante),
        ("Tipo", datos.tipo),
        ("Id de candidatura", datos.id_candidatura),
        ("Elección", datos.eleccion),
    )
    documento.fuente(tamano=10)
    with pdf.table(
        [(t(etiqueta), t(valor or "—")) for etiqueta, valor in filas],
        first_row_as_headings=False,
        col_widths=(45, 125),
        text_align="LEFT",
        line_height=6,
    ):
        pass
    pdf.ln(4)


def _autorizacion(documento: _Pdf, *, inciso: str, titulo: str, texto: str) -> None:
    """One authorization with its «Sí autorizo» and «No autorizo» boxes."""
    pdf, t = documento.pdf, documento.t
    if pdf.get_y() > pdf.h - 45:
        pdf.add_page()
    documento.fuente(tamano=10, negrita=True)
    pdf.cell(0, 6, t(f"{inciso}) {titulo}"), new_x="LMARGIN", new_y="NEXT")
    documento.fuente(tamano=10)
    documento.parrafo(texto.format(sistema=SISTEMA))
    pdf.ln(1.5)
    y = pdf.get_y()
    for desplazamiento, etiqueta in ((6, "Sí autorizo"), (56, "No autorizo")):
        x = pdf.l_margin + desplazamiento
        pdf.rect(x, y + 0.5, 4.5, 4.5)
        pdf.set_xy(x + 6.5, y)
        pdf.cell(40, 5.5, t(etiqueta))
    pdf.set_xy(pdf.l_margin, y + 5.5)
    pdf.ln(3.5)


def _firma(documento: _Pdf, *, datos: FormatoConsentimiento) -> None:
    """Place, date and the signature line of the candidate."""
    pdf, t = documento.pdf, documento.t
    if pdf.get_y() > pdf.h - 55:
        pdf.add_page()
    pdf.ln(6)
    documento.fuente(tamano=10)
    lugar = datos.lugar or "_" * 34
    fecha = datos.fecha or "_" * 24
    pdf.cell(0, 6, t(f"Lugar: {lugar}     Fecha: {fecha}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    ancho = 90.0
    x = (pdf.w - ancho) / 2
    y = pdf.get_y()
    pdf.line(x, y, x + ancho, y)
    pdf.set_xy(x, y + 1)
    documento.fuente(tamano=10, negrita=True)
    pdf.multi_cell(ancho, 5, t(datos.nombre), align="C", new_x="LEFT", new_y="NEXT")
    documento.fuente(tamano=8.5)
    pdf.cell(ancho, 5, t("Nombre y firma de la persona candidata"), align="C")


def _pies(documento: _Pdf, *, id_candidatura: str) -> None:
    """«Página n de m» and the candidacy id at the foot of every page."""
    pdf = documento.pdf
    total = pdf.pages_count
    pdf.set_auto_page_break(auto=False)
    for numero in range(1, total + 1):
        pdf.page = numero
        pdf.set_xy(pdf.l_margin, pdf.h - 13)
        documento.fuente(tamano=8)
        pie = (
            f"Candidatura {id_candidatura} · Documento con datos personales · "
            f"Página {numero} de {total}"
        )
        pdf.cell(0, 5, documento.t(pie), align="C")
