"""Instructors on a 360 px phone, in English and Arabic (issue 19, items 10, 11 and 13): the
way to their workshops after signing in, a refused session that keeps what was typed (with
JavaScript off), sessions within the workshop's dates, attendance that opens when a session
starts, and a pacing notice that leads to the setting it names.

Expected text is looked up with gettext in the page's language, so these tests hold once the
new strings are translated. The server-side refusals are in tests/test_instructor_journeys.py."""

from datetime import time, timedelta
from urllib.parse import urlsplit

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

import pytest
from playwright.sync_api import expect

from courses.models import Session, Workshop
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot, sign_in
from tests.test_workshops import make_instructor, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ar"]


def _(language, message, **values):
    with translation.override(language):
        text = gettext(message)
        return text % values if values else text


def named(user, name):
    profile = profile_for(user)
    profile.certificate_name, profile.country = name, "KE"
    profile.save()
    return user


@pytest.fixture
def room(all_locales):
    """A workshop running from yesterday to tomorrow, and its instructor."""
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    instructor = named(make_instructor(), "Grace Njeri")
    return make_workshop(tree, instructor), instructor


def signed_in_phone(open_phone, live_server, instructor, language, javascript=True):
    tab = open_phone(language, javascript=javascript)
    sign_in(tab, live_server.url, instructor.email, factories.PASSWORD, language)
    return tab


def header_fits(tab):
    """Every link and control the header shows lies inside the phone's width."""
    return tab.evaluate(
        """() => [...document.querySelectorAll('.site-header a, .site-header summary')]
            .filter(el => el.checkVisibility())
            .every(el => { const box = el.getBoundingClientRect();
                           return box.left >= 0 && box.right <= window.innerWidth; })"""
    )


def add_session(tab, day, starts, ends, title=""):
    """Open "Add a session" on the dashboard, type the session in and send it."""
    details = tab.locator("#add-session")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    tab.locator("#id_date").fill(day.isoformat())
    tab.locator("#id_starts_at").fill(starts)
    tab.locator("#id_ends_at").fill(ends)
    tab.locator("#id_title").fill(title)
    with tab.expect_navigation():
        details.locator("button[type=submit]").click()


def error_of(tab, field_id):
    """The error list a field points to with aria-describedby, once it says it is invalid."""
    field = tab.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    errors = [name for name in described if name.endswith("_errors")]
    assert errors, f"{field_id} points to no error: {described}"
    return tab.locator(f"#{errors[0]}")


# --- Item 10: the way to the instructor's area --------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_instructor_lands_on_their_workshops_and_the_header_links_there(
    open_phone, live_server, room, language
):
    workshop, instructor = room
    tab = signed_in_phone(open_phone, live_server, instructor, language)
    assert urlsplit(tab.url).path == f"/{language}/teach/"
    expect(tab.locator("h1")).to_have_text(_(language, "My workshops"))
    expect(tab.get_by_role("link", name=workshop.title)).to_be_visible()
    link = tab.locator(f".site-nav a[href='/{language}/teach/']")
    expect(link).to_be_visible()
    expect(link).to_have_text(_(language, "My workshops"))
    assert fits_the_screen(tab) and header_fits(tab)
    keep_screenshot(tab, f"item-10-instructor-lands-on-teach-{language}")

    # From anywhere else, the header leads back.
    tab.goto(f"{live_server.url}/{language}/learning/")
    link.click()
    tab.wait_for_load_state()
    assert urlsplit(tab.url).path == f"/{language}/teach/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_learner_sees_no_link_to_the_instructors_area(open_phone, live_server, room, language):
    learner = named(factories.make_user("officer@example.org"), "Kofi Mensah")
    tab = signed_in_phone(open_phone, live_server, learner, language)
    assert "/teach/" not in tab.url
    expect(tab.locator(".site-nav a[href$='/learning/']")).to_be_visible()
    expect(tab.locator(".site-nav a[href*='/teach/']")).to_have_count(0)
    assert fits_the_screen(tab) and header_fits(tab)


# --- Item 11: a refused session keeps what was typed, with JavaScript off -------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_session_comes_back_as_typed_with_the_error_at_the_field(
    open_phone, live_server, room, language
):
    workshop, instructor = room
    tab = signed_in_phone(open_phone, live_server, instructor, language, javascript=False)
    tab.goto(f"{live_server.url}/{language}/teach/{workshop.pk}/")
    title = "مختبر نسخ الأدلة" if language == "ar" else "Imaging lab"
    add_session(tab, workshop.start_date, "14:00", "09:00", title)

    expect(tab.locator("#add-session")).to_have_attribute("open", "")
    expect(tab.locator("#id_date")).to_have_value(workshop.start_date.isoformat())
    expect(tab.locator("#id_starts_at")).to_have_value("14:00")
    expect(tab.locator("#id_ends_at")).to_have_value("09:00")
    expect(tab.locator("#id_title")).to_have_value(title)
    error = error_of(tab, "id_ends_at")
    expect(error).to_be_visible()
    expect(error).to_have_text(_(language, "The session must end after it starts."))
    # The rest of the dashboard is all there.
    expect(tab.locator(".join-code")).to_have_text(workshop.join_code)
    expect(tab.locator("#cohort-heading")).to_have_count(1)
    expect(tab.locator(".workshop-nav")).to_be_visible()
    assert not workshop.sessions.exists()
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-11-refused-session-kept-{language}")

    # Corrected, it is added, and the list shows it.
    tab.locator("#id_ends_at").fill("17:00")
    with tab.expect_navigation():
        tab.locator("#add-session button[type=submit]").click()
    session = workshop.sessions.get()
    assert (session.starts_at, session.ends_at, session.title) == (time(14), time(17), title)
    expect(tab.locator("#add-session")).not_to_have_attribute("open", "")
    expect(tab.locator("#sessions-heading + ul")).to_contain_text("14:00")


