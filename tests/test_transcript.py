"""The learner's transcript: every course with its status, hours, scores and certificates, as a
page and a PDF; sharing a valid certificate on LinkedIn and to a wallet; nobody else's records."""

import html
import json
import re
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache
from django.test import Client

import pytest

from courses import certificates, codes
from courses.models import Certificate
from courses.models.learners import profile_for
from tests import factories
from tests.test_certificates import verifies
from tests.test_handout import pdf_text

pytestmark = pytest.mark.django_db

TRANSCRIPT = "/en/learning/transcript/"
TRANSCRIPT_PDF = "/en/learning/transcript.pdf"
HOSTILE_TITLE = 'Preuve & "chaîne" #1 <b>— الأدلة الرقمية'


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # rate-limit counters, the page tree, the status list
    yield
    cache.clear()


def named(user, name):
    profile = profile_for(user)
    profile.certificate_name, profile.country = name, "SN"
    profile.save()
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def true_false(question_id="tf"):
    return [factories.true_false("Hash every copy?", True, question_id)]


def with_quizzes(tree):
    """A pre-test for the course and a quiz that counts for its first module."""
    tree.pre_test = factories.make_quiz(tree.course, true_false(), kind="pre")
    tree.quiz = factories.make_quiz(tree.modules[0], true_false(), kind="module")
    return tree


def another_course(course, title, slug, lessons=1):
    return with_quizzes(
        factories.make_tree(
            modules=1, lessons_per_module=lessons, home=course.home, title=title, slug=slug
        )
    )


@pytest.fixture
def course(all_locales):
    """One module of one lesson and a module quiz, with a pre-test: the course's first."""
    return with_quizzes(factories.make_tree(modules=1, lessons_per_module=1))


def complete(client, user, tree):
    """The learner takes the pre-test (all wrong), reads the lesson and passes the module
    quiz: the course is complete and its certificate made."""
    factories.submit_attempt(user, tree.pre_test, {"q:tf": "false"})
    factories.opened(user, *tree.lessons)
    for lesson in tree.lessons:
        client.post(f"/en/progress/lessons/{lesson.pk}/complete/")
    factories.submit_attempt(user, tree.quiz, {"q:tf": "true"})
    factories.run_tasks()
    return Certificate.objects.get(user=user, course_key=tree.course.translation_key)


@pytest.fixture
def holder(learner, course):
    """A learner who completed the course: (client, certificate)."""
    named(learner, "Amina Diallo")
    client = signed_in(learner)
    return client, complete(client, learner, course)


def sharing_links(page_html, css_class):
    return [
        html.unescape(href)
        for href in re.findall(rf'<a class="{css_class}" href="([^"]+)"', page_html)
    ]


