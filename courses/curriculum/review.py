"""Which dated facts need a look, and which pages still show an out-of-date one.

A fact is overdue once its review_by date has passed. A page shows an out-of-date fact when
the text the loader printed for it (CurriculumRecord.facts) is still in the page and either
the fact is overdue or status.yaml now prints it differently — which only happens to pages
the loader left alone because they were edited in the admin. Those pages need an editor,
not a reload, so the dashboard panel lists them.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from wagtail.models import Page

from courses.curriculum import facts as dated
from courses.models import CurriculumFact, CurriculumRecord

TEXT_FIELDS = ("title", "intro", "summary", "body", "questions", "objectives")


@dataclass
class StalePage:
    page: Page
    facts: list = field(default_factory=list)  # fact ids shown out of date
    edited: bool = False  # edited in the admin since the last load


def overdue_facts(on=None):
    return CurriculumFact.objects.filter(review_by__lt=on or dated.today())


def pages_with_out_of_date_facts(on=None):
    """Pages the loader could not reprint that still show an overdue or changed fact."""
    on = on or dated.today()
    current = {fact.key: fact for fact in CurriculumFact.objects.all()}
    found = []
    for record in CurriculumRecord.objects.select_related("locale").order_by("file", "locale"):
        if not record.facts:
            continue
        language = record.locale.language_code
        changed = {
            key
            for key, printed in record.facts.items()
            if key not in current or current[key].printed.get(language) != printed
        }
        stale = [key for key in record.facts if key in changed or current[key].review_by < on]
        if not stale:
            continue
        page = Page.objects.filter(
            translation_key=record.translation_key, locale=record.locale
        ).first()
        if page is None:
            continue
        edited = page.latest_revision_id != record.revision_id
        if not (edited or changed):
            continue  # the next load reprints it; the overdue fact is listed on its own
        text = page_text(page.specific)
        shown = [key for key in stale if normalise(record.facts[key] or "") in text]
        if shown:
            found.append(StalePage(page=page, facts=shown, edited=edited))
    return found


def page_text(page):
    """Everything a page says, as plain text with single spaces."""
    parts = []
    for name in TEXT_FIELDS:
        value = getattr(page, name, None)
        if value is None:
            continue
        if hasattr(value, "get_prep_value"):  # a StreamField's value
            value = value.get_prep_value()
        parts.extend(strings(value))
    return normalise(" ".join(parts))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def normalise(text):
    # Tags are replaced by spaces so "<p>a</p><p>b</p>" does not read "ab"; the rich-text
    # editor may swap spaces for no-break ones.
    plain = html.unescape(strip_tags(re.sub(r"<[^>]+>", " \\g<0>", str(text))))
    return " ".join(plain.replace("\u00a0", " ").replace("\u202f", " ").split())
