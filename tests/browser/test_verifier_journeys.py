"""Issue 19, items 14-17, as a verifier and a holder meet them on a 360 px phone, in English
and Arabic: durations in words and what an attendance certificate states, who stands behind
a certificate, the verdict on an uploaded PDF at the top, and printed addresses that lead
somewhere.

Expected wording comes from gettext under the page's language, so the tests keep passing
once the new strings are translated."""

import re
from datetime import date, time

from django.utils import translation
from django.utils.translation import gettext, pgettext

import pytest

from courses import certificates, demo_issuer, durations
from courses.models import Certificate
from courses.models.certificates import CertificateKind
from courses.models.workshops import Attendance, Participant, Session
from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot, overflow
from tests.test_certificates import named
from tests.test_handout import pdf_text
from tests.test_pdf import decode_qr, rasterise
from tests.test_workshops import make_instructor, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ar"]
DEMO_PASSWORD = "verifier-Journeys-passphrase-3"
NAMES = {"en": "Amina Diallo", "ar": "ليلى عبد الرحمن"}


def _(language, message, **values):
    with translation.override(language):
        text = gettext(message)
    return text % values if values else text


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


def course_in(language):
    """A live one-module course of one hour, translated when ``language`` is not English."""
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    tree.course.estimated_hours = 1
    tree.course.save_revision().publish()
    if language != "en":
        course = factories.translate(tree.course, language, title="الأدلة الإلكترونية")
        module = factories.translate(tree.modules[0], language, title="الوحدة الأولى")
        tree.course.refresh_from_db()
        return tree, course, module
    return tree, tree.course, tree.modules[0]


def completion(tree, language):
    user = named(factories.make_user(f"holder-{language}@example.org"), NAMES[language])
    return certificates.issue_certificate(user, tree.course.translation_key, language)


