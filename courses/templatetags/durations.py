"""``{{ hours|duration }}``: a number of hours in words, with plural forms (see
courses/durations.py)."""

from django import template

from courses.durations import duration_text

register = template.Library()


@register.filter
def duration(hours):
    """For 2.5, "2 hours 30 minutes" in the current language; empty for None."""
    if hours is None or hours == "":
        return ""
    return duration_text(hours)
