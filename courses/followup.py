"""Follow-up surveys: some months after a learner completes a course, one email asks whether
they applied what they learned, how often, and what stood in the way.

The rules:

- "Completed" is the enrolment's completion date (courses/progress.py): every course has
  one, whether or not it issues certificates.
- The survey is the active FollowUpSurvey of the course, else the active site-wide one
  (none: nothing is sent). It is due ``days_after`` days after completion (FOLLOWUP_DAYS by
  default) and stays due for FOLLOWUP_LINK_DAYS more (a completion older than that when the
  survey was switched on is not surveyed). The daily job (courses/nudges.py) sends it at
  most once per learner and course (``FollowUpInvitation``), within the weekly cap, never
  to someone who turned follow-up emails off.
- The link carries a signed token (django.core.signing, its own salt): the invitation and
  a random nonce. It needs no sign-in, works for FOLLOWUP_LINK_DAYS from when it was sent
  (by the server's clock, not the token's), and is answered once: the invitation's
  ``used_at`` is set by a conditional UPDATE in the transaction that stores the answer, so
  of two submissions at once only one is stored.
- The answer is stored without the person (``FollowUpResponse``): their sex, country and
  role as the invitation noted them, the course and the day the invitation went out.
"""

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from courses import brand, emails, links, nudges, permissions
from courses.choices import EmailCategory
from courses.models.certificates import Certificate
from courses.models.followup import (
    FollowUpInvitation,
    FollowUpResponse,
    FollowUpSurvey,
    NudgeKind,
)
from courses.models.learners import LearnerProfile
from courses.models.progress import Enrolment, LessonCompletion
from courses.pilot import not_pilot

SALT = "courses.followup.link"
EMAIL_TEMPLATES = "courses/followup/email"


