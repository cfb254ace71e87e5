"""The module handout: a PDF of a module's live lessons in its language, linked from the module
and its lessons, served only for live public modules, cached until something is published."""

import json
import re
import shutil
import subprocess
import unicodedata
import uuid
from datetime import date, timedelta
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache

from wagtail.models import PageViewRestriction

import pytest

from courses.handout import render_module_handout, rich_text_items
from courses.models import LessonPage, ModuleRelease, Participant, Workshop
from tests import factories
from tests.conftest import require

pytestmark = pytest.mark.django_db

# An Arabic paragraph long enough to wrap over several lines: its first and last words must
# come out first and last, or the lines were reordered as one.
ARABIC_OPENING = "تبدأ سلسلة الحيازة"
ARABIC_MIDDLE = "ويسجل كل من تعامل مع الدليل اسمه ووقت تسلمه وسببه"
ARABIC_CLOSING = "وتنتهي أمام المحكمة"
# Lesson titles without digits or punctuation: pdftotext rebuilds reading order from
# the drawn glyphs and misplaces neutral characters between Arabic words.
ARABIC_ORDINALS = ["الأول", "الثاني", "الثالث"]
ARABIC_PARAGRAPH = " ".join([ARABIC_OPENING, *[ARABIC_MIDDLE] * 6, ARABIC_CLOSING])


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def english_body(n):
    return [
        block("heading", {"text": f"Why hashes matter {n}", "level": "h2"}),
        factories.paragraph(f"A <b>hash value</b> identifies copy {n} of the evidence."),
        block(
            "paragraph",
            "<ul><li>Seize the device</li><li>Image the disk</li></ul>"
            "<ol><li>First step</li><li>Second step</li></ol>",
        ),
        block(
            "legal_provision",
            {
                "instrument": "Budapest Convention (ETS 185)",
                "article": "Article 19",
                "text": "<p>Search and seizure of stored computer data.</p>",
                "is_paraphrase": True,
            },
        ),
        block("key_points", {"title": "", "points": [f"Hash every copy {n}", "Log every step"]}),
        block(
            "scenario",
            {
                "title": "A phone on the table",
                "situation": "<p>Officers find an unlocked phone.</p>",
                "questions": ["What do you do first?"],
                "discussion": "<p>Isolate it from the network.</p>",
            },
        ),
        block(
            "callout",
            {"kind": "safeguard", "title": "", "body": "<p>Record who handled it.</p>"},
        ),
        block(
            "video",
            {
                "title": "Imaging a disk",
                "url": "https://www.youtube.com/watch?v=abcdefghijk",
                "duration": "4:10",
                "size": "18 MB",
                "poster": None,
                "transcript": "<p>The examiner attaches a write blocker.</p>",
            },
        ),
        block(
            "references",
            {"items": [{"citation": "ETS 185 explanatory report", "url": "", "note": ""}]},
        ),
    ]


def arabic_body(n):
    return [
        block("heading", {"text": f"لماذا تهم قيم التجزئة {n}", "level": "h2"}),
        factories.paragraph(ARABIC_PARAGRAPH),
        block("key_points", {"title": "", "points": ["احسب قيمة التجزئة لكل نسخة"]}),
    ]


def make_module(lessons=3):
    """An English module whose lessons each have a full body, in path order."""
    tree = factories.make_tree(modules=1, lessons_per_module=lessons)
    for n, lesson in enumerate(tree.lessons, start=1):
        lesson.body = json.dumps(english_body(n))
        factories.publish(lesson)
    return tree


def translate_to_arabic(tree):
    module = factories.translate(tree.modules[0], "ar", title="سلسلة الحيازة")
    lessons = []
    for n, lesson in enumerate(tree.lessons, start=1):
        arabic = lesson.copy_for_translation(factories.locale("ar"))
        arabic.title = f"الدرس {ARABIC_ORDINALS[n - 1]} في حفظ الأدلة"
        arabic.body = json.dumps(arabic_body(n))
        arabic.save()
        lessons.append(factories.publish(arabic))
    return module, lessons


def handout_url(module, language="en"):
    return f"/{language}/modules/{module.pk}/handout.pdf"


