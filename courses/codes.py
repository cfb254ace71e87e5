"""Certificate verification codes: 60 random bits in Crockford Base32 plus a check character.

A code is 12 data characters and one check character, printed in groups of four
(`7KQ2-M9XD-4HFT-X`). People copy codes from paper, so input is forgiving: case, spaces and
dashes are ignored, and the letters Crockford's alphabet leaves out because they look like
digits are read as those digits (O → 0, I and L → 1).

The check character comes from the Damm algorithm over the field GF(32) (x∘y = 2·x + y, a
totally anti-symmetric quasigroup), rather than Crockford's mod-37 symbols (*~$=U), so that a
code stays inside QR alphanumeric mode and URL paths. It catches every single mistyped
character and every swap of two neighbouring characters, the check character included.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
DATA_LENGTH = 12  # 12 × 5 = 60 random bits
LENGTH = DATA_LENGTH + 1
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")


FIELD_POLYNOMIAL = 0b100101  # x⁵ + x² + 1, irreducible: GF(32)


def times_two(value):
    """Multiply by x in GF(32)."""
    value <<= 1
    return value ^ FIELD_POLYNOMIAL if value & 32 else value


def interim(symbols):
    state = 0
    for symbol in symbols:
        state = times_two(state) ^ VALUE[symbol]
    return state


def check_character(data):
    """The symbol that brings the Damm interim value of data + symbol back to zero."""
    return ALPHABET[times_two(interim(data))]


def new_code():
    """A fresh code from the operating system's CSPRNG, in its compact form."""
    bits = secrets.randbits(DATA_LENGTH * 5)
    data = "".join(ALPHABET[(bits >> shift) & 31] for shift in range(55, -1, -5))
    return data + check_character(data)


def normalise(raw):
    """The compact form of what someone typed, or None if it cannot be a code."""
    text = SEPARATORS.sub("", str(raw or "")).upper().translate(LOOKALIKES)
    if len(text) != LENGTH or any(symbol not in VALUE for symbol in text):
        return None
    if interim(text) != 0:
        return None
    return text


def grouped(code):
    """`7KQ2M9XD4HFTX` → `7KQ2-M9XD-4HFT-X`, for printing and reading aloud."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))
