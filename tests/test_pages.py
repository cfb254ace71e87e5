"""The page tree: what may go where, and that every page type renders for a visitor."""

import json
import uuid
from http import HTTPStatus

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

import pytest

from courses.models import (
    CoursePage,
    HomePage,
    InformationPage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from tests import factories

pytestmark = pytest.mark.django_db


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


class TestPageTypeRules:
    def test_home_page_sits_under_the_root_and_holds_courses_and_information_pages(self):
        assert HomePage.allowed_parent_page_models() == [Page]
        assert HomePage.allowed_subpage_models() == [CoursePage, InformationPage]
        assert InformationPage.allowed_parent_page_models() == [HomePage]
        assert InformationPage.allowed_subpage_models() == []

    def test_course_module_lesson_nest_in_that_order(self):
        assert CoursePage.allowed_parent_page_models() == [HomePage]
        assert CoursePage.allowed_subpage_models() == [ModulePage, QuizPage]
        assert ModulePage.allowed_parent_page_models() == [CoursePage]
        assert ModulePage.allowed_subpage_models() == [LessonPage, QuizPage]
        assert LessonPage.allowed_parent_page_models() == [ModulePage]
        assert QuizPage.allowed_parent_page_models() == [ModulePage, CoursePage]
        assert QuizPage.allowed_subpage_models() == []

    def test_lesson_is_a_leaf(self):
        assert LessonPage.allowed_subpage_models() == []

    def test_a_lesson_cannot_be_created_directly_under_a_course(self, tree):
        assert not LessonPage.can_create_at(tree.course)
        assert LessonPage.can_create_at(tree.modules[0])
        assert not CoursePage.can_create_at(tree.modules[0])

    @pytest.mark.parametrize("model", [HomePage, CoursePage, ModulePage, LessonPage, QuizPage])
    def test_every_page_type_describes_itself_for_editors(self, model):
        assert str(model.page_description).strip()


class TestRendering:
    def test_home_lists_its_courses(self, client, tree):
        response = client.get("/en/")
        assert response.status_code == HTTPStatus.OK
        assert tree.course.title in response.content.decode()

    def test_course_outline_shows_modules_and_lessons_in_order(self, client, tree):
        response = client.get(tree.course.url)
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        positions = [
            html.index(title)
            for title in (
                "Module 1",
                "Lesson 1.1",
                "Lesson 1.2",
                "Module 2",
                "Lesson 2.1",
                "Lesson 2.2",
            )
        ]
        assert positions == sorted(positions)
        assert "Hash every copy." in html  # objectives
        assert "Police and law enforcement" in html  # audience label, not the code

    def test_module_lists_its_lessons(self, client, tree):
        response = client.get(tree.modules[1].url)
        html = response.content.decode()
        assert "Lesson 2.1" in html and "Lesson 2.2" in html
        assert "Lesson 1.1" not in html

    def test_lesson_has_breadcrumbs_and_previous_next_across_modules(self, client, tree):
        last_of_first_module = tree.lessons[1]
        response = client.get(last_of_first_module.url)
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert 'aria-label="Breadcrumb"' in html
        assert f'href="{tree.course.url}"' in html
        assert f'href="{tree.modules[0].url}"' in html
        assert f'rel="prev" href="{tree.lessons[0].url}"' in html
        assert f'rel="next" href="{tree.lessons[2].url}"' in html  # first lesson of module 2

    def test_first_and_last_lessons_have_no_link_beyond_the_course(self, client, tree):
        assert 'rel="prev"' not in client.get(tree.lessons[0].url).content.decode()
        assert 'rel="next"' not in client.get(tree.lessons[-1].url).content.decode()

    def test_draft_lessons_are_left_out_of_outline_and_navigation(self, client, tree):
        tree.lessons[1].unpublish()
        outline = client.get(tree.course.url).content.decode()
        assert "Lesson 1.2" not in outline
        nav = client.get(tree.lessons[0].url).content.decode()
        assert f'rel="next" href="{tree.lessons[2].url}"' in nav


class TestLessonBlocks:
    @pytest.fixture
    def lesson(self, tree):
        image = Image.objects.create(title="Seized phone", file=get_test_image_file())
        document = Document.objects.create(
            title="Custody form", file=SimpleUploadedFile("custody.pdf", b"%PDF-1.4 test")
        )
        body = [
            block("heading", {"text": "Why hash?", "level": "h2"}),
            block("paragraph", "<p>A hash changes when the data changes.</p>"),
            block(
                "image",
                {
                    "image": image.pk,
                    "alt_text": "A phone in an evidence bag",
                    "caption": "Bag and tag",
                },
            ),
            block(
                "video",
                {
                    "title": "Imaging a disk",
                    "url": "https://youtu.be/dQw4w9WgXcQ",
                    "duration": "4:10",
                    "size": "18 MB",
                    "poster": None,
                    "transcript": "<p>First, attach a write blocker.</p>",
                },
            ),
            block("document", {"document": document.pk, "title": ""}),
            block(
                "legal_provision",
                {
                    "instrument": "Budapest Convention",
                    "article": "Art. 16",
                    "text": "<p>Preserve and maintain integrity.</p>",
                    "is_paraphrase": True,
                },
            ),
            block("key_points", {"title": "", "points": ["Hash at acquisition."]}),
            block(
                "scenario",
                {
                    "title": "A running laptop",
                    "situation": "<p>It is on.</p>",
                    "questions": ["What is lost if you unplug it?"],
                    "discussion": "<p>Memory.</p>",
                },
            ),
            block(
                "callout",
                {
                    "kind": "safeguard",
                    "title": "Proportionality",
                    "body": "<p>Take only what you need.</p>",
                },
            ),
            block("references", {"items": [{"citation": "RFC 3227", "url": "", "note": ""}]}),
        ]
        lesson = tree.lessons[0]
        lesson.body = json.dumps(body)
        return factories.publish(lesson)

    def test_every_block_renders_its_content(self, client, lesson):
        html = client.get(lesson.url).content.decode()
        for expected in (
            # The id search results link to (courses/blocks.py, heading_anchors).
            '<h2 id="why-hash">Why hash?</h2>',
            "A hash changes when the data changes.",
            'alt="A phone in an evidence bag"',
            "Bag and tag",
            "Imaging a disk",
            "First, attach a write blocker.",
            "Custody form",
            "Budapest Convention, Art. 16",
            "Hash at acquisition.",
            "What is lost if you unplug it?",
            "Take only what you need.",
            "RFC 3227",
        ):
            assert expected in html, expected

    def test_images_are_sized_lazy_renditions(self, client, lesson):
        html = client.get(lesson.url).content.decode()
        assert 'loading="lazy"' in html and "srcset=" in html and 'width="' in html
        assert ".webp" in html

    def test_video_does_not_load_until_asked_and_transcript_is_on_the_page(self, client, lesson):
        html = client.get(lesson.url).content.decode()
        assert "<iframe" not in html
        assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html  # works without JavaScript
        assert "Load video (18 MB)" in html
        assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html

    def test_lesson_needs_no_javascript(self, client, lesson):
        html = client.get(lesson.url).content.decode()
        scripts = [line for line in html.splitlines() if "<script" in line]
        assert all(" defer" in line and 'src="/static/' in line for line in scripts)
        assert "<noscript" not in html  # nothing hidden behind scripts


class TestQueryCounts:
    """Pages cost the same number of queries whatever the size of the course."""

    def test_course_and_lesson_pages_do_not_grow_with_lessons(self, client, all_locales):
        small = factories.make_tree(modules=1, lessons_per_module=2)
        small_counts = [
            factories.queries_for(client, small.course.url),
            factories.queries_for(client, small.lessons[0].url),
        ]
        big = factories.make_tree(modules=4, lessons_per_module=8)
        big_counts = [
            factories.queries_for(client, big.course.url),
            factories.queries_for(client, big.lessons[5].url),
        ]
        assert big_counts == small_counts


class TestEditing:
    """Editors build these pages in the Wagtail admin."""

    @pytest.fixture
    def editor(self, client, tree, settings):
        settings.REQUIRE_ADMIN_MFA = False  # two-factor has its own tests
        user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
        client.force_login(user)
        return user

    def test_admin_edit_and_add_forms_open_for_every_page_type(self, client, tree, editor):
        for page in (tree.home, tree.course, tree.modules[0], tree.lessons[0]):
            response = client.get(f"/admin/pages/{page.pk}/edit/")
            assert response.status_code == HTTPStatus.OK, page.specific_class
        add_lesson = f"/admin/pages/add/courses/lessonpage/{tree.modules[0].pk}/"
        assert client.get(add_lesson).status_code == HTTPStatus.OK

    def test_an_image_needs_its_alternative_text(self, tree):
        from django.core.exceptions import ValidationError

        from courses.blocks import ImageBlock

        image = Image.objects.create(title="Seized phone", file=get_test_image_file())
        block_type = ImageBlock()
        value = block_type.to_python({"image": image.pk, "alt_text": "", "caption": ""})
        with pytest.raises(ValidationError):
            block_type.clean(value)
        value = block_type.to_python({"image": image.pk, "alt_text": "A phone", "caption": ""})
        assert block_type.clean(value)["alt_text"] == "A phone"

    def test_a_video_must_be_an_address_we_can_embed(self, tree):
        from django.core.exceptions import ValidationError

        from courses.blocks import VideoBlock

        block_type = VideoBlock()
        raw = {
            "title": "Imaging",
            "url": "https://example.org/page.html",
            "duration": "",
            "size": "",
            "poster": None,
            "transcript": "<p>Words.</p>",
        }
        with pytest.raises(ValidationError):
            block_type.clean(block_type.to_python(raw))
        raw["url"] = "https://vimeo.com/76979871"
        assert block_type.clean(block_type.to_python(raw))["url"] == raw["url"]

    def test_a_course_audience_outside_the_list_is_refused(self, tree):
        from django.core.exceptions import ValidationError

        tree.course.audience = ["police", "astronauts"]
        with pytest.raises(ValidationError):
            tree.course.full_clean()
