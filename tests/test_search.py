"""Site search (courses/search.py, courses/site_search.py, docs/search.md): a word from a
lesson's body finds it in every language, Chinese included, on SQLite and on PostgreSQL; the
result shows where the lesson sits, a highlighted snippet with everything else inert, and
links to the section; nobody finds what they may not open, nor a quiz's answers."""

import json
import re
import uuid
from html import unescape
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.db import connection
from django.test import TestCase

from wagtail.models import PageViewRestriction

import pytest

from courses import search
from courses.blocks import heading_anchors
from courses.curriculum.loader import load_curriculum
from courses.curriculum.source import Curriculum
from courses.models import LessonPage, QuizPage
from tests import factories

pytestmark = pytest.mark.django_db

# Per language: the lesson's section heading, a paragraph, a word of the paragraph to search
# for, and the heading's id.
LESSONS = {
    "en": (
        "Chain of custody",
        "Every transfer of the seized laptop is written in the custody log.",
        "laptop",
        "chain-of-custody",
    ),
    "ar": (
        "سلسلة الحيازة",
        "تُسجَّل كل عملية نقل للحاسوب المضبوط في دفتر الحيازة.",
        "دفتر",
        "سلسلة-الحيازة",
    ),
    "ru": (
        "Цепочка хранения",
        "Каждая передача изъятого ноутбука записывается в журнал хранения.",
        "ноутбука",
        "цепочка-хранения",
    ),
    "vi": (
        "Chuỗi lưu giữ",
        "Mỗi lần chuyển giao máy tính xách tay bị thu giữ đều được ghi vào sổ lưu giữ.",
        "máy tính",
        "chuỗi-lưu-giữ",
    ),
    "zh-hans": (
        "保管链",
        "每次移交扣押的笔记本电脑都要记录在保管日志中。",
        "笔记本电脑",
        "保管链",
    ),
}


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def heading(text, level="h2"):
    return block("heading", {"text": text, "level": level})


def paragraph(html):
    return block("paragraph", f"<p>{html}</p>")


def lesson_body(code):
    title, text, _word, _anchor = LESSONS[code]
    return [
        paragraph("An introduction that says nothing in particular."),
        heading(title),
        paragraph(text),
    ]


def in_language(page, code, title, **fields):
    """A live translation of page in language code with its own title and fields."""
    translated = page.copy_for_translation(factories.locale(code), copy_parents=True)
    translated.title = title
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return factories.publish(translated)


def results(client, code, query, **params):
    response = client.get(f"/{code}/search/", {"q": query, **params})
    assert response.status_code == HTTPStatus.OK
    return response


def result_links(response):
    html = response.content.decode()
    section = html.split('class="search-results"', 1)[1] if "search-results" in html else ""
    return [unescape(href) for href in re.findall(r'<h2><a href="([^"]+)">', section)]


