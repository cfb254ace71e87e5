"""The front door (issue 16), in Chromium: every page's footer leads to About, Contact,
Privacy and Terms in the visitor's language, and to the verify form, in all eight languages;
the header carries the partner's logo on a phone; a printed lesson is the lesson alone."""

from django.conf import settings
from django.utils import translation

from wagtail.models import Site

import pytest

from courses.demo_information import PAGES
from courses.models import InformationKind, LessonPage, SiteBranding
from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def in_language(code, message):
    with translation.override(code):
        return str(translation.gettext(message))


@pytest.fixture
def demo_site(monkeypatch, tmp_path):
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", "browser-Demo-passphrase-3")
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()


def follow(tab, link):
    """Click a link; the response of the page it led to."""
    with tab.expect_navigation() as navigation:
        link.click()
    return navigation.value


def test_the_footer_links_work_in_every_language(page, live_server, demo_site):
    for code in LANGUAGES:
        for kind in InformationKind.values:
            page.goto(f"{live_server.url}/{code}/")
            with translation.override(code):
                label = str(InformationKind(kind).label)
            link = page.locator(".site-footer nav a", has_text=label)
            assert link.count() == 1, (code, kind, label)
            response = follow(page, link)
            assert response.status == 200, (code, kind, page.url)
            assert page.locator("html").get_attribute("lang") == code, (code, kind)
            assert page.locator("h1").inner_text() == PAGES[kind]["title"][code], (code, kind)
        page.goto(f"{live_server.url}/{code}/")
        verify = page.locator(
            ".site-footer nav a", has_text=in_language(code, "Verify a certificate")
        )
        assert follow(page, verify).status == 200
        assert page.url.endswith(f"/{code}/verify/")
        assert page.locator("h1").inner_text() == in_language(code, "Check a certificate")
        page.locator("#verify-code").fill("not-a-code")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "code=not-a-code" in page.url


@pytest.mark.parametrize("code", ["en", "ar"])
def test_the_header_with_a_partner_logo_and_the_footer_fit_a_phone(
    open_phone, live_server, demo_site, code
):
    logo = factories.make_image(900, 300, kind="PNG", title="Partner logo")
    SiteBranding.objects.create(
        site=Site.objects.get(is_default_site=True),
        partner_name="Judicial Training Institute",
        partner_logo=logo,
        partner_url="https://jti.example.org/",
    )
    tab = open_phone(code)
    tab.goto(f"{live_server.url}/{code}/")
    partner = tab.locator(".site-header .partner img")
    assert partner.get_attribute("alt") == "Judicial Training Institute"
    box = partner.bounding_box()
    assert box["height"] <= 41 and box["width"] <= 161  # small: at most 2.5rem by 10rem
    assert tab.evaluate("document.querySelector('.site-header .partner img').naturalWidth") > 0
    footer = tab.locator(".site-footer nav").bounding_box()
    assert footer["x"] >= 0 and footer["x"] + footer["width"] <= 360.5
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"front-door-home-{code}")


def test_a_printed_lesson_keeps_the_lesson_and_drops_the_site_around_it(
    page, live_server, demo_site
):
    lesson = LessonPage.objects.filter(locale__language_code="en").live().first()
    page.goto(f"{live_server.url}{lesson.url}")
    page.emulate_media(media="print")
    assert page.locator("main h1").is_visible()
    for hidden in (".site-footer", ".site-nav", ".language-switcher", ".breadcrumbs"):
        assert not page.locator(hidden).first.is_visible(), hidden
    # An outside link shows its address on paper.
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<p><a id="out" href="https://www.coe.int/cybercrime">Council</a></p>')"""
    )
    after = page.evaluate("getComputedStyle(document.getElementById('out'), '::after').content")
    assert "https://www.coe.int/cybercrime" in after
    page.emulate_media(media="screen")
    assert page.locator(".site-footer").is_visible()