def tool(name):
    """The full path of a poppler-utils program."""
    path = shutil.which(name)
    require(path, f"{name} (poppler-utils) is not installed")
    return path


def pdf_text(pdf, tmp_path):
    """The text a reader copies out of the PDF, Arabic letters in their basic forms."""
    pdftotext = tool("pdftotext")
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)
    # pdftotext wraps the Arabic it reorders in embedding controls.
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def pdf_info(pdf, tmp_path):
    pdfinfo = tool("pdfinfo")
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    output = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    fields = (line.partition(":") for line in output.splitlines())
    return {key: value.strip() for key, _colon, value in fields}


def positions(text, *needles):
    """Where each needle first occurs in text; fails naming the one that is missing."""
    found = []
    for needle in needles:
        assert needle in text, needle
        found.append(text.index(needle))
    return found


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def module_tree(all_locales):
    return make_module()


class TestDownload:
    def test_english_handout_is_a_pdf_attachment_named_after_the_module(self, client, module_tree):
        module = module_tree.modules[0]
        response = client.get(handout_url(module))
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="module-1.pdf"'
        assert response.content.startswith(b"%PDF-")

    def test_lessons_and_their_blocks_print_in_reading_order(self, client, module_tree, tmp_path):
        text = " ".join(
            pdf_text(client.get(handout_url(module_tree.modules[0])).content, tmp_path).split()
        )
        order = positions(
            text,
            "Handling digital evidence",
            "Module 1",
            "Intro",
            "Lesson 1.1",
            "Why hashes matter 1",
            "A hash value identifies copy 1 of the evidence.",
            "Seize the device",
            "Image the disk",
            "1. First step",
            "2. Second step",
            "Budapest Convention (ETS 185), Article 19 (paraphrase)",
            "Search and seizure of stored computer data.",
            "Key points",
            "Hash every copy 1",
            "Scenario: A phone on the table",
            "Officers find an unlocked phone.",
            "Questions to consider",
            "What do you do first?",
            "Discussion",
            "Isolate it from the network.",
            "Safeguard",
            "Record who handled it.",
            "Video: Imaging a disk — transcript:",
            "The examiner attaches a write blocker.",
            "References",
            "ETS 185 explanatory report",
            "Lesson 1.2",
            "Hash every copy 2",
            "Lesson 1.3",
            "Hash every copy 3",
        )
        assert order == sorted(order)

    def test_every_page_has_a_numbered_footer_with_the_module_address(
        self, client, module_tree, tmp_path
    ):
        module = module_tree.modules[0]
        pdf = client.get(handout_url(module)).content
        pages = int(pdf_info(pdf, tmp_path)["Pages"])
        assert pages >= 2  # three full lessons do not fit on one page
        text = pdf_text(pdf, tmp_path)
        for number in range(1, pages + 1):
            assert f"Page {number}" in text
        # The address of the module on the public site (SITE_URL), as a reader would type it.
        assert text.count(f"{settings.SITE_URL}{module.url}") == pages

    def test_paper_and_metadata(self, client, module_tree, tmp_path):
        info = pdf_info(client.get(handout_url(module_tree.modules[0])).content, tmp_path)
        assert info["Page size"].startswith("595.276 x 841.89 pts")  # A4 portrait
        assert info["Title"] == "Module 1"
        assert info["Subject"] == "Handling digital evidence"
        assert info["Author"] == "Evidence Academy"

    def test_draft_and_unpublished_lessons_are_left_out(self, client, module_tree, tmp_path):
        unpublished, draft_edit = module_tree.lessons[1], module_tree.lessons[2]
        unpublished.unpublish()
        draft_edit.title = "Lesson 1.3 rewritten but not published"
        draft_edit.save_revision()
        text = pdf_text(client.get(handout_url(module_tree.modules[0])).content, tmp_path)
        assert "Lesson 1.1" in text and "Lesson 1.3" in text
        assert "Lesson 1.2" not in text
        assert "rewritten" not in text


