"""What a certificate states beyond the name (issue 19, items 14-17): durations in words with
their plural forms, the workshop's days, place and hours on attendance certificates, who
stands behind the certificate, and addresses that come from SITE_URL alone."""

import json
from datetime import date, time, timedelta
from decimal import Decimal
from http import HTTPStatus

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from courses import certificates, durations
from courses.checks import public_site_url
from courses.models import Certificate, CertificateTemplate
from courses.models.certificates import CertificateKind
from courses.models.workshops import Attendance, Participant, Session
from tests import factories
from tests.test_certificates import named
from tests.test_pdf import decode_qr, page_text, rasterise
from tests.test_workshops import make_instructor, make_workshop

pytestmark = pytest.mark.django_db

PUBLIC = "https://academy.example.org"


@pytest.fixture
def small(all_locales):
    return factories.make_tree(modules=1, lessons_per_module=1)


@pytest.fixture
def three_day_workshop(small):
    """Three days, seven sessions (3 h, 3 h, 1 h 30 a day; one more on day 2 of 45 min)."""
    workshop = make_workshop(
        small,
        make_instructor(),
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 5),
        venue="Judicial Training Centre, Hanoi",
    )
    slots = [(time(9), time(12)), (time(13), time(16)), (time(16, 15), time(17, 45))]
    sessions = [
        Session.objects.create(workshop=workshop, date=day, starts_at=start, ends_at=end)
        for day in (date(2026, 3, 3), date(2026, 3, 5))
        for start, end in slots
    ]
    sessions.append(
        Session.objects.create(
            workshop=workshop, date=date(2026, 3, 4), starts_at=time(9), ends_at=time(9, 45)
        )
    )
    return workshop, sessions


def attendee(workshop, sessions, email="attendee@example.org", name="Trần Văn Minh"):
    user = named(factories.make_user(email), name)
    Participant.objects.create(workshop=workshop, user=user, source="code")
    for session in sessions:
        Attendance.objects.create(session=session, user=user, method="list")
    return user


def pdf_of(certificate, tmp_path):
    path = tmp_path / f"{certificate.code}.pdf"
    path.write_bytes(certificate.pdf.open("rb").read())
    return path


def one_line(text):
    return " ".join(text.split())


class TestDurationsInWords:
    @pytest.mark.parametrize(
        ("hours", "words"),
        [
            (1, "1 hour"),
            (Decimal("1.0"), "1 hour"),
            (2, "2 hours"),
            (Decimal("1.5"), "1 hour 30 minutes"),
            (Decimal("0.5"), "30 minutes"),
            (Decimal("0.02"), "1 minute"),
            (Decimal("13.25"), "13 hours 15 minutes"),
            (0, "0 hours"),
        ],
    )
    def test_whole_hours_and_minutes_each_take_their_plural_form(self, hours, words):
        with translation.override("en"):
            assert durations.duration_text(hours) == words

    def test_a_completion_certificate_of_one_hour_says_1_hour(self, client, small, tmp_path):
        small.course.estimated_hours = 1
        small.course.save_revision().publish()
        user = named(factories.make_user())
        certificate = certificates.issue_certificate(user, small.course.translation_key, "en")
        text = one_line(page_text(pdf_of(certificate, tmp_path)))
        assert "Study time: 1 hour " in text + " " and "1 hours" not in text
        page = client.get(f"/en/verify/{certificate.code}/").content.decode()
        assert "1 hour<" in page and "1 hours" not in page


