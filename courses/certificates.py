"""Issuing and revoking certificates: the PDF, the signed credential and the status list.

One valid certificate per learner, course and kind, also when two requests complete a
course at the same moment: the learner's row is locked while issuing, and a partial unique
constraint stops whatever slips past (SQLite has no row locks).
"""

import hashlib
import logging
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Locale

from courses import background, codes, durations, links, names, pdf
from courses.credentials import dataintegrity, did, keys, openbadges, statuslist
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
    completion_kind,
)
from courses.models.learners import profile_for
from courses.models.versions import current_version
from courses.progress import course_in_language
from courses.quizzes import best_passing_score
from courses.workshops import hours_attended

STATUS_LIST_PATH = "/credentials/status/1"
logger = logging.getLogger(__name__)


class CertificateError(Exception):
    """Something a person can act on, in their language."""


# --- Keys and identifiers -------------------------------------------------------------


def signing_key_problem():
    """Why no key can be had, or None: for the deploy check."""
    if settings.CERTIFICATE_SIGNING_KEY or settings.CERTIFICATE_CREATE_KEY:
        return None
    if not Path(settings.CERTIFICATE_KEY_FILE).exists():
        return f"neither CERTIFICATE_SIGNING_KEY nor the file {settings.CERTIFICATE_KEY_FILE}"
    return None


def signing_key():
    """The site's Ed25519 key: from the environment, else the key file (created in dev)."""
    if settings.CERTIFICATE_SIGNING_KEY:
        return keys.load_private_key(settings.CERTIFICATE_SIGNING_KEY)
    path = Path(settings.CERTIFICATE_KEY_FILE)
    if not path.exists():
        if not settings.CERTIFICATE_CREATE_KEY:
            raise ImproperlyConfigured(
                "No certificate signing key: set CERTIFICATE_SIGNING_KEY or run "
                "`manage.py generate_signing_key`."
            )
        write_key_file(path, keys.generate_private_key())
    return keys.load_private_key(path.read_bytes())


def write_key_file(path, key):
    path = Path(path)
    path.touch(mode=0o600, exist_ok=False)
    path.write_bytes(keys.private_key_to_pem(key))


def issuer_did():
    return did.did_web(urlsplit(settings.SITE_URL).netloc)


def did_document():
    current = keys.public_multikey(signing_key())
    old = [key for key in settings.CERTIFICATE_OLD_PUBLIC_KEYS if key != current]
    return did.did_document(issuer_did(), current, old)


def verification_method():
    return did.verification_method_id(issuer_did(), keys.public_multikey(signing_key()))


def status_list_url():
    return settings.SITE_URL + STATUS_LIST_PATH


def short_verify_url(code):
    """What the QR code holds: short, language-neutral, upper case (QR alphanumeric mode)."""
    return f"{settings.SITE_URL}/c/{code}".upper()


def verify_url(code, language=None):
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("verify_code", args=[code])


def now_iso():
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- Issuing ----------------------------------------------------------------------------


def issue_certificate(
    user, course_key, language, kind=CertificateKind.COMPLETION, by=None, workshop=None
):
    """The learner's valid certificate for this course and kind, issued now if missing.

    Returns None when the course gives no certificates of completion, and when the learner
    holds a revoked one of this course and kind: revocation is final, and only staff issue
    a replacement (``replace``). Attendance and participation certificates name the
    workshop. A train-the-trainer course gives a trainer certificate where a certificate of
    completion is asked for (``completion_kind``)."""
    course = course_in_language(course_key, language)
    if course is None:
        return None
    if kind in BY_COMPLETION:
        kind = completion_kind(course)
    if kind in BY_COMPLETION and not course.certificates_enabled:
        return None
    existing = valid_certificate(user, course_key, kind)
    if existing:
        return existing
    if revoked_certificate(user, course_key, kind):
        return None
    try:
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            existing = valid_certificate(user, course_key, kind)
            if existing:
                return existing
            if revoked_certificate(user, course_key, kind):
                return None
            certificate = build(user, course, kind, by, workshop)
    except IntegrityError:
        # Another request issued it between our check and our insert.
        certificate = valid_certificate(user, course_key, kind)
        if certificate is None:
            raise
    return certificate


