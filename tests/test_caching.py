"""What a shared cache may keep (courses/caching.py), and what a change purges from it
(courses/purging.py), seen from the response headers and from PURGE requests caught by a
small HTTP server standing in for the proxy. tests/test_proxy.py runs the real nginx."""

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import resolve

from wagtail.models import Page, PageViewRestriction

import pytest

from courses import caching, certificates
from courses.models.learners import profile_for
from tests import factories

SHARED = "public, s-maxage=300, max-age=0"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def vary(response):
    return {header.strip().lower() for header in response.get("Vary", "").split(",")}


def never_stored(response):
    """Private and no-store, whether our middleware or the view (never_cache) said so."""
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.fixture
def lesson(tree):
    return tree.lessons[0]


class TestWhatTheProxyMayKeep:
    def test_an_anonymous_lesson_is_shared_and_varies_only_on_cookie(self, client, lesson):
        response = client.get(lesson.url)
        assert response.status_code == HTTPStatus.OK
        assert response["Cache-Control"] == SHARED
        assert vary(response) == {"cookie"}
        assert not response.cookies
        html = response.content.decode()
        # The data-saver switch is there, and still works without JavaScript (a plain form),
        # but carries no CSRF token that would make the page the visitor's own.
        assert "Turn data saver on" in html and "csrfmiddlewaretoken" not in html

    @pytest.mark.parametrize("path", ["course", "module", "home", "/en/glossary/", "/en/privacy/"])
    def test_other_learner_facing_pages_are_shared_too(self, client, tree, path):
        url = {"course": tree.course.url, "module": tree.modules[0].url, "home": "/en/"}.get(
            path, path
        )
        assert client.get(url)["Cache-Control"] == SHARED

    def test_a_signed_in_learners_lesson_is_private(self, client, lesson, learner):
        client.force_login(learner)
        response = client.get(lesson.url)
        assert response["Cache-Control"] == "private, no-cache"
        assert "csrfmiddlewaretoken" in response.content.decode()

    def test_the_data_saver_cookie_makes_the_page_private(self, client, lesson):
        client.cookies["data_saver"] = "1"
        response = client.get(lesson.url)
        assert response["Cache-Control"] == "private, no-cache"
        assert "Turn data saver off" in response.content.decode()

    def test_a_page_showing_a_message_is_private(self, client, lesson):
        client.post("/en/data-saver/", {"data_saver": "1", "next": lesson.url})
        response = client.get(lesson.url)
        assert "Data saver is on: lessons show images" in response.content.decode()
        assert response["Cache-Control"] == "private, no-cache"

    def test_a_page_holding_a_csrf_token_is_private(self, rf):
        """Whichever page renders a form with a token for a visitor (the token's cookie
        goes with it) is that visitor's own, even if its view is a shared one."""
        request = rf.get("/en/glossary/")
        request.user = AnonymousUser()
        request.resolver_match = resolve("/en/glossary/")
        assert caching.cache_control_for(request, HttpResponse()) == SHARED
        get_token(request)
        assert caching.cache_control_for(request, HttpResponse()) == "private, no-cache"

    def test_a_password_protected_page_is_not_shared(self, client, lesson):
        PageViewRestriction.objects.create(
            page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="workshop-7"
        )
        response = client.get(lesson.url)
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "private" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "path", ["/en/accounts/login/", "/fr/accounts/signup/", "/en/learning/", "/en/teach/"]
    )
    def test_account_learning_and_workshop_pages_are_never_stored(self, client, tree, path):
        assert never_stored(client.get(path))

    def test_signed_in_dashboard_is_never_stored(self, client, tree, learner):
        client.force_login(learner)
        response = client.get("/en/learning/")
        assert response.status_code == HTTPStatus.OK
        assert never_stored(response)

    def test_verify_pages_stay_uncached_whoever_asks(self, client, tree):
        """The verify page and its JSON answer live: a revocation shows at once."""
        for path in ("/en/verify/ABCD-EFGH-JKMN-P/", "/en/verify/ABCD-EFGH-JKMN-P.json"):
            assert never_stored(client.get(path))

    def test_a_missing_page_is_not_shared(self, client, tree):
        response = client.get("/en/no-such-course/")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response["Cache-Control"] == "private, no-cache"

    def test_zero_seconds_turns_sharing_off(self, client, lesson, settings):
        settings.PUBLIC_CACHE_SECONDS = 0
        assert client.get(lesson.url)["Cache-Control"] == "private, no-cache"


