"""Learner and instructor pages on a 360 px phone (issue 19): the language menu stays on
screen, long addresses wrap, the main action stands out, and wide tables show that they
scroll without pushing the page sideways. In English and Arabic (right to left), and for the
language menu in Chinese too."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import pytest

from courses.models.learners import profile_for
from courses.progress import enrol
from tests import factories
from tests.browser.conftest import PHONE, fits_the_screen, keep_screenshot, sign_in
from tests.test_workshops import add_people, add_sessions, make_instructor, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = factories.PASSWORD
LONG_EMAIL = "inspector.general.cybercrime.investigations@ministry-of-interior.example.org"
ARABIC_COURSE = "التعامل مع الأدلة الرقمية"
DESKTOP = {"width": 1280, "height": 800}


def _(language, message):
    with translation.override(language):
        return gettext(message)


def url(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def within(box, width=PHONE["width"]):
    """Whether a bounding box lies wholly between the screen's left and right edges."""
    return box is not None and box["x"] >= -0.5 and box["x"] + box["width"] <= width + 0.5


def area(locator):
    box = locator.bounding_box()
    return box["width"] * box["height"]


def in_the_first_screen(tab, locator):
    """Visible without scrolling down, on the page as it opened."""
    tab.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    return within(box) and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


# --- Item 1: the language menu -------------------------------------------------------------


def open_the_language_menu(tab, address):
    """Open the menu; its panel, once visible."""
    tab.goto(address)
    tab.locator(".language-switcher summary").click()
    panel = tab.locator(".language-switcher ul")
    panel.wait_for()
    return panel


@pytest.mark.parametrize(("language", "other"), [("en", "fr"), ("ar", "en"), ("zh-hans", "ar")])
def test_the_open_language_menu_lies_inside_a_phone_screen_and_changes_the_language(
    open_phone, live_server, language, other
):
    address = f"{live_server.url}{url(language, 'privacy')}"
    # Signed in, the header holds more links and the switcher wraps to another place.
    learner = factories.make_user()
    for signed_in in (False, True):
        tab = open_phone(language)
        if signed_in:
            sign_in(tab, live_server.url, learner.email, PASSWORD, language)
        panel = open_the_language_menu(tab, address)
        assert within(panel.bounding_box()), (signed_in, panel.bounding_box())
        assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-01-language-menu-{language}")
    tab.locator(f'.language-switcher a[hreflang="{other}"]').click()
    tab.wait_for_url(f"**{url(other, 'privacy')}")
    assert tab.locator("html").get_attribute("lang") == other


def test_the_language_menu_works_on_a_phone_without_javascript(open_phone, live_server):
    learner = factories.make_user()
    tab = open_phone("ar", javascript=False)
    sign_in(tab, live_server.url, learner.email, PASSWORD, "ar")
    panel = open_the_language_menu(tab, f"{live_server.url}{url('ar', 'privacy')}")
    assert within(panel.bounding_box())
    tab.locator('.language-switcher a[hreflang="zh-hans"]').click()
    tab.wait_for_url(f"**{url('zh-hans', 'privacy')}")
    assert tab.locator("html").get_attribute("lang") == "zh-hans"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_desktop_the_language_menu_drops_down_under_its_summary(
    open_phone, live_server, language
):
    tab = open_phone(language, viewport=DESKTOP)
    panel = open_the_language_menu(tab, f"{live_server.url}{url(language, 'privacy')}")
    below = tab.locator(".language-switcher summary").bounding_box()
    opened = panel.bounding_box()
    assert within(opened, DESKTOP["width"])
    assert opened["y"] >= below["y"] + below["height"]
    # It floats over the page rather than pushing the page down.
    assert panel.evaluate("el => getComputedStyle(el).position") == "absolute"


# --- Item 6: long addresses ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_long_email_address_wraps_on_the_profile_pages_of_a_phone(
    open_phone, live_server, language
):
    factories.make_home()
    learner = factories.make_user(LONG_EMAIL)
    profile = profile_for(learner)
    profile.certificate_name = "Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen"
    profile.organisation = "Directorate of Criminal Investigations, Cybercrime Laboratory"
    profile.save()
    tab = open_phone(language)
    sign_in(tab, live_server.url, LONG_EMAIL, PASSWORD, language)

    tab.goto(f"{live_server.url}{url(language, 'learner_profile')}")
    email = tab.locator(".profile dd", has_text=LONG_EMAIL)
    assert within(email.bounding_box()), email.bounding_box()
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-06-profile-{language}")
    for page in ("learner_profile_edit", "account_email"):
        tab.goto(f"{live_server.url}{url(language, page)}")
        assert fits_the_screen(tab), page


