"""Where token verifiers get the identity provider's public keys (a JWKS document)."""

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from comun.errores import Problema

logger = logging.getLogger(__name__)

Jwks = dict[str, Any]


class JwksSource(Protocol):
    """A JSON Web Key Set provider; `forzar` asks for fresh keys (a token had an unknown kid)."""

    async def obtener(self, *, forzar: bool = False) -> Jwks:
        """Return the key set `{"keys": [...]}`."""
        ...


class IdentidadNoDisponible(Problema):
    """503: the identity provider's keys cannot be fetched, so no token can be checked."""

    def __init__(self) -> None:
        super().__init__(
            503,
            "Servicio de identidad no disponible",
            "El servicio de identidad no responde y no es posible comprobar su sesión; "
            "intente de nuevo en unos minutos.",
        )


class StaticJwksSource:
    """A fixed key set (tests, or keys known at start-up)."""

    def __init__(self, jwks: Jwks) -> None:
        self._jwks = jwks

    async def obtener(self, *, forzar: bool = False) -> Jwks:
        """Return the fixed key set."""
        return self._jwks


class HttpJwksSource:
    """Fetches a JWKS URL with httpx and caches it; forced refreshes are rate-limited."""

    def __init__(
        self,
        url: str,
        *,
        ttl_s: float = 300,
        intervalo_refresco_s: float = 30,
        espera_tras_fallo_s: float = 2,
        timeout_s: float = 5,
        transport: httpx.AsyncBaseTransport | None = None,
        reloj: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._ttl_s = ttl_s
        self._intervalo_refresco_s = intervalo_refresco_s
        self._espera_tras_fallo_s = espera_tras_fallo_s
        self._timeout_s = timeout_s
        self._transport = transport
        self._reloj = reloj
        self._jwks: Jwks | None = None
        self._obtenido_en = 0.0
        self._ultimo_intento: float | None = None
        self._ultimo_fallo: float | None = None
        self._lock: asyncio.Lock | None = None

    async def obtener(self, *, forzar: bool = False) -> Jwks:
        """Return the cached key set, fetching it when stale, missing or forced (rate-limited)."""
        if not self._debe_pedir(forzar=forzar):
            assert self._jwks is not None
            return self._jwks
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            # Another task may have fetched while this one waited for the lock.
            if not self._debe_pedir(forzar=forzar):
                assert self._jwks is not None
                return self._jwks
            return await self._pedir()

    def _debe_pedir(self, *, forzar: bool) -> bool:
        ahora = self._reloj()
        fallo = self._ultimo_fallo
        if fallo is not None and ahora - fallo < self._espera_tras_fallo_s:
            # Right after a failure, answer from cache (or fail) without hammering the server.
            if self._jwks is None:
                raise IdentidadNoDisponible()
            return False
        if self._jwks is None:
            return True
        if ahora - self._obtenido_en >= self._ttl_s:
            return True
        if forzar:
            # Tokens with made-up kids must not turn into one request each to the key server.
            return (
                self._ultimo_intento is None
                or ahora - self._ultimo_intento >= self._intervalo_refresco_s
            )
        return False

    async def _pedir(self) -> Jwks:
        self._ultimo_intento = self._reloj()
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout_s, transport=self._transport
            ) as cliente:
                respuesta = await cliente.get(self._url, headers={"Accept": "application/json"})
                respuesta.raise_for_status()
                jwks = respuesta.json()
            if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
                raise ValueError("la respuesta no es un JWKS")
        except (httpx.HTTPError, ValueError) as error:
            self._ultimo_fallo = self._reloj()
            if self._jwks is not None:
                logger.warning(
                    "No se pudo renovar el JWKS de %s (%s); se siguen usando las claves en caché",
                    self._url,
                    error,
                )
                return self._jwks
            logger.error("No se pudo obtener el JWKS de %s: %s", self._url, error)
            raise IdentidadNoDisponible() from error
        self._ultimo_fallo = None
        self._jwks = jwks
        self._obtenido_en = self._reloj()
        return jwks
