"""Where a webhook may be sent: public http(s) servers only (SSRF guard), without doing I/O.

The name resolution is injected (`Resolver`), so the same check runs when a subscriber is
registered and again before every delivery, on the addresses the delivery then connects to: a
name that resolved to a public address once and to a private one later (DNS rebinding) is
refused at that moment.
"""

import ipaddress
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

MAX_URL = 2000
ESQUEMAS = ("https", "http")
PUERTOS = {"https": 443, "http": 80}

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# Well-known NAT64 prefixes (RFC 6052, RFC 8215): the last 32 bits are an IPv4 address.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


class ErrorWebhook(Exception):
    """A webhook request that cannot be done as asked; the message says why, in Spanish."""


class DestinoNoPermitido(ErrorWebhook):
    """The URL is not a public http(s) server, or its name points to a private address."""


@dataclass(frozen=True, slots=True)
class Url:
    """A subscriber URL taken apart: scheme, host (lower case, no brackets) and port."""

    texto: str
    esquema: str
    host: str
    puerto: int

    @property
    def es_ip(self) -> bool:
        """Whether the host is an address literal (no name to resolve)."""
        return _como_ip(self.host) is not None


@dataclass(frozen=True, slots=True)
class Destino:
    """A checked URL and the checked address a delivery connects to."""

    url: Url
    ip: str


class Resolver(Protocol):
    """Looks a host name up; raises DestinoNoPermitido when it cannot."""

    async def __call__(self, host: str, puerto: int) -> list[str]:
        """Every address the name resolves to."""
        ...


def analizar_url(texto: str) -> Url:
    """The URL taken apart; DestinoNoPermitido when it is not a plain http(s) address."""
    texto = texto.strip()
    if not texto:
        raise DestinoNoPermitido(
            "Escriba la dirección (URL) del suscriptor, por ejemplo https://receptor.ejemplo.mx/"
            "conoceles."
        )
    if len(texto) > MAX_URL:
        raise DestinoNoPermitido(
            f"La dirección debe tener como máximo {MAX_URL} caracteres; recibimos {len(texto)}."
        )
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in texto):
        raise DestinoNoPermitido("La dirección no puede llevar espacios ni caracteres de control.")
    partes = urlsplit(texto)
    esquema = partes.scheme.lower()
    if esquema not in ESQUEMAS:
        recibido = f"; recibimos «{partes.scheme}»" if partes.scheme else ""
        raise DestinoNoPermitido(f"La dirección debe empezar con https:// (o http://){recibido}.")
    if "@" in partes.netloc:
        raise DestinoNoPermitido(
            "La dirección no puede llevar usuario ni contraseña (…@servidor); las entregas se "
            "autentican con el secreto de firma."
        )
    if partes.fragment or texto.endswith("#"):
        raise DestinoNoPermitido("La dirección no puede llevar un fragmento (#…).")
    host = (partes.hostname or "").rstrip(".")
    if not host:
        raise DestinoNoPermitido(
            "La dirección no indica el servidor, por ejemplo https://receptor.ejemplo.mx/."
        )
    try:
        puerto = partes.port or PUERTOS[esquema]
    except ValueError as exc:
        raise DestinoNoPermitido("El puerto de la dirección no es válido (de 1 a 65535).") from exc
    if puerto == 0:
        raise DestinoNoPermitido("El puerto de la dirección no es válido (de 1 a 65535).")
    return Url(texto=texto, esquema=esquema, host=_host_ascii(host), puerto=puerto)


def motivo_de_rechazo(ip: IP) -> str | None:
    """Why an address is not a public internet server (None when it is)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return motivo_de_rechazo(ip.ipv4_mapped)
    for incrustada in _incrustadas(ip):
        motivo = motivo_de_rechazo(incrustada)
        if motivo is not None:
            return motivo
    if ip.is_unspecified:
        return "no es una dirección concreta (0.0.0.0 o ::)"
    if ip.is_loopback:
        return "es este mismo equipo (loopback)"
    if ip.is_link_local:
        return "es de enlace local (incluye el servicio de metadatos de la nube, 169.254.169.254)"
    if ip.is_multicast:
        return "es de multidifusión"
    if ip.is_private and not ip.is_reserved:
        return "es de una red privada"
    if ip.is_reserved or not ip.is_global:
        return "está reservada: no es una dirección pública de internet"
    return None


def revisar_ips(url: Url, ips: Sequence[str], *, permitir_privadas: bool) -> str:
    """The address to connect to; DestinoNoPermitido if any address of the host is not public."""
    if not ips:
        raise DestinoNoPermitido(
            f"No se encontró ninguna dirección IP para «{url.host}»; revise la dirección."
        )
    for texto in ips:
        ip = _como_ip(texto)
        if ip is None:
            raise DestinoNoPermitido(f"«{url.host}» devolvió una dirección no válida: «{texto}».")
        motivo = None if permitir_privadas else motivo_de_rechazo(ip)
        if motivo is not None:
            sujeto = (
                f"La dirección {ip}"
                if url.es_ip
                else f"El servidor «{url.host}» apunta a {ip}, que"
            )
            raise DestinoNoPermitido(
                f"{sujeto} {motivo}; solo se envían entregas a servidores públicos de internet."
            )
    return ips[0]


async def comprobar_destino(texto: str, *, resolver: Resolver, permitir_privadas: bool) -> Destino:
    """The URL checked and the address to connect to (every address of its host checked)."""
    url = analizar_url(texto)
    ips = [url.host] if url.es_ip else await resolver(url.host, url.puerto)
    return Destino(url=url, ip=revisar_ips(url, ips, permitir_privadas=permitir_privadas))


def sin_consulta(texto: str) -> str:
    """The URL without query string, fragment or credentials (what events and logs may show)."""
    partes = urlsplit(texto.strip())
    return urlunsplit((partes.scheme, partes.netloc.rpartition("@")[2], partes.path, "", ""))


def _host_ascii(host: str) -> str:
    """The host in ASCII (IDNA for names with accents); DestinoNoPermitido if impossible."""
    if host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise DestinoNoPermitido(f"El nombre del servidor «{host}» no es válido.") from exc


def _como_ip(texto: str) -> IP | None:
    """The address a text spells, or None for a host name."""
    try:
        return ipaddress.ip_address(texto)
    except ValueError:
        return None


def _incrustadas(ip: IP) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    incrustadas: list[ipaddress.IPv4Address] = []
    if ip.sixtofour is not None:
        incrustadas.append(ip.sixtofour)
    if ip.teredo is not None:
        incrustadas.extend(ip.teredo)
    if any(ip in red for red in _NAT64):
        incrustadas.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return incrustadas
