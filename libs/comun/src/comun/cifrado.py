"""Envelope encryption of sensitive data: a data key per record, wrapped by a master key."""

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "s1"
_NONCE = 12
_PROPOSITO = b"conoceles/identidad/clave-maestra"


class SobreIlegible(Exception):
    """An envelope cannot be opened with the configured master key."""


@dataclass(frozen=True, slots=True)
class Sobre:
    """An encrypted record: «s1.<key id>.<wrapped data key>.<nonce + ciphertext>»."""

    clave_id: str
    clave_envuelta: bytes
    cifrado: bytes

    def texto(self) -> str:
        """The envelope as one ASCII string, as documents and events carry it."""
        partes = (self.clave_envuelta, self.cifrado)
        codificadas = (base64.urlsafe_b64encode(p).decode("ascii") for p in partes)
        return ".".join((_VERSION, self.clave_id, *codificadas))

    @classmethod
    def de_texto(cls, texto: str) -> "Sobre":
        """Parse an envelope string; SobreIlegible when it is malformed."""
        try:
            version, clave_id, envuelta, cifrado = texto.split(".")
            if version != _VERSION:
                raise ValueError(version)
            return cls(
                clave_id,
                base64.urlsafe_b64decode(envuelta.encode("ascii")),
                base64.urlsafe_b64decode(cifrado.encode("ascii")),
            )
        except (ValueError, binascii.Error) as error:
            mensaje = "El dato cifrado está dañado o tiene un formato desconocido."
            raise SobreIlegible(mensaje) from error


class Cifrador:
    """Seals and opens envelopes with a master key derived (HKDF) from a configured secret."""

    def __init__(self, secreto: str) -> None:
        derivada = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PROPOSITO)
        maestra = derivada.derive(secreto.encode("utf-8"))
        self._maestra = AESGCM(maestra)
        # Names the master key in each envelope, so a rotation can tell old from new.
        self.clave_id = hashlib.sha256(maestra).hexdigest()[:12]

    def sellar(self, datos: bytes, *, contexto: str, anterior: str | None = None) -> str:
        """Encrypt datos bound to `contexto`, reusing the data key of `anterior` if given."""
        if anterior is None:
            clave = AESGCM.generate_key(bit_length=256)
            envuelta = _cifrar(self._maestra, clave, contexto)
        else:
            sobre = self._sobre_propio(anterior)
            clave, envuelta = self._desenvolver(sobre, contexto), sobre.clave_envuelta
        cifrado = _cifrar(AESGCM(clave), datos, contexto)
        return Sobre(self.clave_id, envuelta, cifrado).texto()

    def abrir(self, texto: str, *, contexto: str) -> bytes:
        """The data sealed for `contexto`; SobreIlegible otherwise."""
        sobre = self._sobre_propio(texto)
        clave = self._desenvolver(sobre, contexto)
        return _descifrar(AESGCM(clave), sobre.cifrado, contexto)

    def _sobre_propio(self, texto: str) -> Sobre:
        """Parse an envelope and make sure it was sealed with this master key."""
        sobre = Sobre.de_texto(texto)
        if sobre.clave_id != self.clave_id:
            raise SobreIlegible(
                "El dato se cifró con otra clave maestra; configure la misma "
                "CONOCELES_CLAVE_IDENTIDAD con la que se guardó."
            )
        return sobre

    def _desenvolver(self, sobre: Sobre, contexto: str) -> bytes:
        """Unwrap the record's data key."""
        return _descifrar(self._maestra, sobre.clave_envuelta, contexto)


def _cifrar(aes: AESGCM, datos: bytes, contexto: str) -> bytes:
    """AES-GCM with a fresh nonce, the context as associated data."""
    nonce = os.urandom(_NONCE)
    return nonce + aes.encrypt(nonce, datos, contexto.encode("utf-8"))


def _descifrar(aes: AESGCM, crudo: bytes, contexto: str) -> bytes:
    """Inverse of `_cifrar`; SobreIlegible on any tampering or wrong context."""
    try:
        return aes.decrypt(crudo[:_NONCE], crudo[_NONCE:], contexto.encode("utf-8"))
    except (InvalidTag, ValueError) as error:
        mensaje = "El dato cifrado no corresponde a este registro o fue alterado."
        raise SobreIlegible(mensaje) from error