class TestAttendanceCertificates:
    def issue(self, workshop, user):
        return certificates.issue_certificate(
            user, workshop.course_key, "en", CertificateKind.ATTENDANCE, workshop=workshop
        )

    def test_it_records_the_days_the_place_and_the_hours_attended(self, three_day_workshop):
        workshop, sessions = three_day_workshop
        # Six of the seven sessions: 2 × (3 + 3 + 1.5) hours; not the 45 minutes of day 2.
        certificate = self.issue(workshop, attendee(workshop, sessions[:6]))
        assert certificate.workshop_first_day == date(2026, 3, 3)
        assert certificate.workshop_last_day == date(2026, 3, 5)
        assert certificate.venue == "Judicial Training Centre, Hanoi"
        assert certificate.attended_hours == Decimal("15.00")
        # The course's own study time is not what an attendance certificate states.
        assert certificate.hours is None
        subject = certificate.credential["credentialSubject"]
        assert subject["activityStartDate"] == "2026-03-03"
        assert subject["activityEndDate"] == "2026-03-05"

    def test_the_pdf_states_them_in_words(self, three_day_workshop, tmp_path):
        workshop, sessions = three_day_workshop
        certificate = self.issue(workshop, attendee(workshop, sessions))
        text = one_line(page_text(pdf_of(certificate, tmp_path)))
        assert "Workshop dates: March 3, 2026 to March 5, 2026" in text
        assert "Place: Judicial Training Centre, Hanoi" in text
        assert "Time attended: 15 hours 45 minutes" in text
        assert "Study time" not in text and "hours hours" not in text

    def test_the_verify_page_and_its_json_state_them(self, client, three_day_workshop):
        workshop, sessions = three_day_workshop
        certificate = self.issue(workshop, attendee(workshop, sessions[-1:]))
        page = BeautifulSoup(client.get(f"/en/verify/{certificate.code}/").content, "html.parser")
        fields = {
            dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
            for dt in page.select(".certificate-fields dt")
        }
        assert fields["Workshop dates"] == "March 3, 2026 to March 5, 2026"
        assert fields["Place"] == "Judicial Training Centre, Hanoi"
        assert fields["Time attended"] == "45 minutes"
        assert "Study time" not in fields
        data = client.get(f"/en/verify/{certificate.code}.json").json()
        assert data["workshop_first_day"] == "2026-03-03"
        assert data["workshop_last_day"] == "2026-03-05"
        assert data["venue"] == "Judicial Training Centre, Hanoi"
        assert data["attended_hours"] == "0.75" and data["hours"] is None

    def test_a_one_day_workshop_gives_one_date(self, small, tmp_path):
        workshop = make_workshop(
            small, make_instructor(), start_date=date(2026, 3, 3), end_date=date(2026, 3, 3)
        )
        session = Session.objects.create(
            workshop=workshop, date=workshop.start_date, starts_at=time(9), ends_at=time(10)
        )
        certificate = self.issue(workshop, attendee(workshop, [session]))
        text = one_line(page_text(pdf_of(certificate, tmp_path)))
        assert "Workshop dates: March 3, 2026 Time attended: 1 hour " in text + " "
        assert "Place:" not in text  # the workshop names none

    def test_certificates_issued_before_keep_what_they_had(self, client, completed_before):
        page = client.get(f"/en/verify/{completed_before.code}/").content.decode()
        for absent in ("Workshop dates", "Place", "Time attended", "Contact the issuer"):
            assert absent not in page
        data = client.get(f"/en/verify/{completed_before.code}.json").json()
        assert data["venue"] is None and data["issuer_email"] is None
        assert data["issuer"] == "Evidence Academy" and data["hours"] == "2.0"


@pytest.fixture
def completed_before(small):
    """A certificate as issued before these fields existed: they are empty."""
    certificate = certificates.issue_certificate(
        named(factories.make_user()), small.course.translation_key, "en"
    )
    Certificate.objects.filter(pk=certificate.pk).update(issuer_url="", issuer_email="")
    return Certificate.objects.get(pk=certificate.pk)


