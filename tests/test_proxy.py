"""The real reverse proxy (scripts/proxy: nginx with deploy/nginx/evidence-academy.conf) in
front of the live server: what it serves from its cache, what it never does, and Wagtail's
purge through it. Needs Debian's nginx and its cache purge module (skipped locally without
them, with a message; required in CI)."""

import importlib.machinery
import importlib.util
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from django.conf import settings
from django.test import Client

import pytest

from courses.models.progress import LessonCompletion
from tests import factories
from tests.conftest import require

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "proxy"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def load_script():
    loader = importlib.machinery.SourceFileLoader("proxy_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader("proxy_script", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def proxy(live_server, tmp_path, settings):
    """nginx on a free port in front of the live server; Wagtail purges through it."""
    require(not load_script().missing(), "nginx or its cache purge module is missing")
    port = free_port()
    upstream = live_server.url.removeprefix("http://").replace("localhost", "127.0.0.1")
    directory = tmp_path / "proxy"
    command = [sys.executable, str(SCRIPT)]
    subprocess.run(
        [*command, "start", "--dir", str(directory), "--port", str(port), "--upstream", upstream],
        check=True,
        capture_output=True,
    )
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
        }
    }
    settings.TASKS = settings.TASKS | IMMEDIATE_TASKS
    yield f"http://127.0.0.1:{port}"
    subprocess.run([*command, "stop", "--dir", str(directory)], check=True, capture_output=True)


def fetch(proxy, path, session=None):
    """(X-Cache-Status, Cache-Control, body) of a GET through the proxy, as the site's host."""
    headers = {"Host": "localhost"}  # the default site's name: what Wagtail's purge names
    if session:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
    request = urllib.request.Request(proxy + path, headers=headers)  # noqa: S310
    opener = urllib.request.build_opener(NoRedirects)
    with opener.open(request, timeout=30) as response:  # noqa: S310  (the local proxy)
        return (
            response.headers["X-Cache-Status"],
            response.headers["Cache-Control"],
            response.read().decode(),
        )


def session_of(client, user):
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def lesson(all_locales):
    return factories.make_tree(modules=1, lessons_per_module=2).lessons[0]


def test_the_second_anonymous_request_comes_from_the_cache(proxy, lesson):
    first, cache_control, html = fetch(proxy, lesson.url)
    assert (first, cache_control) == ("MISS", "public, s-maxage=300, max-age=0")
    second, _cache_control, again = fetch(proxy, lesson.url)
    assert second == "HIT"
    assert again == html and "Sign in to keep track of your progress" in html


def test_publishing_purges_the_page_so_the_next_request_fetches_it_afresh(proxy, lesson):
    fetch(proxy, lesson.url)
    assert fetch(proxy, lesson.url)[0] == "HIT"
    lesson.title = "Seizing a phone, revised"
    factories.publish(lesson)  # commits: live_server tests are transactional
    status, _cache_control, html = fetch(proxy, lesson.url)
    assert status == "MISS"
    assert "Seizing a phone, revised" in html
    assert fetch(proxy, lesson.url)[0] == "HIT"


def test_signed_in_pages_are_never_cached_nor_served_to_someone_else(
    proxy, lesson, client, learner
):
    fetch(proxy, lesson.url)  # the anonymous page is in the cache
    other = factories.make_user("second@example.org")
    course = lesson.get_parent().get_parent()
    LessonCompletion.objects.create(
        user=learner,
        lesson_key=lesson.translation_key,
        course_key=course.translation_key,
        language="en",
    )
    first_session = session_of(client, learner)
    second_session = session_of(Client(), other)

    for _round in range(2):
        status, cache_control, html = fetch(proxy, lesson.url, first_session)
        assert (status, cache_control) == ("BYPASS", "private, no-cache")
        assert "You have completed this lesson." in html
        status, _cache_control, html = fetch(proxy, lesson.url, second_session)
        assert status == "BYPASS"
        assert "Mark as complete" in html and "You have completed" not in html

    status, _cache_control, html = fetch(proxy, lesson.url)
    assert status == "HIT"
    assert "Sign in to keep track of your progress" in html and "Sign out" not in html


def test_private_answers_are_not_kept_even_without_a_session(proxy, lesson):
    """The sign-in page carries a CSRF token: asked twice, it is fetched twice."""
    assert fetch(proxy, "/en/accounts/login/")[0] == "MISS"
    assert fetch(proxy, "/en/accounts/login/")[0] == "MISS"