class TestDataSaverWithoutToken:
    def test_a_visitor_switches_it_without_a_token(self, lesson):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/en/data-saver/", {"data_saver": "1", "next": lesson.url})
        assert response.status_code == HTTPStatus.FOUND
        assert response.cookies["data_saver"].value == "1"

    def test_a_signed_in_learner_still_needs_the_token(self, lesson, learner):
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        response = client.post("/en/data-saver/", {"data_saver": "1", "next": lesson.url})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not profile_for(learner).data_saver
        page = client.get(lesson.url).content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = client.post(
            "/en/data-saver/",
            {"data_saver": "1", "next": lesson.url, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert profile_for(learner).data_saver


# --- Purging -----------------------------------------------------------------------------


class PurgeCatcher:
    """An HTTP server on a free port that records each PURGE (host, path) it receives."""

    def __init__(self):
        self.purged = set()
        self.changed = threading.Condition()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802  (the HTTP method's name)
                with catcher.changed:
                    catcher.purged.add((self.headers["Host"], self.path))
                    catcher.changed.notify_all()
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def paths(self):
        return {path for _host, path in self.purged}

    def wait_for(self, *paths, timeout=10):
        """Block until every path has been purged (or fail after timeout seconds)."""
        with self.changed:
            arrived = self.changed.wait_for(lambda: set(paths) <= self.paths(), timeout)
        assert arrived, f"not purged: {sorted(set(paths) - self.paths())}"


@pytest.fixture
def catcher(settings):
    """The frontend cache pointed at a PurgeCatcher; purges run as soon as they are queued."""
    catcher = PurgeCatcher()
    catcher.thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": catcher.url,
        }
    }
    settings.TASKS = settings.TASKS | IMMEDIATE_TASKS
    yield catcher
    catcher.server.shutdown()
    catcher.server.server_close()


@pytest.fixture
def french(tree):
    """The first module's second lesson translated into French, with its parents."""
    return factories.translate(tree.lessons[1], "fr", title="Leçon 1.2")


def path_of(page):
    return Page.objects.get(pk=page.pk).url


class TestPurges:
    def test_publishing_a_lesson_purges_it_and_every_page_that_shows_it_in_every_language(
        self, tree, french, catcher, django_capture_on_commit_callbacks
    ):
        lesson = tree.lessons[1]
        french_module, french_course, french_home = french.get_ancestors().reverse()[:3]
        with django_capture_on_commit_callbacks(execute=True):
            lesson.title = "Lesson 1.2, revised"
            factories.publish(lesson)
        expected = {
            path_of(page)
            for page in (
                lesson,
                french,
                tree.modules[0],
                french_module,
                tree.course,
                french_course,
                tree.home,
                french_home,
                tree.lessons[0],  # its pager names the lesson after it
                tree.lessons[2],  # and this one the lesson before
            )
        }
        catcher.wait_for(*expected)
        assert all(host == "localhost" for host, _path in catcher.purged)
        # A lesson that does not show it stays cached.
        assert path_of(tree.lessons[3]) not in catcher.paths()

    def test_unpublishing_a_lesson_purges_it_and_its_course_outline(
        self, tree, catcher, django_capture_on_commit_callbacks
    ):
        lesson = tree.lessons[2]
        url = path_of(lesson)
        with django_capture_on_commit_callbacks(execute=True):
            lesson.unpublish()
        catcher.wait_for(url, path_of(tree.course), path_of(tree.lessons[1]))

    def test_moving_a_lesson_purges_its_old_address_and_both_modules(
        self, tree, catcher, django_capture_on_commit_callbacks
    ):
        lesson = Page.objects.get(pk=tree.lessons[0].pk)
        old_url = lesson.url
        with django_capture_on_commit_callbacks(execute=True):
            lesson.move(tree.modules[1], pos="last-child")
        catcher.wait_for(old_url, path_of(tree.modules[0]), path_of(tree.modules[1]))
        assert path_of(lesson) != old_url

    def test_revoking_a_certificate_purges_the_status_list(
        self, tree, learner, catcher, django_capture_on_commit_callbacks
    ):
        profile = profile_for(learner)
        profile.certificate_name, profile.country, profile.role = "Ana Pereira", "MZ", "police"
        profile.save()
        certificate = certificates.issue_certificate(learner, tree.course.translation_key, "en")
        staff = factories.make_user("registrar@example.org", is_staff=True)
        assert "/credentials/status/1" not in catcher.paths()
        with django_capture_on_commit_callbacks(execute=True):
            certificates.revoke(certificate, by=staff, reason="Issued by mistake")
        catcher.wait_for("/credentials/status/1")

    def test_publishing_still_works_when_the_proxy_is_down(
        self, tree, settings, django_capture_on_commit_callbacks
    ):
        """A purge that cannot reach the proxy is logged; the editor's publish goes through."""
        catcher = PurgeCatcher()  # bound to a free port, then closed: nothing listens there
        catcher.server.server_close()
        settings.TASKS = settings.TASKS | IMMEDIATE_TASKS
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": catcher.url,
            }
        }
        lesson = tree.lessons[0]
        with django_capture_on_commit_callbacks(execute=True):
            lesson.title = "Lesson 1.1, revised"
            factories.publish(lesson)
        assert Page.objects.get(pk=lesson.pk).live
        assert Page.objects.get(pk=lesson.pk).title == "Lesson 1.1, revised"


def test_publishing_a_country_note_purges_its_lesson_and_the_country_profiles(
    tree, french, catcher, django_capture_on_commit_callbacks
):
    from courses.models.countries import CountryNote

    lesson = tree.lessons[1]
    note = CountryNote(
        country="XA", lesson=lesson, locale=lesson.locale, text="<p>A note.</p>", provisions="[]"
    )
    with django_capture_on_commit_callbacks(execute=True):
        note.save()
        note.save_revision().publish()
    catcher.wait_for(path_of(lesson), path_of(french), "/en/countries/xa/", "/ar/countries/")
    assert path_of(tree.lessons[3]) not in catcher.paths()