def issue_safely(user, course_key, language, kind=CertificateKind.COMPLETION):
    """issue_certificate that logs a failure (no signing key, a full disk, a name that
    cannot be printed) instead of raising it; None then."""
    try:
        return issue_certificate(user, course_key, language, kind)
    except CertificateError as error:
        logger.warning("Did not issue a %s certificate for user %s: %s", kind, user.pk, error)
    except Exception:
        logger.exception("Could not issue a %s certificate for user %s", kind, user.pk)
    return None


# --- Issuing after completion, in the background -----------------------------------------
# Progress rules announce a completion (courses/events.py); the certificate of completion is
# made by a task, never in the learner's request. The certificate row is saved only once its
# PDF and signed credential exist (``build``), so a verifier never meets a half-made one.

# How long after the last attempt at a learner's certificate failed "My learning" waits
# before asking for another: a page that refreshes itself must not fill the queue.
REQUEST_AGAIN_AFTER = timedelta(minutes=10)


@background.background_task
def issue_completion_certificate(user_id, course_key, language):
    """Render the PDF and sign the credential of a certificate of completion; returns its
    code, or None when none is due. A name that cannot be printed is the learner's to
    correct (``name_problem``): logged, not retried. Anything else raises and is retried."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    try:
        certificate = issue_certificate(user, course_key, language)
    except CertificateError as error:
        logger.warning("Did not issue a certificate of completion for user %s: %s", user_id, error)
        return None
    return certificate.code if certificate else None


def request_certificate(user_id, course_key, language):
    """Enqueue the certificate of completion (with the transaction in progress)."""
    background.enqueue(
        issue_completion_certificate,
        user_id=user_id,
        course_key=str(course_key),
        language=language,
    )


def on_course_completed(sender, enrolment, course, **kwargs):
    """courses/events.py's course_completed: a course that gives certificates gives one."""
    if course.certificates_enabled:
        request_certificate(enrolment.user_id, course.translation_key, course.locale.language_code)


def name_problem(user):
    """Why the learner's certificate cannot be issued until they correct their profile
    (the name rule of ``printed_name``), or ""."""
    try:
        printed_name(user, profile_for(user))
    except CertificateError as error:
        return str(error)
    return ""


def prepare(user, courses):
    """For ``courses`` (completed, giving certificates, no certificate yet, the learner's
    name printable): make sure each certificate is being prepared, asking again where no
    task is under way and none failed in the last REQUEST_AGAIN_AFTER (say a course
    completed before certificates were made by tasks, or all attempts failed). One query."""
    if not courses:
        return
    under_way = background.under_way(
        issue_completion_certificate, within=REQUEST_AGAIN_AFTER, user_id=user.pk
    )
    if under_way is not None:
        asked = {kwargs.get("course_key") for kwargs in under_way}
        for course in courses:
            if str(course.translation_key) not in asked:
                request_certificate(user.pk, course.translation_key, course.locale.language_code)


def valid_certificate(user, course_key, kind):
    """The learner's valid certificate of this course and kind that no newer one superseded."""
    return Certificate.objects.filter(
        user=user,
        course_key=course_key,
        kind=kind,
        status=CertificateStatus.VALID,
        superseded_at__isnull=True,
    ).first()


def revoked_certificate(user, course_key, kind):
    """The learner's most recent revoked certificate of this course and kind, or None."""
    return (
        Certificate.objects.filter(
            user=user, course_key=course_key, kind=kind, status=CertificateStatus.REVOKED
        )
        .order_by("-revoked_at")
        .first()
    )


def build(user, course, kind, by, workshop=None):
    language = course.locale.language_code
    profile = profile_for(user)
    template = template_for(course)
    certificate = Certificate(
        code=unused_code(),
        user=user,
        course_key=course.translation_key,
        kind=kind,
        name=printed_name(user, profile),
        course_title=course.title,
        language=language,
        workshop=workshop,
        issued_on=timezone.localdate(),
        hours=course.estimated_hours,
        score=best_passing_score(user, course.translation_key) if kind in BY_COMPLETION else None,
        issuer=(template.issuer_name if template else "") or settings.WAGTAIL_SITE_NAME,
        issuer_url=(template.issuer_url if template else "") or links.absolute("/"),
        issuer_email=template.issuer_email if template else "",
        status_index=unused_status_index(),
        course_version=current_version(course.translation_key),
    )
    if workshop and kind not in BY_COMPLETION:
        # What the learner attended, not what the course would take to study alone.
        certificate.course_title = workshop.title
        certificate.hours = None
        certificate.workshop_first_day = workshop.start_date
        certificate.workshop_last_day = workshop.end_date
        certificate.venue = workshop.venue
        certificate.attended_hours = hours_attended(workshop, user)
    certificate.credential = signed_credential(certificate, course)
    content = render_pdf(certificate, template)
    certificate.pdf_sha256 = hashlib.sha256(content).hexdigest()
    certificate.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
    certificate.save()
    CertificateEvent.objects.create(certificate=certificate, action="issued", by=by)
    return certificate


