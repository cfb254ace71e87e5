"""Issue 16, the transcript as a learner meets it on a phone: from My learning to the
transcript, its PDF downloaded and read back, and a certificate's LinkedIn link filled in."""

from urllib.parse import parse_qs, urlsplit

from django.test import Client

import pytest

from courses import codes
from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot, overflow, sign_in
from tests.test_handout import pdf_text
from tests.test_transcript import complete, named, with_quizzes

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = {"en": "Amina Diallo", "zh-hans": "王小明"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_learner_downloads_their_transcript_and_shares_a_certificate(
    open_phone, live_server, all_locales, tmp_path, language
):
    tree = with_quizzes(factories.make_tree(modules=1, lessons_per_module=1))
    learner = named(factories.make_user(), NAMES[language])
    client = Client()
    client.force_login(learner)
    certificate = complete(client, learner, tree)

    tab = open_phone(language)
    sign_in(tab, live_server.url, learner.email, factories.PASSWORD, language)
    tab.goto(f"{live_server.url}/{language}/learning/")
    tab.locator(".transcript-link a").click()
    tab.wait_for_load_state()
    assert tab.url == f"{live_server.url}/{language}/learning/transcript/"
    assert tab.locator(".transcript-name").inner_text().startswith(NAMES[language])
    assert tree.course.title in tab.locator(".transcript-course h2").first.inner_text()
    assert fits_the_screen(tab), overflow(tab)
    if language == "en":
        keep_screenshot(tab, "transcript")

    with tab.expect_download() as download:
        tab.locator(f"a[href='/{language}/learning/transcript.pdf']").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.value.suggested_filename == "transcript.pdf"
    text = pdf_text(pdf, tmp_path)
    assert NAMES[language] in text
    assert tree.course.title in text
    assert codes.grouped(certificate.code) in text
    assert f"{live_server.url}/c/{certificate.code}" in text

    href = tab.locator("a.linkedin").first.get_attribute("href")
    assert tab.locator("a.linkedin").first.get_attribute("rel") == "noopener"
    assert tab.locator("a.linkedin").first.get_attribute("target") is None
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert params == {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": certificate.issuer,
        "issueYear": str(certificate.issued_on.year),
        "issueMonth": str(certificate.issued_on.month),
        "certUrl": f"{live_server.url}/c/{certificate.code}",
        "certId": codes.grouped(certificate.code),
    }
    # The verify address LinkedIn will show leads to the certificate's verify page.
    tab.goto(params["certUrl"])
    tab.wait_for_load_state()
    assert codes.grouped(certificate.code) in tab.content()