class SearchInEveryLanguage(TestCase):
    """One course with a lesson in five languages, built once for the tests of this class."""

    @classmethod
    def setUpTestData(cls):
        for code, _name in settings.LANGUAGES:
            factories.locale(code)
        cls.tree = factories.make_tree()
        english = cls.tree.lessons[0]
        english.body = json.dumps(lesson_body("en"))
        english.save()
        cls.lessons = {"en": factories.publish(english)}
        for code in ("ar", "ru", "vi", "zh-hans"):
            cls.lessons[code] = in_language(
                english, code, f"{LESSONS[code][0]} ({code})", body=json.dumps(lesson_body(code))
            )

    def found(self, code, query, **params):
        return result_links(results(self.client, code, query, **params))

    # --- every language --------------------------------------------------------------------

    def test_a_word_from_a_lesson_body_finds_it_and_links_to_its_section(self):
        for code, (_title, _text, word, anchor) in LESSONS.items():
            with self.subTest(code):
                links = self.found(code, word)
                url = self.lessons[code].url
                assert [unquote(link) for link in links] == [f"{url}#{anchor}"]
                # The lesson page gives that heading the id the link points at.
                assert f'id="{anchor}"' in self.client.get(url).content.decode()

    def test_the_snippet_marks_the_word_where_it_occurs(self):
        for code, (_title, _text, word, _anchor) in LESSONS.items():
            with self.subTest(code):
                html = results(self.client, code, word).content.decode()
                first_word = word.split()[0]
                assert re.search(f"<mark>{re.escape(first_word)}[^<]*</mark>", html), html
                assert "introduction that says nothing" not in html

    def test_chinese_finds_a_lesson_by_a_word_inside_a_sentence_without_spaces(self):
        for word in ("电脑", "扣押", "日志", "保管日志", "链"):
            assert len(self.found("zh-hans", word)) == 1, word
        # Characters that are in the lesson but not next to each other are no word of it.
        assert self.found("zh-hans", "脑扣") == []

    def test_arabic_finds_a_word_written_with_or_without_its_short_vowels(self):
        assert len(self.found("ar", "تسجل")) == 1
        assert len(self.found("ar", "تُسجَّل")) == 1

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
    def test_on_postgresql_another_form_of_a_russian_word_finds_the_lesson(self):
        assert len(self.found("ru", "ноутбук")) == 1
        assert len(self.found("ru", "передачи хранение")) == 1

    def test_results_show_where_the_lesson_sits(self):
        html = results(self.client, "en", "laptop").content.decode()
        place = re.search(r'<p class="search-place">(.*?)</p>', html, re.S)[1]
        assert self.tree.course.title in place and self.tree.modules[0].title in place
        assert "Lesson" in place

    def test_courses_and_modules_are_found_too(self):
        assert self.found("en", "preserve electronic evidence") == [self.tree.course.url]

    # --- what the visitor may see -----------------------------------------------------------

    def test_pages_of_another_language_are_not_found(self):
        assert self.found("ar", "laptop") == []
        assert self.found("en", "ноутбука") == []

    def test_an_unpublished_lesson_is_not_found(self):
        self.lessons["en"].unpublish()
        assert self.found("en", "laptop") == []

    def test_a_lesson_for_signed_in_visitors_is_found_only_once_signed_in(self):
        PageViewRestriction.objects.create(page=self.lessons["en"], restriction_type="login")
        assert self.found("en", "laptop") == []
        self.client.force_login(factories.make_user())
        assert len(self.found("en", "laptop")) == 1

    def test_a_module_behind_a_password_hides_its_lessons(self):
        PageViewRestriction.objects.create(
            page=self.tree.modules[0], restriction_type="password", password="s3cret-pass"
        )
        assert self.found("en", "laptop") == []

    # --- escaping, bad input, empty results -------------------------------------------------

    def test_the_query_is_shown_back_escaped(self):
        response = results(self.client, "en", "<laptop>")
        assert "<laptop>" not in response.content.decode()
        assert "“&lt;laptop&gt;”" in response.content.decode()
        assert len(result_links(response)) == 1

    def test_control_characters_are_not_shown_back_to_reorder_the_page(self):
        html = results(self.client, "en", "\u202eevil\u2066").content.decode()
        assert "\u202e" not in html and "\u2066" not in html
        assert "matches “evil”" in html

    def test_an_empty_query_asks_for_a_word(self):
        html = results(self.client, "en", "").content.decode()
        assert "Type a word or two" in html
        assert self.found("en", "") == []

    def test_no_results_says_so_and_suggests_what_to_do(self):
        html = results(self.client, "en", "platypus").content.decode()
        assert "matches “platypus”" in html
        assert "Try fewer words" in html
        assert "browse all the courses" in html

    def test_odd_input_never_fails(self):
        for query in ODD_QUERIES:
            with self.subTest(query[:20]):
                results(self.client, "en", query)
                results(self.client, "zh-hans", query)

    def test_a_nul_character_is_refused(self):
        response = self.client.get("/en/search/", {"q": "lap\x00top"})
        assert response.status_code == HTTPStatus.BAD_REQUEST

    def test_a_page_number_out_of_range_shows_a_page_of_results(self):
        for number in ("0", "-1", "999999999999999999999", "x"):
            assert len(self.found("en", "laptop", page=number)) == 1


ODD_QUERIES = [
    "a" * 5000,
    "laptop " * 400,
    "\u202eevil",
    "!!! ??? ***",
    '"laptop',
    "lap*",
    "laptop AND OR NOT NEAR(",
    "'; DROP TABLE x; --",
    "\\",
    "\U0001f600\U0001f4bb",
    "ـــ",
    "\u0344",
    "𠀀𠀁",
    "%00",
]


# --- quizzes and exercises ------------------------------------------------------------------


def test_a_quizs_questions_and_answers_are_never_found(client, tree):
    factories.make_quiz(
        tree.modules[0],
        [
            factories.single_choice(
                "Which device stops writes to the seized disk?",
                {"a": "Zanzibar blocker", "b": "Quokka switch"},
                right="a",
                explanation="The Zanzibar blocker is correct.",
            )
        ],
    )
    for word in ("Zanzibar", "Quokka", "stops writes"):
        assert result_links(results(client, "en", word)) == [], word
    # Not in the index at all: no search anywhere can show them.
    assert list(QuizPage.objects.search("Zanzibar")) == []


