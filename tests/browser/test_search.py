"""Search from the header box in English, Arabic and Chinese: a word from a lesson's body
finds the lesson, and its link opens the lesson scrolled to the section the word is in."""

import json
import uuid

import pytest

from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}
# Per language: the section heading, its text, the word searched for, the heading's id.
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
    "zh-hans": ("保管链", "每次移交扣押的笔记本电脑都要记录在保管日志中。", "电脑", "保管链"),
}


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def body(code):
    """A long lesson: the section searched for starts well below the first screen."""
    heading, text, _word, _anchor = LESSONS[code]
    filler = [block("paragraph", f"<p>{'Background reading. ' * 60}</p>") for _ in range(6)]
    return [
        *filler,
        block("heading", {"text": heading, "level": "h2"}),
        block("paragraph", f"<p>{text}</p>"),
        *filler,
    ]


@pytest.fixture
def lessons(all_locales):
    tree = factories.make_tree(modules=1, lessons_per_module=2)
    english = tree.lessons[1]
    english.body = json.dumps(body("en"))
    english.save()
    found = {"en": factories.publish(english)}
    for code in ("ar", "zh-hans"):
        translated = english.copy_for_translation(factories.locale(code), copy_parents=True)
        translated.title = LESSONS[code][0]
        translated.body = json.dumps(body(code))
        translated.save()
        found[code] = factories.publish(translated)
    return found


@pytest.mark.parametrize("code", ["en", "ar", "zh-hans"])
def test_the_header_search_finds_a_lesson_and_opens_it_at_the_section(
    open_phone, live_server, lessons, code
):
    heading, _text, word, anchor = LESSONS[code]
    tab = open_phone(code, viewport=LAPTOP)
    tab.goto(f"{live_server.url}/{code}/")
    box = tab.locator("header form[role=search]")
    box.get_by_role("searchbox").fill(word)
    with tab.expect_navigation():
        box.get_by_role("button").click()

    assert f"/{code}/search/" in tab.url
    found = tab.locator(".search-result")
    assert found.count() == 1, keep_screenshot(tab, f"search-{code}")
    assert found.locator("mark").first.inner_text().startswith(word)
    with tab.expect_navigation():
        found.get_by_role("link").click()

    assert tab.url.split("#")[0] == f"{live_server.url}{lessons[code].url}"
    target = tab.locator(":target")
    assert target.get_attribute("id") == anchor
    assert target.inner_text() == heading
    # The section is on the screen, not the top of the lesson.
    top = target.evaluate("el => el.getBoundingClientRect().top")
    # (a fraction of a pixel above 0 where the heading's margin rounds)
    assert -2 < top < LAPTOP["height"] / 2, keep_screenshot(tab, f"search-landing-{code}")
    assert tab.evaluate("window.scrollY") > 0


def test_search_works_without_javascript_on_a_phone(open_phone, live_server, lessons):
    tab = open_phone("ar", javascript=False)
    tab.goto(f"{live_server.url}/ar/search/?q=دفتر")
    assert tab.locator(".search-result").count() == 1
    assert tab.locator("html").get_attribute("dir") == "rtl"
    assert fits_the_screen(tab), keep_screenshot(tab, "search-phone-ar")