# --- Item 9: the main action ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_action_outweighs_the_data_saver_switch_on_a_phone(
    open_phone, live_server, all_locales, language
):
    tree = factories.make_tree(modules=1, lessons_per_module=2)
    course = tree.course
    if language == "ar":
        course = factories.translate(course, "ar", title=ARABIC_COURSE)
    learner = factories.make_user()
    tab = open_phone(language)
    sign_in(tab, live_server.url, learner.email, PASSWORD, language)
    saver = tab.locator(".data-saver button")

    tab.goto(f"{live_server.url}{course.url}")
    start = tab.get_by_role("button", name=_(language, "Start this course"), exact=True)
    assert area(start) > area(saver)
    assert in_the_first_screen(tab, start)
    keep_screenshot(tab, f"item-09-course-{language}")

    enrol(learner, tree.course)
    tab.reload()
    resume = tab.get_by_role("link", name=_(language, "Continue where you left off"))
    assert area(resume) > area(saver)
    assert in_the_first_screen(tab, resume)

    tab.goto(f"{live_server.url}{url(language, 'dashboard')}")
    resume = tab.get_by_role("link", name=_(language, "Continue where you left off"))
    assert area(resume) > area(saver)
    assert in_the_first_screen(tab, resume)
    keep_screenshot(tab, f"item-09-dashboard-{language}")


# --- Item 12: tables -----------------------------------------------------------------------


def scroll_to_the_end(region):
    """Scroll a region sideways as far as it goes: rightwards, or leftwards in Arabic."""
    region.evaluate(
        "el => { el.scrollLeft = getComputedStyle(el).direction === 'rtl'"
        " ? -el.scrollWidth : el.scrollWidth; }"
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_cohort_table_keeps_the_names_in_view_and_shows_that_it_scrolls(
    open_phone, live_server, all_locales, language
):
    tree = factories.make_tree(modules=3, lessons_per_module=1)
    instructor = make_instructor()
    workshop = make_workshop(tree, instructor)
    add_people(workshop, 3)
    add_sessions(workshop, 2)
    tab = open_phone(language)
    sign_in(tab, live_server.url, instructor.email, PASSWORD, language)
    tab.goto(f"{live_server.url}{url(language, 'workshop_dashboard', workshop.pk)}")

    label = _(language, "Progress of each participant")
    region = tab.get_by_role("region", name=label)
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll
    cue = tab.locator(f"#{region.get_attribute('aria-describedby')}")
    assert cue.is_visible() and within(cue.bounding_box())
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-12-cohort-{language}")

    scroll_to_the_end(region)
    frame, name = region.bounding_box(), tab.locator(".roster tbody th").first.bounding_box()
    if language == "ar":  # the sticky column is on the right
        assert abs((name["x"] + name["width"]) - (frame["x"] + frame["width"])) < 2
    else:
        assert abs(name["x"] - frame["x"]) < 2
    last = tab.locator(".roster thead th").last.bounding_box()
    assert (
        frame["x"] - 1 <= last["x"] and last["x"] + last["width"] <= frame["x"] + frame["width"] + 1
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_roster_preview_shows_every_result_on_a_phone(
    open_phone, live_server, all_locales, language
):
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    instructor = make_instructor()
    workshop = make_workshop(tree, instructor)
    roster = (
        "name,email\n"
        f"Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen,{LONG_EMAIL}\n"
        "ليلى عبد الرحمن,layla@example.org\n"
        "Kwame Boateng,not-an-address\n"
    )
    tab = open_phone(language)
    sign_in(tab, live_server.url, instructor.email, PASSWORD, language)
    tab.goto(f"{live_server.url}{url(language, 'workshop_roster', workshop.pk)}")
    tab.locator("input[type=file]").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster.encode()}]
    )
    tab.locator("button[value=preview]").click()
    tab.wait_for_load_state()

    region = tab.get_by_role("region", name=_(language, "Preview"))
    assert region.get_attribute("tabindex") == "0"
    rows = region.locator("tbody tr")
    assert rows.count() == 3
    for row in rows.all():
        result = row.locator("td").last
        assert result.is_visible() and within(result.bounding_box()), result.inner_text()
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")  # nothing hidden sideways
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-12-roster-preview-{language}")