def printed_name(user, profile):
    """The name to print, cleaned by the rule of courses.names.

    A stored name that breaks the rule (saved before it existed, or changed in the admin) is
    never printed and never swapped for another name behind the learner's back: issuing
    stops with a message they can act on, and succeeds once the profile is corrected."""
    try:
        return names.clean_certificate_name(
            profile.certificate_name or user.get_full_name() or user.email
        )
    except ValidationError as error:
        raise CertificateError(
            _(
                "The certificate was not issued because its name cannot be printed: "
                "%(reason)s Correct the name on certificates in the profile, then try again."
            )
            % {"reason": " ".join(error.messages)}
        ) from error


def unused_code():
    while True:
        code = codes.new_code()
        if not Certificate.objects.filter(code=code).exists():
            return code


def unused_status_index():
    """A random free position in the status list, so positions reveal no issuing order."""
    while True:
        index = secrets.randbelow(statuslist.LIST_SIZE)
        if not Certificate.objects.filter(status_index=index).exists():
            return index


def template_for(course):
    """The course's own template in the course's language, else the site-wide one, else
    the same in the default language (look and issuer only: its wording is in another
    language, so the certificate uses the interface's wording). None: defaults throughout."""
    for locale in (course.locale, Locale.get_default()):
        candidates = list(
            CertificateTemplate.objects.filter(locale=locale).select_related("course")
        )
        own = [
            t for t in candidates if t.course and t.course.translation_key == course.translation_key
        ]
        site_wide = [t for t in candidates if t.course_id is None]
        template = (own or site_wide or [None])[0]
        if template is not None:
            if locale != course.locale:
                template.preamble = template.completion_line = ""
            return template
    return None


# --- The signed credential ------------------------------------------------------------


def signed_credential(certificate, course):
    with translation.override(certificate.language):
        claim = openbadges.CertificateClaim(
            code=certificate.code,
            verify_url=verify_url(certificate.code),
            name=certificate.name,
            course_title=certificate.course_title,
            course_url=links.page_url(course) or links.absolute("/"),
            kind=certificate.kind,
            kind_label=str(CertificateKind(certificate.kind).label),
            language=certificate.language,
            issued_on=certificate.issued_on,
            hours=stated_hours(certificate),
            score=certificate.score,
            issuer_name=certificate.issuer,
            issuer_url=certificate.issuer_url or links.absolute("/"),
            issuer_email=certificate.issuer_email,
            activity_start=certificate.workshop_first_day,
            activity_end=certificate.workshop_last_day,
            achievement_id=f"{settings.SITE_URL}/achievements/{course.translation_key}/{certificate.kind}",
            description=course.summary,
            course_version=certificate.course_version
            if certificate.kind in BY_COMPLETION
            else None,
        )
    entry = statuslist.status_entry(status_list_url(), certificate.status_index)
    unsigned = openbadges.build_credential(claim, issuer_did(), entry)
    return dataintegrity.sign(unsigned, signing_key(), verification_method(), now_iso())


# The list is re-signed once a quarter of its validity window has passed, so every copy served
# (and every copy a verifier downloads) has most of its window left; see STATUS_LIST_VALIDITY.
STATUS_LIST_RESIGN_SHARE = 4
# How long an HTTP cache may keep the list: short, so a revocation shows within minutes.
STATUS_LIST_MAX_AGE = 300


def status_list_validity():
    validity = settings.STATUS_LIST_VALIDITY
    if validity < timedelta(hours=1):
        raise ImproperlyConfigured("STATUS_LIST_VALIDITY must be at least one hour.")
    return validity


