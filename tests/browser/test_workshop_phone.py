"""An instructor runs a workshop from a phone-sized screen with JavaScript off."""

import pytest

from courses.models import Attendance, Certificate, Participant, Workshop
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import download_prepared
from tests.test_workshops import make_instructor

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}
PASSWORD = "phone-Workshop-passphrase-7"


@pytest.fixture
def phone(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def second_phone(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(tab, base, email):
    tab.goto(f"{base}/en/accounts/login/")
    tab.get_by_label("Email address").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()


def fits_the_screen(tab):
    """Nothing but the scrollable tables is wider than the phone."""
    return tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_create_join_tick_attendance_and_issue_certificates(
    phone, second_phone, live_server, all_locales, settings
):
    settings.CERTIFICATE_SIGNING_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    instructor = make_instructor()
    instructor.set_password(PASSWORD)
    instructor.save()
    participant = factories.make_user("officer@example.org", password=PASSWORD)
    profile = profile_for(participant)
    profile.certificate_name, profile.country = "Akosua Mensah", "GH"
    profile.save()
    base = live_server.url

    sign_in(phone, base, "instructor@example.org")
    phone.goto(f"{base}/en/teach/")
    phone.get_by_role("link", name="New workshop").click()
    phone.get_by_label("Title").fill("Cybercrime investigation workshop")
    phone.get_by_role("combobox", name="Course").select_option(label=tree.course.title)
    phone.get_by_label("First day").fill("2026-11-23")
    phone.get_by_label("Last day").fill("2026-11-24")
    phone.locator("#id_language").select_option("en")
    phone.get_by_role("button", name="Save", exact=True).click()
    phone.wait_for_load_state()
    assert fits_the_screen(phone)
    workshop = Workshop.objects.get(title="Cybercrime investigation workshop")

    phone.locator("summary", has_text="Add a session").click()
    phone.get_by_label("Date").fill("2026-11-23")
    phone.get_by_label("Starts at").fill("09:00")
    phone.get_by_label("Ends at").fill("12:00")
    phone.get_by_role("button", name="Add the session").click()
    phone.wait_for_load_state()

    sign_in(second_phone, base, "officer@example.org")
    second_phone.goto(f"{base}/en/join/")
    second_phone.get_by_label("Code").fill(workshop.join_code.lower())
    second_phone.get_by_role("button", name="Join").click()
    second_phone.wait_for_load_state()
    assert second_phone.locator("h1").inner_text() == workshop.title
    assert Participant.objects.filter(workshop=workshop, user=participant).exists()

    phone.reload()
    session = workshop.sessions.get()
    phone.locator(f"a[href$='/teach/{workshop.pk}/sessions/{session.pk}/']").click()
    phone.get_by_label("Akosua Mensah").check()
    phone.get_by_role("button", name="Save attendance").click()
    phone.wait_for_load_state()
    assert fits_the_screen(phone)
    assert Attendance.objects.filter(user=participant).count() == 1

    phone.goto(f"{base}/en/teach/{workshop.pk}/certificates/")
    phone.get_by_role("button", name="Issue 1 certificate").click()
    phone.wait_for_load_state()
    assert Certificate.objects.get(user=participant).kind == "attendance"
    download = download_prepared(phone, "Download 1 certificate as one ZIP file")
    assert download.suggested_filename.endswith(".zip")

    phone.goto(f"{base}/en/teach/{workshop.pk}/")
    assert fits_the_screen(phone)
    assert phone.get_by_text("100%").first.is_visible()
