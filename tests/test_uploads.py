"""Uploads with a ceiling: refused from the declared length, and cut at the cap while read,
whatever length the request claims. The pages that take files are tested where they live
(the verify page in test_certificates, the roster import in test_roster)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

import pytest

from courses import uploads
from tests import factories

CHUNK = 64 * 1024  # what Django's multipart parser reads at a time


def request_with(body, declared_length):
    environ = {"wsgi.input": body, "CONTENT_LENGTH": str(declared_length)}
    return RequestFactory().generic("POST", "/", CONTENT_TYPE=MULTIPART_CONTENT, **environ)


def test_a_file_within_the_cap_arrives_whole():
    content = b"%PDF-1.7 " + b"x" * 5000
    data = encode_multipart(BOUNDARY, {"pdf": SimpleUploadedFile("c.pdf", content)})
    request = request_with(factories.RequestBody(data), len(data))
    capped = uploads.cap(request, len(content))
    assert request.FILES["pdf"].read() == content and not capped.exceeded


def test_a_file_is_cut_at_the_cap_however_long_the_body_claims_to_be():
    head = factories.file_part("pdf", "c.pdf")
    limit = 200_000
    # Endless, and it says it is a terabyte: without the cap the parser would read for ever.
    body = factories.RequestBody(head, endless=True, allowed=len(head) + limit + 2 * CHUNK)
    request = request_with(body, 10**12)
    capped = uploads.cap(request, limit)
    assert "pdf" not in request.FILES
    assert capped.exceeded and capped.received > limit


def test_the_cap_cannot_be_set_once_the_body_has_been_read():
    data = encode_multipart(BOUNDARY, {"name": "x"})
    request = request_with(factories.RequestBody(data), len(data))
    assert request.POST["name"] == "x"
    with pytest.raises(AttributeError):
        uploads.cap(request, 1000)


@pytest.mark.parametrize(
    ("declared", "too_large"),
    [
        (1000 + uploads.FORM_OVERHEAD, False),
        (1000 + uploads.FORM_OVERHEAD + 1, True),
        ("not a number", False),  # Django reads such a body as empty
    ],
)
def test_the_declared_length_may_exceed_the_cap_by_the_forms_own_wrapping(declared, too_large):
    request = request_with(factories.RequestBody(), 0)
    request.META["CONTENT_LENGTH"] = str(declared)
    assert uploads.declared_too_large(request, 1000) is too_large
