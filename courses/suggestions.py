"""What to learn next: the course suggested on a learner's dashboard.

The rule: a live, public course the learner has not enrolled in, written for an audience of a
course they took; failing that, for the role in their profile. Among those, one that exists
in the learner's language comes first, then the one sharing the most audiences, then the
catalogue's order. It is shown in the learner's language when it exists there, else
in the site's default language, else in whichever language it has. When nothing shares an
audience there is no suggestion: a course for other professions is not a sensible next step,
and the dashboard links to the catalogue instead.

Plain functions over pages already fetched: the dashboard fetches the catalogue once, so the
suggestion costs no query of its own.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Suggestion:
    course: object  # the CoursePage, in the language it is shown in
    in_your_language: bool


def versions_by_course(pages):
    """{translation key: [the live versions of that course]}, in the order given."""
    versions = {}
    for page in pages:
        versions.setdefault(page.translation_key, []).append(page)
    return versions


def in_language(versions, language):
    """The version to show: the learner's language, else the site's default, else the first."""
    for wanted in (language, settings.LANGUAGE_CODE):
        for page in versions:
            if page.locale.language_code == wanted:
                return page
    return versions[0]


def suggest(catalogue, taken_keys, taken_courses, role, language):
    """The course to suggest from ``catalogue`` (every live, public course page, any
    language, in tree order), or None. The courses taken say more about what the learner
    studies than their profile's role, which is asked only when they find nothing."""
    audiences = {audience for course in taken_courses for audience in course.audience or []}
    found = next_course(catalogue, taken_keys, audiences, language)
    if found is None and role:
        found = next_course(catalogue, taken_keys, {role}, language)
    return found


def next_course(catalogue, taken_keys, audiences, language):
    """The best course of ``catalogue`` not in ``taken_keys`` sharing one of ``audiences``."""
    taken = set(taken_keys)
    best, best_rank = None, None
    for position, (key, versions) in enumerate(versions_by_course(catalogue).items()):
        if key in taken:
            continue
        shared = len(audiences.intersection(versions[0].audience or []))
        if not shared:
            continue
        shown = in_language(versions, language)
        here = shown.locale.language_code == language
        rank = (not here, -shared, position)
        if best_rank is None or rank < best_rank:
            best, best_rank = Suggestion(course=shown, in_your_language=here), rank
    return best
