"""The name printed on certificates: one rule, applied wherever such a name enters.

A certificate name must look the same on the profile, the verify page, the PDF and the signed
credential, so it is stored exactly as all of them will show it:

- in Unicode NFC, with every run of white space (of any kind) turned into one space and
  none at either end: the same name is always the same string;
- without invisible characters that change how the text looks. Refused: the bidi
  embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069); the direction marks
  (U+200E, U+200F, U+061C); every other control, format, private-use or unassigned
  character (zero-width spaces, soft hyphens, tag characters …) and the Hangul fillers,
  which are letters that draw nothing. Only the zero-width non-joiner and joiner (U+200C,
  U+200D) stay, because Persian and Indic names need them to join letters correctly;
- with at least one visible letter (a character of Unicode category L*);
- with at most MAX_MARKS_PER_LETTER combining marks on one letter.

Why the direction marks go too, though they cannot reverse a word: browsers honour them,
while the PDF runs the bidi algorithm only on lines that contain Arabic, so one mark can
order the same name differently on screen and on paper; and no name needs one, since the
first letter sets a name's direction everywhere. Why stacked marks are limited: a browser
draws them above and below the line ("Zalgo" text), over the "Valid" or "Revoked" status
next to the name on the verify page.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enough for every script's real stacks (Vietnamese in NFC has one, Hebrew with points
# three, Tibetan subjoined consonants with a vowel four).
MAX_MARKS_PER_LETTER = 4
JOINERS = frozenset("\u200c\u200d")
# Category Lo, but they draw nothing.
HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
COMBINING = ("Mn", "Me")


def clean_certificate_name(text):
    """``text`` as it is stored and printed, or a ValidationError saying what to change."""
    name = normalise(text)
    errors = []
    invisible = invisible_characters(name)
    if invisible:
        errors.append(
            ValidationError(
                _(
                    "The name contains invisible characters (%(characters)s) that can change "
                    "how it looks. Type the name again without them."
                ),
                code="invisible",
                params={"characters": ", ".join(invisible)},
            )
        )
    if longest_mark_stack(name) > MAX_MARKS_PER_LETTER:
        errors.append(
            ValidationError(
                _("The name has too many accents or marks stacked on one letter."),
                code="stacked_marks",
            )
        )
    if not any(is_visible_letter(char) for char in name):
        errors.append(
            ValidationError(_("The name must contain at least one letter."), code="no_letter")
        )
    if errors:
        raise ValidationError(errors)
    return name


def normalise(text):
    """NFC, with white space collapsed to single spaces and trimmed."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def is_invisible(char):
    if char in JOINERS:
        return False
    return char in HANGUL_FILLERS or unicodedata.category(char).startswith("C")


def invisible_characters(text):
    """The invisible characters in ``text`` as code points ("U+202E"), each once, in order."""
    return list(dict.fromkeys(f"U+{ord(char):04X}" for char in text if is_invisible(char)))


def is_visible_letter(char):
    return unicodedata.category(char).startswith("L") and char not in HANGUL_FILLERS


def longest_mark_stack(text):
    """The most combining marks that follow one another anywhere in ``text``."""
    longest = current = 0
    for char in text:
        current = current + 1 if unicodedata.category(char) in COMBINING else 0
        longest = max(longest, current)
    return longest
