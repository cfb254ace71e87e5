"""The learner's transcript: a page, its PDF, and a valid certificate's signed credential as a
file for a wallet. Each shows the signed-in learner their own records only."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses import brand, codes, transcript
from courses.durations import duration_text
from courses.models.certificates import Certificate, CertificateKind, CertificateStatus
from courses.transcript_pdf import PrintedTranscript, Section, render_transcript


def status_label(status):
    return {
        transcript.NOT_STARTED: pgettext("course status", "Not started"),
        transcript.IN_PROGRESS: pgettext("course status", "In progress"),
        transcript.COMPLETED: pgettext("course status", "Completed"),
    }[status]


def _date(value):
    if hasattr(value, "hour"):
        value = timezone.localdate(value)
    return formats.date_format(value, "DATE_FORMAT")


def _number(value):
    return formats.number_format(value, 0)


def score_text(score):
    """One score as a sentence; a pre-test is taken, never passed or failed."""
    values = {"quiz": score.title, "score": _number(score.score)}
    if score.is_pre_test:
        return _("%(quiz)s (pre-test): %(score)s%%") % values
    if score.passed:
        return _("%(quiz)s: best score %(score)s%%, passed") % values
    return _("%(quiz)s: best score %(score)s%%, not passed yet") % values


def certificate_lines(certificate):
    """What the PDF prints of one certificate: its kind and date, its code, where to verify
    it, or that it was revoked."""
    kind = str(CertificateKind(certificate.kind).label)
    lines = [
        _("%(kind)s, issued on %(date)s") % {"kind": kind, "date": _date(certificate.issued_on)},
        _("Code: %(code)s") % {"code": codes.grouped(certificate.code)},
    ]
    if certificate.status == CertificateStatus.VALID:
        lines.append(_("Verify at %(url)s") % {"url": transcript.public_verify_url(certificate)})
    else:
        lines.append(
            _("Revoked on %(date)s: no longer valid.") % {"date": _date(certificate.revoked_at)}
        )
    return tuple(lines)


def course_lines(record):
    lines = [_("Status: %(status)s") % {"status": status_label(record.status)}]
    if record.completed_at:
        lines.append(_("Completed on %(date)s") % {"date": _date(record.completed_at)})
    elif record.started_at:
        lines.append(_("Started on %(date)s") % {"date": _date(record.started_at)})
    if record.course is None:
        lines.append(_("This course is no longer published."))
    elif record.status == transcript.IN_PROGRESS:
        lines.append(_("%(percent)s%% complete") % {"percent": record.percent})
    if record.hours is not None:
        lines.append(
            _("Estimated study time: %(duration)s") % {"duration": duration_text(record.hours)}
        )
    lines += [score_text(score) for score in record.scores]
    return tuple(lines)


def printed_transcript(user, records, language):
    """The transcript's wording, in the current language, for courses/transcript_pdf.py."""
    site = brand.site_name()
    generated = _("Generated on %(date)s") % {"date": _date(timezone.now())}
    name = transcript.learner_name(user)
    heading = pgettext("record of courses", "Transcript")
    return PrintedTranscript(
        language=language,
        heading=heading,
        name=name,
        intro=(site, generated),
        sections=tuple(
            Section(
                heading=record.title,
                lines=course_lines(record),
                certificates=tuple(certificate_lines(item) for item in record.certificates),
            )
            for record in records
        ),
        empty=_("You have not started a course yet."),
        footer=f"{site} · {generated}",
        page_label=_("Page %(number)s") % {"number": "{number}"},
        title_for_metadata=f"{heading}: {name}",
        author_for_metadata=site,
    )


def private(response):
    """A learner's own records: never kept by a shared cache or the browser's history."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@login_required
def transcript_page(request):
    """Every course the learner enrolled in: status, hours, scores and certificates."""
    records = transcript.records_for(request.user, get_language())
    for record in records:
        record.status_label = status_label(record.status)
        for certificate in record.certificates:
            certificate.grouped = codes.grouped(certificate.code)
            certificate.shareable = transcript.shareable(certificate)
    context = {
        "records": records,
        "learner_name": transcript.learner_name(request.user),
        "generated_on": timezone.localdate(),
    }
    return private(render(request, "courses/transcript/transcript.html", context))


@require_GET
@login_required
def transcript_pdf(request):
    """The transcript as a PDF download, in the language of the page it was asked from."""
    language = get_language()
    records = transcript.records_for(request.user, language)
    pdf = render_transcript(printed_transcript(request.user, records, language))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="transcript.pdf"'
    return private(response)


@require_GET
@login_required
def wallet_credential(request, code):
    """The signed Open Badges credential of one of the learner's valid certificates, as a
    file to import into a wallet. Anyone else's, a revoked one, or an unknown code: 404."""
    certificate = Certificate.objects.filter(
        code=codes.normalise(code) or "-",
        user=request.user,
        status=CertificateStatus.VALID,
    ).first()
    if certificate is None or not certificate.credential:
        raise Http404
    body = json.dumps(certificate.credential, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode(), content_type="application/ld+json; charset=utf-8")
    filename = transcript.credential_filename(certificate)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response)
