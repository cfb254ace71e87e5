"""The issuer's Ed25519 signing key: generate, store as PEM, load from PEM or Multikey."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from courses.credentials.multibase import multikey_to_secret_key, public_key_to_multikey

PEM_MARKER = b"-----BEGIN"


class InvalidKeyError(ValueError):
    """The secret is neither an unencrypted PKCS8 PEM Ed25519 key nor a secret Multikey."""


def generate_private_key() -> Ed25519PrivateKey:
    """A new random Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    """The key as unencrypted PKCS8 PEM (keep it in a secret store, not in the repository)."""
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def load_private_key(pem_or_multibase: str | bytes) -> Ed25519PrivateKey:
    """Load an Ed25519 key from PKCS8 PEM or from a secret Multikey ("z3u2…")."""
    secret = pem_or_multibase
    if isinstance(secret, str):
        secret = secret.strip()
        if not secret.startswith(PEM_MARKER.decode()):
            return _from_multikey(secret)
        secret = secret.encode("ascii")
    return _from_pem(secret.strip())


def _from_multikey(text):
    try:
        return multikey_to_secret_key(text)
    except ValueError as error:
        raise InvalidKeyError(f"Not a secret Ed25519 Multikey: {error}") from error


def _from_pem(data):
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise InvalidKeyError(f"Not an unencrypted PKCS8 PEM key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidKeyError("The PEM key is not an Ed25519 key.")
    return key


def public_multikey(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key's Multikey string ("z6Mk…") for a private or public key."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return public_key_to_multikey(key)