class TestWhoStandsBehindIt:
    def test_the_template_s_website_and_contact_are_recorded_and_shown(self, client, small):
        CertificateTemplate.objects.create(
            name="Institute",
            issuer_name="Judicial Training Institute",
            issuer_url="https://jti.example.org/",
            issuer_email="registry@jti.example.org",
            locale=small.course.locale,
        )
        certificate = certificates.issue_certificate(
            named(factories.make_user()), small.course.translation_key, "en"
        )
        assert certificate.issuer_url == "https://jti.example.org/"
        assert certificate.issuer_email == "registry@jti.example.org"
        issuer = certificate.credential["issuer"]
        assert issuer["url"] == "https://jti.example.org/"
        assert issuer["email"] == "registry@jti.example.org"
        page = BeautifulSoup(client.get(f"/en/verify/{certificate.code}/").content, "html.parser")
        assert page.select_one(".issuer-name").get_text() == "Judicial Training Institute"
        assert page.select_one(".issuer-url a")["href"] == "https://jti.example.org/"
        assert page.select_one(".issuer-email a")["href"] == "mailto:registry@jti.example.org"
        data = client.get(f"/en/verify/{certificate.code}.json").json()
        assert data["issuer_url"] == "https://jti.example.org/"
        assert data["issuer_email"] == "registry@jti.example.org"

    def test_without_a_template_the_site_itself_is_the_issuer_s_website(self, small, settings):
        settings.SITE_URL = PUBLIC
        certificate = certificates.issue_certificate(
            named(factories.make_user()), small.course.translation_key, "en"
        )
        assert certificate.issuer_url == f"{PUBLIC}/" and certificate.issuer_email == ""

    def test_the_demo_issuer_has_a_logo_signatories_a_colour_and_a_contact(
        self, monkeypatch, tmp_path, django_capture_on_commit_callbacks
    ):
        from courses import demo

        monkeypatch.setenv("DEMO_PASSWORD", factories.PASSWORD)
        monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
        with django_capture_on_commit_callbacks(execute=True):
            demo.load_demo_content()
        templates = {t.locale.language_code: t for t in CertificateTemplate.objects.all()}
        assert set(templates) == {"en", "fr", "ar"}
        english = templates["en"]
        assert english.logo is not None and english.accent_colour != "#1f4e79"
        assert english.issuer_email == "certificates@example.org"
        names = [block.value["name"] for block in english.signatories]
        titles = [block.value["title"] for block in templates["ar"].signatories]
        assert names == ["Jane Example", "Sam Specimen"]
        assert all("تجريبي" in title for title in titles)
        judge = Certificate.objects.get(user__email="judge@example.org")
        assert judge.issuer == templates["ar"].issuer_name
        assert judge.issuer_email == "certificates@example.org"
        # Loading again adds nothing.
        assert "certificate template" not in " ".join(demo.load_demo_content())


class TestTheBaseAddress:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:8000",
            "https://127.0.0.1",
            "https://localhost:8443",
            "https://[::1]",
            "https://academy.localhost",
            "https://0.0.0.0",
            "http://academy.example.org",
            "",
        ],
    )
    def test_the_deploy_check_refuses_a_loopback_or_plain_http_address(self, settings, url):
        settings.SITE_URL = url
        (error,) = public_site_url(None)
        assert error.id == "courses.E002" and "SITE_URL" in error.msg

    def test_the_deploy_check_accepts_the_public_https_address(self, settings):
        settings.SITE_URL = PUBLIC
        assert public_site_url(None) == []

    def test_the_certificate_prints_and_encodes_the_setting(
        self, small, settings, tmp_path, client
    ):
        settings.SITE_URL = PUBLIC
        certificate = certificates.issue_certificate(
            named(factories.make_user()), small.course.translation_key, "en"
        )
        path = pdf_of(certificate, tmp_path)
        expected = f"{PUBLIC}/c/{certificate.code}".upper()
        assert decode_qr(rasterise(path, tmp_path, dpi=200)) == expected
        assert expected in one_line(page_text(path))
        assert certificate.credential["id"] == f"{PUBLIC}/en/verify/{certificate.code}/"
        assert certificate.credential["issuer"]["id"] == "did:web:academy.example.org"
        data = client.get(f"/en/verify/{certificate.code}.json").json()
        assert data["pdf_url"].startswith(f"{PUBLIC}/en/verify/")

    def test_the_handout_footer_prints_the_setting_not_the_site_record(
        self, client, small, settings, tmp_path
    ):
        from tests.test_handout import handout_url, pdf_text

        settings.SITE_URL = PUBLIC
        module = small.modules[0]
        response = client.get(handout_url(module))
        assert response.status_code == HTTPStatus.OK
        text = pdf_text(response.content, tmp_path)
        assert f"{PUBLIC}{module.url}" in text and "localhost" not in text

    def test_the_workshop_join_code_qr_holds_the_setting(self, client, small, settings):
        settings.SITE_URL = PUBLIC
        instructor = make_instructor()
        workshop = make_workshop(small, instructor)
        client.force_login(instructor)
        page = BeautifulSoup(client.get(f"/en/teach/{workshop.pk}/").content, "html.parser")
        caption = page.select_one(".join-qr figcaption a").get_text()
        assert caption.startswith(f"{PUBLIC}/en/join/")