class TestArabic:
    def test_arabic_handout_prints_the_translation_in_reading_order(
        self, client, module_tree, tmp_path
    ):
        module, _lessons = translate_to_arabic(module_tree)
        response = client.get(handout_url(module, "ar"))
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(pdf_text(response.content, tmp_path).split())
        # The interface wording is in Arabic too ("Key points" is already translated).
        order = positions(
            text,
            "سلسلة الحيازة",
            "الدرس الأول في حفظ الأدلة",
            "لماذا تهم قيم التجزئة 1",
            ARABIC_OPENING,
            ARABIC_CLOSING,
            "النقاط الرئيسية",
            "احسب قيمة التجزئة لكل نسخة",
            "الدرس الثاني في حفظ الأدلة",
            "الدرس الثالث في حفظ الأدلة",
        )
        assert order == sorted(order)
        assert "Lesson 1.1" not in text and "Hash every copy" not in text

    def test_a_long_arabic_paragraph_wraps_over_lines_that_each_read_right_to_left(
        self, client, module_tree, tmp_path
    ):
        module, _lessons = translate_to_arabic(module_tree)
        text = pdf_text(client.get(handout_url(module, "ar")).content, tmp_path)
        first_line = next(line for line in text.splitlines() if ARABIC_OPENING in line)
        assert ARABIC_CLOSING.split()[-1] not in first_line  # it did wrap
        # Every word is there, in order, once the line ends are joined again.
        assert ARABIC_PARAGRAPH in " ".join(text.split())

    def test_arabic_metadata_is_the_arabic_title(self, client, module_tree, tmp_path):
        module, _lessons = translate_to_arabic(module_tree)
        info = pdf_info(client.get(handout_url(module, "ar")).content, tmp_path)
        assert info["Title"] == "سلسلة الحيازة"


class TestAccess:
    def test_a_draft_module_is_not_found(self, client, module_tree):
        module = module_tree.modules[0]
        module.unpublish()
        assert client.get(handout_url(module)).status_code == HTTPStatus.NOT_FOUND

    def test_a_module_never_published_is_not_found(self, client, module_tree):
        from courses.models import ModulePage

        draft = module_tree.course.add_child(
            instance=ModulePage(title="Draft module", slug="draft-module", live=False)
        )
        assert client.get(handout_url(draft)).status_code == HTTPStatus.NOT_FOUND

    def test_a_private_module_is_not_found(self, client, module_tree):
        module = module_tree.modules[0]
        PageViewRestriction.objects.create(page=module, restriction_type="login")
        assert client.get(handout_url(module)).status_code == HTTPStatus.NOT_FOUND

    def test_a_lesson_id_is_not_a_module(self, client, module_tree):
        lesson = module_tree.lessons[0]
        assert client.get(handout_url(lesson)).status_code == HTTPStatus.NOT_FOUND

    def test_posting_is_refused(self, client, module_tree):
        response = client.post(handout_url(module_tree.modules[0]))
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED

    def test_a_module_closed_by_workshop_pacing_is_not_handed_out(self, client, module_tree):
        from tests.test_workshops import make_instructor, make_workshop

        learner = factories.make_user()
        workshop = make_workshop(module_tree, make_instructor(), paced=True)
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        module = module_tree.modules[0]
        ModuleRelease.objects.create(
            workshop=workshop,
            module_key=module.translation_key,
            opens_on=date.today() + timedelta(days=2),
        )
        client.force_login(learner)
        response = client.get(handout_url(module))
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert "Your workshop opens this module on" in response.content.decode()
        Workshop.objects.filter(pk=workshop.pk).update(paced=False)
        assert client.get(handout_url(module))["Content-Type"] == "application/pdf"


