"""Ed25519 signature of the open-data manifest, with a key derived from the platform secret.

Every replica derives the same key (HKDF-SHA256 of `CONOCELES_CLAVE_SECRETA`, info
«conoceles-datos-abiertos»), so none has to store a private key and any of them can sign.
Rotating the secret changes the key: the next snapshot is signed with the new one.
"""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PROPOSITO = b"conoceles-datos-abiertos"


class Firmante:
    """Signs with the open-data key and shows its public half."""

    def __init__(self, secreto: str) -> None:
        semilla = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PROPOSITO).derive(
            secreto.encode()
        )
        self._clave = Ed25519PrivateKey.from_private_bytes(semilla)
        publica = self._clave.public_key()
        self.clave_publica_pem = publica.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")
        cruda = publica.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.huella = hashlib.sha256(cruda).hexdigest()

    def firmar(self, datos: bytes) -> bytes:
        """The 64-byte Ed25519 signature of the bytes."""
        return self._clave.sign(datos)


def verificar(clave_publica_pem: str, datos: bytes, firma: bytes) -> bool:
    """Whether the signature is the key's over exactly these bytes."""
    clave = serialization.load_pem_public_key(clave_publica_pem.encode("ascii"))
    if not isinstance(clave, Ed25519PublicKey):
        return False
    try:
        clave.verify(firma, datos)
    except InvalidSignature:
        return False
    return True