# --- Item 13: sessions within the workshop's dates ---------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_session_outside_the_workshops_dates_is_refused_at_the_date_field(
    open_phone, live_server, room, language
):
    workshop, instructor = room
    tab = signed_in_phone(open_phone, live_server, instructor, language)
    tab.goto(f"{live_server.url}/{language}/teach/{workshop.pk}/")
    add_session(tab, workshop.end_date + timedelta(days=3), "09:00", "12:00")

    with translation.override(language):
        first = date_format(workshop.start_date, "DATE_FORMAT")
        last = date_format(workshop.end_date, "DATE_FORMAT")
    expected = _(
        language,
        "Choose a day within the workshop, from %(first)s to %(last)s.",
        first=first,
        last=last,
    )
    error = error_of(tab, "id_date")
    expect(error).to_be_visible()
    expect(error).to_have_text(expected)
    expect(tab.locator("#id_date")).to_have_value(
        (workshop.end_date + timedelta(days=3)).isoformat()
    )
    assert not workshop.sessions.exists()
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-13-session-outside-dates-{language}")


# --- Item 13: attendance opens when the session starts -----------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_future_session_shows_when_attendance_opens_instead_of_the_checklist(
    open_phone, live_server, room, language
):
    workshop, instructor = room
    tomorrow = timezone.localdate() + timedelta(days=1)
    yesterday = timezone.localdate() - timedelta(days=1)
    future = Session.objects.create(
        workshop=workshop, date=tomorrow, starts_at=time(9), ends_at=time(12)
    )
    past = Session.objects.create(
        workshop=workshop, date=yesterday, starts_at=time(9), ends_at=time(12)
    )
    with translation.override(language):
        opens = _(
            language,
            "Attendance opens on %(date)s at %(time)s.",
            date=date_format(tomorrow, "DATE_FORMAT"),
            time="09:00",
        )
    tab = signed_in_phone(open_phone, live_server, instructor, language)
    tab.goto(f"{live_server.url}/{language}/teach/{workshop.pk}/")
    sessions = tab.locator("#sessions-heading + ul > li")
    expect(sessions).to_have_count(2)
    expect(sessions.nth(1)).to_contain_text(opens)
    expect(sessions.nth(0)).not_to_contain_text(opens)

    sessions.nth(1).locator("a").click()
    tab.wait_for_load_state()
    assert urlsplit(tab.url).path.endswith(f"/sessions/{future.pk}/")
    expect(tab.locator("main .notice")).to_have_text(opens)
    expect(tab.locator("input[name=present]")).to_have_count(0)
    expect(tab.locator("button[value=checkin]")).to_have_count(0)
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-13-attendance-opens-later-{language}")

    # A session that has started keeps its checklist and self check-in.
    tab.goto(f"{live_server.url}/{language}/teach/{workshop.pk}/sessions/{past.pk}/")
    expect(tab.locator("button[value=checkin]")).to_be_visible()
    expect(tab.locator("main .notice")).to_have_count(0)


# --- Item 13: the pacing notice leads to the setting it names ------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pacing_notice_links_to_the_setting_to_tick(open_phone, live_server, room, language):
    workshop, instructor = room
    with translation.override(language):
        setting = str(capfirst(Workshop._meta.get_field("paced").verbose_name))
    tab = signed_in_phone(open_phone, live_server, instructor, language)
    tab.goto(f"{live_server.url}/{language}/teach/{workshop.pk}/pacing/")
    link = tab.locator("main .notice a")
    expect(link).to_have_text(
        _(language, "Tick “%(setting)s” in the workshop's settings.", setting=setting)
    )
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-13-pacing-notice-{language}")

    link.click()
    tab.wait_for_load_state()
    assert tab.url.endswith(f"/{language}/teach/{workshop.pk}/edit/#id_paced")
    checkbox = tab.locator("#id_paced")
    expect(checkbox).to_be_in_viewport()
    expect(tab.locator("label[for=id_paced]")).to_have_text(setting)
    checkbox.check()
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    workshop.refresh_from_db()
    assert workshop.paced

    tab.goto(f"{live_server.url}/{language}/teach/{workshop.pk}/pacing/")
    expect(tab.locator("main h1")).to_have_text(_(language, "Pacing"))
    expect(tab.locator("main .notice")).to_have_count(0)
