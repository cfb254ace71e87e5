"""Country notes on lessons, the reader's active country, and treaty statuses.

Whose notes a lesson shows (the *active* country), first match wins:
1. the country the reader chose on the lesson page, kept in their session ("none" hides
   every note) — anonymous visitors too; nothing is chosen by default;
2. the country of a workshop they take part in, in that workshop's course;
3. the country of their learner profile.
No country: no note, and the page stays the same for everyone (cacheable).

Live notes of a lesson, in every language, are read once per page-tree generation
(courses/pagetree.py: saving a note starts a new one), so a lesson costs no query for them.
A note shows in the page's language, or else in the language it was written in, saying so.
Treaty statuses come from curriculum/status.yaml (courses/curriculum/facts.py), stored as
CurriculumFact rows "<code>/<status>" by load_curriculum and load_demo_content.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from wagtail.rich_text import expand_db_html

from django_countries import countries as all_countries
from django_countries.fields import Country

from courses import pagetree
from courses.curriculum import facts as dated
from courses.models.countries import CountryNote
from courses.models.curriculum import CurriculumFact
from courses.models.learners import LearnerProfile
from courses.models.workshops import Participant

SESSION_KEY = "country_notes"
NO_COUNTRY = "none"  # the reader chose to see no note
STATUS_MARKER = dated.COUNTRY_STATUS_MARKER


# --- The active country ------------------------------------------------------------------


def is_country(code):
    return bool(code) and code in all_countries


def chosen_country(request):
    """What the reader chose on a lesson page: a code, NO_COUNTRY, or None (not chosen).
    Reading the session creates none, so an anonymous page stays shared."""
    session = getattr(request, "session", None)
    value = session.get(SESSION_KEY) if session is not None else None
    return value if value == NO_COUNTRY or is_country(value) else None


def choose_country(request, value):
    """Keep the reader's choice: a country code, NO_COUNTRY, or "" to go back to the
    default (workshop, then profile). Returns False, changing nothing, for anything else."""
    if value == "":
        request.session.pop(SESSION_KEY, None)
        return True
    if value != NO_COUNTRY and not is_country(value):
        return False
    request.session[SESSION_KEY] = value
    return True


def countries_of(user, course_key):
    """(the country of the most recent workshop of this course the user takes part in, the
    country of their profile), in one query; "" or None where there is none."""
    workshops = (
        Participant.objects.filter(user=OuterRef("pk"), workshop__course_key=course_key)
        .exclude(workshop__country="")
        .order_by("-workshop__start_date", "-workshop_id")
        .values("workshop__country")[:1]
    )
    profile = LearnerProfile.objects.filter(user=OuterRef("pk")).values("country")[:1]
    found = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(Subquery(workshops), Subquery(profile))
        .first()
    )
    return found or (None, None)


def active_country(request, course_key):
    """The country whose notes this reader sees in this course, or "" for none."""
    chosen = chosen_country(request)
    if chosen is not None:
        return "" if chosen == NO_COUNTRY else chosen
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return ""
    workshop, profile = countries_of(user, course_key)
    return workshop or profile or ""


def country_name(code):
    """The country's name in the current language."""
    return str(Country(code).name) if code else ""


# --- Notes as a lesson shows them -----------------------------------------------------------


@dataclass
class Note:
    """One note ready to print: its HTML already expanded, its language, its place."""

    pk: int
    translation_key: str
    country: str
    language: str
    section: str
    html: str
    provisions: list  # (citation, link)
    reviewer: str
    reviewed_on: object
    fallback: bool = False  # shown in its source language: the page's is missing
    heading_level: int = 2


def _note(note):
    return Note(
        pk=note.pk,
        translation_key=str(note.translation_key),
        country=note.country.code,
        language=note.locale.language_code,
        section=note.section,
        html=expand_db_html(note.text),
        provisions=[
            (item.value["citation"], item.value["link"] or "")
            for item in note.provisions
            if item.block_type == "provision"
        ],
        reviewer=note.reviewer,
        reviewed_on=note.reviewed_on,
    )


def lesson_notes(lesson):
    """Every live note of the lesson, all countries and languages (cached until the page tree
    or any note changes). The original of each note comes first: it is the oldest."""
    key = lesson.translation_key

    def load():
        found = (
            CountryNote.objects.filter(live=True, lesson__translation_key=key)
            .select_related("locale")
            .order_by("pk")
        )
        return [_note(note) for note in found]

    return pagetree.remember("country-notes", key, load)


def countries_with_notes(notes):
    """(code, name) of the countries the notes are for, by name in the current language."""
    codes = {note.country for note in notes}
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


def notes_in_language(notes, country, language):
    """The country's notes, each in this language if translated, else in its original."""
    picked = {}
    for note in notes:
        if note.country != country:
            continue
        current = picked.get(note.translation_key)
        if current is None:
            picked[note.translation_key] = Note(**{**note.__dict__, "fallback": True})
        if note.language == language:
            picked[note.translation_key] = Note(**{**note.__dict__, "fallback": False})
    for note in picked.values():
        note.fallback = note.fallback and note.language != language
    return list(picked.values())


@dataclass
class Placed:
    """A lesson body with each section's notes after its last block."""

    top: list = field(default_factory=list)
    items: list = field(default_factory=list)  # (block, notes after it)