class TestTranscriptPage:
    def test_lists_each_course_with_its_status_hours_and_scores(
        self, client, learner, course, holder
    ):
        client, certificate = holder
        started = another_course(course, "Seizing phones", "s", lessons=2)
        factories.opened(learner, started.lessons[0])
        client.post(f"/en/progress/lessons/{started.lessons[0].pk}/complete/")
        untouched = another_course(course, "Cloud data", "c")
        client.post(f"/en/progress/courses/{untouched.course.pk}/start/")
        response = client.get(TRANSCRIPT)
        assert response.status_code == HTTPStatus.OK
        assert "private" in response["Cache-Control"]
        page = response.content.decode()
        sections = re.findall(r'<section class="card transcript-course".*?</section>', page, re.S)
        by_title = {
            title: next(section for section in sections if title in section)
            for title in ("Handling digital evidence", "Seizing phones", "Cloud data")
        }
        done = by_title["Handling digital evidence"]
        assert "Status: Completed" in done and "Completed on" in done
        assert "Estimated study time: 2 hours" in done
        assert "Module quiz: best score 100%, passed" in done
        # The pre-test is stored as passed; the transcript never says so.
        assert "Pre quiz (pre-test): 0%" in done
        assert "Pre quiz: best score" not in done
        assert codes.grouped(certificate.code) in done
        assert "Certificate of completion, issued on" in done
        assert f"/en/verify/{certificate.code}/" in done
        assert "Status: In progress" in by_title["Seizing phones"]
        assert "33% complete" in by_title["Seizing phones"]
        assert "Status: Not started" in by_title["Cloud data"]
        assert "Add to LinkedIn" not in by_title["Seizing phones"] + by_title["Cloud data"]
        assert "Amina Diallo" in page

    def test_a_learner_without_courses_is_offered_the_catalogue(self, learner, all_locales):
        page = signed_in(learner).get(TRANSCRIPT).content.decode()
        assert "You have not started a course yet." in page
        assert "See the courses" in page

    def test_another_learners_records_are_never_shown(self, learner, course, holder):
        client, certificate = holder
        other = named(factories.make_user("other@example.org"), "Zhang Wei")
        other_client = signed_in(other)
        elsewhere = another_course(course, "Only theirs", "o")
        theirs = complete(other_client, other, elsewhere)
        mine = client.get(TRANSCRIPT).content.decode()
        assert "Only theirs" not in mine and "Zhang Wei" not in mine
        assert codes.grouped(theirs.code) not in mine and theirs.code not in mine
        their_page = other_client.get(TRANSCRIPT).content.decode()
        assert "Amina Diallo" not in their_page
        assert codes.grouped(certificate.code) not in their_page
        assert "Handling digital evidence" not in their_page
        # Nor in their PDF, nor their credential through someone else's account.
        their_pdf = other_client.get(TRANSCRIPT_PDF).content
        assert certificate.code.encode() not in their_pdf
        wallet = f"/en/learning/transcript/credentials/{certificate.code}.json"
        assert other_client.get(wallet).status_code == HTTPStatus.NOT_FOUND

    def test_a_revoked_certificate_is_shown_revoked_and_offers_no_sharing(self, holder):
        client, certificate = holder
        certificates.revoke(certificate, None, "Issued to the wrong person.")
        page = client.get(TRANSCRIPT).content.decode()
        assert "Revoked on" in page and "no longer valid" in page
        assert "Issued to the wrong person." in page
        assert "Add to LinkedIn" not in page
        assert "Download the credential for a wallet" not in page
        assert f"/verify/{certificate.code}/certificate.pdf" not in page
        wallet = f"/en/learning/transcript/credentials/{certificate.code}.json"
        assert client.get(wallet).status_code == HTTPStatus.NOT_FOUND

    def test_a_course_unpublished_since_keeps_its_certificate_on_the_transcript(
        self, course, holder
    ):
        client, certificate = holder
        course.course.unpublish()
        page = client.get(TRANSCRIPT).content.decode()
        assert "This course is no longer published." in page
        assert certificate.course_title in page
        assert codes.grouped(certificate.code) in page
        assert "Status: Completed" in page

    def test_user_text_is_escaped(self, learner, course):
        named(learner, '<script>alert("x")</script>')
        client = signed_in(learner)
        complete(client, learner, course)
        page = client.get(TRANSCRIPT).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page

    def test_anonymous_visitors_are_sent_to_sign_in(self, holder):
        _client, certificate = holder
        for url in (
            TRANSCRIPT,
            TRANSCRIPT_PDF,
            f"/en/learning/transcript/credentials/{certificate.code}.json",
        ):
            response = Client().get(url)
            assert response.status_code == HTTPStatus.FOUND, url
            assert "/accounts/login/" in response["Location"], url

    @pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh-hans", "pt", "vi"])
    def test_every_language_shows_the_page_and_its_pdf(self, holder, language, tmp_path):
        client, certificate = holder
        response = client.get(f"/{language}/learning/transcript/")
        assert response.status_code == HTTPStatus.OK
        page = response.content.decode()
        assert f'lang="{language}"' in page
        assert codes.grouped(certificate.code) in page
        assert f'href="/{language}/learning/transcript.pdf"' in page
        pdf = client.get(f"/{language}/learning/transcript.pdf")
        assert pdf.status_code == HTTPStatus.OK
        assert codes.grouped(certificate.code) in pdf_text(pdf.content, tmp_path)

    def test_dashboard_and_profile_link_the_transcript(self, holder):
        client, _certificate = holder
        for url in ("/en/learning/", "/en/profile/"):
            assert 'href="/en/learning/transcript/"' in client.get(url).content.decode(), url

    def test_queries_do_not_grow_with_the_number_of_courses(self, learner, course, holder):
        client, _certificate = holder
        client.get(TRANSCRIPT)  # the page tree's cache filled
        few = factories.queries_for(client, TRANSCRIPT)
        for index in range(3):
            more = another_course(course, f"More {index}", f"m{index}")
            complete(client, learner, more)
        client.get(TRANSCRIPT)
        assert factories.queries_for(client, TRANSCRIPT) == few


