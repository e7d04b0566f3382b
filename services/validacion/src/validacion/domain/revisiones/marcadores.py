"""Placeholders left instead of an answer («N/A», «pendiente», lorem ipsum)."""

import re
from collections.abc import Iterator

from validacion.domain.revisiones.hallazgos import CAMPOS_PROPUESTA, Hallazgo, Regla

# Whole answers that only stand in for one (compared folded, without punctuation at the ends).
RELLENOS = frozenset(
    {
        "n/a", "n / a", "na", "n.a", "n.a.", "no aplica", "pendiente", "pendientes",
        "por definir", "por capturar", "por llenar", "sin informacion", "sin info", "s/i",
        "s/d", "sin datos", "sin dato", "ninguno", "ninguna", "nada", "no", "si", "prueba",
        "test", "tbd", "todo", "no proporciono", "no disponible", "en proceso", "asdf",
        "texto", "propuesta", "xx", "xxx", "x",
    }
)  # fmt: skip
# Placeholders that show anywhere in a text.
EN_EL_TEXTO = re.compile(r"\blorem ipsum\b|\bx{3,}\b|\[\s*(?:pendiente|completar|texto)\s*\]")
SOLO_SIGNOS = re.compile(r"^[\W_]*$")
MINIMO_PALABRAS_PROPUESTA = 8
EXPLICACION = "Parece un texto de relleno, no una respuesta."
SUGERENCIA = "Escriba la respuesta completa o deje el campo vacío si no desea proporcionarla."


def buscar_marcadores(*, texto: str, plegado: str, palabras: int, campo: str) -> Iterator[Hallazgo]:
    """Placeholders and answers too short for a field that expects a proposal."""
    # Only short answers can be a placeholder as a whole.
    limpio = plegado[:40].strip().strip(".-_*¡!¿? ").strip() if len(plegado) < 40 else ""
    if SOLO_SIGNOS.match(plegado) or limpio in RELLENOS or re.fullmatch(r"(.)\1{2,}", limpio):
        yield _hallazgo(campo, 0, len(texto), EXPLICACION)
        return
    en_el_texto = "lorem" in plegado or "xxx" in plegado or "[" in plegado
    for m in EN_EL_TEXTO.finditer(plegado) if en_el_texto else ():
        yield _hallazgo(campo, m.start(), m.end(), EXPLICACION)
    if campo in CAMPOS_PROPUESTA and palabras < MINIMO_PALABRAS_PROPUESTA:
        yield _hallazgo(
            campo,
            0,
            len(texto),
            f"La respuesta es muy breve ({palabras} palabras) para este campo.",
            sugerencia="Explique qué propone, a quién beneficia y cómo lo llevará a cabo.",
        )


def _hallazgo(
    campo: str, inicio: int, fin: int, explicacion: str, *, sugerencia: str = SUGERENCIA
) -> Hallazgo:
    """A placeholder finding; it relates to no DOMINIO §5 reason (it is about completeness)."""
    return Hallazgo(
        regla=Regla.MARCADOR,
        codigo=None,
        campo=campo,
        inicio=inicio,
        fin=fin,
        explicacion=explicacion,
        sugerencia=sugerencia,
    )
