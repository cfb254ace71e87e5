"""In Chromium: lessons read again offline, the offline page, offline actions, data saver."""

import json

from django.conf import settings
from django.test import Client

import pytest

from courses.models.progress import LessonCompletion
from tests import factories

# Transactional: the live server's thread must see the data.
pytestmark = pytest.mark.django_db(transaction=True)

NOT_RECORDED = "You are offline: this was not recorded. Do it again when you are back online."
ALT = "A laptop in a sealed evidence bag"


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-GB")
    yield context
    context.close()


def sign_in(context, live_server, user):
    """Gives the browser the session cookie of a signed-in learner."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def wait_until_kept(page, url):
    """Waits until the service worker controls the page and has kept `url` for offline reading."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.wait_for_function(
        """async (url) => {
            const cache = await caches.open("ea-pages");
            return Boolean(await cache.match(url));
        }""",
        arg=url,
    )


def test_lessons_read_before_open_offline_and_other_pages_show_the_offline_page(
    context, live_server, tree, learner
):
    sign_in(context, live_server, learner)
    page = context.new_page()
    first, second, unvisited = tree.lessons[0], tree.lessons[1], tree.lessons[3]

    # The very first page opened is kept too, although it arrived before the worker.
    page.goto(f"{live_server.url}{first.url}")
    wait_until_kept(page, f"{live_server.url}{first.url}")
    page.get_by_role("link", name="Next lesson").click()
    page.wait_for_url(f"**{second.url}")
    wait_until_kept(page, f"{live_server.url}{second.url}")

    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "Lesson 1.2"
    assert page.get_by_text("Text of lesson 1.2.").is_visible()
    # Styles come from the worker's cache as well: the skip link sits off screen.
    assert page.locator(".skip-link").bounding_box()["y"] < 0

    page.goto(f"{live_server.url}{unvisited.url}")
    assert page.locator("h1").inner_text() == "You are offline"
    assert page.get_by_text("is not recorded").is_visible()
    saved = page.locator(".offline-saved")
    saved.get_by_role("link", name="Lesson 1.1").wait_for()
    saved.get_by_role("link", name="Lesson 1.1").click()
    page.wait_for_url(f"**{first.url}")
    assert page.get_by_text("Text of lesson 1.1.").is_visible()

    # An action taken offline says plainly that it was not recorded, and the page stays.
    page.get_by_role("button", name="Mark as complete").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == NOT_RECORDED
    assert page.url == f"{live_server.url}{first.url}"
    assert page.get_by_role("button", name="Mark as complete").is_visible()
    assert not LessonCompletion.objects.filter(user=learner).exists()

    # Back online, the same button records it (the lesson was first opened an hour ago).
    context.set_offline(False)
    factories.opened(learner, first)
    page.get_by_role("button", name="Mark as complete").click()
    page.wait_for_url(f"**{second.url}")
    assert LessonCompletion.objects.filter(user=learner).count() == 1


def test_a_form_that_cannot_reach_the_server_says_so_and_signing_out_forgets_kept_pages(
    context, live_server, tree, learner
):
    sign_in(context, live_server, learner)
    page = context.new_page()
    lesson = tree.lessons[0]
    page.goto(f"{live_server.url}{lesson.url}")
    wait_until_kept(page, f"{live_server.url}{lesson.url}")
    # The connection drops without the browser noticing: only the request fails.
    context.route("**/complete/", lambda route: route.abort("internetdisconnected"))

    page.get_by_role("button", name="Mark as complete").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == NOT_RECORDED
    assert page.url == f"{live_server.url}{lesson.url}"
    assert not LessonCompletion.objects.filter(user=learner).exists()

    # Signing out on a shared phone forgets the pages this learner read.
    context.unroute("**/complete/")
    page.goto(f"{live_server.url}/en/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/logout/" not in url)
    assert not page.get_by_role("link", name="Sign out").count()
    page.wait_for_function("async () => !(await caches.has('ea-pages'))")


@pytest.fixture
def illustrated_lesson(tree):
    photo = factories.make_image(width=800, height=450)
    poster = factories.make_image(width=640, height=360, title="Imaging station")
    video = factories.video_block(poster)
    lesson = tree.lessons[0]
    lesson.body = json.dumps([factories.image_block(photo, alt=ALT), video])
    return factories.publish(lesson)


def image_requests(page):
    """The addresses of uploaded images the page asks for, as they happen."""
    seen = []
    page.on(
        "request", lambda request: seen.append(request.url) if "/media/" in request.url else None
    )
    return seen


def test_data_saver_fetches_no_image_until_asked(browser, live_server, illustrated_lesson):
    lesson_url = f"{live_server.url}{illustrated_lesson.url}"
    # Without data saver the photo and the poster are fetched: what the check below looks for.
    control = browser.new_context(locale="en-GB")
    page = control.new_page()
    fetched = image_requests(page)
    page.goto(lesson_url)
    page.wait_for_load_state("networkidle")
    assert len({url.rsplit("/", 1)[-1].split(".")[0] for url in fetched}) >= 2
    control.close()

    saver = browser.new_context(locale="en-GB")
    page = saver.new_page()
    fetched = image_requests(page)
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("button", name="Turn data saver on").click()
    page.get_by_text("Data saver is on").first.wait_for()
    page.goto(lesson_url)
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("First, attach a write blocker.").is_visible()
    assert page.locator("img").count() == 0
    assert fetched == []

    page.get_by_role("link", name=f"Show image ({ALT})").click()
    page.get_by_role("img", name=ALT).wait_for()
    page.wait_for_load_state("networkidle")
    assert fetched
    saver.close()
