"""Light and offline reading: data saver, the service worker's script, the offline page."""

import json
import re
from http import HTTPStatus

from django.utils import translation

import pytest

from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db

ALT = "A laptop in a sealed evidence bag"


def image_sources(html):
    """Every image address a browser would fetch from this HTML."""
    sources = set(re.findall(r'<img[^>]*\ssrc="([^"]+)"', html))
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        sources.update(part.split()[0] for part in srcset.split(",") if part.strip())
    return sources


@pytest.fixture
def lesson(tree):
    photo = factories.make_image(width=800, height=450)
    poster = factories.make_image(width=640, height=360, title="Imaging station")
    video = factories.video_block(poster)
    lesson = tree.lessons[0]
    lesson.body = json.dumps(
        [factories.paragraph("Hash every copy."), factories.image_block(photo, alt=ALT), video]
    )
    lesson = factories.publish(lesson)
    lesson.photo, lesson.poster = photo, poster
    return lesson


def turn_data_saver(client, on, next_url="/en/"):
    return client.post("/en/data-saver/", {"data_saver": "1" if on else "0", "next": next_url})


class TestDataSaverForVisitors:
    def test_lesson_shows_images_and_the_poster_when_data_saver_is_off(self, client, lesson):
        html = client.get(lesson.url).content.decode()
        assert len(image_sources(html)) >= 2  # the photo and the video's poster
        assert "Show image" not in html
        assert "Turn data saver on" in html

    def test_with_data_saver_no_image_or_poster_is_in_the_page(self, client, lesson):
        sources = image_sources(client.get(lesson.url).content.decode())
        response = turn_data_saver(client, on=True, next_url=lesson.url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == lesson.url
        assert response.cookies["data_saver"].value == "1"

        html = client.get(lesson.url).content.decode()
        assert "<img" not in html and "<picture" not in html
        assert not any(source in html for source in sources)
        assert f"Show image ({ALT})" in html
        assert f'href="?show=images#image-{lesson.photo.pk}"' in html
        assert f'id="image-{lesson.photo.pk}"' in html
        # The text and the way to the video stay.
        assert "Hash every copy." in html and "First, attach a write blocker." in html
        assert "Load video (18 MB)" in html
        assert "Data saver is on" in html and "Turn data saver off" in html

    def test_show_images_link_brings_them_back_for_that_page(self, client, lesson):
        turn_data_saver(client, on=True)
        html = client.get(f"{lesson.url}?show=images").content.decode()
        assert ALT in html and len(image_sources(html)) >= 2
        assert "Show image (" not in html

    def test_turning_it_off_deletes_the_cookie(self, client, lesson):
        turn_data_saver(client, on=True)
        response = turn_data_saver(client, on=False, next_url=lesson.url)
        assert response.cookies["data_saver"].value == ""
        assert response.cookies["data_saver"]["max-age"] == 0
        assert "Show image (" not in client.get(lesson.url).content.decode()

    def test_the_switch_never_sends_visitors_to_another_site(self, client, tree):
        response = turn_data_saver(client, on=True, next_url="https://evil.example/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/en/"

    def test_the_switch_takes_only_a_post(self, client, tree):
        assert client.get("/en/data-saver/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


class TestDataSaverForLearners:
    def test_profile_form_saves_the_choice(self, client, lesson, learner):
        client.force_login(learner)
        form = client.get("/en/profile/edit/").content.decode()
        assert 'name="data_saver"' in form and "to save mobile data" in form
        response = client.post(
            "/en/profile/edit/",
            {"certificate_name": "Ana Pereira", "country": "MZ", "data_saver": "on"},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert profile_for(learner).data_saver is True
        assert "On: lessons show images and videos only when you ask" in (
            client.get("/en/profile/").content.decode()
        )
        assert f"Show image ({ALT})" in client.get(lesson.url).content.decode()

    def test_the_footer_switch_updates_the_profile_not_a_cookie(self, client, lesson, learner):
        client.force_login(learner)
        response = turn_data_saver(client, on=True, next_url=lesson.url)
        assert "data_saver" not in response.cookies
        assert profile_for(learner).data_saver is True
        assert "<img" not in client.get(lesson.url).content.decode()

        turn_data_saver(client, on=False)
        assert profile_for(learner).data_saver is False
        assert "<img" in client.get(lesson.url).content.decode()

    def test_a_visitors_cookie_does_not_override_a_learners_profile(self, client, lesson, learner):
        client.cookies["data_saver"] = "1"
        client.force_login(learner)
        assert "<img" in client.get(lesson.url).content.decode()


class TestServiceWorker:
    def test_is_served_from_the_root_as_javascript_that_is_always_revalidated(self, client):
        response = client.get("/sw.js")
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Service-Worker-Allowed"] == "/"
        assert response["Cache-Control"] == "no-cache"

    def test_knows_the_offline_page_of_every_language_and_what_never_to_keep(self, client):
        code = client.get("/sw.js").content.decode()
        config = json.loads(re.match(r"const CONFIG = (\{.*\});\n", code).group(1))
        assert config["offlinePages"]["en"] == "/en/offline/"
        assert config["offlinePages"]["ar"] == "/ar/offline/"
        assert len(config["offlinePages"]) == 8
        assert "/static/css/site.css" in config["assets"]
        for private in ("/admin/", "/accounts/", "/verify/", "/quizzes/"):
            assert private in config["neverCached"]
        assert config["pagesKept"] == 50
        assert 'addEventListener("fetch"' in code

    def test_every_page_registers_it_without_blocking_rendering(self, client, tree):
        html = client.get(tree.course.url).content.decode()
        script = re.search(r'<script src="/static/js/offline\.js"[^>]*>', html).group(0)
        assert " defer" in script and 'data-worker="/sw.js"' in script
        assert "not recorded" in script

    def test_only_lessons_and_outlines_are_marked_for_keeping(self, client, tree, learner):
        mark = '<meta name="offline-reading" content="keep">'
        for url in (tree.lessons[0].url, tree.modules[0].url, tree.course.url):
            assert mark in client.get(url).content.decode(), url
        client.force_login(learner)
        for url in ("/en/", "/en/learning/", "/en/profile/", "/en/verify/", "/en/offline/"):
            assert mark not in client.get(url).content.decode(), url


class TestOfflinePage:
    @pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
    def test_says_the_page_is_not_saved_and_offline_actions_are_not_recorded(
        self, client, tree, language, direction
    ):
        response = client.get(f"/{language}/offline/")
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{direction}">' in html
        with translation.override(language):
            heading = translation.gettext("You are offline")
            warning = translation.gettext(
                "Anything you do while offline — marking a lesson as complete, answering a "
                "quiz — is not recorded. Do it again when you are back online."
            )
        assert f"<h1>{heading}</h1>" in html
        assert warning in html
        assert 'name="robots" content="noindex"' in html


def test_the_offline_page_leaves_pending_messages_for_the_page_the_visitor_opens(client, tree):
    """The service worker fetches the offline page as it installs, at any moment: it must
    neither show nor use up a message meant for the next page (nor cache it)."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    text = "Your email address is confirmed."
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.SUCCESS, text)])
    offline = client.get("/en/offline/")
    assert offline.status_code == HTTPStatus.OK and text not in offline.content.decode()
    assert text in client.get("/en/").content.decode()  # still there for the real page
    assert text not in client.get("/en/").content.decode()  # shown once
