"""Certificates: issued on completion, verified by anyone, revoked by staff with a reason."""

import hashlib
import json
import threading
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest

from courses import certificates, codes, uploads
from courses.credentials import dataintegrity, did, offline, openbadges, statuslist
from courses.models import Certificate, CertificateEvent, CertificateTemplate
from courses.models.learners import profile_for
from courses.views import verify
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # rate-limit counters and the status list
    yield
    cache.clear()


@pytest.fixture
def small(all_locales):
    return factories.make_tree(modules=1, lessons_per_module=1)


def named(user, name="Nguyễn Thị Lan", country="VN"):
    profile = profile_for(user)
    profile.certificate_name, profile.country, profile.role = name, country, "police"
    profile.save()
    return user


@pytest.fixture
def completed(client, learner, small):
    """A learner who has just completed the one-lesson course through the site."""
    named(learner)
    client.force_login(learner)
    factories.opened(learner, small.lessons[0])  # an hour ago: the lesson has been read
    client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
    factories.run_tasks()  # the certificate is made by a task (courses/certificates.py)
    return Certificate.objects.get(user=learner)


def verifies(credential):
    resolver = did.public_key_resolver(certificates.did_document())
    return dataintegrity.verify(credential, resolver)


class TestIssuing:
    def test_completing_a_course_issues_a_certificate_of_what_was_printed(self, completed, small):
        certificate = completed
        assert certificate.kind == "completion" and certificate.is_valid
        assert certificate.name == "Nguyễn Thị Lan"
        assert certificate.course_title == small.course.title
        assert certificate.language == "en" and certificate.hours == 2
        assert certificate.issuer == "Evidence Academy"
        content = certificate.pdf.read()
        assert content.startswith(b"%PDF") and len(content) < 150_000
        assert hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
        assert codes.normalise(certificate.code) == certificate.code
        events = list(certificate.events.values_list("action", flat=True))
        assert events == ["issued"]

    def test_the_signed_credential_verifies_and_any_change_breaks_it(self, completed):
        credential = completed.credential
        assert verifies(credential).ok
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["credentialStatus"]["statusListIndex"] == str(completed.status_index)
        forged = json.loads(
            json.dumps(credential, ensure_ascii=False).replace("Nguyễn Thị Lan", "Someone Else")
        )
        assert forged != credential
        assert not verifies(forged).ok

    def test_one_certificate_however_often_completion_is_checked(self, completed, learner, small):
        again = certificates.issue_certificate(learner, small.course.translation_key, "en")
        assert again.pk == completed.pk
        assert Certificate.objects.count() == 1 and CertificateEvent.objects.count() == 1

    def test_courses_without_certificates_issue_none(self, client, learner, small):
        small.course.certificates_enabled = False
        small.course.save_revision().publish()
        client.force_login(learner)
        client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
        assert not Certificate.objects.exists()

    def test_a_course_template_sets_issuer_and_wording_per_language(self, learner, small):
        CertificateTemplate.objects.create(
            name="Course template",
            course=small.course,
            issuer_name="Judicial Training Institute",
            preamble="We hereby certify that",
            locale=small.course.locale,
        )
        certificate = certificates.issue_certificate(
            named(learner), small.course.translation_key, "en"
        )
        assert certificate.issuer == "Judicial Training Institute"
        assert certificate.credential["issuer"]["name"] == "Judicial Training Institute"

    def test_the_dashboard_links_the_pdf_the_verify_page_and_the_credential(
        self, client, completed
    ):
        html = client.get("/en/learning/").content.decode()
        for name in ("verify_pdf", "verify_code", "verify_credential"):
            assert f"/en/verify/{completed.code}/" in html, name
        assert f"/en/verify/{completed.code}/certificate.pdf" in html
        assert f"/en/verify/{completed.code}/credential.json" in html
        response = client.get(f"/en/verify/{completed.code}/certificate.pdf")
        assert response.status_code == HTTPStatus.OK
        assert b"".join(response.streaming_content) == completed.pdf.open("rb").read()


