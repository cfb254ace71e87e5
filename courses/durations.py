"""Durations in words, in the current language: "1 hour", "2 hours 30 minutes", "45 minutes".

gettext picks a plural form from a whole number, and no one form suits a fraction in every
language ("1.5" takes the singular in French, a form of its own in Arabic). So a duration is
never worded as a fraction of an hour: it is split into whole hours and whole minutes, each
counted by ngettext, and the two are joined by a pattern translators can reorder.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import ngettext, pgettext


def total_minutes(hours):
    """``hours`` (a number, possibly fractional) as whole minutes, rounded half up."""
    return int((Decimal(str(hours)) * 60).quantize(Decimal(1), ROUND_HALF_UP))


def duration_text(hours):
    """``hours`` in words: whole hours and minutes, each with its plural form."""
    whole, minutes = divmod(total_minutes(hours), 60)
    hours_part = ngettext("%(hours)s hour", "%(hours)s hours", whole) % {
        "hours": formats.number_format(whole)
    }
    if not minutes:
        return hours_part
    minutes_part = ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {
        "minutes": minutes
    }
    if not whole:
        return minutes_part
    # Translators: a duration such as "2 hours 30 minutes"; add a word such as "and" if your
    # language needs one.
    return pgettext("duration", "%(hours)s %(minutes)s") % {
        "hours": hours_part,
        "minutes": minutes_part,
    }
