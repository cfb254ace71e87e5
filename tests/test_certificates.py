"""Certificates: issued on completion, verified by anyone, revoked by staff with a reason."""

import hashlib
import json
import threading
import time
from http import HTTPStatus
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import pytest

from courses import certificates, codes
from courses.credentials import dataintegrity, did, offline, statuslist
from courses.models import Certificate, CertificateEvent, CertificateTemplate
from courses.models.learners import profile_for
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
    client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
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
        assert "This file is NOT the PDF that was issued" in html

    def test_lookups_are_rate_limited_per_address(self, client, completed, settings):
        settings.VERIFY_RATE_LIMIT = 3
        for _ in range(3):
            assert client.get(f"/en/verify/{completed.code}/").status_code == HTTPStatus.OK
        response = client.get(f"/en/verify/{completed.code}/")
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert client.get(f"/en/verify/{completed.code}.json").json() == {"status": "rate_limited"}
        other = client.get(f"/en/verify/{completed.code}/", REMOTE_ADDR="10.0.0.9")
        assert other.status_code == HTTPStatus.OK


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
        credential = tmp_path / "credential.json"
        credential.write_text(
            client.get(f"/en/verify/{completed.code}/credential.json").content.decode()
        )
        did_document = tmp_path / "did.json"
        did_document.write_text(client.get("/.well-known/did.json").content.decode())
        status = tmp_path / "status.json"
        status.write_text(client.get("/credentials/status/1").content.decode())
        verdict = offline.verify_file(credential, did_document, status)
        assert verdict.state == "valid", verdict.message
        certificates.revoke(completed, None, "Fraud.")
        status.write_text(client.get("/credentials/status/1").content.decode())
        assert offline.verify_file(credential, did_document, status).state == "revoked"

    def test_the_did_document_lists_the_current_and_retired_keys(self, client, settings):
        retired = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ3"
        settings.CERTIFICATE_OLD_PUBLIC_KEYS = [retired]
        document = client.get("/.well-known/did.json").json()
        assert document["id"] == "did:web:testserver"
        keys = [method["publicKeyMultibase"] for method in document["verificationMethod"]]
        assert keys[0] == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" and retired in keys


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

    def test_completion_stands_and_the_dashboard_issues_once_a_key_is_there(
        self, no_key, client, learner, small
    ):
        from courses.models import Enrolment

        client.force_login(named(learner))
        response = client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
        assert response.status_code == HTTPStatus.FOUND
        assert Enrolment.objects.get(user=learner).completed_at is not None
        assert not Certificate.objects.exists()
        no_key.CERTIFICATE_SIGNING_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        html = client.get("/en/learning/").content.decode()
        certificate = Certificate.objects.get(user=learner)
        assert f"/en/verify/{certificate.code}/" in html

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