def status_list_credential(now=None):
    """The signed revocation list: re-signed when a revocation changes it or its window wears."""
    now = now or timezone.now()
    validity = status_list_validity()
    revoked = Certificate.objects.filter(status=CertificateStatus.REVOKED)
    latest = revoked.aggregate(latest=Max("revoked_at"))["latest"]
    version = f"{revoked.count()}|{latest}|{keys.public_multikey(signing_key())}|{validity}"
    cache_key = "status-list:" + hashlib.sha256(version.encode()).hexdigest()
    resign_after = validity / STATUS_LIST_RESIGN_SHARE
    credential = cache.get(cache_key)
    # The cache's own timeout is not trusted alone: a shared cache may hold a copy signed by a
    # server with another clock or setting.
    if credential is None or not valid_for_at_least(credential, now, validity - resign_after):
        bits = statuslist.new_list()
        for index in revoked.values_list("status_index", flat=True):
            statuslist.set_bit(bits, index)
        unsigned = statuslist.status_list_credential(
            status_list_url(), issuer_did(), bits, now, validity
        )
        credential = dataintegrity.sign(
            unsigned, signing_key(), verification_method(), unsigned["validFrom"]
        )
        cache.set(cache_key, credential, resign_after.total_seconds())
    return credential


def valid_for_at_least(credential, now, remaining):
    """Whether ``credential`` is already valid at ``now`` and stays valid ``remaining`` longer."""
    if "validFrom" not in credential or "validUntil" not in credential:
        return False  # signed before lists had a validity window
    valid_from = datetime.fromisoformat(credential["validFrom"])
    valid_until = datetime.fromisoformat(credential["validUntil"])
    return valid_from <= now and valid_until - now >= remaining


def status_list_max_age(credential, now=None):
    """Seconds an HTTP cache may keep ``credential``: never past its ``validUntil``."""
    now = now or timezone.now()
    left = datetime.fromisoformat(credential["validUntil"]) - now
    return max(0, min(STATUS_LIST_MAX_AGE, int(left.total_seconds())))


# --- The PDF --------------------------------------------------------------------------


def render_pdf(certificate, template):
    with translation.override(certificate.language):
        design = pdf_design(certificate, template)
        printed = pdf.PrintedCertificate(
            code=codes.grouped(certificate.code),
            verify_url=short_verify_url(certificate.code),
            name=certificate.name,
            course_title=certificate.course_title,
            date_text=formats.date_format(certificate.issued_on, "DATE_FORMAT"),
            hours=printed_hours(certificate),
            score=number(certificate.score),
            workshop_dates=workshop_dates(certificate),
            venue=certificate.venue or None,
            version_text=version_text(certificate),
            language=certificate.language,
            title_for_metadata=f"{design.heading}: {certificate.course_title}",
            author_for_metadata=certificate.issuer,
            subject_for_metadata=_("Certificate %(code)s for %(name)s")
            % {"code": codes.grouped(certificate.code), "name": certificate.name},
        )
    return pdf.render_certificate(printed, design)


def pdf_design(certificate, template):
    headings = {
        CertificateKind.COMPLETION: _("Certificate of completion"),
        CertificateKind.ATTENDANCE: _("Certificate of attendance"),
        CertificateKind.PARTICIPATION: _("Certificate of participation"),
        CertificateKind.TRAINER: _("Trainer certificate"),
    }
    lines = {
        CertificateKind.COMPLETION: _("has successfully completed the course"),
        CertificateKind.ATTENDANCE: _("attended the workshop"),
        CertificateKind.PARTICIPATION: _("took part in the workshop"),
        CertificateKind.TRAINER: _("has completed the course and is certified as a trainer in"),
    }
    achievement = lines[certificate.kind]
    if template and template.completion_line and certificate.kind == CertificateKind.COMPLETION:
        achievement = template.completion_line
    return pdf.CertificateDesign(
        issuer_name=certificate.issuer,
        logo=image_bytes(template.logo) if template else None,
        signatories=signatories(template),
        accent_colour=template.accent_colour if template else "#1f4e79",
        heading=headings[certificate.kind],
        preamble=(template.preamble if template else "") or _("This certifies that"),
        achievement_line=achievement,
        hours_label=_("Study time: {hours}")
        if certificate.hours is not None
        else _("Time attended: {hours}"),
        score_label=_("Final score: {score}%"),
        date_label=_("Issued on {date}"),
        dates_label=_("Workshop dates: {dates}"),
        venue_label=_("Place: {venue}"),
        verify_label=_("Check this certificate at {url}"),
        code_label=_("Certificate code"),
        paper=template.paper if template else "A4",
    )