class TestLinkedIn:
    def test_the_add_to_profile_link_carries_the_certificate_parameter_by_parameter(
        self, learner, all_locales
    ):
        tree = with_quizzes(
            factories.make_tree(modules=1, lessons_per_module=1, title=HOSTILE_TITLE)
        )
        named(learner, "Amina Diallo")
        client = signed_in(learner)
        certificate = complete(client, learner, tree)
        assert certificate.course_title == HOSTILE_TITLE
        for url in (TRANSCRIPT, "/en/learning/"):
            page = client.get(url).content.decode()
            assert re.search(r'<a class="linkedin" href="[^"]+" rel="noopener">', page), url
            (href,) = sharing_links(page, "linkedin")
            parts = urlsplit(href)
            assert (parts.scheme, parts.netloc, parts.path) == (
                "https",
                "www.linkedin.com",
                "/profile/add",
            )
            assert "#" not in href and " " not in href and '"' not in href
            params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
            assert all(len(values) == 1 for values in params.values())
            params = {key: values[0] for key, values in params.items()}
            assert params.pop("startTask") == "CERTIFICATION_NAME"
            assert params.pop("name") == HOSTILE_TITLE
            assert params.pop("organizationName") == certificate.issuer == "Evidence Academy"
            assert params.pop("issueYear") == str(certificate.issued_on.year)
            assert params.pop("issueMonth") == str(certificate.issued_on.month)
            assert params.pop("certUrl") == f"http://testserver/c/{certificate.code}"
            assert params.pop("certId") == codes.grouped(certificate.code)
            assert params == {}

    def test_the_verify_address_is_the_public_site_and_opens_the_verify_page(
        self, holder, settings
    ):
        client, certificate = holder
        settings.SITE_URL = "https://academy.example.org"
        (href,) = sharing_links(client.get(TRANSCRIPT).content.decode(), "linkedin")
        cert_url = parse_qs(urlsplit(href).query)["certUrl"][0]
        assert cert_url == f"https://academy.example.org/c/{certificate.code}"
        followed = Client().get(urlsplit(cert_url).path, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
        assert followed.redirect_chain[-1][0] == f"/fr/verify/{certificate.code}/"
        assert codes.grouped(certificate.code) in followed.content.decode()


class TestWallet:
    def test_the_credential_downloads_as_a_file_that_verifies(self, holder):
        client, certificate = holder
        page = client.get(TRANSCRIPT).content.decode()
        (url,) = sharing_links(page, "wallet")
        assert url == f"/en/learning/transcript/credentials/{certificate.code}.json"
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/ld+json; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="credential-{codes.grouped(certificate.code)}.json"'
        )
        assert "private" in response["Cache-Control"]
        credential = json.loads(response.content)
        assert credential == certificate.credential
        assert "OpenBadgeCredential" in credential["type"]
        assert verifies(credential).ok
        assert (
            "Download the credential for a wallet" in client.get("/en/learning/").content.decode()
        )

    def test_a_changed_download_would_not_verify(self, holder):
        # The check above can fail: a credential altered after signing does not verify.
        client, certificate = holder
        credential = json.loads(
            client.get(f"/en/learning/transcript/credentials/{certificate.code}.json").content
        )
        credential["credentialSubject"]["name"] = "Someone Else"
        assert not verifies(credential).ok

    def test_a_code_typed_loosely_still_finds_the_learners_own(self, holder):
        client, certificate = holder
        loose = codes.grouped(certificate.code).lower()
        response = client.get(f"/en/learning/transcript/credentials/{loose}.json")
        assert response.status_code == HTTPStatus.OK

    def test_an_unknown_code_is_not_found(self, holder):
        client, _certificate = holder
        response = client.get("/en/learning/transcript/credentials/NOPE.json")
        assert response.status_code == HTTPStatus.NOT_FOUND


class TestTranscriptPdf:
    def test_the_english_pdf_prints_the_courses_and_certificates(self, holder, tmp_path):
        client, certificate = holder
        response = client.get(TRANSCRIPT_PDF)
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="transcript.pdf"'
        assert response.content.startswith(b"%PDF")
        text = " ".join(pdf_text(response.content, tmp_path).split())
        for expected in (
            "Transcript",
            "Amina Diallo",
            "Generated on",
            "Handling digital evidence",
            "Status: Completed",
            "Estimated study time: 2 hours",
            "Module quiz: best score 100%, passed",
            "Pre quiz (pre-test): 0%",
            "Certificate of completion, issued on",
            f"Code: {codes.grouped(certificate.code)}",
            f"Verify at http://testserver/c/{certificate.code}",
            "Page 1",
        ):
            assert expected in text, expected
        assert "Pre quiz: best score" not in text

    def test_a_revoked_certificate_is_printed_as_revoked(self, holder, tmp_path):
        client, certificate = holder
        certificates.revoke(certificate, None, "Fraud.")
        text = " ".join(pdf_text(client.get(TRANSCRIPT_PDF).content, tmp_path).split())
        assert "Revoked on" in text and "no longer valid" in text
        assert f"Verify at http://testserver/c/{certificate.code}" not in text

    def test_a_chinese_name_and_markup_are_printed_as_typed(self, learner, course, tmp_path):
        name = "王小明 <b>&amp;</b>"
        named(learner, name)
        client = signed_in(learner)
        complete(client, learner, course)
        text = pdf_text(client.get(TRANSCRIPT_PDF).content, tmp_path)
        assert "王小明" in text
        assert "<b>&amp;</b>" in text

    def test_the_arabic_pdf_prints_the_arabic_name_and_wording(self, learner, course, tmp_path):
        named(learner, "أمينة ديالو")
        client = signed_in(learner)
        complete(client, learner, course)
        response = client.get("/ar/learning/transcript.pdf")
        assert response.status_code == HTTPStatus.OK
        text = pdf_text(response.content, tmp_path)
        assert "أمينة" in text and "ديالو" in text
        assert "Handling digital evidence" in text
        assert codes.grouped(Certificate.objects.get(user=learner).code) in text
