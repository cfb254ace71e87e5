"""Flag what depends on a lesson when the lesson's source changes.

When the source-language page of a lesson (the one wagtail-localize translates from; the
default language's when it has no translation source) is published with a body that differs
from the body it was published with before, each of its country notes (every language) and
each translation of the lesson gets an open ReviewFlag: what changed (the sections, named by
their heading), when, and the revision. A publish that leaves the body as it was (a new
title, a new number of minutes, the same body saved again) flags nothing: notes attach to
the body's sections, and wagtail-localize already shows translators a changed title.
A flag stays open until someone marks it reviewed (the dashboard panel, the report, the
note's edit form); saving a note does not clear it, since a note may be saved for another
reason. The comparison runs in a background task, never in the editor's request.
"""

import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import Locale, Page, PageLogEntry, Revision

from courses.background import background_task, enqueue
from courses.models.countries import CountryNote, ReviewFlag
from courses.models.pages import LessonPage

TOP = ""  # the section before the first heading


def without_ids(value):
    """Stream data with the block ids left out: an id says nothing of what a reader sees."""
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def stream_data(body):
    """A body as revision content holds it (a JSON string or a list) → a list of blocks."""
    if isinstance(body, str):
        try:
            body = json.loads(body or "[]")
        except ValueError:
            return []
    return body if isinstance(body, list) else []


def sections(body):
    """{heading block id (TOP for the start): (heading text, the section's blocks, no ids)}."""
    found = {TOP: ("", [])}
    current = TOP
    for block in stream_data(body):
        if not isinstance(block, dict):
            continue
        if block.get("type") == "heading":
            current = str(block.get("id") or "")
            value = block.get("value") or {}
            found[current] = (str(value.get("text", "")) if isinstance(value, dict) else "", [])
        found[current][1].append(without_ids(block))
    return found


def changed_sections(before, after):
    """The headings of the sections that differ between two bodies (in the order of the new
    body; sections removed last). Empty when the bodies read the same."""
    old, new = sections(before), sections(after)
    names = []
    for key, (heading, blocks) in new.items():
        if key not in old or old[key][1] != blocks:
            names.append(heading or "(top of the lesson)")
    names += [
        heading or "(top of the lesson)" for key, (heading, _b) in old.items() if key not in new
    ]
    return names


def is_source(page):
    """Whether this page is the one its translations come from."""
    from wagtail_localize.models import TranslationSource

    source = TranslationSource.objects.filter(object_id=page.translation_key).first()
    if source is not None:
        return source.locale_id == page.locale_id
    return page.locale_id == Locale.get_default().pk


def previous_published_body(page, revision):
    """The body of the publish before this revision's, or None (first publish)."""
    entry = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .exclude(revision_id=revision.pk)
        .filter(revision_id__lt=revision.pk)
        .order_by("-revision_id")
        .select_related("revision")
        .first()
    )
    if entry is None or entry.revision is None:
        return None
    return entry.revision.content.get("body")


def open_flag(lesson_key, revision, changed, note=None, page=None):
    """Open a flag for the note or page, or renew its open one with the newer change."""
    now = timezone.now()
    lookup = {"note": note} if note is not None else {"page": page}
    fields = {"lesson_key": lesson_key, "revision": revision, "changed": changed[:200]}
    updated = ReviewFlag.objects.filter(reviewed_at__isnull=True, **lookup).update(
        flagged_at=now, **fields
    )
    if not updated:
        try:
            with transaction.atomic():
                ReviewFlag.objects.create(flagged_at=now, **lookup, **fields)
        except IntegrityError:
            pass  # another worker opened it meanwhile


@background_task
def flag_dependants(page_id, revision_id):
    """Compare the lesson's new body with the one published before and flag its notes and
    translations if it changed."""
    page = LessonPage.objects.filter(pk=page_id).first()
    revision = Revision.objects.filter(pk=revision_id).first()
    if page is None or revision is None or not is_source(page):
        return 0
    before = previous_published_body(page, revision)
    if before is None:
        return 0
    names = changed_sections(before, revision.content.get("body"))
    if not names:
        return 0
    changed = "body: " + ", ".join(names)
    key = page.translation_key
    flagged = 0
    for note in CountryNote.objects.filter(lesson__translation_key=key):
        open_flag(key, revision, changed, note=note)
        flagged += 1
    for translation in Page.objects.filter(translation_key=key).exclude(pk=page.pk):
        open_flag(key, revision, changed, page=translation)
        flagged += 1
    return flagged


def on_page_published(sender, instance, revision=None, **kwargs):
    """A lesson was published: compare in the background (nothing on its first publish)."""
    if revision is None or not isinstance(instance, LessonPage):
        return
    if instance.first_published_at == instance.last_published_at:
        return  # the first publish: nothing was written against an earlier body
    enqueue(flag_dependants, instance.pk, revision.pk)


def mark_reviewed(flag, user):
    flag.reviewed_at = timezone.now()
    flag.reviewed_by = user
    flag.save(update_fields=["reviewed_at", "reviewed_by"])


def open_flags_for(note):
    return list(note.review_flags.filter(reviewed_at__isnull=True)) if note.pk else []


def connect():
    """Listen for lessons being published (called once, from apps.py)."""
    from wagtail.signals import page_published

    page_published.connect(on_page_published, dispatch_uid="staleness-published")