class LinkError(Exception):
    """The follow-up link cannot be used: ``reason`` is "invalid" (forged, mangled, or its
    invitation is gone) or "expired"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# --- Which survey, and when --------------------------------------------------------------


def active_surveys():
    """({course translation key: survey}, the site-wide survey or None), one row per
    survey (its source, whatever its language)."""
    surveys = (
        FollowUpSurvey.objects.filter(active=True)
        .select_related("course", "locale")
        .order_by("locale__language_code", "pk")
    )
    by_course, default = {}, None
    for survey in surveys:
        if survey.course is None:
            default = default or survey  # several site-wide ones: the first, always the same
        else:
            by_course.setdefault(survey.course.translation_key, survey)
    return by_course, default


def survey_in(survey_key, language):
    """The survey's translation in ``language``, else the site's language, else any."""
    rows = {
        row.locale.language_code: row
        for row in FollowUpSurvey.objects.filter(translation_key=survey_key).select_related(
            "locale"
        )
    }
    return rows.get(language) or rows.get(settings.LANGUAGE_CODE) or next(iter(rows.values()), None)


def due_enrolments(now):
    """(enrolment, survey) for every completion whose follow-up is due now and not sent."""
    by_course, default = active_surveys()
    sent = FollowUpInvitation.objects.filter(
        user=OuterRef("user"), course_key=OuterRef("course_key")
    )
    base = (
        Enrolment.objects.filter(not_pilot(), completed_at__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .exclude(Exists(sent))
        .order_by("completed_at", "pk")
    )
    link_days = timedelta(days=settings.FOLLOWUP_LINK_DAYS)

    def window(queryset, survey):
        due_by = now - timedelta(days=survey.days_after)
        return queryset.filter(completed_at__lte=due_by, completed_at__gt=due_by - link_days)

    found = []
    for course_key, survey in by_course.items():
        found += [(e, survey) for e in window(base.filter(course_key=course_key), survey)]
    if default is not None:
        rest = base.exclude(course_key__in=list(by_course))
        found += [(e, default) for e in window(rest, default)]
    return found


def due(now):
    """The follow-ups due now, as courses/nudges.py Due items."""
    return [
        nudges.Due(
            enrolment.user_id,
            NudgeKind.FOLLOWUP,
            partial(send, enrolment=enrolment, survey=survey),
        )
        for enrolment, survey in due_enrolments(now)
    ]


# --- Sending -------------------------------------------------------------------------------


def send(user, now, *, enrolment, survey):
    """Record the invitation and queue its email (in the caller's transaction); False when
    the learner turned follow-ups off or was already invited."""
    if not emails.may_send(user, EmailCategory.FOLLOWUP):
        return False
    if FollowUpInvitation.objects.filter(user=user, course_key=enrolment.course_key).exists():
        return False
    profile = LearnerProfile.objects.filter(user=user).first()
    invitation = FollowUpInvitation.objects.create(
        user=user,
        course_key=enrolment.course_key,
        survey_key=survey.translation_key,
        sent_at=now,
        nonce=secrets.token_hex(8),
        language=learner_language(user, enrolment.course_key),
        country=getattr(profile, "country", "") or "",
        sex=getattr(profile, "sex", "") or "",
        role=getattr(profile, "role", "") or "",
    )
    message = invitation_email(invitation)
    if not emails.enqueue_email(
        message,
        user=user,
        category=EmailCategory.FOLLOWUP,
        kind="followup",
        language=invitation.language,
    ):
        invitation.delete()  # not sent after all: due again on a later run
        return False
    nudges.record(user, NudgeKind.FOLLOWUP, now, course_key=enrolment.course_key)
    return True


def learner_language(user, course_key):
    """Their preferred language, else their certificate's, else the one they last completed
    a lesson of the course in."""
    certificate = (
        Certificate.objects.filter(user=user, course_key=course_key)
        .order_by("-issued_on")
        .values_list("language", flat=True)
        .first()
    )
    lesson = (
        LessonCompletion.objects.filter(user=user, course_key=course_key)
        .order_by("-completed_at")
        .values_list("language", flat=True)
        .first()
    )
    return emails.recipient_language(user, certificate, lesson)


def token_for(invitation):
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT)


def link_for(invitation):
    """The survey's address in the invitation's language (call it with that language on)."""
    return links.absolute(reverse("followup", args=[token_for(invitation)]))


def invitation_email(invitation):
    """The email, in the learner's language. Plain text: what editors wrote is not markup."""
    from courses.progress import course_in_language

    language = invitation.language
    course = course_in_language(invitation.course_key, language)
    with translation.override(language):
        context = {
            "course_title": course.title if course else "",
            "survey_url": link_for(invitation),
            "link_days": settings.FOLLOWUP_LINK_DAYS,
        }
        subject = render_to_string(f"{EMAIL_TEMPLATES}/followup_subject.txt", context)
        body = render_to_string(f"{EMAIL_TEMPLATES}/followup_message.txt", context)
        subject, sender = brand.email_subject(subject), brand.sender()
    return EmailMessage(subject, body, sender, [invitation.user.email])


# --- The link ------------------------------------------------------------------------------


def invitation_for(token, now=None):
    """The invitation a link's token names; LinkError when forged, unknown or expired."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=SALT)
        pk, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkError("invalid") from error
    invitation = (
        FollowUpInvitation.objects.filter(pk=pk, nonce=nonce).select_related("user").first()
    )
    if invitation is None or not permissions.may_use_followup_link(invitation):
        raise LinkError("invalid")
    if now > invitation.sent_at + timedelta(days=settings.FOLLOWUP_LINK_DAYS):
        raise LinkError("expired")
    return invitation


def record_answer(invitation, applied, frequency, obstacles="", more=None, now=None):
    """Store the answer and mark the invitation answered, in one transaction; False (nothing
    stored) when it was answered already, also by a submission at the same moment."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUpInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now
        )
        if not claimed:
            return False
        FollowUpResponse.objects.create(
            course_key=invitation.course_key,
            invited_on=timezone.localdate(invitation.sent_at),
            country=invitation.country,
            sex=invitation.sex,
            role=invitation.role,
            applied=applied,
            frequency=frequency,
            obstacles=obstacles.strip(),
            more=more or {},
        )
    invitation.used_at = now
    return True
