"""Country profiles (treaty status and the country's notes by lesson) and the reader's choice
of whose notes lessons show (courses/countries.py; docs/countries.md)."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language

from wagtail.models import Locale

from django_countries import countries as all_countries

from courses import countries as notes
from courses.curriculum import facts as dated
from courses.links import local_next
from courses.models.countries import CountryNote, CountryProfile
from courses.models.curriculum import CurriculumFact
from courses.models.pages import LessonPage
from courses.site_search import without_restricted

# ISO 3166 codes reserved for private use: the demo's fictional jurisdictions use them.
USER_ASSIGNED = ("AA", "QM", "QN", "QO", "QP", "QQ", "QR", "QS", "QT", "QU", "QV", "QW", "QX")


def is_user_assigned(code):
    return code in USER_ASSIGNED or code.startswith("X") or code == "ZZ"


def country_index(request):
    """Every country, those with notes, a profile or a recorded status first; a fictional
    jurisdiction only once something is written for it (the demo's)."""
    with_content = set(CountryNote.objects.filter(live=True).values_list("country", flat=True))
    with_content |= set(CountryProfile.objects.filter(live=True).values_list("country", flat=True))
    with_content |= {
        key.partition("/")[0]
        for key in CurriculumFact.objects.filter(key__contains="/").values_list("key", flat=True)
    }
    listed = [
        (code, name)
        for code, name in all_countries
        if not is_user_assigned(code) or code in with_content
    ]
    featured = [(code, name) for code, name in listed if code in with_content]
    return render(
        request,
        "courses/countries/index.html",
        {"featured": featured, "countries": listed},
    )


def in_language(items, language):
    """Of the translations of each item (by translation_key), the one in this language, else
    the original (the oldest); each with .fallback set."""
    picked = {}
    for item in sorted(items, key=lambda found: found.pk):
        key = item.translation_key
        if key not in picked or item.locale.language_code == language:
            item.fallback = item.locale.language_code != language
            picked[key] = item
    return list(picked.values())


def country_profile(request, code):
    code = code.upper()
    if code not in all_countries:
        raise Http404
    language = get_language()
    recorded = notes.statuses_of(code)
    statuses = [
        {
            "label": notes.status_label(status),
            "value": notes.value_label(recorded[status].value if status in recorded else None),
            "as_of": recorded[status].as_of if status in recorded else None,
        }
        for status in dated.STATUSES
    ]
    profiles = in_language(
        CountryProfile.objects.filter(country=code, live=True).select_related("locale"), language
    )
    found = in_language(
        CountryNote.objects.filter(country=code, live=True).select_related("locale", "lesson"),
        language,
    )
    # Each note's lesson in the page's language where it is translated.
    keys = {note.lesson.translation_key for note in found}
    locale = Locale.objects.filter(language_code=language).first()
    local = {
        lesson.translation_key: lesson
        for lesson in LessonPage.objects.live().filter(translation_key__in=keys, locale=locale)
    }
    # Only lessons this visitor may open: live, and under no view restriction they fail.
    shown = {note.pk: local.get(note.lesson.translation_key, note.lesson) for note in found}
    readable = set(
        without_restricted(
            request, LessonPage.objects.live().filter(pk__in={page.pk for page in shown.values()})
        ).values_list("pk", flat=True)
    )
    lessons = {}
    for note in found:
        lesson = shown[note.pk]
        url = lesson.url if lesson.pk in readable else None
        if not url:
            continue
        entry = lessons.setdefault(
            lesson.translation_key,
            {
                "title": lesson.title,
                "url": reverse("country_choose") + "?" + urlencode({"country": code, "next": url}),
                "notes": [],
            },
        )
        entry["notes"].append(note)
    return render(
        request,
        "courses/countries/profile.html",
        {
            "code": code,
            "name": notes.country_name(code),
            "statuses": statuses,
            "profile": profiles[0] if profiles else None,
            "lessons": sorted(lessons.values(), key=lambda entry: entry["title"]),
        },
    )


def choose_country(request):
    """Keep whose notes lessons show (?country=<code>, "none", or empty for the default) and
    go back to the lesson. A GET, like the language switcher: it changes only what this
    reader sees, and keeps the lesson page free of a CSRF token."""
    back = local_next(request, request.GET.get("next", "")) or reverse("country_index")
    value = request.GET.get("country", "")
    notes.choose_country(request, value.upper() if value != notes.NO_COUNTRY else value)
    return redirect(back)