class TestCache:
    def test_a_second_download_is_served_from_the_cache(self, client, module_tree, monkeypatch):
        from courses import handout_store

        module = module_tree.modules[0]
        first = client.get(handout_url(module)).content
        renders = []
        monkeypatch.setattr(
            handout_store, "render_module_handout", lambda *a, **k: renders.append(1) or b""
        )
        assert client.get(handout_url(module)).content == first
        assert renders == []

    def test_publishing_a_lesson_changes_the_handout(self, client, module_tree, tmp_path):
        module = module_tree.modules[0]
        client.get(handout_url(module))
        lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
        lesson.title = "Lesson 1.1, revised"
        factories.publish(lesson)
        text = pdf_text(client.get(handout_url(module)).content, tmp_path)
        assert "Lesson 1.1, revised" in text

    def test_the_worker_renders_a_published_lesson_s_handout_before_anyone_asks(
        self, client, module_tree, monkeypatch, django_capture_on_commit_callbacks, tmp_path
    ):
        from courses import background, handout_store

        module = module_tree.modules[0]
        lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
        lesson.title = "Lesson 1.1, made ahead"
        for _ in range(2):  # published twice before the worker runs: rendered once
            with django_capture_on_commit_callbacks(execute=True):
                factories.publish(lesson)
        waiting = background.waiting_tasks().filter(
            task_path=handout_store.render_handout.module_path
        )
        assert [row.args_kwargs["kwargs"]["module_id"] for row in waiting] == [module.pk]
        factories.run_tasks()  # with the publishes' other tasks (review flags)
        assert not waiting.all().exists()  # the one rendering ran
        renders = []
        monkeypatch.setattr(
            handout_store, "render_module_handout", lambda *a, **k: renders.append(1) or b""
        )
        text = pdf_text(client.get(handout_url(module)).content, tmp_path)
        assert renders == [] and "Lesson 1.1, made ahead" in text

    def test_a_handout_the_worker_has_not_made_is_rendered_for_the_reader(
        self, client, module_tree, tmp_path
    ):
        lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
        lesson.title = "Lesson 1.1, worker down"
        factories.publish(lesson)  # committed, no worker has run
        text = pdf_text(client.get(handout_url(module_tree.modules[0])).content, tmp_path)
        assert "Lesson 1.1, worker down" in text

    def test_unpublishing_a_lesson_removes_it_from_the_cached_handout(
        self, client, module_tree, tmp_path
    ):
        module = module_tree.modules[0]
        client.get(handout_url(module))
        LessonPage.objects.get(pk=module_tree.lessons[0].pk).unpublish()
        text = pdf_text(client.get(handout_url(module)).content, tmp_path)
        assert "Lesson 1.1" not in text and "Lesson 1.2" in text


class TestLinks:
    def test_module_page_links_to_its_handout(self, client, module_tree):
        module = module_tree.modules[0]
        html = client.get(module.url).content.decode()
        assert f'href="{handout_url(module)}"' in html
        assert "Download this module (PDF)" in html

    def test_every_lesson_page_links_to_its_module_handout(self, client, all_locales):
        tree = factories.make_tree(modules=2, lessons_per_module=1)
        for lesson, module in zip(tree.lessons, tree.modules, strict=True):
            html = client.get(lesson.url).content.decode()
            assert f'href="{handout_url(module)}"' in html

    def test_the_arabic_lesson_links_to_the_arabic_handout(self, client, module_tree):
        module, lessons = translate_to_arabic(module_tree)
        html = client.get(lessons[0].url).content.decode()
        assert f'href="{handout_url(module, "ar")}"' in html


class TestRichText:
    def test_bold_lists_and_line_breaks_become_items(self):
        items = rich_text_items(
            "<p>Plain <b>bold</b> <i>slanted</i><br/>next line</p>"
            "<ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul>"
            '<h3>Sub</h3><p><a href="https://example.org/x">site</a>'
            ' and <a linktype="page" id="3">page</a></p>'
        )
        assert [(item.kind, item.marker, item.level) for item in items] == [
            ("p", "", 0),
            ("li", "•", 0),
            ("li", "•", 0),
            ("li", "1.", 1),
            ("h3", "", 0),
            ("p", "", 0),
        ]
        assert items[0].text == "Plain bold slanted\u2028next line"
        assert [span.text for span in items[0].spans if span.bold] == ["bold"]
        assert items[5].text == "site (https://example.org/x) and page"

    def test_empty_rich_text_gives_nothing(self):
        assert rich_text_items("") == []
        assert rich_text_items("<p> </p>") == []


def test_rendering_needs_no_request(module_tree, tmp_path):
    module = module_tree.modules[0]
    pdf = render_module_handout(module, url="https://academy.example.org/m1")
    text = pdf_text(pdf, tmp_path)
    assert "https://academy.example.org/m1" in text
    assert "Lesson 1.1" in text