def place_notes(body, notes):
    """Put each note after the section its heading starts (up to the next heading), or at
    the top of the lesson; notes for a heading the lesson no longer has go to the top."""
    by_section = {}
    for note in notes:
        by_section.setdefault(note.section, []).append(note)
    blocks = list(body)
    headings = {block.id: block for block in blocks if block.block_type == "heading"}
    placed = Placed(top=by_section.pop("", []))
    for section in list(by_section):
        if section not in headings:
            placed.top += by_section.pop(section)
    for note in placed.top:
        note.heading_level = 2
    current = None
    for index, block in enumerate(blocks):
        if block.block_type == "heading":
            current = block
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        after = []
        if current is not None and (following is None or following.block_type == "heading"):
            after = by_section.get(current.id, [])
            level = 4 if current.value.get("level") == "h3" else 3
            for note in after:
                note.heading_level = level
        placed.items.append((block, after))
    return placed


def notes_context(request, lesson, course):
    """What the lesson template needs for country notes: the chooser's countries, the
    active country and its notes placed in the body. Empty when the lesson has no note."""
    notes = lesson_notes(lesson)
    if not notes:
        return {}
    active = active_country(request, course.translation_key if course else None)
    language = get_language()  # the page's: its address carries the language
    shown = notes_in_language(notes, active, language) if active else []
    context = {
        "note_countries": countries_with_notes(notes),
        "note_country": active,
        "note_country_name": country_name(active),
        "note_choice": chosen_country(request) or "",
    }
    if shown:
        context["placed_notes"] = place_notes(lesson.body, shown)
    return context


# --- Treaty statuses -------------------------------------------------------------------------


def status_key(country, status):
    return f"{country}/{status}"


def store_statuses(facts):
    """Write the country statuses of a Facts (status.yaml) where the site reads them, and drop
    the ones it no longer has. Returns the keys written."""
    keys = []
    for entry in facts.statuses.values():
        key = status_key(entry.country, entry.status)
        printed = {}
        for language in facts.formats or ("en",):
            with override(language):
                printed[language] = status_sentence(entry.status, entry.country, entry, link=False)
        CurriculumFact.objects.update_or_create(
            key=key,
            defaults={
                "value": {True: "yes", False: "no", None: ""}[entry.value],
                "as_of": entry.as_of,
                "review_by": entry.review_by,
                "printed": printed,
                "source": entry.source,
            },
        )
        keys.append(key)
    CurriculumFact.objects.filter(key__contains="/").exclude(key__in=keys).delete()
    return keys


@dataclass(frozen=True)
class Status:
    status: str
    value: bool | None
    as_of: object
    review_by: object


def statuses_of(country):
    """{status: Status} for the statuses recorded for this country."""
    found = {}
    rows = CurriculumFact.objects.filter(key__startswith=f"{country}/")
    for row in rows:
        status = row.key.partition("/")[2]
        if status in dated.STATUSES:
            value = {"yes": True, "no": False}.get(row.value)
            found[status] = Status(status, value, row.as_of, row.review_by)
    return found


def status_label(status):
    labels = {
        "uncc-signed": _("Signed the UN Convention against Cybercrime"),
        "uncc-ratified": _("Ratified the UN Convention against Cybercrime"),
        "budapest-party": _("Party to the Budapest Convention"),
        "budapest-second-protocol": _("Party to the Second Additional Protocol"),
    }
    return labels[status]


def value_label(value):
    if value is None:
        return _("Not recorded")
    return _("Yes") if value else _("No")


def status_sentence(status, country, entry, link=True):
    """How a lesson's [[country-status <status>]] reads for this country, as HTML."""
    profiles = reverse("country_index")
    if not country or entry is None or entry.value is None:
        if country:
            text = _(
                "The status of your country (%(country)s) is not recorded here: see the "
                "country profiles."
            ) % {"country": escape(country_name(country))}
        else:
            text = _("Each country's treaty status, with its date, is in the country profiles.")
        if link:
            return format_html('{} <a href="{}">{}</a>', text, profiles, _("Country profiles"))
        return text
    sentences = {
        ("uncc-signed", True): _(
            "Your country (%(country)s) has signed the UN Convention against Cybercrime "
            "(as of %(date)s)."
        ),
        ("uncc-signed", False): _(
            "Your country (%(country)s) has not signed the UN Convention against Cybercrime "
            "(as of %(date)s)."
        ),
        ("uncc-ratified", True): _(
            "Your country (%(country)s) has ratified the UN Convention against Cybercrime "
            "(as of %(date)s)."
        ),
        ("uncc-ratified", False): _(
            "Your country (%(country)s) has not ratified the UN Convention against Cybercrime "
            "(as of %(date)s)."
        ),
        ("budapest-party", True): _(
            "Your country (%(country)s) is a Party to the Budapest Convention (as of %(date)s)."
        ),
        ("budapest-party", False): _(
            "Your country (%(country)s) is not a Party to the Budapest Convention (as of %(date)s)."
        ),
        ("budapest-second-protocol", True): _(
            "Your country (%(country)s) is a Party to the Second Additional Protocol to the "
            "Budapest Convention (as of %(date)s)."
        ),
        ("budapest-second-protocol", False): _(
            "Your country (%(country)s) is not a Party to the Second Additional Protocol to "
            "the Budapest Convention (as of %(date)s)."
        ),
    }
    return escape(
        sentences[status, entry.value]
        % {"country": country_name(country), "date": date_format(entry.as_of, "DATE_FORMAT")}
    )


def print_status_markers(html, request, course_key):
    """The lesson's HTML with each [[country-status …]] marker printed for the reader's
    active country (a neutral sentence with a link to the profiles when none)."""
    if "[[" not in html or not STATUS_MARKER.search(html):
        return html
    country = active_country(request, course_key)
    recorded = statuses_of(country) if country else {}

    def sentence(match):
        status = match.group(1)
        if status not in dated.STATUSES:
            return match.group(0)  # the content check names it
        return status_sentence(status, country, recorded.get(status))

    return STATUS_MARKER.sub(sentence, html)
