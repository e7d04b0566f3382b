"""Social network profiles of the cuestionario curricular: handle rules and canonical links."""

import re
from dataclasses import dataclass
from typing import Any

from captura.domain.contacto import (
    RespuestaInvalida,
    limpiar_texto,
    separar_url,
    validar_url,
)


@dataclass(frozen=True, slots=True)
class Red:
    """A social network: its hosts, handle rule and canonical profile link."""

    nombre: str
    hosts: frozenset[str]
    minimo: int
    maximo: int
    caracteres: str
    permitidos: re.Pattern[str]
    perfil: str
    reservadas: frozenset[str] = frozenset()
    extra: tuple[tuple[re.Pattern[str], str], ...] = ()


def _hosts(*dominios: str, prefijos: tuple[str, ...] = ("www.", "m.")) -> frozenset[str]:
    return frozenset({d for d in dominios} | {p + d for d in dominios for p in prefijos})


_FACEBOOK_NO_PERFIL = frozenset(
    {
        "profile.php", "share", "sharer", "sharer.php", "watch", "events", "groups", "photo",
        "photo.php", "story.php", "permalink.php", "reel", "posts", "login", "home.php",
    }
)  # fmt: skip
REDES: dict[str, Red] = {
    "facebook": Red(
        nombre="Facebook",
        hosts=_hosts("facebook.com", "fb.com", prefijos=("www.", "m.", "web.", "mbasic.")),
        minimo=5,
        maximo=50,
        # Pages get addresses like «Nombre-Apellido-1234567»; profiles use letters and dots.
        caracteres="letras sin acento, números, puntos y guiones",
        permitidos=re.compile(r"[A-Za-z0-9.-]"),
        perfil="https://www.facebook.com/{}",
        reservadas=_FACEBOOK_NO_PERFIL,
    ),
    "x": Red(
        nombre="X",
        hosts=_hosts("x.com", "twitter.com", prefijos=("www.", "mobile.")),
        minimo=1,
        maximo=15,
        caracteres="letras sin acento, números y guion bajo (_)",
        permitidos=re.compile(r"[A-Za-z0-9_]"),
        perfil="https://x.com/{}",
        reservadas=frozenset({"home", "i", "intent", "search", "hashtag", "share", "explore"}),
    ),
    "instagram": Red(
        nombre="Instagram",
        hosts=_hosts("instagram.com", "instagr.am"),
        minimo=1,
        maximo=30,
        caracteres="letras sin acento, números, puntos y guion bajo (_)",
        permitidos=re.compile(r"[A-Za-z0-9._]"),
        perfil="https://www.instagram.com/{}",
        reservadas=frozenset({"p", "reel", "reels", "stories", "explore", "tv", "accounts"}),
        extra=(
            (re.compile(r"^\.|\.$"), "no puede empezar ni terminar con punto"),
            (re.compile(r"\.\."), "no puede tener dos puntos seguidos"),
        ),
    ),
    "youtube": Red(
        nombre="YouTube",
        hosts=_hosts("youtube.com", "youtu.be"),
        minimo=3,
        maximo=30,
        caracteres="letras sin acento, números, puntos, guiones y guion bajo (_)",
        permitidos=re.compile(r"[A-Za-z0-9._-]"),
        perfil="https://www.youtube.com/@{}",
    ),
    "tiktok": Red(
        nombre="TikTok",
        hosts=_hosts("tiktok.com", "vm.tiktok.com", "vt.tiktok.com"),
        minimo=2,
        maximo=24,
        caracteres="letras sin acento, números, puntos y guion bajo (_)",
        permitidos=re.compile(r"[A-Za-z0-9._]"),
        perfil="https://www.tiktok.com/@{}",
        extra=((re.compile(r"\.$"), "no puede terminar con punto"),),
    ),
}
OTRA = "otra"
_CANAL_YOUTUBE = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_NOMBRE_YOUTUBE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# Handles may contain dots, but one ending like a site ("miweb.com.mx") is a web address.
_TERMINACION_WEB = re.compile(r"\.(?:com|net|org|mx)$", re.IGNORECASE)
_PARECE_ENLACE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|[^/]+\.[a-z]{2,}(?:/|$))", re.IGNORECASE)


def red_de_host(host: str) -> str | None:
    """Which of the known networks a host belongs to, if any."""
    return next((clave for clave, red in REDES.items() if host in red.hosts), None)


