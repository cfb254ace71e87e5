"""Path converters for our URLs.

`<id:pk>` is Django's `<int:pk>` bounded to the database's ids: a number longer than any
64-bit integer, or past the largest one, does not match the route, so it is a plain 404 —
SQLite refuses to bind such a number (OverflowError) and PostgreSQL compares it in vain.
Every route of ours takes ids this way (tests/test_hostile_input.py holds it).
"""

from django.urls import register_converter

LARGEST_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError(value)  # no match: the resolver tries the next route, then 404s
        return number

    def to_url(self, value):
        return str(value)


def register():
    register_converter(IdConverter, "id")