class TestVerifyPage:
    def test_valid_shows_every_printed_field_and_the_hash(self, client, completed):
        response = client.get(f"/en/verify/{completed.code}/")
        html = response.content.decode()
        assert "Valid certificate" in html and "Revoked" not in html
        for text in ("Nguyễn Thị Lan", completed.course_title, completed.pdf_sha256):
            assert text in html
        assert codes.grouped(completed.code) in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_revoked_says_so_in_red_with_date_and_reason_and_never_valid(self, client, completed):
        certificates.revoke(completed, None, "Issued to the wrong person.")
        html = client.get(f"/en/verify/{completed.code}/").content.decode()
        assert "Revoked certificate" in html and "verify-revoked" in html
        assert "Issued to the wrong person." in html
        assert "Valid certificate" not in html
        assert client.get(f"/en/verify/{completed.code}/certificate.pdf").status_code == 404

    def test_unknown_and_malformed_codes_are_not_found(self, client, completed):
        unknown = codes.new_code()
        for code in (unknown, "NOT-A-CODE"):
            html = client.get(f"/en/verify/{code}/").content.decode()
            assert "Certificate not found" in html and "Valid certificate" not in html

    def test_a_code_typed_in_lower_case_without_a_dash_finds_it(self, client, completed):
        typed = codes.grouped(completed.code).lower().replace("-", "", 1)
        response = client.get("/en/verify/", {"code": typed})
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"/en/verify/{completed.code}/"
        assert "Valid certificate" in client.get(response.url).content.decode()

    def test_the_page_speaks_the_visitors_language(self, client, completed):
        html = client.get(f"/fr/verify/{completed.code}/").content.decode()
        assert 'lang="fr"' in html and "Nguyễn Thị Lan" in html

    def test_the_short_link_goes_to_the_browsers_language(self, client, completed):
        response = client.get(f"/c/{completed.code}", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
        assert response.url == f"/ar/verify/{completed.code}/"
        upper = client.get(f"/C/{completed.code}", HTTP_ACCEPT_LANGUAGE="es")
        assert upper.url == f"/es/verify/{completed.code}/"

    def test_the_json_twin_has_one_shape_for_every_state(self, client, completed):
        valid = client.get(f"/en/verify/{completed.code}.json").json()
        missing = client.get(f"/en/verify/{codes.new_code()}.json").json()
        certificates.revoke(completed, None, "Fraud.")
        revoked = client.get(f"/en/verify/{completed.code}.json").json()
        assert (valid["status"], revoked["status"], missing["status"]) == (
            "valid",
            "revoked",
            "not_found",
        )
        assert set(valid) == set(revoked) == set(missing)
        assert valid["name"] == "Nguyễn Thị Lan" and valid["pdf_sha256"] == completed.pdf_sha256
        assert revoked["revocation_reason"] == "Fraud." and revoked["pdf_url"] is None
        assert missing["name"] is None

    def test_an_uploaded_pdf_is_compared_with_the_issued_one(self, client, completed):
        same = SimpleUploadedFile("c.pdf", completed.pdf.open("rb").read(), "application/pdf")
        html = client.post(f"/en/verify/{completed.code}/", {"pdf": same}).content.decode()
        assert "This file is exactly the PDF that was issued." in html
        edited = SimpleUploadedFile("c.pdf", b"%PDF-1.4 edited", "application/pdf")
        html = client.post(f"/en/verify/{completed.code}/", {"pdf": edited}).content.decode()
        assert "This file is not the certificate that was issued" in html

    def test_an_oversized_upload_is_refused_before_any_of_it_is_read(self, client, completed):
        body = factories.RequestBody(allowed=0)
        declared = verify.MAX_UPLOAD + uploads.FORM_OVERHEAD + 1
        response = factories.post_body(client, f"/en/verify/{completed.code}/", body, declared)
        html = response.content.decode()
        assert "That file is too large to be one of our certificates." in html
        assert "Valid certificate" in html and body.taken == 0

    def test_an_upload_that_grows_past_the_cap_is_cut_off_there(self, client, completed):
        # It declares a length the form may have, but the file itself is longer than the cap.
        body = factories.RequestBody(factories.file_part("pdf", "c.pdf"), endless=True)
        declared = verify.MAX_UPLOAD + uploads.FORM_OVERHEAD
        response = factories.post_body(client, f"/en/verify/{completed.code}/", body, declared)
        assert "That file is too large to be one of our certificates." in response.content.decode()

    def test_comparing_a_pdf_still_needs_the_forms_csrf_token(self, completed):
        browser = Client(enforce_csrf_checks=True)
        url = f"/en/verify/{completed.code}/"
        pdf = completed.pdf.open("rb").read()
        forged = browser.post(url, {"pdf": SimpleUploadedFile("c.pdf", pdf)})
        assert forged.status_code == HTTPStatus.FORBIDDEN
        browser.get(url)
        token = browser.cookies["csrftoken"].value
        sent = browser.post(
            url, {"csrfmiddlewaretoken": token, "pdf": SimpleUploadedFile("c.pdf", pdf)}
        )
        assert "This file is exactly the PDF that was issued." in sent.content.decode()

    def test_lookups_are_rate_limited_per_address(self, client, completed, settings):
        settings.VERIFY_RATE_LIMIT = 3
        for _ in range(3):
            assert client.get(f"/en/verify/{completed.code}/").status_code == HTTPStatus.OK
        response = client.get(f"/en/verify/{completed.code}/")
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert client.get(f"/en/verify/{completed.code}.json").json() == {"status": "rate_limited"}
        other = client.get(f"/en/verify/{completed.code}/", REMOTE_ADDR="10.0.0.9")
        assert other.status_code == HTTPStatus.OK


def download_for_offline(client, certificate, folder):
    """What a verifier saves for offline checks: the credential, DID document and status list."""
    downloads = {
        "credential.json": f"/en/verify/{certificate.code}/credential.json",
        "did.json": "/.well-known/did.json",
        "status.json": "/credentials/status/1",
    }
    paths = []
    for name, url in downloads.items():
        path = folder / name
        path.write_text(client.get(url).content.decode())
        paths.append(path)
    return paths


class TestRevocation:
    @pytest.fixture
    def staff(self, client, settings):
        settings.REQUIRE_ADMIN_MFA = False
        user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
        return user

    def test_staff_revoke_with_a_reason_and_the_log_says_who(self, client, completed, staff):
        client.force_login(staff)
        url = f"/admin/certificates/{completed.pk}/revoke/"
        client.post(url, {"reason": "  "})
        completed.refresh_from_db()
        assert completed.is_valid  # no reason, no change
        client.post(url, {"reason": "Exam fraud established."})
        completed.refresh_from_db()
        assert (
            completed.status == "revoked"
            and completed.revocation_reason == "Exam fraud established."
        )
        event = completed.events.get(action="revoked")
        assert event.by == staff and event.reason == "Exam fraud established."
        html = client.get(f"/admin/certificates/{completed.pk}/").content.decode()
        assert "editor@example.org" in html and "Exam fraud established." in html
        assert Certificate.objects.filter(pk=completed.pk).exists()  # never deleted

    def test_learners_cannot_revoke(self, client, completed, learner):
        client.force_login(learner)
        client.post(f"/admin/certificates/{completed.pk}/revoke/", {"reason": "mine"})
        completed.refresh_from_db()
        assert completed.is_valid

    def test_the_signed_status_list_marks_exactly_the_revoked(self, client, completed, small):
        other = certificates.issue_certificate(
            named(factories.make_user("b@example.org"), "Иван Петров"),
            small.course.translation_key,
            "en",
        )
        certificates.revoke(completed, None, "Fraud.")
        status = client.get("/credentials/status/1").json()
        assert verifies(status).ok
        bits = statuslist.decode(status["credentialSubject"]["encodedList"])
        assert len(bits) * 8 >= statuslist.LIST_SIZE
        assert statuslist.is_set(bits, completed.status_index)
        assert not statuslist.is_set(bits, other.status_index)

    def test_offline_verification_says_valid_then_revoked(self, client, completed, tmp_path):
        credential, did_document, status = download_for_offline(client, completed, tmp_path)
        verdict = offline.verify_file(credential, did_document, status)
        assert verdict.state == "valid", verdict.message
        certificates.revoke(completed, None, "Fraud.")
        status.write_text(client.get("/credentials/status/1").content.decode())
        assert offline.verify_file(credential, did_document, status).state == "revoked"

    def test_an_old_list_kept_from_before_a_revocation_never_says_valid(
        self, client, completed, tmp_path
    ):
        # The review's reproduction: keep the list downloaded before the revocation, revoke,
        # and check offline once that copy's window has passed.
        credential, did_document, old_copy = download_for_offline(client, completed, tmp_path)
        certificates.revoke(completed, None, "Fraud.")

        two_days_later = datetime.now(UTC) + timedelta(days=2)
        verdict = offline.verify_file(credential, did_document, old_copy, now=two_days_later)
        assert verdict.state not in (offline.VALID, offline.INVALID), verdict.message
        assert (verdict.state, verdict.exit_code) == (offline.STATUS_UNKNOWN, 4)
        assert "http://testserver/credentials/status/1" in verdict.message

        old_copy.write_text(client.get("/credentials/status/1").content.decode())
        assert offline.verify_file(credential, did_document, old_copy).state == offline.REVOKED

    def test_the_did_document_lists_the_current_and_retired_keys(self, client, settings):
        retired = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ3"
        settings.CERTIFICATE_OLD_PUBLIC_KEYS = [retired]
        document = client.get("/.well-known/did.json").json()
        assert document["id"] == "did:web:testserver"
        keys = [method["publicKeyMultibase"] for method in document["verificationMethod"]]
        assert keys[0] == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" and retired in keys


class TestStatusListWindow:
    """The published list is valid for STATUS_LIST_VALIDITY and never served near its end."""

    def test_the_published_list_is_valid_for_the_configured_window(self, client, settings):
        settings.STATUS_LIST_VALIDITY = timedelta(hours=48)
        status = client.get("/credentials/status/1").json()
        assert verifies(status).ok
        valid_from = datetime.fromisoformat(status["validFrom"])
        valid_until = datetime.fromisoformat(status["validUntil"])
        assert valid_from <= datetime.now(UTC) < valid_until
        assert valid_until - valid_from == timedelta(hours=48)
        assert status["credentialSubject"]["ttl"] == 48 * 3600 * 1000

    def test_http_caches_may_keep_it_minutes_and_never_serve_it_stale(self, client):
        response = client.get("/credentials/status/1")
        directives = {
            part.strip().split("=")[0]: part.strip().partition("=")[2]
            for part in response["Cache-Control"].split(",")
        }
        assert "public" in directives and "must-revalidate" in directives
        assert 0 < int(directives["max-age"]) <= certificates.STATUS_LIST_MAX_AGE
        assert "Expires" in response

    def test_the_http_max_age_never_reaches_past_valid_until(self):
        credential = {"validUntil": "2026-11-24T10:00:00Z"}
        until = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        assert certificates.status_list_max_age(credential, until - timedelta(hours=5)) == 300
        assert certificates.status_list_max_age(credential, until - timedelta(seconds=60)) == 60
        assert certificates.status_list_max_age(credential, until + timedelta(seconds=1)) == 0

    def test_the_cached_list_is_re_signed_after_a_quarter_of_its_window(self, settings):
        settings.STATUS_LIST_VALIDITY = timedelta(hours=24)
        start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        first = certificates.status_list_credential(now=start)
        assert certificates.status_list_credential(now=start + timedelta(hours=5)) == first
        later = start + timedelta(hours=6, seconds=1)
        resigned = certificates.status_list_credential(now=later)
        assert resigned["validFrom"] == "2026-11-23T16:00:01Z"
        assert resigned["validUntil"] == "2026-11-24T16:00:01Z"
        assert verifies(resigned).ok

    def test_a_copy_signed_in_the_future_is_not_served(self):
        # A shared cache may hold a copy from a server whose clock runs ahead.
        start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        certificates.status_list_credential(now=start + timedelta(hours=1))
        served = certificates.status_list_credential(now=start)
        assert served["validFrom"] == "2026-11-23T10:00:00Z"

    def test_a_revocation_re_signs_the_list_at_once(self, completed):
        start = datetime.now(UTC)
        before = certificates.status_list_credential(now=start)
        certificates.revoke(completed, None, "Fraud.")
        after = certificates.status_list_credential(now=start + timedelta(minutes=1))
        bits = statuslist.decode(after["credentialSubject"]["encodedList"])
        assert after != before and statuslist.is_set(bits, completed.status_index)

    def test_a_window_under_an_hour_is_refused(self, settings):
        settings.STATUS_LIST_VALIDITY = timedelta(minutes=5)
        with pytest.raises(ImproperlyConfigured, match="STATUS_LIST_VALIDITY"):
            certificates.status_list_credential()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locking between connections; .ci/run runs it on PostgreSQL",
)
def test_two_racing_completions_issue_one_certificate(all_locales, learner, monkeypatch):
    """The first issuance holds its transaction open after building the certificate; the
    second, started meanwhile, must wait and then find it instead of issuing another."""
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    named(learner)
    first_built = threading.Event()
    build = certificates.build

    def slow_build(*args, **kwargs):
        certificate = build(*args, **kwargs)
        if threading.current_thread().name == "first":
            first_built.set()
            time.sleep(1)
        return certificate

    monkeypatch.setattr(certificates, "build", slow_build)
    issued = {}

    def racer():
        name = threading.current_thread().name
        if name == "second":
            first_built.wait(5)
        issued[name] = certificates.issue_certificate(learner, tree.course.translation_key, "en").pk
        connection.close()

    factories.run_in_threads(racer, "first", "second")
    assert Certificate.objects.filter(user=learner).count() == 1
    assert issued["first"] == issued["second"]


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("ليلى عبد الرحمن", "ar"),
        ("Nguyễn Thị Lan", "en"),
        ("王小明", "en"),
        ("Иван Петров", "en"),
        ("سارة Smith", "en"),
    ],
)
def test_the_issued_pdf_prints_the_name_and_its_qr_code_answers_valid(
    client, learner, small, tmp_path, name, language
):
    """Through the whole chain: issue, print, scan the QR code, open it, read "valid"."""
    from tests.test_pdf import decode_qr, page_text, rasterise

    small.course.copy_for_translation(factories.locale("ar"), copy_parents=True).save()
    certificate = certificates.issue_certificate(
        named(learner, name), small.course.translation_key, language
    )
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.pdf.open("rb").read())
    assert name.split()[0] in page_text(path) or name in page_text(path)
    scanned = decode_qr(rasterise(path, tmp_path))
    assert scanned == certificates.short_verify_url(certificate.code)
    response = client.get(urlsplit(scanned).path, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    html = response.content.decode()
    assert "verify-valid" in html and name in html


class TestPrintedName:
    """The verify page, the PDF and the signed credential show one string: the stored name."""

    def test_a_decomposed_name_is_stored_composed_and_shown_alike_everywhere(
        self, client, learner, small, tmp_path
    ):
        from tests.test_pdf import run, tool

        composed = "Trần Thị Ngọc Ánh"
        decomposed = unicodedata.normalize("NFD", composed)
        assert decomposed != composed
        # Written straight to the profile, as names saved before the rule were.
        certificate = certificates.issue_certificate(
            named(learner, decomposed), small.course.translation_key, "en"
        )
        assert certificate.name == composed

        page = client.get(f"/en/verify/{certificate.code}/").content.decode()
        credential = client.get(f"/en/verify/{certificate.code}/credential.json").json()
        assert verifies(credential).ok
        tool("pdftotext", "poppler-utils")
        path = tmp_path / "certificate.pdf"
        path.write_bytes(certificate.pdf.open("rb").read())
        printed = run(["pdftotext", str(path), "-"])
        assert openbadges.recipient_name(credential) == composed
        for shown in (page, printed):
            assert composed in shown and decomposed not in shown

    def test_a_stored_name_that_breaks_the_rule_is_never_printed(self, client, learner, small):
        # Saved before the rule existed: browsers show "Ahmed Mister", the PDF "Ahmed retsiM".
        named(learner, "Ahmed \u202eretsiM", country="EG")
        key = small.course.translation_key
        with pytest.raises(certificates.CertificateError, match=r"U\+202E.*Correct the name"):
            certificates.issue_certificate(learner, key, "en")
        assert certificates.issue_safely(learner, key, "en") is None
        assert not Certificate.objects.exists()

        client.force_login(learner)
        client.post("/en/profile/edit/", {"certificate_name": "Ahmed Mister", "country": "EG"})
        assert certificates.issue_certificate(learner, key, "en").name == "Ahmed Mister"


class TestWithoutASigningKey:
    @pytest.fixture
    def no_key(self, settings, tmp_path):
        settings.CERTIFICATE_SIGNING_KEY = ""
        settings.CERTIFICATE_CREATE_KEY = False
        settings.CERTIFICATE_KEY_FILE = str(tmp_path / "missing.pem")
        return settings

    def test_the_deploy_check_says_what_is_missing(self, no_key):
        from courses.checks import certificate_signing_key

        (error,) = certificate_signing_key(None)
        assert error.id == "courses.E001" and "CERTIFICATE_SIGNING_KEY" in error.msg
        no_key.CERTIFICATE_SIGNING_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        assert certificate_signing_key(None) == []

    def test_completion_stands_and_the_retry_issues_once_a_key_is_there(
        self, no_key, client, learner, small
    ):
        from django_tasks_db.models import DBTaskResult

        from courses.models import Enrolment

        client.force_login(named(learner))
        factories.opened(learner, small.lessons[0])
        response = client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
        assert response.status_code == HTTPStatus.FOUND
        assert Enrolment.objects.get(user=learner).completed_at is not None
        assert factories.run_tasks() == 1  # the first attempt fails: no key
        assert not Certificate.objects.exists()
        html = client.get("/en/learning/").content.decode()
        assert "Your certificate is being prepared." in html
        no_key.CERTIFICATE_SIGNING_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # it is due
        assert factories.run_tasks() == 1
        html = client.get("/en/learning/").content.decode()
        certificate = Certificate.objects.get(user=learner)
        assert f"/en/verify/{certificate.code}/" in html and "being prepared" not in html

    def test_development_makes_its_own_key_file(self, no_key, tmp_path):
        no_key.CERTIFICATE_CREATE_KEY = True
        key = certificates.signing_key()
        path = tmp_path / "missing.pem"
        assert path.exists() and path.stat().st_mode & 0o077 == 0
        assert certificates.signing_key().public_key().public_bytes_raw() == (
            key.public_key().public_bytes_raw()
        )


class TestTemplates:
    def test_editors_manage_templates_as_snippets(self, client, settings, small):
        settings.REQUIRE_ADMIN_MFA = False
        client.force_login(factories.make_user("ed@example.org", is_staff=True, is_superuser=True))
        template = CertificateTemplate.objects.create(
            name="Site-wide", issuer_name="Evidence Academy", locale=small.course.locale
        )
        listing = client.get("/admin/snippets/courses/certificatetemplate/")
        assert listing.status_code == HTTPStatus.OK and "Site-wide" in listing.content.decode()
        edit = client.get(f"/admin/snippets/courses/certificatetemplate/edit/{template.pk}/")
        assert edit.status_code == HTTPStatus.OK

    def test_a_template_translated_with_wagtail_localize_words_the_arabic_certificate(
        self, learner, small
    ):
        from wagtail_localize.models import Translation, TranslationSource

        english = CertificateTemplate.objects.create(
            name="Site-wide",
            issuer_name="National Judicial Academy",
            preamble="This certifies that",
            locale=small.course.locale,
        )
        arabic_course = small.course.copy_for_translation(factories.locale("ar"), copy_parents=True)
        arabic_course.title = "الأدلة الإلكترونية"
        arabic_course.save_revision().publish()
        source, _created = TranslationSource.get_or_create_from_instance(english)
        translation = Translation.objects.create(
            source=source, target_locale=factories.locale("ar")
        )
        po = translation.export_po()
        for entry in po:
            entry.msgstr = {
                "National Judicial Academy": "الأكاديمية القضائية الوطنية",
                "This certifies that": "تُمنح هذه الشهادة إلى",
            }.get(entry.msgid, entry.msgid)
        translation.import_po(po)
        translation.save_target()
        certificate = certificates.issue_certificate(
            named(learner, "ليلى عبد الرحمن"), small.course.translation_key, "ar"
        )
        assert certificate.language == "ar" and certificate.course_title == "الأدلة الإلكترونية"
        assert certificate.issuer == "الأكاديمية القضائية الوطنية"