def version_text(certificate):
    """ "Course version 2 (March 2026)": the version it was earned under and the month of
    issue. Certificates of attendance and participation carry no course version."""
    if certificate.kind not in BY_COMPLETION:
        return None
    return _("Course version %(version)s (%(month)s)") % {
        "version": certificate.course_version,
        "month": formats.date_format(certificate.issued_on, "YEAR_MONTH_FORMAT"),
    }


def stated_hours(certificate):
    """The study time of a completion, else the hours attended; None if neither."""
    return certificate.hours if certificate.hours is not None else certificate.attended_hours


def printed_hours(certificate):
    """stated_hours in words ("2 hours 30 minutes"), or None."""
    hours = stated_hours(certificate)
    return durations.duration_text(hours) if hours is not None else None


def workshop_dates(certificate):
    """The workshop's days in words ("3 March 2026 to 5 March 2026"); None without any."""
    first, last = certificate.workshop_first_day, certificate.workshop_last_day
    if first is None:
        return None
    first_text = formats.date_format(first, "DATE_FORMAT")
    if last is None or last == first:
        return first_text
    return _("%(first)s to %(last)s") % {
        "first": first_text,
        "last": formats.date_format(last, "DATE_FORMAT"),
    }


def signatories(template):
    if template is None:
        return ()
    found = []
    for block in template.signatories:
        value = block.value
        found.append(
            pdf.Signatory(
                name=value["name"],
                title=value["title"],
                signature_image=image_bytes(value["signature"]),
            )
        )
    return tuple(found[:3])


def image_bytes(image):
    """The original image's bytes, read through its storage (files on disk or in a bucket);
    None without an image or when its file is gone, so the certificate prints without it."""
    if image is None or not image.file:
        return None
    try:
        with image.file.open("rb") as file:
            return file.read()
    except (FileNotFoundError, ValueError):
        logger.warning("Certificate image %s has no file in storage", image.pk)
        return None


def number(value):
    if value is None:
        return None
    value = Decimal(value)
    return formats.number_format(value.normalize() if value == value.to_integral() else value)


# --- Revoking --------------------------------------------------------------------------


def revoke(certificate, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking this certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.REVOKED:
            raise CertificateError(_("This certificate was already revoked."))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revocation_reason"])
        CertificateEvent.objects.create(certificate=locked, action="revoked", by=by, reason=reason)
    return locked


def supersede(old, by=None):
    """A certificate for the course's current version in place of ``old``, which stays
    valid as the record of what was earned and names its successor. Called by the update
    path's task (courses/versions.py) once the holder has done what the update asks; the
    successor of an already superseded certificate, or None when ``old`` is revoked or
    already at the current version."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=old.user_id).first()
        old = Certificate.objects.select_for_update().get(pk=old.pk)
        if old.superseded_by_id:
            return old.superseded_by
        if old.status != CertificateStatus.VALID:
            return None
        if current_version(old.course_key) <= old.course_version:
            return None
        course = course_in_language(old.course_key, old.language)
        if course is None:
            raise CertificateError(_("The course of this certificate is no longer published."))
        # Marked first: the new one may then pass "one current certificate per course".
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        new = build(old.user, course, old.kind, by, old.workshop)
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        CertificateEvent.objects.create(
            certificate=old, action=CertificateEvent.Action.SUPERSEDED, by=by
        )
    return new


def replace(revoked, by, reason):
    """Staff's explicit decision to issue a new certificate in place of a revoked one (say
    after a misspelt name was corrected): a reason is required, both certificates log it,
    and the revoked one's verify page then names its replacement."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for issuing a replacement."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=revoked.user_id).first()
        old = Certificate.objects.select_for_update().get(pk=revoked.pk)
        if old.status != CertificateStatus.REVOKED:
            raise CertificateError(_("Only a revoked certificate can be replaced."))
        if old.replaced_by_id:
            raise CertificateError(_("This certificate was already replaced."))
        if valid_certificate(old.user, old.course_key, old.kind):
            raise CertificateError(
                _("The learner already holds a valid certificate of this kind for this course.")
            )
        course = course_in_language(old.course_key, old.language)
        if course is None:
            raise CertificateError(_("The course of this certificate is no longer published."))
        new = build(old.user, course, old.kind, by, old.workshop)
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
        CertificateEvent.objects.create(
            certificate=old, action=CertificateEvent.Action.REPLACED, by=by, reason=reason
        )
        new.events.filter(action=CertificateEvent.Action.ISSUED).update(reason=reason)
    return new
