"""Password policy for the passwords people choose: long, not their username, not a common one."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from identidad.domain import ErrorIdentidad

LONGITUD_MINIMA = 12
LONGITUD_MAXIMA = 1024
# A common password with digits or signs added at the end («mariposa2024!») is just as weak.
_SUFIJO = re.compile(r"[\W\d_]+$")
_BASE_MINIMA = 4


class ClaveNoValida(ErrorIdentidad):
    """The chosen password breaks the policy; `problemas` says each thing to fix."""

    def __init__(self, problemas: list[str]) -> None:
        super().__init__(" ".join(problemas))
        self.problemas = problemas


def normalizar(texto: str) -> str:
    """Lower case without accents, so «MÉXICO2024» and «mexico2024» compare equal."""
    descompuesto = unicodedata.normalize("NFKD", texto.casefold())
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


class PoliticaClaves:
    """The rules every password a person chooses must meet (temporary ones are generated)."""

    def __init__(self, comunes: Iterable[str], *, minimo: int = LONGITUD_MINIMA) -> None:
        self._comunes = frozenset(normalizar(clave) for clave in comunes if clave)
        self.minimo = minimo

    def problemas(self, clave: str, *, usuario: str) -> list[str]:
        """What is wrong with this password, in Spanish (empty when it is acceptable)."""
        problemas: list[str] = []
        if len(clave) < self.minimo:
            problemas.append(
                f"La contraseña debe tener al menos {self.minimo} caracteres; tiene {len(clave)}."
            )
        if len(clave) > LONGITUD_MAXIMA:
            problemas.append(
                f"La contraseña debe tener como máximo {LONGITUD_MAXIMA} caracteres; "
                f"tiene {len(clave)}."
            )
            return problemas
        if _contiene_usuario(clave, usuario):
            problemas.append(
                f"La contraseña no debe contener su nombre de usuario («{usuario}»); elija otra."
            )
        if self.es_comun(clave):
            problemas.append(
                "Esa contraseña es de las más usadas (o una de ellas con números o signos al "
                "final) y se adivina fácilmente; elija otra, por ejemplo una frase de tres o "
                "cuatro palabras que solo usted conozca."
            )
        return problemas

    def comprobar(self, clave: str, *, usuario: str) -> None:
        """Raise ClaveNoValida with every problem of the password."""
        problemas = self.problemas(clave, usuario=usuario)
        if problemas:
            raise ClaveNoValida(problemas)

    def es_comun(self, clave: str) -> bool:
        """Whether the password, or its stem before trailing digits and signs, is on the list."""
        normal = normalizar(clave).strip()
        if normal in self._comunes:
            return True
        base = _SUFIJO.sub("", normal)
        return len(base) >= _BASE_MINIMA and base != normal and base in self._comunes

    def __len__(self) -> int:
        return len(self._comunes)


def _contiene_usuario(clave: str, usuario: str) -> bool:
    """Whether the username appears in the password (only equality for very short usernames)."""
    nombre = normalizar(usuario.strip())
    if not nombre:
        return False
    normal = normalizar(clave)
    return nombre in normal if len(nombre) >= 3 else normal == nombre


def leer_contrasenas_comunes(ruta: Path) -> list[str]:
    """The common-password list: one per line (as Keycloak reads it: no comments)."""
    with ruta.open(encoding="utf-8") as archivo:
        return [linea.strip() for linea in archivo if linea.strip()]


@lru_cache(maxsize=4)
def politica_de_archivo(ruta: Path, *, minimo: int = LONGITUD_MINIMA) -> PoliticaClaves:
    """The policy with the common-password list at ruta (read once per process)."""
    return PoliticaClaves(leer_contrasenas_comunes(ruta), minimo=minimo)
