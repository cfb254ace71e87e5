"""Revocation through a W3C Bitstring Status List v1.0.

Bit ``index`` is set when the credential whose status entry has that index is revoked. Index 0
is the most significant (left-most) bit of the first byte. The list travels GZIP-compressed,
as multibase base64url ("u…"), inside a signed ``BitstringStatusListCredential``.

The list credential carries a validity window (``validFrom``/``validUntil``, and ``ttl`` in
milliseconds on the subject): a copy kept past it could hide a later revocation, so verifiers
must not believe it then.
"""

import gzip
import zlib
from datetime import UTC, datetime, timedelta

from courses.credentials.documents import CREDENTIALS_V2
from courses.credentials.multibase import decode as multibase_decode
from courses.credentials.multibase import encode_base64url

LIST_SIZE = 131072  # bits: the spec's minimum, so that one entry hides among many
STATUS_PURPOSE = "revocation"
# A hostile file must not inflate into gigabytes: far more than any list this project needs.
MAX_LIST_BYTES = 16 * 1024 * 1024


class StatusListError(ValueError):
    """An encoded list that cannot be decoded, is too short, or an index outside the list."""


def new_list() -> bytearray:
    """An empty list of ``LIST_SIZE`` bits: nothing revoked."""
    return bytearray(LIST_SIZE // 8)


def encode(bits: bytearray) -> str:
    """GZIP the bitstring, then multibase base64url ("u…")."""
    if len(bits) * 8 < LIST_SIZE:
        raise StatusListError(f"A status list holds at least {LIST_SIZE} bits.")
    # mtime=0: the same list always encodes to the same text.
    return encode_base64url(gzip.compress(bytes(bits), mtime=0))


def decode(encoded: str) -> bytearray:
    """The bitstring in an ``encodedList`` value."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("The encoded status list is not multibase base64url ('u…').")
    try:
        compressed = multibase_decode(encoded)
        bits = _gunzip(compressed)
    except (ValueError, EOFError, zlib.error) as error:
        raise StatusListError(f"The encoded status list cannot be decoded: {error}") from error
    if len(bits) * 8 < LIST_SIZE:
        raise StatusListError(f"The status list is shorter than {LIST_SIZE} bits.")
    return bytearray(bits)


def _gunzip(compressed):
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip header
    data = inflater.decompress(compressed, MAX_LIST_BYTES)
    if inflater.unconsumed_tail:
        raise StatusListError(f"The status list is larger than {MAX_LIST_BYTES} bytes.")
    if not inflater.eof:
        raise StatusListError("The compressed status list is truncated.")
    return data


def _position(bits, index):
    if not isinstance(index, int) or not 0 <= index < len(bits) * 8:
        raise StatusListError(f"Status list index {index!r} is outside the list.")
    return index // 8, 0x80 >> (index % 8)


def is_set(bits: bytearray, index: int) -> bool:
    """Whether bit ``index`` is set (for revocation: the credential is revoked)."""
    byte, mask = _position(bits, index)
    return bool(bits[byte] & mask)


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    """Set (or clear) bit ``index`` in place."""
    byte, mask = _position(bits, index)
    if value:
        bits[byte] |= mask
    else:
        bits[byte] &= ~mask & 0xFF


def status_list_credential(
    list_url: str, issuer_did: str, bits: bytearray, valid_from: datetime, validity: timedelta
) -> dict:
    """The unsigned ``BitstringStatusListCredential`` published at ``list_url``.

    It is valid from ``valid_from`` (an aware datetime, kept to the second) for ``validity``.
    """
    if validity <= timedelta(0):
        raise StatusListError("A status list's validity must be a positive duration.")
    start = valid_from.astimezone(UTC).replace(microsecond=0)
    return {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": xsd_datetime(start),
        "validUntil": xsd_datetime(start + validity),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode(bits),
            # The same window, for verifiers that cache by the spec's time to live.
            "ttl": validity // timedelta(milliseconds=1),
        },
    }


def xsd_datetime(moment: datetime) -> str:
    """An aware datetime as an XML Schema dateTime in UTC, to the second ("…Z")."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_entry(list_url: str, index: int) -> dict:
    """The ``credentialStatus`` of the credential given bit ``index`` of the list."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
