"""The catalogue's filters, clicked as a visitor clicks them, in English, Arabic (right to
left) and Chinese, with JavaScript off: each link narrows the list, keeps the other filters,
is marked as chosen, and "clear filters" brings every course back; nothing scrolls sideways
on a phone."""

import pytest

from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ARABIC_TITLE = "طلبات البيانات عبر الحدود"
CHINESE_TITLE = "处理电子证据"


@pytest.fixture
def catalogue(all_locales):
    """Two courses: Evidence (police, judiciary; introductory; English and Chinese) and
    Requests (prosecution; advanced; English and Arabic)."""
    evidence = factories.make_tree(modules=1, lessons_per_module=1)
    requests = factories.make_tree(
        modules=1,
        lessons_per_module=1,
        home=evidence.home,
        title="Cross-border data requests",
        slug="cross-border-data-requests",
    )
    requests.course.audience = ["prosecution"]
    requests.course.level = "advanced"
    factories.publish(requests.course)
    factories.translate(requests.course, "ar", title=ARABIC_TITLE)
    factories.translate(evidence.course, "zh-hans", title=CHINESE_TITLE)


def card_titles(tab):
    return [title.strip() for title in tab.locator(".course-card .card-title").all_inner_texts()]


def choose(tab, name, value):
    """Click the filter link for ``name=value`` and wait for the page it leads to."""
    link = tab.locator(f'ul[aria-labelledby="filter-{name}"] a[href*="{name}={value}"]')
    with tab.expect_navigation():
        link.click()


def chosen(tab, name, value):
    """Whether the one link marked as chosen in the ``name`` filter is ``value``'s."""
    marked = tab.locator(f'ul[aria-labelledby="filter-{name}"] a[aria-current="true"]')
    return marked.count() == 1 and f"{name}={value}" in marked.get_attribute("href")


@pytest.mark.parametrize(
    ("language", "all_titles", "requests_title", "evidence_title"),
    [
        (
            "en",
            ["Handling digital evidence", "Cross-border data requests"],
            "Cross-border data requests",
            "Handling digital evidence",
        ),
        (
            "ar",
            ["Handling digital evidence", ARABIC_TITLE],
            ARABIC_TITLE,
            "Handling digital evidence",
        ),
        (
            "zh-hans",
            [CHINESE_TITLE, "Cross-border data requests"],
            "Cross-border data requests",
            CHINESE_TITLE,
        ),
    ],
)
def test_catalogue_filters_work_by_clicking_links(
    open_phone, live_server, catalogue, language, all_titles, requests_title, evidence_title
):
    tab = open_phone(language, javascript=False)
    screen = f"catalogue-{language}"
    tab.goto(f"{live_server.url}/{language}/")
    # The home page shows its language's courses as cards and leads to the catalogue.
    home_titles = {"en": all_titles, "ar": [ARABIC_TITLE], "zh-hans": [CHINESE_TITLE]}
    assert card_titles(tab) == home_titles[language], keep_screenshot(tab, screen)
    with tab.expect_navigation():
        tab.locator(f'a[href="/{language}/catalogue/"]').first.click()
    assert card_titles(tab) == all_titles, keep_screenshot(tab, screen)
    if language == "ar":
        assert tab.locator("html").get_attribute("dir") == "rtl"
    assert fits_the_screen(tab), keep_screenshot(tab, screen)

    choose(tab, "audience", "prosecution")
    assert card_titles(tab) == [requests_title], keep_screenshot(tab, screen)
    assert chosen(tab, "audience", "prosecution")

    # The level link keeps the audience chosen.
    choose(tab, "level", "advanced")
    assert "audience=prosecution" in tab.url and "level=advanced" in tab.url
    assert card_titles(tab) == [requests_title]
    assert chosen(tab, "level", "advanced")

    # No course for the police at an advanced level: the empty state offers clearing.
    choose(tab, "audience", "police")
    assert card_titles(tab) == []
    assert tab.locator(".catalogue-results .empty a").count() == 1, keep_screenshot(tab, screen)
    with tab.expect_navigation():
        tab.locator(".catalogue-results .empty a").click()
    assert card_titles(tab) == all_titles
    assert tab.url.endswith(f"/{language}/catalogue/")

    # The language filter: courses available in Arabic, their cards linking to the Arabic page.
    choose(tab, "language", "ar")
    assert card_titles(tab) == [ARABIC_TITLE]
    title_link = tab.locator(".course-card .card-title a")
    assert title_link.get_attribute("href").startswith("/ar/")
    assert fits_the_screen(tab), keep_screenshot(tab, screen)
    with tab.expect_navigation():
        tab.locator(".catalogue-filters .clear-filters").click()
    assert card_titles(tab) == all_titles


def test_a_card_leads_to_the_course_in_the_language_chosen(open_phone, live_server, catalogue):
    tab = open_phone("en", javascript=False)
    tab.goto(f"{live_server.url}/en/catalogue/")
    card = tab.locator(".course-card").filter(has_text="Cross-border data requests")
    with tab.expect_navigation():
        card.locator('a[lang="ar"]').click()
    assert tab.locator("html").get_attribute("lang") == "ar"
    assert tab.locator("h1").inner_text().strip() == ARABIC_TITLE
