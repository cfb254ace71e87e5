"""Public certificate verification: a page per code in every language, its JSON twin, the
short language-neutral link the QR code holds, the issuer's DID document and the signed
revocation list.

Every lookup answers in the same shape whether or not the code exists, runs the same query,
and counts against a per-address limit, so the page cannot be used to enumerate codes.
"""

import hashlib
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_response_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from courses import certificates, codes, links, uploads, versions
from courses.clientaddress import client_address
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateStatus,
)

MAX_UPLOAD = 20 * 1024 * 1024
NOT_FOUND = "not_found"


def over_limit(request):
    """True once this address has made more lookups this minute than VERIFY_RATE_LIMIT."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"verify-rate:{client_address(request)}:{minute}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        count = 1
    return count > settings.VERIFY_RATE_LIMIT


def lookup(raw_code):
    """(normalised code or None, certificate or None), with one query either way."""
    code = codes.normalise(raw_code)
    certificate = (
        Certificate.objects.filter(code=code or "-")
        .select_related("replaced_by", "superseded_by")
        .first()
    )
    return code, certificate


def changes_for(certificate):
    """The legal updates published since the certificate's course version, newest first, in
    the page's language: one query, also for an unknown code (which has none)."""
    if certificate is None or certificate.kind not in BY_COMPLETION:
        return versions.changes_since(None, 0, translation.get_language())
    return versions.changes_since(
        certificate.course_key, certificate.course_version, translation.get_language()
    )


def state_of(certificate):
    if certificate is None:
        return NOT_FOUND
    return certificate.status


def noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def too_many(request, as_json=False):
    if as_json:
        response = JsonResponse({"status": "rate_limited"}, status=HTTPStatus.TOO_MANY_REQUESTS)
    else:
        response = render(
            request,
            "courses/verify/too_many.html",
            {"limit": settings.VERIFY_RATE_LIMIT},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    response["Retry-After"] = "60"
    return noindex(response)


@require_GET
@never_cache
def verify_form(request):
    """The form; a code typed into it goes to its own page."""
    typed = request.GET.get("code", "").strip()
    if typed:
        code = codes.normalise(typed)
        if code:
            return redirect("verify_code", code=code)
        if over_limit(request):
            return too_many(request)
        return noindex(render_state(request, typed, None))
    return noindex(render(request, "courses/verify/form.html", {}))


@csrf_exempt  # checked in compared(), once the upload is capped: the check reads the body
@require_http_methods(["GET", "POST"])
@never_cache
def verify_code(request, code):
    if over_limit(request):
        return too_many(request)
    normalised, certificate = lookup(code)
    if normalised and normalised != code:
        return redirect("verify_code", code=normalised)
    if request.method == "POST" and certificate is not None:
        if uploads.declared_too_large(request, MAX_UPLOAD):
            # Answered unread, so without the CSRF check: this answer changes nothing.
            return noindex(render_state(request, code, certificate, {"error": too_large()}))
        return compared(request, code, certificate, uploads.cap(request, MAX_UPLOAD))
    return noindex(render_state(request, code, certificate))


@csrf_protect
def compared(request, code, certificate, capped):
    """The page with the verdict on an uploaded PDF."""
    upload = compare_upload(request, certificate, capped)
    return noindex(render_state(request, code, certificate, upload))


def verdict_of(state, upload):
    """What the top of the page says: the comparison of an uploaded PDF outranks the
    certificate's own state, except that a matching file never hides a revocation."""
    if upload and "sha256" in upload:
        if not upload["match"]:
            return "mismatch"
        if state == CertificateStatus.VALID:
            return "match"
    return state


def render_state(request, typed, certificate, upload=None):
    state = state_of(certificate)
    changes = changes_for(certificate)
    context = {
        "changes": changes,
        "current_version": changes[0].version if changes else None,
        "shows_version": certificate is not None and certificate.kind in BY_COMPLETION,
        "successor_grouped": codes.grouped(certificate.superseded_by.code)
        if certificate and certificate.superseded_by
        else "",
        "state": state,
        "verdict": verdict_of(state, upload),
        "typed": typed,
        "certificate": certificate,
        "grouped": codes.grouped(certificate.code) if certificate else "",
        "replacement_grouped": codes.grouped(certificate.replaced_by.code)
        if certificate and certificate.replaced_by
        else "",
        "upload": upload,
        "max_upload_mb": MAX_UPLOAD // (1024 * 1024),
    }
    return render(request, "courses/verify/result.html", context)


def too_large():
    return _("That file is too large to be one of our certificates.")


def compare_upload(request, certificate, capped):
    """Whether an uploaded PDF is byte for byte the one issued: 'match', 'mismatch' or an
    error message. capped is the request's uploads.CappedUpload."""
    uploaded = request.FILES.get("pdf")  # reads the body, up to the cap
    if capped.exceeded:
        return {"error": too_large()}
    if uploaded is None:
        return {"error": _("Choose the PDF file to check.")}
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    return {"sha256": sha256, "match": sha256 == certificate.pdf_sha256, "name": uploaded.name}


@require_GET
@never_cache
def verify_json(request, code):
    if over_limit(request):
        return too_many(request, as_json=True)
    normalised, certificate = lookup(code)
    return noindex(JsonResponse(json_for(request, normalised or code, certificate)))


def json_for(request, code, certificate):
    """The same keys for every state; unknown codes have nulls."""
    valid = certificate is not None and certificate.status == CertificateStatus.VALID
    changes = changes_for(certificate)
    fields = {
        "status": state_of(certificate),
        "code": codes.grouped(certificate.code) if certificate else code,
        "name": None,
        "course": None,
        "kind": None,
        "language": None,
        "issued_on": None,
        "hours": None,
        "score": None,
        "workshop_first_day": None,
        "workshop_last_day": None,
        "venue": None,
        "attended_hours": None,
        "issuer": None,
        "issuer_url": None,
        "issuer_email": None,
        "pdf_sha256": None,
        "revoked_on": None,
        "revocation_reason": None,
        "replaced_by": None,
        "course_version": None,
        "current_course_version": None,
        "updates_since": [],
        "superseded_by": None,
        "superseded_by_version": None,
        "superseded_on": None,
        "pdf_url": None,
        "credential_url": None,
    }
    if certificate is None:
        return fields
    fields.update(
        name=certificate.name,
        course=certificate.course_title,
        kind=certificate.kind,
        language=certificate.language,
        issued_on=certificate.issued_on.isoformat(),
        hours=text_or_none(certificate.hours),
        score=text_or_none(certificate.score),
        workshop_first_day=text_or_none(certificate.workshop_first_day),
        workshop_last_day=text_or_none(certificate.workshop_last_day),
        venue=certificate.venue or None,
        attended_hours=text_or_none(certificate.attended_hours),
        issuer=certificate.issuer,
        issuer_url=certificate.issuer_url or None,
        issuer_email=certificate.issuer_email or None,
        pdf_sha256=certificate.pdf_sha256,
        credential_url=links.absolute(reverse("verify_credential", args=[certificate.code])),
    )
    if certificate.kind in BY_COMPLETION:
        fields.update(
            course_version=certificate.course_version,
            current_course_version=changes[0].version if changes else certificate.course_version,
            updates_since=[
                {
                    "version": change.version,
                    "published_on": change.published_at.date().isoformat(),
                    "effective_date": change.effective_date.isoformat(),
                    "summary": change.summary,
                }
                for change in changes
            ],
        )
    if certificate.superseded_by:
        fields.update(
            superseded_by=codes.grouped(certificate.superseded_by.code),
            superseded_by_version=certificate.superseded_by.course_version,
            superseded_on=certificate.superseded_by.issued_on.isoformat(),
        )
    if valid:
        fields["pdf_url"] = links.absolute(reverse("verify_pdf", args=[certificate.code]))
    else:
        fields.update(
            revoked_on=certificate.revoked_at.date().isoformat(),
            revocation_reason=certificate.revocation_reason,
        )
        if certificate.replaced_by:
            fields["replaced_by"] = codes.grouped(certificate.replaced_by.code)
    return fields


def text_or_none(value):
    """Decimals as "12.5", dates as "2026-03-05", None as None."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def certificate_or_404(request, code):
    _normalised, certificate = lookup(code)
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def verify_pdf(request, code):
    """The issued PDF, for valid certificates only: a revoked one is not handed out again."""
    if over_limit(request):
        return too_many(request)
    certificate = certificate_or_404(request, code)
    if certificate.status != CertificateStatus.VALID or not certificate.pdf:
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"certificate-{certificate.code}.pdf",
    )
    return noindex(response)


@require_GET
def verify_credential(request, code):
    """The signed Open Badges credential; its status entry says whether it is revoked."""
    if over_limit(request):
        return too_many(request, as_json=True)
    certificate = certificate_or_404(request, code)
    response = JsonResponse(certificate.credential, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="credential-{certificate.code}.json"'
    return noindex(response)


@require_GET
def short_link(request, code):
    """/c/CODE, what the QR code holds: to the verify page in the visitor's language."""
    language = translation.get_language_from_request(request)
    normalised = codes.normalise(code) or code
    with translation.override(language):
        return redirect(reverse("verify_code", args=[normalised]))


@require_GET
def did_document(request):
    response = JsonResponse(certificates.did_document())
    response["Content-Type"] = "application/did+json"
    return response


@require_GET
def status_list(request):
    credential = certificates.status_list_credential()
    response = JsonResponse(credential)
    # must-revalidate: no proxy may serve the list stale (e.g. while the site is down), since
    # an expired copy gives verifiers no answer; max-age never reaches past validUntil.
    patch_response_headers(response, certificates.status_list_max_age(credential))
    patch_cache_control(response, public=True, must_revalidate=True)
    return response
