"""The PDF receipt «Acuse de entrega de cuentas de acceso» (fpdf2)."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF, FontFace

from identidad.adapters.acuse import DIRECTORIOS_FUENTES, MOTIVOS, hora_local, nombre_rol
from identidad.domain.gestion import Paquete


@dataclass(frozen=True)
class Fuentes:
    """The families the receipt uses and whether they cover any Unicode text."""

    texto: str
    fija: str
    unicode: bool


@cache
def _dejavu() -> tuple[Path, Path, Path] | None:
    for directorio in DIRECTORIOS_FUENTES:
        archivos = tuple(
            directorio / nombre
            for nombre in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf")
        )
        if all(archivo.is_file() for archivo in archivos):
            return archivos  # type: ignore[return-value]
    return None


class _Acuse(FPDF):
    """A4 pages with the institute's header and «Página n de m» footer."""

    def __init__(self, *, institucion: str, folio: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._institucion = institucion
        self._folio = folio
        dejavu = _dejavu()
        if dejavu is not None:
            normal, negrita, fija = dejavu
            self.add_font("DejaVu", "", str(normal))
            self.add_font("DejaVu", "B", str(negrita))
            self.add_font("DejaVuMono", "", str(fija))
            self.fuentes = Fuentes("DejaVu", "DejaVuMono", unicode=True)
        else:
            self.fuentes = Fuentes("Helvetica", "Courier", unicode=False)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(18, 18, 18)
        self.set_title("Acuse de entrega de cuentas de acceso")
        self.set_author(institucion)
        self.set_creator("Conóceles")

    def texto(self, valor: str) -> str:
        """Text the current fonts can draw (core fonts: Latin-1, the rest as «?»)."""
        if self.fuentes.unicode:
            return valor
        return valor.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        self.set_font(self.fuentes.texto, "B", 12)
        self.cell(0, 6, self.texto(self._institucion), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.fuentes.texto, "", 9)
        self.cell(
            0,
            5,
            self.texto("Sistema «Candidatas y Candidatos, Conóceles»"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.set_draw_color(120, 120, 120)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.fuentes.texto, "", 8)
        pie = f"Folio {self._folio} · Documento confidencial · Página {self.page_no()} de {{nb}}"
        self.cell(0, 6, self.texto(pie), align="C")


def acuse_pdf(
    *,
    paquete: Paquete,
    claves: Mapping[str, str],
    institucion: str,
    area: str,
    direccion: str | None = None,
) -> bytes:
    """The receipt «Acuse de entrega de cuentas de acceso», with the temporary passwords."""
    pdf = _Acuse(institucion=institucion, folio=paquete.folio)
    t = pdf.texto
    letra, fija = pdf.fuentes.texto, pdf.fuentes.fija
    pdf.add_page()
    pdf.set_font(letra, "B", 15)
    pdf.cell(0, 9, t("Acuse de entrega de cuentas de acceso"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(letra, "", 10)
    datos = (
        ("Folio", paquete.folio),
        ("Destinatario", paquete.destinatario),
        ("Motivo", MOTIVOS[paquete.motivo]),
        ("Generado", hora_local(paquete.generado)),
        ("Generado por", f"{paquete.generado_por} ({area})"),
        ("Cuentas", str(len(paquete.cuentas))),
    )
    with pdf.table(
        [(t(etiqueta), t(valor)) for etiqueta, valor in datos],
        first_row_as_headings=False,
        col_widths=(30, 144),
        borders_layout="NONE",
        text_align="LEFT",
        line_height=6,
    ):
        pass
    pdf.ln(3)
    aviso = (
        "Las contraseñas son temporales: el sistema pedirá cambiarlas al iniciar sesión por "
        "primera vez. Solo aparecen en este documento y en su archivo CSV; el sistema no las "
        "guarda y no puede mostrarlas de nuevo. Resguarde este acuse como información "
        "confidencial y entregue a cada persona únicamente su cuenta. Si una contraseña se "
        "extravía, repórtelo a la Unidad de Transparencia para deshabilitar la cuenta y recibir "
        "una nueva (PTO 13)."
    )
    if direccion:
        aviso += f" Dirección para iniciar sesión: {direccion}"
    pdf.set_font(letra, "", 9)
    pdf.multi_cell(0, 5, t(aviso), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    encabezados = ("Usuario", "Nombre", "Rol", "Contraseña temporal")
    pdf.set_font(letra, "", 9)
    with pdf.table(
        col_widths=(50, 60, 28, 36),
        text_align=("LEFT", "LEFT", "LEFT", "LEFT"),
        line_height=5.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        repeat_headings=1,
    ) as tabla:
        fila = tabla.row()
        for encabezado in encabezados:
            fila.cell(t(encabezado))
        for cuenta in paquete.cuentas:
            fila = tabla.row()
            fila.cell(t(cuenta.usuario))
            fila.cell(t(cuenta.nombre))
            fila.cell(t(nombre_rol(cuenta.rol)))
            fila.cell(
                t(claves.get(cuenta.usuario, "—")),
                style=FontFace(family=fija, size_pt=10),
            )
    _firmas(pdf, area=area, destinatario=paquete.destinatario)
    return bytes(pdf.output())


def _firmas(pdf: _Acuse, *, area: str, destinatario: str) -> None:
    """Who delivers and who receives: name, signature, date and time."""
    t = pdf.texto
    if pdf.get_y() > pdf.h - 75:
        pdf.add_page()
    pdf.ln(10)
    pdf.set_font(pdf.fuentes.texto, "", 10)
    pdf.multi_cell(
        0,
        5,
        t(
            "Quien recibe declara haber recibido las cuentas listadas y se compromete a "
            "resguardar sus contraseñas."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(16)
    ancho = (pdf.w - pdf.l_margin - pdf.r_margin - 14) / 2
    izquierda, derecha = pdf.l_margin, pdf.l_margin + ancho + 14
    y = pdf.get_y()
    pdf.line(izquierda, y, izquierda + ancho, y)
    pdf.line(derecha, y, derecha + ancho, y)
    pdf.ln(1)
    for titulo, detalle in (
        ("Entrega", f"Nombre, cargo y firma ({area})"),
        ("Recibe", f"Nombre y firma ({destinatario})"),
    ):
        x = izquierda if titulo == "Entrega" else derecha
        pdf.set_xy(x, y + 1)
        pdf.set_font(pdf.fuentes.texto, "B", 10)
        pdf.cell(ancho, 5, t(titulo), new_x="LEFT", new_y="NEXT")
        pdf.set_font(pdf.fuentes.texto, "", 8)
        pdf.multi_cell(ancho, 4, t(detalle), align="L", new_x="LEFT", new_y="NEXT")
        pdf.cell(ancho, 6, t("Fecha y hora: ____________________"), new_x="LEFT", new_y="NEXT")
