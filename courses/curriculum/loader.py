"""Write the curriculum into Wagtail: English pages from the files, every other language
through wagtail-localize, so editors can go on translating in the admin.

Pages are found by a translation key derived from their curriculum key, never by slug or
title, so a page an editor renamed is still the same page. A CurriculumRecord per page and
locale remembers the digest of the files it was built from and the revision that load
published: unchanged files are skipped, changed files update the page, and a page edited
in the admin since is left as the editor left it unless `force` is given.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction

from wagtail.coreutils import find_available_slug
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from courses.countries import store_statuses
from courses.curriculum.check import check
from courses.curriculum.source import CurriculumError
from courses.demo import ensure_home, ensure_home_translation, ensure_locale
from courses.models import (
    CoursePage,
    CurriculumFact,
    CurriculumRecord,
    LessonPage,
    ModulePage,
    QuizPage,
)

MODELS = {"course": CoursePage, "module": ModulePage, "lesson": LessonPage, "quiz": QuizPage}


class CurriculumInvalid(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the curriculum files")
        self.problems = problems


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # edited in the admin since loading; left alone

    @property
    def changed(self):
        return bool(self.created or self.updated)


def load_curriculum(curriculum, force=False):
    """Create or update every page in every language; refuses files that fail the check."""
    problems = check(curriculum)
    if problems:
        raise CurriculumInvalid(problems)
    with transaction.atomic():
        report = Report()
        Loader(curriculum, report, force).run()
        # wagtail-localize publishes translations on commit from page objects that still
        # count no children; recount once those have run.
        transaction.on_commit(Page.fix_tree)
    return report


class Loader:
    def __init__(self, curriculum, report, force):
        self.curriculum = curriculum
        self.report = report
        self.force = force
        self.entries = curriculum.entries()
        self.source_language = curriculum.source_language
        self.slugs = []  # (translation key, locale, slug) of translations, parents first

    def run(self):
        created = []
        locales = {code: ensure_locale(code, created) for code in self.curriculum.languages}
        home = ensure_home(locales[self.source_language], created)
        for code in self.curriculum.languages:
            if code != self.source_language:
                ensure_home_translation(home, locales[code], code, created)
        self.report.created += created
        self.store_facts()
        pages, in_sync = {}, {}
        for entry in self.entries:
            parent = home if entry.parent is None else pages[entry.parent]
            pages[entry.key], in_sync[entry.key] = self.write_source(
                entry, parent, locales[self.source_language]
            )
        for code in self.curriculum.languages:
            if code == self.source_language:
                continue
            for entry in self.entries:
                name = f"{code}/{entry.file}"
                if not in_sync[entry.key]:
                    self.report.kept.append(f"{name} (its English page was edited in the admin)")
                    continue
                self.write_translation(entry, pages[entry.key], locales[code], code)
        # After wagtail-localize's own on-commit publications (registered earlier, so run first).
        transaction.on_commit(partial(settle_slugs, self.slugs))

    def digest(self, *languages, entry):
        sha = hashlib.sha256()
        for language in languages:
            sha.update(self.curriculum.digest_input(language, entry))
        return sha.hexdigest()

    def decide(self, page, record, digest, name):
        """'create', 'skip' (unchanged), 'keep' (edited in the admin) or 'update'."""
        if page is None:
            return "create"
        edited = record is None or page.latest_revision_id != record.revision_id
        if not edited and record.digest == digest:
            self.report.unchanged.append(name)
            return "skip"
        if edited and not self.force:
            self.report.kept.append(f"{name} (edited in the admin; --force overwrites)")
            return "keep"
        return "update"

    def remember(self, entry, locale, digest, page, language):
        page.refresh_from_db(fields=["latest_revision"])
        CurriculumRecord.objects.update_or_create(
            translation_key=entry.translation_key,
            locale=locale,
            defaults={
                "digest": digest,
                "revision_id": page.latest_revision_id,
                "file": entry.file,
                "facts": self.curriculum.facts_used(language, entry),
            },
        )

    def store_facts(self):
        """The dated facts as this load prints them, for the admin's review panel."""
        facts = self.curriculum.facts
        for fact in facts:
            CurriculumFact.objects.update_or_create(
                key=fact.key,
                defaults={
                    "value": facts.value(fact, self.source_language)[:300],
                    "as_of": fact.as_of,
                    "review_by": fact.review_by,
                    "printed": {
                        language: facts.render(fact.key, language)
                        for language in self.curriculum.languages
                    },
                    "source": " ".join(fact.source.split()),
                },
            )
        # Country statuses ("<code>/<status>") are stored and pruned on their own.
        keys = [fact.key for fact in facts]
        CurriculumFact.objects.exclude(key__in=keys).exclude(key__contains="/").delete()
        store_statuses(facts)

    def find(self, entry, locale):
        page = Page.objects.filter(translation_key=entry.translation_key, locale=locale).first()
        record = CurriculumRecord.objects.filter(
            translation_key=entry.translation_key, locale=locale
        ).first()
        return (page.specific if page else None), record

    # --- English ----------------------------------------------------------------------

    def write_source(self, entry, parent, locale):
        """The English page and whether it matches the files (so translations may follow)."""
        name = f"{self.source_language}/{entry.file}"
        fields = self.curriculum.fields(self.source_language, entry)
        digest = self.digest(self.source_language, entry=entry)
        page, record = self.find(entry, locale)
        action = self.decide(page, record, digest, name)
        if action == "skip":
            return page, True
        if action == "keep":
            return page, False
        if action == "create":
            page = parent.add_child(
                instance=MODELS[entry.kind](
                    translation_key=entry.translation_key, locale=locale, **fields
                )
            )
            self.report.created.append(name)
        else:
            for name_, value in fields.items():
                setattr(page, name_, value)
            self.report.updated.append(name)
        page.save_revision().publish()
        self.remember(entry, locale, digest, page, self.source_language)
        return page, True

    # --- translations -----------------------------------------------------------------

    def write_translation(self, entry, source_page, locale, language):
        name = f"{language}/{entry.file}"
        digest = self.digest(self.source_language, language, entry=entry)
        page, record = self.find(entry, locale)
        action = self.decide(page, record, digest, name)
        if action in ("skip", "keep"):
            return
        source, _created = TranslationSource.update_or_create_from_instance(source_page)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        lookup = self.segment_lookup(entry, language)
        po = translation.export_po()
        for item in po:
            if item.obsolete:  # earlier English text, kept by wagtail-localize for reference
                continue
            key = (item.msgctxt, item.msgid)
            if key not in lookup:
                raise CurriculumError(
                    self.curriculum.path(language, entry.file),
                    f"no translation for the English text at {item.msgctxt}: {item.msgid[:80]}",
                )
            item.msgstr = lookup[key]
        translation.import_po(po)
        translation.save_target(publish=True)
        (self.report.created if page is None else self.report.updated).append(name)
        self.remember(entry, locale, digest, source_page.get_translation(locale), language)
        wanted = self.curriculum.fields(language, entry)["slug"]
        self.slugs.append((entry.translation_key, locale, wanted))

    def segment_lookup(self, entry, language):
        """(path, English text) → translated text, pairing the two files' segments in order."""
        model = MODELS[entry.kind]
        english = strings_by_path(model(**self.curriculum.fields(self.source_language, entry)))
        translated = strings_by_path(model(**self.curriculum.fields(language, entry)))
        lookup = {}
        for path, texts in english.items():
            theirs = translated.get(path, [])
            if len(theirs) != len(texts):
                raise CurriculumError(
                    self.curriculum.path(language, entry.file),
                    f"{path} has {len(theirs)} text segment(s); English has {len(texts)}",
                )
            lookup.update(((path, text), their) for text, their in zip(texts, theirs, strict=True))
        return lookup


def settle_slugs(slugs):
    """Give translated pages the slugs their files ask for.

    wagtail-localize ASCII-slugifies a translated slug, which empties an Arabic, Russian or
    Chinese one so that Wagtail falls back to the title, and it publishes translations on
    commit. So this runs on commit after those publications, parents before children (a
    parent's new slug rewrites its descendants' URLs), each change as a revision of its own."""
    for translation_key, locale, slug in slugs:
        page = Page.objects.get(translation_key=translation_key, locale=locale).specific
        if page.slug == slug:
            continue
        page.slug = find_available_slug(page.get_parent(), slug, ignore_page_id=page.pk)
        page.save_revision().publish()
        page.refresh_from_db(fields=["latest_revision"])
        CurriculumRecord.objects.filter(translation_key=translation_key, locale=locale).update(
            revision_id=page.latest_revision_id
        )


def strings_by_path(instance):
    found = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            found[segment.path].append(segment.string.data)
    return found