class TestAMismatchingPdfIsTheVerdict:
    @pytest.fixture
    def certificate(self, small):
        return certificates.issue_certificate(
            named(factories.make_user()), small.course.translation_key, "en"
        )

    def upload(self, client, certificate, content):
        pdf = SimpleUploadedFile("certificate.pdf", content, content_type="application/pdf")
        response = client.post(f"/en/verify/{certificate.code}/", {"pdf": pdf})
        return BeautifulSoup(response.content, "html.parser")

    def test_a_wrong_file_turns_the_top_verdict_red(self, client, certificate):
        page = self.upload(client, certificate, b"%PDF-1.7 not the one")
        verdict = page.select_one(".verify-result")
        assert "verify-mismatch" in verdict["class"]
        assert (
            page.find("h1")
            .get_text(strip=True)
            .endswith("This file is not the certificate that was issued")
        )
        assert "Valid certificate" not in page.get_text()
        hashes = [code.get_text() for code in page.select(".fingerprints .hash")]
        assert hashes[1] == certificate.pdf_sha256 and hashes[0] != hashes[1]

    def test_the_right_file_is_a_green_match(self, client, certificate):
        page = self.upload(client, certificate, certificate.pdf.open("rb").read())
        assert "verify-match" in page.select_one(".verify-result")["class"]
        assert (
            page.find("h1")
            .get_text(strip=True)
            .endswith("This file is the certificate that was issued")
        )

    def test_a_matching_file_never_hides_a_revocation(self, client, certificate):
        certificates.revoke(certificate, None, "Issued in error.")
        page = self.upload(client, certificate, certificate.pdf.open("rb").read())
        assert "verify-revoked" in page.select_one(".verify-result")["class"]
        assert page.find("h1").get_text(strip=True).endswith("Revoked certificate")

    def test_no_file_leaves_the_verdict_and_says_what_to_do(self, client, certificate):
        response = client.post(f"/en/verify/{certificate.code}/", {})
        page = BeautifulSoup(response.content, "html.parser")
        assert "verify-valid" in page.select_one(".verify-result")["class"]
        assert page.select_one("[role=alert]").get_text() == "Choose the PDF file to check."


def test_json_keys_are_the_same_for_every_state(client, small):
    certificate = certificates.issue_certificate(
        named(factories.make_user()), small.course.translation_key, "en"
    )
    known = client.get(f"/en/verify/{certificate.code}.json").json()
    unknown = client.get("/en/verify/7KQ2-M9XD-4HFT-X.json").json()
    assert set(known) == set(unknown)
    assert json.dumps(unknown["issuer_url"]) == "null"


def test_a_date_range_is_one_translatable_phrase():
    certificate = Certificate(
        workshop_first_day=date(2026, 3, 3), workshop_last_day=date(2026, 3, 3) + timedelta(2)
    )
    with translation.override("en"):
        assert certificates.workshop_dates(certificate) == "March 3, 2026 to March 5, 2026"
