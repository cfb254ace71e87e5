"""The course catalogue: one card per course, whatever the number of its translations.

A card shows the course in the language asked for (the language filter, else the page's
language) when it is live and public there, else in the site's default language, else in
any language it has; it names every language the course can be read in, each linking to
that translation. The home page shows the same cards for its own courses.

Two queries whatever the number of courses: the live, public courses of every language with
their cover images, and the covers' renditions. Filters are applied in Python: audience is a
JSON list, which SQLite cannot search inside, and a catalogue holds tens of courses, not
thousands.
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from django.conf import settings
from django.utils.translation import get_language_info

from courses.choices import Audience, Level
from courses.images import card_picture
from courses.models.pages import CoursePage

FILTERS = ("audience", "level", "language")


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def language_names():
    """Each language in its own name, as the language switcher shows it (settings.LANGUAGES)."""
    return dict(settings.LANGUAGES)


def allowed_values():
    """The values each filter accepts."""
    return {
        "audience": list(Audience.values),
        "level": list(Level.values),
        "language": language_codes(),
    }


@dataclass(frozen=True)
class Filters:
    """The filters chosen, each a valid value or "" (no filter); ``ignored`` names the
    parameters whose value was not one of the choices."""

    audience: str = ""
    level: str = ""
    language: str = ""
    ignored: tuple = ()

    @classmethod
    def from_query(cls, query):
        chosen, ignored = {}, []
        for name, allowed in allowed_values().items():
            value = query.get(name, "").strip()
            if value in allowed:
                chosen[name] = value
            elif value:
                ignored.append(name)
        return cls(**chosen, ignored=tuple(ignored))

    @property
    def active(self):
        return any(getattr(self, name) for name in FILTERS)

    def with_value(self, name, value):
        return replace(self, **{name: value}, ignored=())

    def query(self):
        """The query string of these filters, always in the same order ("" for none)."""
        from django.utils.http import urlencode

        pairs = [(name, getattr(self, name)) for name in FILTERS if getattr(self, name)]
        return f"?{urlencode(pairs)}" if pairs else ""


@dataclass(frozen=True)
class Availability:
    """One language a course can be read in."""

    code: str
    name: str  # in the language itself: "Français", "العربية"
    url: str
    bidi: bool


@dataclass
class Card:
    course: CoursePage  # the translation shown
    languages: list = field(default_factory=list)
    asked_language: str = ""

    @property
    def language(self):
        return self.course.locale.language_code

    @property
    def in_other_language(self):
        """Shown in another language than the one asked for (not yet translated)."""
        return self.language != self.asked_language

    @cached_property
    def picture(self):
        """The cover's renditions, made only when a template asks (never under data saver)."""
        return card_picture(self.course.cover_image)


def visible_courses():
    """Every live, public course in every language, in tree order, with its cover."""
    return (
        CoursePage.objects.live()
        .public()
        .defer_streamfields()
        .select_related("locale", "cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("path")
    )


class Catalogue:
    """The visible courses grouped by translation key, ready to be filtered into cards."""

    def __init__(self, request, language, courses=None):
        self.request = request
        self.language = language
        self.versions = {}  # translation key → {language code: course}, in tree order
        for course in visible_courses() if courses is None else courses:
            self.versions.setdefault(course.translation_key, {})[course.locale.language_code] = (
                course
            )

    def pick(self, by_language, asked):
        return (
            by_language.get(asked)
            or by_language.get(settings.LANGUAGE_CODE)
            or next(iter(by_language.values()))
        )

    def matches(self, by_language, filters):
        if filters.language and filters.language not in by_language:
            return False
        # Audience, level and hours are synchronised across translations.
        course = self.pick(by_language, filters.language or self.language)
        if filters.audience and filters.audience not in (course.audience or []):
            return False
        return not (filters.level and course.level != filters.level)

    def count(self, filters):
        return sum(
            1 for by_language in self.versions.values() if self.matches(by_language, filters)
        )

    def cards(self, filters=None, home=None):
        """Cards of the courses matching ``filters``; with ``home``, only that home page's own
        courses."""
        filters = filters or Filters()
        asked = filters.language or self.language
        found = []
        for by_language in self.versions.values():
            if not self.matches(by_language, filters):
                continue
            course = self.pick(by_language, asked)
            if home is not None and not (
                course.locale_id == home.locale_id
                and course.depth == home.depth + 1
                and course.path.startswith(home.path)
            ):
                continue
            found.append(Card(course, self.languages_of(by_language), asked))
        return found

    def languages_of(self, by_language):
        names = language_names()
        return [
            Availability(
                code,
                names[code],
                by_language[code].get_url(self.request),
                get_language_info(code)["bidi"],
            )
            for code in language_codes()
            if code in by_language
        ]