def validar_red(clave: str, valor: Any) -> str | None:
    """A network's canonical profile link from a link or a handle; `otra` takes any web link."""
    texto = limpiar_texto(valor, una_linea=True)
    if texto is None:
        return None
    if clave == OTRA:
        propia = _red_del_enlace(texto)
        if propia is not None:
            raise RespuestaInvalida(_en_otro_campo(propia))
        return validar_url(texto)
    red = REDES[clave]
    if any(c.isspace() for c in texto):
        raise RespuestaInvalida(
            f"El usuario o enlace de {red.nombre} no puede tener espacios; quítelos."
        )
    if "/" in texto or _es_enlace_de_red(texto) or _TERMINACION_WEB.search(texto):
        return _desde_enlace(clave, texto)
    return red.perfil.format(_revisar_usuario(red, texto.removeprefix("@")))


def _es_enlace_de_red(texto: str) -> bool:
    """True when the text starts with a scheme or a known network's host."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", texto, re.IGNORECASE):
        return True
    return red_de_host(texto.split("/")[0].lower()) is not None


def _red_del_enlace(texto: str) -> str | None:
    """The known network a web link points to, None for other sites or non-links."""
    if not _PARECE_ENLACE.match(texto):
        return None
    try:
        partes = separar_url(texto)
    except RespuestaInvalida:
        return None
    return red_de_host((partes.hostname or "").lower())


def _en_otro_campo(clave: str) -> str:
    nombre = REDES[clave].nombre
    return f"Ese enlace es de {nombre}; escríbalo en el campo de {nombre}."


def _desde_enlace(clave: str, texto: str) -> str:
    """The canonical profile link of a network from one of its profile links."""
    red = REDES[clave]
    partes = separar_url(texto)
    propia = red_de_host((partes.hostname or "").lower())
    if propia != clave:
        if propia is not None:
            raise RespuestaInvalida(_en_otro_campo(propia))
        raise RespuestaInvalida(
            f"Ese enlace no es de {red.nombre}; escriba el enlace de su perfil de {red.nombre} "
            f"(por ejemplo {red.perfil.format('nombre')}) o solo el nombre de usuario."
        )
    segmentos = [s for s in partes.path.split("/") if s]
    if clave == "youtube":
        return _canal_youtube(partes.hostname or "", segmentos)
    if clave == "facebook" and segmentos[:1] == ["profile.php"]:
        identificador = dict(p.partition("=")[::2] for p in partes.query.split("&")).get("id", "")
        if identificador.isdigit():
            return f"https://www.facebook.com/profile.php?id={identificador}"
    if clave == "tiktok" and not (segmentos and segmentos[0].startswith("@")):
        raise RespuestaInvalida(
            "Ese enlace de TikTok no es de un perfil; copie el enlace de su perfil, que tiene la "
            "forma https://www.tiktok.com/@usuario."
        )
    if not segmentos or segmentos[0].lower() in red.reservadas:
        raise RespuestaInvalida(
            f"Ese enlace de {red.nombre} no es de un perfil; copie el enlace de su perfil "
            f"(por ejemplo {red.perfil.format('nombre')}) o escriba solo el nombre de usuario."
        )
    # People paste the handle with its «@» into the path (facebook.com/@nombre) and it works.
    usuario = segmentos[0].removeprefix("@")
    return red.perfil.format(_revisar_usuario(red, usuario))


def _canal_youtube(host: str, segmentos: list[str]) -> str:
    """The canonical link of a YouTube channel: @handle, /channel/ID, /c/name or /user/name."""
    red = REDES["youtube"]
    primero = segmentos[0] if segmentos else ""
    if host != "youtu.be" and primero.startswith("@"):
        return red.perfil.format(_revisar_usuario(red, primero[1:]))
    if primero == "channel" and len(segmentos) > 1 and _CANAL_YOUTUBE.match(segmentos[1]):
        return f"https://www.youtube.com/channel/{segmentos[1]}"
    if primero in ("c", "user") and len(segmentos) > 1 and _NOMBRE_YOUTUBE.match(segmentos[1]):
        return f"https://www.youtube.com/{primero}/{segmentos[1]}"
    raise RespuestaInvalida(
        "Ese enlace de YouTube no es de un canal; copie el enlace de su canal, que tiene la forma "
        "https://www.youtube.com/@usuario, o escriba solo el @usuario."
    )


def _revisar_usuario(red: Red, usuario: str) -> str:
    """The handle if it follows the network's rules."""
    if not red.minimo <= len(usuario) <= red.maximo:
        raise RespuestaInvalida(
            f"El usuario de {red.nombre} debe tener de {red.minimo} a {red.maximo} caracteres; "
            f"recibimos {len(usuario)}."
        )
    invalido = next((c for c in usuario if not red.permitidos.fullmatch(c)), None)
    if invalido is not None:
        raise RespuestaInvalida(
            f"El usuario de {red.nombre} solo puede tener {red.caracteres}; "
            f"«{usuario}» tiene «{invalido}»."
        )
    for patron, regla in red.extra:
        if patron.search(usuario):
            raise RespuestaInvalida(f"El usuario de {red.nombre} {regla}; recibimos «{usuario}».")
    return usuario
