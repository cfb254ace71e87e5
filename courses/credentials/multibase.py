"""Multibase (base58-btc "z…", base64url "u…") and Ed25519 Multikey strings.

Multikey (W3C Controlled Identifiers): an Ed25519 public key is multibase base58-btc of
``0xed 0x01`` + the 32-byte key ("z6Mk…"); a secret key uses the prefix ``0x80 0x26``
+ the 32-byte seed ("z3u2…").
"""

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_VALUES = {char: value for value, char in enumerate(BASE58_ALPHABET)}

BASE58BTC_PREFIX = "z"
BASE64URL_PREFIX = "u"

ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_SECRET_PREFIX = b"\x80\x26"
ED25519_KEY_LENGTH = 32


class MultibaseError(ValueError):
    """Text that is not valid multibase, or a Multikey that is not an Ed25519 key."""


def base58_encode(data: bytes) -> str:
    """Bitcoin base58 (no prefix); each leading zero byte becomes a leading "1"."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(digits))


def base58_decode(text: str) -> bytes:
    """The inverse of ``base58_encode``; raises ``MultibaseError`` on other characters."""
    number = 0
    for char in text:
        if char not in _BASE58_VALUES:
            raise MultibaseError(f"{char!r} is not a base58-btc character.")
        number = number * 58 + _BASE58_VALUES[char]
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * leading_zeros + body


def encode_base58btc(data: bytes) -> str:
    """Multibase base58-btc: "z" + base58."""
    return BASE58BTC_PREFIX + base58_encode(data)


def encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: "u" + base64url."""
    return BASE64URL_PREFIX + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode(text: str) -> bytes:
    """Decode a multibase string in base58-btc ("z…") or base64url ("u…")."""
    if not isinstance(text, str) or not text:
        raise MultibaseError("A multibase value must be a non-empty string.")
    prefix, body = text[0], text[1:]
    if prefix == BASE58BTC_PREFIX:
        return base58_decode(body)
    if prefix == BASE64URL_PREFIX:
        return _base64url_decode(body)
    raise MultibaseError(f"Unsupported multibase prefix {prefix!r} (expected 'z' or 'u').")


def _base64url_decode(body: str) -> bytes:
    if "=" in body or not set(body) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    ):
        raise MultibaseError("Not base64url without padding.")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as error:
        raise MultibaseError(f"Not base64url: {error}") from error


def public_key_to_multikey(key: Ed25519PublicKey) -> str:
    """The key's Multikey string, "z6Mk…"."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base58btc(ED25519_PUBLIC_PREFIX + raw)


def multikey_to_public_key(text: str) -> Ed25519PublicKey:
    """The Ed25519 public key in a "z6Mk…" Multikey string."""
    raw = _multikey_body(text, ED25519_PUBLIC_PREFIX, "public")
    return Ed25519PublicKey.from_public_bytes(raw)


def secret_key_to_multikey(key: Ed25519PrivateKey) -> str:
    """The secret key's Multikey string, "z3u2…"."""
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return encode_base58btc(ED25519_SECRET_PREFIX + raw)


def multikey_to_secret_key(text: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in a "z3u2…" Multikey string."""
    raw = _multikey_body(text, ED25519_SECRET_PREFIX, "secret")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _multikey_body(text, prefix, kind):
    if not isinstance(text, str) or not text.startswith(BASE58BTC_PREFIX):
        raise MultibaseError(f"An Ed25519 {kind} Multikey is base58-btc, starting with 'z'.")
    data = decode(text)
    if not data.startswith(prefix) or len(data) != len(prefix) + ED25519_KEY_LENGTH:
        raise MultibaseError(f"Not an Ed25519 {kind} Multikey.")
    return data[len(prefix) :]
