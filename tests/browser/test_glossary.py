"""The glossary on a 360 px phone: in English, Arabic (right to left) and Chinese nothing
scrolls sideways and every term and definition stays on the screen; the page keeps within the
page-weight budget and needs no script of its own."""

import pytest

from tests.browser.conftest import PHONE, fits_the_screen, keep_screenshot
from tests.browser.test_budgets import BUDGET, measure

pytestmark = pytest.mark.django_db(transaction=True)

# The right edge of the widest term or definition, in CSS pixels.
WIDEST = """els => Math.max(...els.map(el => el.getBoundingClientRect().right))"""
# The left edge of the leftmost one (an Arabic line pushed off the left edge shows here).
LEFTMOST = """els => Math.min(...els.map(el => el.getBoundingClientRect().left))"""


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_the_glossary_fits_a_phone_screen(open_phone, live_server, language):
    tab = open_phone(language)
    response = tab.goto(f"{live_server.url}/{language}/glossary/")
    assert response.ok
    entries = tab.locator(".glossary-terms dt, .glossary-terms dd")
    assert entries.count() >= 40
    if language == "ar":
        assert tab.locator("html").get_attribute("dir") == "rtl"
    screen = f"glossary-phone-{language}"
    assert fits_the_screen(tab), keep_screenshot(tab, screen)
    assert entries.evaluate_all(WIDEST) <= PHONE["width"], keep_screenshot(tab, screen)
    assert entries.evaluate_all(LEFTMOST) >= 0, keep_screenshot(tab, screen)


def test_the_glossary_works_without_javascript(open_phone, live_server):
    tab = open_phone("ar", javascript=False)
    tab.goto(f"{live_server.url}/ar/glossary/#expedited-preservation")
    term = tab.locator("#expedited-preservation")
    assert term.inner_text() == "التحفظ العاجل"
    assert term.is_visible()
    assert fits_the_screen(tab)


def test_the_glossary_keeps_within_the_page_weight_budget(browser, live_server):
    measurement = measure(browser, f"{live_server.url}/en/glossary/", "glossary")
    assert not measurement.blocking_scripts, measurement.blocking_scripts
    assert measurement.page["HTML"] > 0 and measurement.page["CSS"] > 0
    assert measurement.total < BUDGET, measurement.row()