def fields_on(tab):
    """{label: value} of the verify page's list of printed fields."""
    return tab.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.certificate-fields dt')]
            .map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"""
    )


def first_heading(tab):
    return tab.locator("h1").first.inner_text().strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_study_time_and_the_attended_workshop_read_in_words(
    open_phone, live_server, all_locales, language
):
    tree, course, _module = course_in(language)
    holder = completion(tree, language)
    workshop = make_workshop(
        tree,
        make_instructor(),
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 5),
        venue="Judicial Training Centre, Hanoi",
        language=language,
    )
    # Seven sessions over three days; the participant attends five of them: 3 + 3 + 3 + 3 h
    # and one of 45 minutes.
    slots = [(time(9), time(12)), (time(13), time(16))]
    sessions = [
        Session.objects.create(workshop=workshop, date=day, starts_at=start, ends_at=end)
        for day in (date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5))
        for start, end in slots
    ]
    sessions.append(
        Session.objects.create(
            workshop=workshop, date=date(2026, 3, 5), starts_at=time(16), ends_at=time(16, 45)
        )
    )
    participant = named(factories.make_user(f"attendee-{language}@example.org"), "Trần Văn Minh")
    Participant.objects.create(workshop=workshop, user=participant, source="code")
    for session in [*sessions[:4], sessions[-1]]:
        Attendance.objects.create(session=session, user=participant, method="list")
    attended = certificates.issue_certificate(
        participant, workshop.course_key, language, CertificateKind.ATTENDANCE, workshop=workshop
    )
    base = live_server.url
    tab = open_phone(language)

    tab.goto(f"{base}/{language}/verify/{holder.code}/")
    fields = fields_on(tab)
    one_hour = in_language(language, durations.duration_text, 1)
    assert fields[_(language, "Study time")] == one_hour
    if language == "en":
        assert one_hour == "1 hour"

    tab.goto(f"{base}/{language}/verify/{attended.code}/")
    fields = fields_on(tab)
    assert fields[_(language, "Workshop dates")] == in_language(
        language, certificates.workshop_dates, attended
    )
    place = in_language(language, pgettext, "where a workshop was held", "Place")
    assert fields[place] == "Judicial Training Centre, Hanoi"
    assert fields[_(language, "Time attended")] == in_language(
        language, durations.duration_text, 12.75
    )
    assert _(language, "Study time") not in fields
    if language == "en":
        assert fields["Workshop dates"] == "March 3, 2026 to March 5, 2026"
        assert fields["Time attended"] == "12 hours 45 minutes"
    assert fits_the_screen(tab), overflow(tab)
    keep_screenshot(tab, f"item-14-attendance-{language}")

    # The machine-readable twin states the same.
    tab.goto(f"{base}/{language}/verify/{attended.code}.json")
    data = tab.evaluate("() => JSON.parse(document.body.innerText)")
    assert data["workshop_first_day"] == "2026-03-03" and data["workshop_last_day"] == "2026-03-05"
    assert data["venue"] == "Judicial Training Centre, Hanoi"
    assert data["attended_hours"] == "12.75"


@pytest.fixture
def demo_site(monkeypatch, tmp_path, live_server, settings):
    """The demo, loaded with the live server as the public address."""
    from courses import demo

    settings.SITE_URL = live_server.url
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()


@pytest.mark.parametrize(
    ("language", "holder"), [("en", "learner@example.org"), ("ar", "judge@example.org")]
)
def test_the_demo_certificate_names_who_stands_behind_it(
    open_phone, live_server, demo_site, language, holder
):
    certificate = Certificate.objects.get(user__email=holder)
    assert certificate.language == language
    base = live_server.url
    tab = open_phone(language)
    tab.goto(f"{base}/{language}/verify/{certificate.code}/")

    fields = fields_on(tab)
    issuer = getattr(demo_issuer.ISSUER, language)
    assert fields[_(language, "Issuer")] == issuer
    assert fields[_(language, "Issuer’s website")] == f"{base}/"
    assert fields[_(language, "Contact the issuer")] == demo_issuer.CONTACT
    contact = tab.locator(".issuer-email a")
    assert contact.get_attribute("href") == f"mailto:{demo_issuer.CONTACT}"
    assert fits_the_screen(tab), overflow(tab)
    keep_screenshot(tab, f"item-15-issuer-{language}")

    tab.goto(f"{base}/{language}/verify/{certificate.code}.json")
    data = tab.evaluate("() => JSON.parse(document.body.innerText)")
    assert data["issuer"] == issuer
    assert data["issuer_url"] == f"{base}/"
    assert data["issuer_email"] == demo_issuer.CONTACT

    # The issuer's website is a way on, not a dead end.
    tab.goto(f"{base}/{language}/verify/{certificate.code}/")
    tab.locator(".issuer-url a").click()
    tab.wait_for_load_state()
    assert tab.url.rstrip("/").startswith(base)
    assert tab.locator("h1").count() >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_uploaded_pdf_s_verdict_is_the_first_thing_on_the_page(
    open_phone, live_server, all_locales, language, tmp_path
):
    tree, _course, _module = course_in(language)
    certificate = completion(tree, language)
    issued = tmp_path / "issued.pdf"
    issued.write_bytes(certificate.pdf.open("rb").read())
    # The same certificate with a line added at its end: it still opens, but it is not
    # the file that was issued.
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(issued.read_bytes() + b"\n% edited\n")
    base = live_server.url
    tab = open_phone(language)
    tab.goto(f"{base}/{language}/verify/{certificate.code}/")
    assert first_heading(tab).endswith(_(language, "Valid certificate"))

    tab.locator("#compare-pdf").set_input_files(str(altered))
    tab.get_by_role("button", name=_(language, "Compare"), exact=True).click()
    tab.wait_for_load_state()
    assert first_heading(tab).endswith(
        _(language, "This file is not the certificate that was issued")
    )
    assert "verify-mismatch" in tab.locator(".verify-result").get_attribute("class")
    assert tab.get_by_text(_(language, "Valid certificate"), exact=True).count() == 0
    assert tab.locator("h1").count() == 1
    hashes = tab.locator(".fingerprints .hash").all_inner_texts()
    assert hashes[1] == certificate.pdf_sha256 and hashes[0] != hashes[1]
    assert fits_the_screen(tab), overflow(tab)
    keep_screenshot(tab, f"item-16-mismatch-{language}")

    tab.locator("#compare-pdf").set_input_files(str(issued))
    tab.get_by_role("button", name=_(language, "Compare"), exact=True).click()
    tab.wait_for_load_state()
    assert first_heading(tab).endswith(_(language, "This file is the certificate that was issued"))
    assert "verify-match" in tab.locator(".verify-result").get_attribute("class")
    assert fits_the_screen(tab), overflow(tab)
    keep_screenshot(tab, f"item-16-match-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_addresses_lead_to_the_verify_page_and_the_module(
    open_phone, live_server, all_locales, language, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    tree, _course, module = course_in(language)
    certificate = completion(tree, language)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.pdf.open("rb").read())
    printed = decode_qr(rasterise(path, tmp_path, dpi=200))
    assert printed == f"{live_server.url}/c/{certificate.code}".upper()

    # The QR code's address, as a phone camera opens it, in the phone's language.
    tab = open_phone(language)
    tab.goto(printed)
    tab.wait_for_load_state()
    assert re.search(rf"/{language}/verify/{certificate.code}/$", tab.url), tab.url
    assert first_heading(tab).endswith(_(language, "Valid certificate"))
    keep_screenshot(tab, f"item-17-from-the-qr-code-{language}")

    # The address in the handout's footer leads back to the module.
    tab.goto(f"{live_server.url}{module.url}")
    with tab.expect_download() as download:
        tab.locator(".handout a").click()
    text = pdf_text(download.value.path().read_bytes(), tmp_path)
    footer = re.search(r"https?://\S+", text).group(0)
    assert footer.startswith(live_server.url), footer
    tab.goto(footer)
    tab.wait_for_load_state()
    assert first_heading(tab) == module.title
    assert fits_the_screen(tab), overflow(tab)
