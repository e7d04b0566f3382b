"""Secrets identidad must read back (TOTP), and failed sign-ins of usernames with no account."""

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import SecretStr

from comun.bus import outbox
from comun.eventos import Evento
from comun.store import Collection

COLECCION_INICIOS_FALLIDOS = "inicios_fallidos"
_VERSION = "v1"
_NONCE = 12


class SecretoIlegible(Exception):
    """A stored secret cannot be decrypted with the configured CONOCELES_CLAVE_SECRETA."""


class CifradorSecretos:
    """AES-256-GCM with a key derived (HKDF) from CONOCELES_CLAVE_SECRETA, bound to the account.

    The signing key file is encrypted with the same secret; a TOTP secret must be read back on
    every sign-in, so it is encrypted here instead of hashed.
    """

    def __init__(
        self, secreto: SecretStr, *, proposito: bytes = b"conoceles/identidad/totp"
    ) -> None:
        derivacion = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=proposito)
        self._aes = AESGCM(derivacion.derive(secreto.get_secret_value().encode("utf-8")))

    def cifrar(self, texto: str, *, contexto: str) -> str:
        """Encrypt texto for the account `contexto` (its id): «v1.<base64url>»."""
        nonce = os.urandom(_NONCE)
        cifrado = self._aes.encrypt(nonce, texto.encode("utf-8"), contexto.encode("utf-8"))
        return f"{_VERSION}.{base64.urlsafe_b64encode(nonce + cifrado).decode('ascii')}"

    def descifrar(self, cifrado: str, *, contexto: str) -> str:
        """The text encrypted for this account; SecretoIlegible otherwise."""
        version, _, cuerpo = cifrado.partition(".")
        try:
            if version != _VERSION:
                raise ValueError(version)
            crudo = base64.urlsafe_b64decode(cuerpo.encode("ascii"))
            texto = self._aes.decrypt(crudo[:_NONCE], crudo[_NONCE:], contexto.encode("utf-8"))
        except (InvalidTag, ValueError, binascii.Error) as error:
            raise SecretoIlegible(
                "El segundo factor guardado no se pudo descifrar con CONOCELES_CLAVE_SECRETA; "
                "use el mismo secreto con el que se configuró o pida a la Unidad de "
                "Transparencia que quite el segundo factor de la cuenta para configurarlo de "
                "nuevo."
            ) from error
        return texto.decode("utf-8")


class InicioFallidoRepository:
    """One document per failed sign-in of an unknown username, its event in the outbox."""

    def __init__(self, coleccion: Collection) -> None:
        self._coleccion = coleccion

    async def registrar(self, evento: Evento, *, topic: str) -> None:
        """Store the failed attempt and its event in one write (the relay publishes it)."""
        documento = {
            "_id": evento.id,
            "nombre_usuario": evento.data.get("nombre_usuario"),
            "motivo": evento.data.get("motivo"),
            "momento": evento.time.isoformat(),
            "version": 0,
        }
        await outbox.guardar(self._coleccion, documento, topic=topic, eventos=[evento], previo=None)