def test_an_exercises_model_answer_is_never_found(client, tree):
    lesson = tree.lessons[0]
    lesson.body = json.dumps(
        [
            block(
                "exercise",
                {
                    "title": "Draft a request",
                    "task": "<p>Write the request.</p>",
                    "fields": [
                        {
                            "type": "item",
                            "value": {
                                "key": "request",
                                "label": "Request",
                                "help": "",
                                "multiline": True,
                            },
                            "id": str(uuid.uuid4()),
                        }
                    ],
                    "model_answer": "<p>Mention the Xylophone clause.</p>",
                    "checklist": [
                        {
                            "type": "item",
                            "value": {"key": "clause", "text": "Names the legal basis"},
                            "id": str(uuid.uuid4()),
                        }
                    ],
                },
            )
        ]
    )
    lesson.save()
    factories.publish(lesson)
    assert result_links(results(client, "en", "Xylophone")) == []
    assert len(result_links(results(client, "en", "legal basis"))) == 1


# --- escaping, bad input, empty results ----------------------------------------------------


def test_editor_text_in_a_snippet_stays_inert(client, tree):
    lesson = tree.lessons[0]
    lesson.body = json.dumps(
        [paragraph("Type &lt;script&gt;alert(1)&lt;/script&gt; into the seized laptop &amp; log.")]
    )
    lesson.save()
    factories.publish(lesson)
    html = results(client, "en", "laptop").content.decode()
    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S)[1]
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "<mark>laptop</mark>" in snippet


# --- many results ---------------------------------------------------------------------------


def test_results_come_ten_to_a_page_and_the_queries_do_not_grow_with_them(client, db):
    tree = factories.make_tree(
        modules=3, lessons_per_module=5, body=[paragraph("The seized laptop goes in a bag.")]
    )
    first = result_links(results(client, "en", "laptop"))
    second = result_links(results(client, "en", "laptop", page=2))
    assert len(first) == 10 and len(second) == 5
    assert not set(first) & set(second)
    assert set(first + second) == {lesson.url for lesson in tree.lessons}

    few = factories.queries_for(client, "/en/search/?q=laptop&page=2")
    many = factories.queries_for(client, "/en/search/?q=laptop")
    assert many <= few


# --- loading content ------------------------------------------------------------------------


def test_loading_the_curriculum_leaves_every_language_searchable(
    client, all_locales, django_capture_on_commit_callbacks
):
    factories.make_home()
    root = Path(__file__).parent / "fixtures" / "curriculum"
    with django_capture_on_commit_callbacks(execute=True):
        load_curriculum(Curriculum(root))
    english = LessonPage.objects.get(locale__language_code="en")
    french = LessonPage.objects.get(locale__language_code="fr")
    assert [unquote(link) for link in result_links(results(client, "en", "disappear"))] == [
        f"{english.url}#why-it-matters"
    ]
    assert [unquote(link) for link in result_links(results(client, "fr", "disparaissent"))] == [
        f"{french.url}#pourquoi-cest-important"
    ]


def test_rebuilding_the_index_keeps_every_language_searchable(client, tree):
    from io import StringIO

    from django.core.management import call_command

    from wagtail.search.models import IndexEntry

    chinese = in_language(
        tree.lessons[0], "zh-hans", "保管链", body=json.dumps(lesson_body("zh-hans"))
    )
    IndexEntry.objects.all().delete()
    assert result_links(results(client, "zh-hans", "电脑")) == []
    call_command("update_index", stdout=StringIO())
    assert [unquote(link) for link in result_links(results(client, "zh-hans", "电脑"))] == [
        f"{chinese.url}#保管链"
    ]
    assert len(result_links(results(client, "en", "Text of lesson"))) == len(tree.lessons)


def test_the_admins_searches_of_pages_and_images_still_work(tree):
    from wagtail.images import get_image_model
    from wagtail.models import Page

    image = factories.make_image(title="Seized laptop on an evidence table")
    assert list(get_image_model().objects.search("laptop")) == [image]
    assert [page.pk for page in Page.objects.search("Lesson 1.2")] == [tree.lessons[1].pk]


# --- the pieces -----------------------------------------------------------------------------


def test_a_chinese_query_is_searched_as_pairs_of_characters():
    query = search.parse("电子证据 Budapest公约")
    assert query.index_terms == ["电子", "子证", "证据", "budapest", "公约"]
    assert query.words == ["电子证据", "budapest", "公约"]


def test_a_query_is_cut_to_size():
    query = search.parse("word " * 1000)
    assert query.index_terms == ["word"]
    assert len(search.parse(" ".join(f"w{n}" for n in range(100))).index_terms) == 12
    assert not search.parse("!!! ??? " + "x" * 500)


def test_headings_get_unique_ids_within_the_lesson():
    from wagtail.blocks import StreamValue

    from courses.blocks import LessonStreamBlock

    raw = [
        heading("Chain of custody"),
        heading("Chain of custody"),
        heading("!!!"),
        heading("Main"),
        heading("Exercise 1"),
    ]
    body = StreamValue(LessonStreamBlock(), raw, is_lazy=True)
    assert list(heading_anchors(body).values()) == [
        "chain-of-custody",
        "chain-of-custody-2",
        "section-3",
        "main-2",
        "section-exercise-1",
    ]
